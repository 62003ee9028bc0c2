"""The embedding model in a process of its own, so its compute never holds the server's interpreter lock.

Measured (benchmarks/server_load.py, 60 people, model embedding answers as
they arrive): with the model in the server's process, saves waited for the
interpreter lock between the model's layers (save p95 1.6-3.5 s); in its own
process the pages do not wait for it. The server talks to it over a pipe:
texts in, unit rows out. `ProcessEncoder` has the in-process Encoder's
interface (encode, cached, remember, load, loaded, name, dimension), so the
analysis cannot tell them apart; it keeps its own cache by text.

Run as `python -m workshop.model_process MODEL`: it loads the model, says
"ready" (or why it could not), then answers requests until its input closes,
so it ends with the server.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from collections import OrderedDict

import numpy as np

from embeddings.encoder import CACHE_SIZE, Encoder, ModelUnavailable

# The model's own process runs a little below the pages: under load the room's
# saves come first, and with the machine otherwise idle it makes no difference.
MODEL_NICE = 5


class ProcessEncoder:
    """An encoder whose model lives in a child process (started on first use, restarted if it dies)."""

    def __init__(self, model_name: str | None):
        self._model_name = model_name
        self._names = Encoder(model_name)  # resolves and names the model without loading it
        self._proc: subprocess.Popen | None = None
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._dimension = 0

    @property
    def name(self) -> str:
        return self._names.name

    @property
    def loaded(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def load(self) -> None:
        with self._lock:
            self._start_locked()

    def _start_locked(self) -> None:
        if self.loaded:
            return
        name = self._names.resolved_name()  # raises ModelUnavailable for the bundled model not installed
        from workshop import settings

        def lower_priority() -> None:  # in the child, before it runs anything
            try:
                os.nice(MODEL_NICE)
            except OSError:
                pass

        self._proc = subprocess.Popen(
            [sys.executable, "-m", "workshop.model_process", name],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=settings.REPO_ROOT,
            preexec_fn=lower_priority if os.name == "posix" else None,
        )
        reply = self._receive()
        if reply[0] != "ready":
            self._proc.wait(5)
            self._proc = None
            raise ModelUnavailable(reply[1])
        self._dimension = int(reply[1])

    def _send(self, message) -> None:
        pickle.dump(message, self._proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        self._proc.stdin.flush()

    def _receive(self):
        try:
            return pickle.load(self._proc.stdout)
        except (EOFError, pickle.UnpicklingError, OSError) as error:
            self._proc = None
            raise ModelUnavailable(f"The embedding model's process stopped ({type(error).__name__}).") from error

    def encode(self, texts: list[str], threads: int | None = None) -> np.ndarray:
        with self._lock:
            missing = sorted({t for t in texts if t not in self._cache})
            if missing:
                for attempt in (1, 2):  # a process that died (out of memory, killed) is started again once
                    self._start_locked()
                    try:
                        self._send(("encode", missing, threads))
                        reply = self._receive()
                        break
                    except (BrokenPipeError, ModelUnavailable):
                        self._proc = None
                        if attempt == 2:
                            raise
                if reply[0] != "ok":
                    raise ModelUnavailable(reply[1])
                vectors = np.frombuffer(reply[1], dtype=np.float32).reshape(len(missing), -1)
                for text, vector in zip(missing, vectors):
                    self._cache[text] = vector.copy()
            for t in texts:
                self._cache.move_to_end(t)
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
            if not texts:
                return np.zeros((0, self._dimension), dtype=np.float32)
            return np.stack([self._cache[t] for t in texts])

    def cached(self, text: str) -> bool:
        return text in self._cache

    def remember(self, vectors: dict[str, np.ndarray]) -> None:
        with self._lock:
            for text, vector in vectors.items():
                self._cache[text] = np.asarray(vector, dtype=np.float32)
                self._cache.move_to_end(text)

    @property
    def dimension(self) -> int:
        if self._dimension:
            return self._dimension
        if self._cache:
            return len(next(iter(self._cache.values())))
        return 0

    def close(self) -> None:
        with self._lock:
            if self._proc is not None:
                self._proc.stdin.close()
                self._proc.wait(10)
                self._proc = None


def _serve(name: str) -> int:
    """The child: load, say ready, then encode what is asked until the input closes."""
    inbox, outbox = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing the libraries print may corrupt the replies

    def reply(message) -> None:
        pickle.dump(message, outbox, protocol=pickle.HIGHEST_PROTOCOL)
        outbox.flush()

    encoder = Encoder(name)
    try:
        encoder.load()
    except ModelUnavailable as error:
        reply(("error", str(error)))
        return 1
    getter = getattr(encoder._model, "get_embedding_dimension", None) or encoder._model.get_sentence_embedding_dimension
    reply(("ready", int(getter())))
    while True:
        try:
            _, texts, threads = pickle.load(inbox)
        except EOFError:
            return 0
        try:
            vectors = encoder.encode(texts, threads=threads)
            # No cache here: the server keeps one, and this process should not grow.
            encoder._cache.clear()
            reply(("ok", np.ascontiguousarray(vectors, dtype=np.float32).tobytes()))
        except Exception as error:  # noqa: BLE001 - said to the server, which says it to the facilitator
            reply(("error", f"{type(error).__name__}: {error}"))


if __name__ == "__main__":
    sys.exit(_serve(sys.argv[1]))
