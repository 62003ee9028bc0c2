"""A full room through the real server: N people join and answer over Streamlit's websocket.

    .venv/bin/python benchmarks/server_load.py [--people 60] [--json]
    .venv/bin/python benchmarks/server_load.py --people 10,30,60,120

Starts the app as bin/app does (`python -m workshop serve`: the background
worker loads the model and embeds answers as they are saved) on a free
loopback port with a temporary SQLite file and the settings `bin/app` serves with (`.streamlit/config.toml`; only
the port and the loopback address are given on the command line). A
facilitator's lobby is opened first; then each participant is a websocket
client that speaks what a browser speaks (`streamlit.proto` BackMsg and
ForwardMsg): it opens `/`, types the join code, gives a name and a function
and presses Join, answers the five prompts one box at a time (a box's text
reaches the server when the box loses focus, carrying every widget's value,
as the browser's widget manager sends them), and presses Submit. Every timed
fragment re-run the server asks for (`auto_rerun`) is sent on its interval,
as the browser's timers do, for as long as the page is open. People start
within the first two seconds and think between steps, so the room is done in
about ten seconds; their pages stay open until the end.

Reported: joined, answers saved (in the database with the text sent),
submitted, lost (sent but not stored), timeouts (a step that did not answer in
--timeout seconds), p50/p95 of join (Join pressed -> the personal page with its
boxes) and of save (the box left -> the row in the database), and how far
behind the facilitator's lobby was: for every join, save and submission, the
time until the lobby's counts showed it. Also checked: no page received
another participant's text, and no page showed an error. Exit status 1 if
anything was lost, timed out, leaked or failed.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import random
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import websockets  # noqa: E402  (streamlit depends on it)
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402

from workshop.models import DIMENSIONS  # noqa: E402
from workshop.store import Store  # noqa: E402

SCENARIOS = REPO / "benchmarks" / "scenarios"
FULL_RUN_DONE = 0  # ScriptFinishedStatus.FINISHED_SUCCESSFULLY
FRAGMENT_RUN_DONE = 3  # ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY


# -- the server ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, extra_args: list[str] | None = None,
                 env_extra: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """The app as bin/app runs it (`python -m workshop serve`), on loopback and its own database."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "BRIEF_RESET_DB": str(db),
        "BRIEF_RESET_BASE_URL": url,
        "BRIEF_RESET_ADMIN_KEY": "server-load-admin",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        **(env_extra or {}),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "workshop", "serve", "--port", str(port), "--",
         "--server.address", "127.0.0.1", *(extra_args or [])],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}: {proc.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("streamlit did not become healthy in time")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# -- a browser page, as the server sees it --------------------------------------


class Timeout(Exception):
    pass


@dataclass
class Node:
    generation: int
    element: object  # streamlit.proto.Element
    kind: str
    fragment_id: str


class Page:
    """One browser tab: a websocket, the page it shows and its widgets' values."""

    def __init__(self, url: str, query_string: str, timeout: float):
        self.url = url
        self.query_string = query_string
        self.timeout = timeout
        self.page_hash = ""
        self.tree: dict[tuple, Node] = {}
        self.values: dict[str, WidgetState] = {}  # what the widget manager sends on every rerun
        self.generation = 0
        self.auto_reruns: dict[str, asyncio.Task] = {}
        self.received: list[bytes] = []
        self.errors: list[str] = []
        self.runs_sent = {"full": 0, "fragment": 0, "auto": 0}
        self.on_finished = None  # called after every finished run (the lobby reads itself)
        self._changed = asyncio.Condition()
        self._ws = None
        self._reader: asyncio.Task | None = None

    async def open(self) -> None:
        stream = self.url.replace("http://", "ws://") + "/_stcore/stream"
        self._ws = await websockets.connect(stream, subprotocols=["streamlit"], max_size=None,
                                            open_timeout=self.timeout)
        self._reader = asyncio.create_task(self._read())
        await self._rerun()

    async def close(self) -> None:
        for task in self.auto_reruns.values():
            task.cancel()
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()

    # -- what the page shows

    def nodes(self, kind: str | None = None) -> list[Node]:
        return [self.tree[p] for p in sorted(self.tree) if kind is None or self.tree[p].kind == kind]

    def widget(self, kind: str, label: str | None = None) -> Node | None:
        for node in self.nodes(kind):
            if label is None or getattr(node.element, "label", None) == label:
                return node
        return None

    def box(self, prompt_key: str) -> Node | None:
        """The answer box of one prompt (its widget id ends with its key), as a person finds it."""
        return next((n for n in self.nodes("text_area") if n.element.id.endswith(f"-answer_{prompt_key}")), None)

    def texts(self) -> list[str]:
        out = []
        for node in self.nodes():
            for name in ("body", "label", "text"):
                value = getattr(node.element, name, None)
                if isinstance(value, str) and value:
                    out.append(value)
        return out

    async def until(self, condition, what: str, timeout: float | None = None) -> None:
        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(condition), timeout or self.timeout)
            except asyncio.TimeoutError:
                raise Timeout(what) from None

    # -- what the person does

    async def set_text(self, node: Node, text: str) -> None:
        """Type into a box and leave it: the value goes with a rerun of the box's fragment."""
        self.values[node.element.id] = WidgetState(id=node.element.id, string_value=text)
        await self._rerun(fragment_id=node.fragment_id)

    def fill(self, node: Node, text: str) -> None:
        """Type into a form field: nothing is sent before the form is submitted."""
        self.values[node.element.id] = WidgetState(id=node.element.id, string_value=text)

    async def press(self, node: Node) -> None:
        await self._rerun(fragment_id=node.fragment_id,
                          trigger=WidgetState(id=node.element.id, trigger_value=True))

    # -- the protocol

    async def _rerun(self, fragment_id: str = "", trigger: WidgetState | None = None,
                     auto: bool = False) -> None:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = self.page_hash
        state.fragment_id = fragment_id
        state.is_auto_rerun = auto
        state.context_info.timezone = "Europe/Berlin"
        state.context_info.url = f"{self.url}/?{self.query_string}"
        state.widget_states.widgets.extend(self.values.values())
        if trigger is not None:
            state.widget_states.widgets.append(trigger)
        self.runs_sent["auto" if auto else "fragment" if fragment_id else "full"] += 1
        await self._ws.send(msg.SerializeToString())

    async def _auto_rerun(self, fragment_id: str, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                await self._rerun(fragment_id=fragment_id, auto=True)
            except websockets.ConnectionClosed:
                return

    async def _read(self) -> None:
        try:
            async for data in self._ws:
                self.received.append(data)
                msg = ForwardMsg()
                msg.ParseFromString(data)
                self._handle(msg)
                async with self._changed:
                    self._changed.notify_all()
        except websockets.ConnectionClosed:
            pass

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.generation += 1
        elif kind == "navigation":
            self.page_hash = msg.navigation.page_script_hash
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "auto_rerun":
            fid, interval = msg.auto_rerun.fragment_id, msg.auto_rerun.interval
            if fid not in self.auto_reruns:
                self.auto_reruns[fid] = asyncio.create_task(self._auto_rerun(fid, interval))
        elif kind == "stop_auto_rerun":
            for fid in msg.stop_auto_rerun.fragment_ids:
                task = self.auto_reruns.pop(fid, None)
                if task:
                    task.cancel()
        elif kind == "delta":
            self._delta(msg)
        elif kind == "script_finished":
            if msg.script_finished == FULL_RUN_DONE:
                # As the browser does: what this run did not draw is gone, and
                # so are the values of widgets no longer on the page.
                self.tree = {p: n for p, n in self.tree.items() if n.generation == self.generation}
                ids = {getattr(n.element, "id", None) for n in self.tree.values()}
                self.values = {i: v for i, v in self.values.items() if i in ids}
            if self.on_finished is not None:
                self.on_finished(self)

    def _delta(self, msg: ForwardMsg) -> None:
        delta = msg.delta
        path = tuple(msg.metadata.delta_path)
        if delta.WhichOneof("type") == "new_element":
            element = delta.new_element
            kind = element.WhichOneof("type")
            inner = getattr(element, kind)
            self.tree[path] = Node(self.generation, inner, kind, delta.fragment_id)
            if kind in ("text_area", "text_input"):
                # The browser's widget manager holds a value for every box it
                # shows (its default when first drawn) and takes the server's
                # value whenever the server sets one.
                if inner.set_value:
                    self.values[inner.id] = WidgetState(id=inner.id, string_value=inner.value)
                elif inner.id not in self.values:
                    self.values[inner.id] = WidgetState(id=inner.id, string_value=inner.default)
            if kind == "exception":
                self.errors.append(f"{inner.type}: {inner.message}")
            elif kind == "alert" and inner.format == 1:  # Alert.ERROR
                self.errors.append(inner.body)


# -- the database, watched from outside -----------------------------------------


class Watch:
    """Reads the database ten times a second: when each row and count first appeared."""

    def __init__(self, db: Path, session_id: str):
        self.conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, isolation_level=None)
        self.session_id = session_id
        self.seen: dict[tuple[str, str, str], float] = {}  # (token, dimension, text) -> time
        self.events: dict[str, list[float]] = {"joined": [], "answered": [], "submitted": []}

    def poll(self) -> None:
        now = time.perf_counter()
        rows = self.conn.execute(
            "SELECT p.token, a.dimension, a.text FROM answers a "
            "JOIN participants p ON p.id = a.participant_id WHERE p.session_id = ?",
            (self.session_id,),
        ).fetchall()
        for row in rows:
            self.seen.setdefault(row, now)
        joined, submitted = self.conn.execute(
            "SELECT COUNT(*), COUNT(submitted_at) FROM participants WHERE session_id = ?",
            (self.session_id,),
        ).fetchone()
        for name, count in (("joined", joined), ("answered", len(rows)), ("submitted", submitted)):
            times = self.events[name]
            times += [now] * max(0, count - len(times))

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self.poll()
            await asyncio.sleep(0.1)
        self.poll()


# -- the lobby ---------------------------------------------------------------------

_JOINED = re.compile(r"(\d+) joined$")
_SUBMITTED = re.compile(r"^(\d+) / \d+$")
_ANSWERED = re.compile(r": (\d+) of \d+$")


def lobby_counts(page: Page) -> dict[str, int] | None:
    counts = {"joined": None, "submitted": 0, "answered": 0}
    for node in page.nodes():
        element = node.element
        if node.kind == "heading" and (m := _JOINED.search(element.body)):
            counts["joined"] = int(m.group(1))
        elif node.kind == "metric" and (m := _SUBMITTED.match(element.body)):
            counts["submitted"] += int(m.group(1))
        elif node.kind == "progress" and (m := _ANSWERED.search(element.text)):
            counts["answered"] += int(m.group(1))
    return counts if counts["joined"] is not None else None


def lobby_lag(events: dict[str, list[float]], shown: list[tuple[float, dict]], end: float) -> dict:
    """For every event, how long until a lobby update counted it (until `end` if never)."""
    lags: dict[str, list[float]] = {}
    for name, times in events.items():
        lags[name] = []
        for k, happened in enumerate(times, start=1):
            seen = next((t for t, c in shown if t >= happened and c[name] >= k), end)
            lags[name].append(seen - happened)
    every = [x for v in lags.values() for x in v]
    return {
        "max_seconds": round(max(every, default=0.0), 2),
        "p95_seconds": round(percentile(every, 95), 2),
        "updates": len(shown),
        "last_counts": shown[-1][1] if shown else None,
    }


# -- people ------------------------------------------------------------------------


def realistic_answers() -> dict[str, list[str]]:
    """Answers people wrote in our labeled scenarios, by prompt."""
    pool: dict[str, list[str]] = defaultdict(list)
    for path in sorted(SCENARIOS.rglob("responses.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                text = row["answer"].replace("\r\n", "\n").strip()
                if row["dimension"] in DIMENSIONS and text:
                    pool[row["dimension"]].append(text)
    return pool


def marker(index: int) -> str:
    """A word only person `index` writes, to find their text on anybody else's page."""
    return f"Quillmark{index:03d}x"


@dataclass
class Person:
    index: int
    answers: dict[str, str]
    token: str = ""
    sent: dict[str, tuple[str, float]] = field(default_factory=dict)  # dimension -> (text, time)
    open_seconds: float | None = None
    join_seconds: float | None = None
    submit_seconds: float | None = None
    timeout: str | None = None
    page: Page | None = None


async def take_part(person: Person, url: str, code: str, timeout: float, started: asyncio.Event,
                    pace: float = 1.0) -> None:
    """One person's visit; `pace` stretches their thinking time (1: the room is done in about ten seconds)."""
    rng = random.Random(person.index)
    await asyncio.sleep(pace * rng.uniform(0, 2))
    page = person.page = Page(url, "", timeout)
    try:
        t = time.perf_counter()
        await page.open()
        await page.until(lambda: page.widget("text_input", "Session code"), "the join page")
        person.open_seconds = time.perf_counter() - t

        await asyncio.sleep(pace * rng.uniform(0.5, 1.0))  # types the code from the screen
        await page.set_text(page.widget("text_input", "Session code"), code.lower())
        await page.until(lambda: page.widget("text_input", "Your name"), "the join form")

        await asyncio.sleep(pace * rng.uniform(0.5, 1.5))  # a name and a function
        page.fill(page.widget("text_input", "Your name"), f"Person {person.index}")
        page.fill(page.widget("radio", "Your function"), "Sales" if person.index % 2 else "Marketing")
        t = time.perf_counter()
        await page.press(page.widget("button", "Join and start answering"))
        await page.until(lambda: len(page.nodes("text_area")) >= len(DIMENSIONS), "the personal page")
        person.join_seconds = time.perf_counter() - t
        person.token = dict(re.findall(r"(\w+)=([^&]*)", page.query_string)).get("p", "")

        for number, dimension in enumerate(DIMENSIONS):
            await asyncio.sleep(pace * rng.uniform(0, 1.5))  # writes the answer, then leaves the box
            box = page.box(dimension)
            text = person.answers[dimension]
            person.sent[dimension] = (text, time.perf_counter())
            await page.set_text(box, text)

        await asyncio.sleep(pace * rng.uniform(0, 1.0))
        await page.until(lambda: page.widget("button", "Submit my answers"), "the submit button")
        t = time.perf_counter()
        await page.press(page.widget("button", "Submit my answers"))
        await page.until(lambda: any(s.startswith("Submitted") for s in page.texts()), "submitted")
        person.submit_seconds = time.perf_counter() - t
    except Timeout as error:
        person.timeout = str(error)
    except (OSError, websockets.WebSocketException) as error:
        person.timeout = f"connection: {error}"


# -- one round -----------------------------------------------------------------------


def percentile(values: list[float], q: int) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def summary(values: list[float]) -> dict:
    return {"p50": round(percentile(values, 50), 3), "p95": round(percentile(values, 95), 3),
            "max": round(max(values, default=float("nan")), 3), "count": len(values)}


async def run_round(people: int, timeout: float = 30.0, hold: float = 5.0,
                    extra_args: list[str] | None = None) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="server-load-"))
    db = tmp / "server-load.db"
    store = Store(db)
    session = store.create_session("Server load", company="Benchmark")
    proc, url = start_server(db, extra_args)
    pool = realistic_answers()
    crowd = []
    for index in range(people):
        answers = {d: pool[d][(index * 7 + k) % len(pool[d])] for k, d in enumerate(DIMENSIONS)}
        answers[DIMENSIONS[0]] += f"\n{marker(index)}"
        crowd.append(Person(index, answers))

    watch = Watch(db, session.id)
    stop = asyncio.Event()
    watcher = asyncio.create_task(watch.run(stop))
    shown: list[tuple[float, dict]] = []

    def read_lobby(page: Page) -> None:
        counts = lobby_counts(page)
        if counts is not None:
            shown.append((time.perf_counter(), counts))

    lobby = Page(url, f"session={session.id}&key={session.facilitator_key}", timeout)
    lobby.on_finished = read_lobby
    cpu_before = cpu_seconds(proc.pid)
    client_cpu_before = time.process_time()
    load_before = os.getloadavg()[0]
    try:
        await lobby.open()
        await lobby.until(lambda: lobby_counts(lobby) is not None, "the lobby")
        started = time.perf_counter()
        await asyncio.gather(*(take_part(p, url, session.join_code, timeout, asyncio.Event()) for p in crowd))
        done = time.perf_counter()
        # Wait for the saves still on their way, then keep the pages open a moment
        # (their timers go on) so the lobby can catch up.
        deadline = time.perf_counter() + timeout
        expected = {(p.token, d, store_text(t)) for p in crowd for d, (t, _) in p.sent.items()}
        while time.perf_counter() < deadline and not expected <= set(watch.seen):
            await asyncio.sleep(0.1)
        await asyncio.sleep(hold)
        end = time.perf_counter()
        cpu_used = cpu_seconds(proc.pid) - cpu_before
        client_cpu = time.process_time() - client_cpu_before
    finally:
        stop.set()
        await watcher
        for person in crowd:
            if person.page is not None:
                await person.page.close()
        await lobby.close()
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()

    saves, lost = [], []
    for person in crowd:
        for dimension, (text, sent_at) in person.sent.items():
            seen_at = watch.seen.get((person.token, dimension, store_text(text)))
            if seen_at is None:
                stored_now = [t for (tok, dim, t) in watch.seen if tok == person.token and dim == dimension]
                lost.append(f"person {person.index} {dimension}: stored {stored_now[-1][:40]!r}"
                            if stored_now else f"person {person.index} {dimension}: nothing stored")
            else:
                saves.append(max(0.0, seen_at - sent_at))
    leaks = []
    for person in crowd:
        if person.page is None:
            continue
        traffic = b"".join(person.page.received)
        leaks += [f"person {person.index} received person {other.index}'s text"
                  for other in crowd if other is not person and marker(other.index).encode() in traffic]
    with sqlite3.connect(db) as conn:
        joined, submitted = conn.execute(
            "SELECT COUNT(*), COUNT(submitted_at) FROM participants").fetchone()
        stored = conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
    watch.conn.close()
    del store
    shutil.rmtree(tmp, ignore_errors=True)
    runs = defaultdict(int)
    for person in crowd:
        for name, n in (person.page.runs_sent if person.page else {}).items():
            runs[name] += n
    return {
        "people": people,
        "load_average_1min": round(load_before, 2),
        "wall_seconds": round(done - started, 1),
        "joined": joined,
        "answers_expected": people * len(DIMENSIONS),
        "answers_sent": sum(len(p.sent) for p in crowd),
        "saved": len(saves),
        "answers_stored": stored,
        "submitted": submitted,
        "lost": len(lost),
        "lost_examples": lost[:5],
        "timeouts": sum(p.timeout is not None for p in crowd),
        "timeout_examples": [f"person {p.index}: {p.timeout}" for p in crowd if p.timeout][:5],
        "open_s": summary([p.open_seconds for p in crowd if p.open_seconds is not None]),
        "join_s": summary([p.join_seconds for p in crowd if p.join_seconds is not None]),
        "save_s": summary(saves),
        "submit_s": summary([p.submit_seconds for p in crowd if p.submit_seconds is not None]),
        "lobby": lobby_lag(watch.events, shown, end),
        "page_errors": [e for p in crowd if p.page for e in p.page.errors][:5] + lobby.errors[:5],
        "leaks": leaks[:5],
        "reruns_sent": dict(runs),
        "server_cpu_seconds": round(cpu_used, 1),
        "load_generator_cpu_seconds": round(client_cpu, 1),
    }


# -- what one re-run costs -----------------------------------------------------------


async def _measure(pid: int, page: Page, action, settled, repeat: int) -> dict:
    """Server CPU and wall time per re-run, `repeat` re-runs one after another."""
    cpu, wall = cpu_seconds(pid), time.perf_counter()
    for n in range(repeat):
        marker_count = len(page.received)
        await action(n)
        await page.until(lambda: settled(page, marker_count), "a re-run")
    return {"cpu_ms": round((cpu_seconds(pid) - cpu) / repeat * 1000, 1),
            "wall_ms": round((time.perf_counter() - wall) / repeat * 1000, 1)}


def _finished_since(page: Page, count: int) -> bool:
    for data in page.received[count:]:
        msg = ForwardMsg()
        msg.ParseFromString(data)
        if msg.WhichOneof("type") == "script_finished":
            return True
    return False


async def rerun_costs(repeat: int = 30, extra_args: list[str] | None = None) -> dict:
    """What one re-run of each page a participant (and the lobby) makes costs the server."""
    tmp = Path(tempfile.mkdtemp(prefix="server-load-cost-"))
    db = tmp / "server-load.db"
    store = Store(db)
    session = store.create_session("Server load", company="Benchmark")
    person = store.join(session.id, "Cost", "sales")
    proc, url = start_server(db, extra_args)
    costs = {}
    try:
        join = Page(url, "", 30)
        await join.open()
        await join.until(lambda: join.widget("text_input", "Session code"), "the join page")
        code = join.widget("text_input", "Session code")
        costs["join page: code typed"] = await _measure(
            proc.pid, join, lambda n: join.set_text(code, session.join_code if n % 2 else "zzz"),
            _finished_since, repeat)
        await join.close()

        page = Page(url, f"p={person.token}", 30)
        await page.open()
        await page.until(lambda: len(page.nodes("text_area")) >= len(DIMENSIONS), "the personal page")
        costs["personal page: full run"] = await _measure(
            proc.pid, page, lambda n: page._rerun(), _finished_since, repeat)
        box = page.box("trigger")
        costs["personal page: one box saved"] = await _measure(
            proc.pid, page, lambda n: page.set_text(page.box("trigger"), f"Answer {n}\nsecond point"),
            _finished_since, repeat)
        timers = list(page.auto_reruns)
        for task in page.auto_reruns.values():
            task.cancel()
        if timers:
            costs["personal page: timed check"] = await _measure(
                proc.pid, page, lambda n: page._rerun(fragment_id=timers[0], auto=True),
                _finished_since, repeat)
        await page.close()

        lobby = Page(url, f"session={session.id}&key={session.facilitator_key}", 30)
        await lobby.open()
        await lobby.until(lambda: lobby_counts(lobby) is not None, "the lobby")
        timers = list(lobby.auto_reruns)
        for task in lobby.auto_reruns.values():
            task.cancel()
        costs["lobby: timed update"] = await _measure(
            proc.pid, lobby, lambda n: lobby._rerun(fragment_id=timers[0], auto=True),
            _finished_since, repeat)
        await lobby.close()
        del box
    finally:
        proc.terminate()
        proc.wait(15)
        shutil.rmtree(tmp, ignore_errors=True)
    return costs


def store_text(text: str) -> str:
    """The text as the store keeps it (line ends normalised, outer space trimmed)."""
    return text.replace("\r\n", "\n").strip()


def healthy(result: dict, lobby_max_seconds: float | None = None) -> bool:
    ok = (
        result["joined"] == result["people"]
        and result["saved"] == result["answers_expected"]
        and result["submitted"] == result["people"]
        and result["lost"] == 0
        and result["timeouts"] == 0
        and not result["leaks"]
        and not result["page_errors"]
    )
    if lobby_max_seconds is not None:
        ok = ok and result["lobby"]["max_seconds"] <= lobby_max_seconds
    return ok


def show(result: dict) -> str:
    def line(name, s):
        return f"p50 {s['p50']:.2f} s  p95 {s['p95']:.2f} s  max {s['max']:.2f} s"

    lobby = result["lobby"]
    lines = [
        f"{result['people']} people through the server (load average {result['load_average_1min']}), "
        f"{result['wall_seconds']} s",
        f"  joined {result['joined']}/{result['people']}, saved {result['saved']}/{result['answers_expected']}, "
        f"submitted {result['submitted']}/{result['people']}, lost {result['lost']}, "
        f"timeouts {result['timeouts']}",
        f"  open  {line('open', result['open_s'])}",
        f"  join  {line('join', result['join_s'])}",
        f"  save  {line('save', result['save_s'])}",
        f"  submit {line('submit', result['submit_s'])}",
        f"  lobby at most {lobby['max_seconds']} s behind (p95 {lobby['p95_seconds']} s, "
        f"{lobby['updates']} updates, last {lobby['last_counts']})",
        f"  reruns sent {result['reruns_sent']}, CPU: server {result['server_cpu_seconds']} s, "
        f"load generator {result['load_generator_cpu_seconds']} s",
    ]
    for name in ("lost_examples", "timeout_examples", "page_errors", "leaks"):
        lines += [f"    {name.split('_')[0]}: {e}" for e in result[name]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", default="60", help="one size or several, comma-separated")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds a step may take")
    parser.add_argument("--hold", type=float, default=5.0, help="seconds pages stay open at the end")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--cost", action="store_true",
                        help="measure what one re-run of each page costs instead")
    parser.add_argument("server_args", nargs="*", help="extra streamlit options, after --")
    args = parser.parse_args(argv)
    if args.cost:
        costs = asyncio.run(rerun_costs(extra_args=args.server_args))
        for name, cost in costs.items():
            print(f"{name:32} server CPU {cost['cpu_ms']:6.1f} ms   wall {cost['wall_ms']:6.1f} ms")
        return 0
    results = []
    for size in [int(n) for n in args.people.split(",")]:
        result = asyncio.run(run_round(size, args.timeout, args.hold, args.server_args))
        results.append(result)
        if not args.json:
            print(show(result), flush=True)
    if args.json:
        print(json.dumps(results, indent=1))
    return 0 if all(healthy(r) for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
