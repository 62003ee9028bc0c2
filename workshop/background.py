"""The server's background work: embed answers as they are saved, analyse a session when it closes.

One pair of threads per server process, shared by every session and every
store it is shown (`watch(store)`, called by each page run):

- the *ahead* thread notices saved answers by polling a cheap signature of
  each session's answers and embeds their new statements, a burst of saves
  in one batch, a few at a time so an analysis never waits long for the
  model (which runs in its own process, below the pages' priority:
  workshop/model_process.py); the vectors go into
  the shared encoder's cache and the session's file
  (workshop/embedding_model.py), the very ones the analysis then reads;
- the *analyst* thread runs the analysis of a closed session whose stored
  report is missing or out of date: when collection closes, when a late
  answer arrives, or when a page asks (`request`). Pages never wait for it:
  they draw `status(...)` and look again.

With BRIEF_RESET_PRELOAD=0 the model loads, and answers are embedded, only
when an analysis needs them (the analyst still runs off the page's thread).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from workshop import settings

log = logging.getLogger(__name__)

POLL_SECONDS = 0.25  # the signature query takes well under a millisecond


@dataclass(frozen=True)
class Job:
    """Where one session's analysis is: queued, running, done or failed."""

    state: str
    fraction: float = 0.0
    message: str = ""
    error: str = ""


IDLE = Job("idle")


def _signature_rows(store) -> list[tuple]:
    with store._db() as db:
        return db.conn.execute(
            """
            SELECT s.id, s.collection_open, s.brief, s.prompts, s.functions,
                   count(a.dimension), total(a.version), total(length(a.text)),
                   coalesce(max(a.updated_at), '')
            FROM sessions s
            LEFT JOIN participants p ON p.session_id = s.id
            LEFT JOIN answers a ON a.participant_id = p.id
            GROUP BY s.id
            ORDER BY s.created_at DESC
            """
        ).fetchall()


class Worker:
    """Both threads and what they know; `worker()` is the process's one instance."""

    def __init__(self, ahead: bool | None = None, poll: float = POLL_SECONDS):
        self.ahead = settings.preload() if ahead is None else ahead
        self.poll = poll
        self._stores: dict[str, object] = {}
        self._lock = threading.Lock()
        self._jobs: dict[tuple[str, str], Job] = {}
        self._requested: dict[tuple[str, str], float] = {}
        self._failed_at: dict[tuple[str, str], tuple] = {}  # the signature that failed: not retried until it changes
        self._embedded: dict[tuple[str, str], tuple] = {}  # the signature last embedded ahead
        self._analysed: dict[tuple[str, str], tuple] = {}  # the signature last analysed (or found fresh)
        self._wake_analyst = threading.Event()
        self._analysing = threading.Event()  # the analyst wants the model: the ahead thread lets go of it
        self._wake_ahead = threading.Event()
        self._threads: list[threading.Thread] = []
        self._stop = threading.Event()
        self.embedded_texts = 0  # how many texts the ahead thread had the model compute

    # -- what pages call -----------------------------------------------------

    def watch(self, store) -> None:
        key = str(store.path)
        with self._lock:
            if key not in self._stores:
                self._stores[key] = store
                self._wake_ahead.set()
                self._wake_analyst.set()
            if not self._threads:
                self._start()

    def request(self, store, session_id: str) -> Job:
        """Ask for the session's analysis (idempotent); returns where it is."""
        self.watch(store)
        key = (str(store.path), session_id)
        with self._lock:
            job = self._jobs.get(key, IDLE)
            if job.state in ("queued", "running"):
                return job
            if job.state == "failed" and key in self._failed_at:
                return job
            self._requested[key] = time.monotonic()
            self._jobs[key] = Job("queued", 0.0, "Waiting to start")
            self._analysed.pop(key, None)
        self._wake_analyst.set()
        return self._jobs[key]

    def retry(self, store, session_id: str) -> None:
        key = (str(store.path), session_id)
        with self._lock:
            self._failed_at.pop(key, None)
            self._jobs.pop(key, None)
        self.request(store, session_id)

    def status(self, store, session_id: str) -> Job:
        with self._lock:
            return self._jobs.get((str(store.path), session_id), IDLE)

    def wake(self) -> None:
        self._wake_ahead.set()
        self._wake_analyst.set()

    def stop(self) -> None:
        self._stop.set()
        self.wake()
        for thread in self._threads:
            thread.join(timeout=10)

    def idle(self) -> bool:
        """True when no analysis is queued or running (for tests and benchmarks)."""
        with self._lock:
            return not any(j.state in ("queued", "running") for j in self._jobs.values())

    # -- the threads -----------------------------------------------------------

    def _start(self) -> None:
        if self.ahead:
            from workshop import embedding_model

            embedding_model.preload()
        self._threads = [threading.Thread(target=self._run, args=(self._analyst_pass, self._wake_analyst),
                                          name="brief-reset-analyst", daemon=True)]
        if self.ahead:
            self._threads.append(threading.Thread(target=self._run, args=(self._ahead_pass, self._wake_ahead),
                                                  name="brief-reset-ahead", daemon=True))
        for thread in self._threads:
            thread.start()

    def _run(self, one_pass, wake: threading.Event) -> None:
        while not self._stop.is_set():
            wake.wait(self.poll)
            wake.clear()
            try:
                one_pass()
            except Exception:  # noqa: BLE001 - the worker must outlive any one session's trouble
                log.exception("background pass failed")

    def _each_store(self):
        with self._lock:
            stores = list(self._stores.items())
        for key, store in stores:
            if not store.path.exists():  # a test's temporary database, gone
                with self._lock:
                    self._stores.pop(key, None)
                continue
            try:
                rows = _signature_rows(store)
            except Exception:  # noqa: BLE001 - an unreadable file now may be readable later
                continue
            yield key, store, rows

    def _analyst_pass(self) -> None:
        for key, store, rows in self._each_store():
            for row in rows:
                session_id, is_open, signature = row[0], bool(row[1]), tuple(row[2:])
                job_key = (key, session_id)
                with self._lock:
                    requested = job_key in self._requested
                    failed = self._failed_at.get(job_key)
                    seen = self._analysed.get(job_key)
                if is_open:
                    with self._lock:
                        self._requested.pop(job_key, None)
                        if self._jobs.get(job_key, IDLE).state == "queued":
                            self._jobs.pop(job_key, None)
                    continue
                if failed == signature and not requested:
                    continue
                if not requested and (not self.ahead or seen == signature):
                    continue
                try:
                    self._analyse(store, session_id, job_key, signature)
                finally:
                    self._analysing.clear()

    def _analyse(self, store, session_id: str, job_key, signature) -> None:
        from workshop import analysis

        session = store.get_session(session_id)
        with self._lock:
            self._requested.pop(job_key, None)
        if session is None:
            with self._lock:
                self._jobs.pop(job_key, None)
            return
        if not analysis.is_stale(store, session):
            with self._lock:
                self._analysed[job_key] = signature
                self._jobs[job_key] = Job("done", 1.0, "Analysis ready")
            return

        def progress(fraction: float, message: str = "") -> None:
            with self._lock:
                self._jobs[job_key] = Job("running", min(max(float(fraction), 0.0), 1.0), message)

        progress(0.0, "Starting the analysis")
        self._analysing.set()
        try:
            analysis.run_analysis(store, session, progress=progress)
        except analysis.ModelUnavailable as error:
            self._fail(job_key, signature, f"{error or 'the embedding model could not be loaded'}")
            return
        except Exception as error:  # noqa: BLE001 - the meeting goes on; the reason is shown
            log.exception("analysis of %s failed", session_id)
            self._fail(job_key, signature, f"the analysis stopped with an error ({type(error).__name__}: {error})")
            return
        with self._lock:
            self._analysed[job_key] = signature
            self._failed_at.pop(job_key, None)
            self._jobs[job_key] = Job("done", 1.0, "Analysis ready")

    def _fail(self, job_key, signature, message: str) -> None:
        with self._lock:
            self._failed_at[job_key] = signature
            self._jobs[job_key] = Job("failed", 0.0, "", message)

    def _ahead_pass(self) -> None:
        from embeddings.divergence import embed_ahead
        from workshop import analysis
        from workshop.embedding_model import StoredEncoder

        for key, store, rows in self._each_store():
            for row in rows:
                session_id, is_open, signature = row[0], bool(row[1]), tuple(row[2:])
                job_key = (key, session_id)
                if not is_open or self._embedded.get(job_key) == signature or not signature[3]:
                    continue
                if self._analysing.is_set():
                    return  # a closed session's analysis has the model
                session = store.get_session(session_id)
                if session is None:
                    continue
                encoder = StoredEncoder(analysis.get_encoder(), store, session_id)
                try:
                    embed_ahead(store.answers(session_id), session.brief or None, encoder,
                                session.dimension_keys, session.functions, session.prompts,
                                keep_going=lambda: not self._analysing.is_set())
                except analysis.ModelUnavailable:
                    self._embedded[job_key] = signature  # the analysis will say why, when it runs
                    continue
                if self._analysing.is_set():
                    self.embedded_texts += encoder.embedded
                    return  # interrupted: this session is embedded further on the next pass
                self._embedded[job_key] = signature
                self.embedded_texts += encoder.embedded


_worker: Worker | None = None
_worker_lock = threading.Lock()


def worker() -> Worker:
    global _worker
    with _worker_lock:
        if _worker is None:
            _worker = Worker()
        return _worker


def watch(store) -> None:
    worker().watch(store)


def request(store, session_id: str) -> Job:
    return worker().request(store, session_id)


def retry(store, session_id: str) -> None:
    worker().retry(store, session_id)


def status(store, session_id: str) -> Job:
    return worker().status(store, session_id)
