"""The app's embedding model: which one, the one shared encoder, its vectors kept in the database.

Which model: BRIEF_RESET_MODEL if set (a sentence-transformers model name or
folder; `minilm` for the bundled one); otherwise all-mpnet-base-v2 if
`python -m workshop install-model mpnet` (run by bin/setup) installed it, as
it is the more accurate; otherwise the bundled all-MiniLM-L6-v2. All of them
load offline.

The server loads the model once, in the background, as it starts (`preload`),
so no page waits for it unless it needs it; `model_status()` says how far it
is. Vectors are kept in the session's SQLite file (table `vectors`, keyed by
session, model and text), so a restarted server does not embed a session
again, and deleting a session deletes its vectors with it.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass

import numpy as np

from embeddings.encoder import BUNDLED_ALIASES, Encoder, ModelUnavailable, bundled_model_path
from workshop import settings

__all__ = ["Encoder", "ModelStatus", "ModelUnavailable", "StoredEncoder", "model_name", "model_status",
           "preload", "shared_encoder"]


def model_name() -> str:
    """The configured model, else an installed stronger model, else the folder of the bundled MiniLM."""
    configured = settings.model_name()
    if configured and configured.lower() not in BUNDLED_ALIASES:
        return configured
    if not configured:
        from workshop.model_install import installed

        stronger = installed()
        if stronger is not None:
            return str(stronger)
    return bundled_model_path()


_shared: Encoder | None = None
_shared_lock = threading.Lock()


def shared_encoder():
    """The process-wide encoder of the configured model (created once; the model loads on first use).

    The model runs in a process of its own (workshop/model_process.py), so
    its compute never holds this process's interpreter lock while pages run.
    """
    global _shared
    with _shared_lock:
        if _shared is None:
            from workshop.model_process import ProcessEncoder

            try:
                name = model_name()
            except ModelUnavailable:
                name = None  # the encoder says why when it is used
            _shared = ProcessEncoder(name)
        return _shared


# -- loading in the background ---------------------------------------------------


@dataclass(frozen=True)
class ModelStatus:
    state: str  # "not started", "loading", "ready", "unavailable"
    model: str
    seconds: float = 0.0  # loading for, or took
    message: str = ""  # why it is unavailable

    @property
    def words(self) -> str:
        if self.state == "ready":
            return (f"Language model {self.model} ready: answers are read as they arrive, "
                    "so the reveal is ready moments after the close.")
        if self.state == "loading":
            return f"Loading the language model {self.model} ({self.seconds:.0f} s)…"
        if self.state == "unavailable":
            return f"The language model is unavailable: {self.message}"
        return f"The language model {self.model} loads when the analysis first needs it."


_load = {"state": "not started", "started": 0.0, "took": 0.0, "message": ""}
_load_lock = threading.Lock()


def preload() -> None:
    """Start loading the shared model in a background thread (once per process)."""
    with _load_lock:
        if _load["state"] != "not started":
            return
        _load.update(state="loading", started=time.monotonic())
    threading.Thread(target=_load_model, name="brief-reset-model", daemon=True).start()


def _load_model() -> None:
    try:
        shared_encoder().load()
    except ModelUnavailable as error:
        with _load_lock:
            _load.update(state="unavailable", message=str(error), took=time.monotonic() - _load["started"])
        return
    with _load_lock:
        _load.update(state="ready", took=time.monotonic() - _load["started"])


def model_status() -> ModelStatus:
    encoder = shared_encoder()
    with _load_lock:
        state = dict(_load)
    if encoder.loaded:
        return ModelStatus("ready", encoder.name, state["took"])
    if state["state"] == "loading":
        return ModelStatus("loading", encoder.name, time.monotonic() - state["started"])
    return ModelStatus(state["state"], encoder.name, state["took"], state["message"])


# -- vectors kept in the database ------------------------------------------------

_VECTORS_TABLE = """
CREATE TABLE IF NOT EXISTS vectors (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    digest TEXT NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (session_id, model, digest)
)
"""


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _ensure_table(store) -> None:
    store.ensure_tables("vectors", (_VECTORS_TABLE,))


def stored_vectors(store, session_id: str, model: str, texts: list[str]) -> dict[str, np.ndarray]:
    """The vectors of `texts` this model computed for this session earlier (those that are kept)."""
    if not texts:
        return {}
    _ensure_table(store)
    by_digest = {_digest(t): t for t in texts}
    found: dict[str, np.ndarray] = {}
    digests = list(by_digest)
    with store._db() as db:
        for start in range(0, len(digests), 500):
            chunk = digests[start:start + 500]
            rows = db.conn.execute(
                f"SELECT digest, vector FROM vectors WHERE session_id = ? AND model = ? "
                f"AND digest IN ({','.join('?' * len(chunk))})", [session_id, model, *chunk]).fetchall()
            for digest, blob in rows:
                found[by_digest[digest]] = np.frombuffer(blob, dtype=np.float32).copy()
    return found


def keep_vectors(store, session_id: str, model: str, vectors: dict[str, np.ndarray]) -> None:
    if not vectors:
        return
    _ensure_table(store)
    rows = [(session_id, model, _digest(t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in vectors.items()]
    with store._write() as db:
        db.conn.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?)", rows)


def forget_other_vectors(store, session_id: str, model: str, texts: list[str]) -> int:
    """Drop the session's vectors of texts no longer said (drafts typed over); returns how many."""
    _ensure_table(store)
    keep = {_digest(t) for t in texts}
    with store._write() as db:
        stored = [d for (d,) in db.conn.execute(
            "SELECT digest FROM vectors WHERE session_id = ? AND model = ?", (session_id, model))]
        gone = [d for d in stored if d not in keep]
        db.conn.executemany("DELETE FROM vectors WHERE session_id = ? AND model = ? AND digest = ?",
                            [(session_id, model, d) for d in gone])
    return len(gone)


class StoredEncoder:
    """An encoder seen through one session's stored vectors: what was embedded once is never embedded again.

    Wraps any encoder with encode(list[str]) -> unit rows (the shared one, or a
    test's stand-in); asks the database before the model and keeps what the
    model computed.
    """

    def __init__(self, inner, store, session_id: str, threads: int | None = None):
        self.inner = inner
        self.threads = threads  # CPU threads the model may use here (None: all)
        self.store = store
        self.session_id = session_id
        self.name = getattr(inner, "name", "") or ""
        self.embedded = 0  # texts the model computed through this wrapper
        self.seen: set[str] = set()  # every text asked for

    def encode(self, texts: list[str]) -> np.ndarray:
        unique = list(dict.fromkeys(texts))
        self.seen.update(unique)
        cached = getattr(self.inner, "cached", None)
        ask = [t for t in unique if not (cached and cached(t))]
        known = stored_vectors(self.store, self.session_id, self.name, ask) if ask else {}
        remember = getattr(self.inner, "remember", None)
        if known and remember:
            remember(known)
        missing = [t for t in ask if t not in known]
        vectors: dict[str, np.ndarray] = dict(known)
        if missing:
            fresh = (self.inner.encode(missing, threads=self.threads) if self.threads and remember
                     else self.inner.encode(missing))
            self.embedded += len(missing)
            computed = dict(zip(missing, np.asarray(fresh, dtype=np.float32)))
            keep_vectors(self.store, self.session_id, self.name, computed)
            vectors.update(computed)
        rest = [t for t in unique if t not in vectors]
        if rest:  # in the encoder's own cache
            vectors.update(zip(rest, np.asarray(self.inner.encode(rest), dtype=np.float32)))
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([vectors[t] for t in texts])
