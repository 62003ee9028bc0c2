"""Command line: `python -m workshop COMMAND ...`.

    analyze RESPONSES.csv [--brief BRIEF.md] [--json]
    export SESSION --format md|html|pdf|csv|json [--what answers|actions] [-o FILE]
    restore FILE [--replace]
    import ANSWERS.csv [--title T] [--company C] [--facilitator F] [--brief BRIEF.md]
    sessions
    demo            create the demo session (once) and print its links
    serve [--port N] [STREAMLIT OPTIONS]   start the app (bin/app runs this)
    admin-link      print the facilitator home link
    install-model mpnet   download, check and install the more accurate embedding model

Bad input exits with status 2 and a one-line reason on stderr.
"""

from __future__ import annotations

import argparse
import os
import sys


class UsageError(Exception):
    """Bad input: reported as one line on stderr, exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m workshop", description="Brief Reset")
    sub = parser.add_subparsers(dest="command", required=True)

    analyze = sub.add_parser("analyze", help="divergence analysis of a responses CSV")
    analyze.add_argument("responses")
    analyze.add_argument("--brief")
    analyze.add_argument("--json", action="store_true")

    export = sub.add_parser("export", help="export a session's summary or data")
    export.add_argument("session", help="session id or join code")
    export.add_argument("--format", required=True, choices=["md", "html", "pdf", "csv", "json"])
    export.add_argument("-o", "--output", help="file to write (default: standard output)")
    export.add_argument(
        "--what", choices=["answers", "actions"], default="answers",
        help="with --format csv: the answers in the import format (default) or the actions",
    )

    restore = sub.add_parser("restore", help="restore a session from a JSON backup")
    restore.add_argument("file")
    restore.add_argument(
        "--replace", action="store_true",
        help="overwrite a session with the same id that is already here",
    )

    imported = sub.add_parser("import", help="create a session from a CSV of answers (collection closed)")
    imported.add_argument("file", help="participant,function,dimension,answer")
    imported.add_argument("--title", help="the session's title (default: the file's name)")
    imported.add_argument("--company", default="")
    imported.add_argument("--facilitator", default="")
    imported.add_argument("--brief", help="a text or Markdown file with the brief of record")

    sub.add_parser("sessions", help="list sessions")
    sub.add_parser("demo", help="create the demo session if missing and print its links")
    sub.add_parser("admin-link", help="print the facilitator home link (it opens every session)")

    serve = sub.add_parser("serve", help="start the app server, loading the model in the background")
    serve.add_argument("--port", type=int, default=None, help="port (default: $PORT or 8501)")
    serve.add_argument("streamlit_args", nargs=argparse.REMAINDER, help="further `streamlit run` options")

    install = sub.add_parser("install-model", help="download, check and install the more accurate embedding model")
    install.add_argument("name", choices=["mpnet"], help="mpnet: all-mpnet-base-v2 (about 440 MB)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    handlers = {
        "analyze": cmd_analyze,
        "export": cmd_export,
        "restore": cmd_restore,
        "import": cmd_import,
        "sessions": cmd_sessions,
        "demo": cmd_demo,
        "admin-link": cmd_admin_link,
        "serve": cmd_serve,
        "install-model": cmd_install_model,
    }
    from workshop.store import StorageUnavailable

    try:
        return handlers[args.command](args) or 0
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except StorageUnavailable as error:
        cause = error.__cause__
        print(f"error: the database cannot be used right now ({cause or error})", file=sys.stderr)
        return 1


def cmd_analyze(args) -> int:
    """Divergence analysis of a responses CSV (and optionally a brief), as text or JSON."""
    import json
    from pathlib import Path

    from workshop.answers_csv import CsvError, read_answers_csv
    from workshop.models import DEFAULT_PROMPTS, DIMENSIONS, MAX_BRIEF_CHARS
    from workshop.text import clean

    path = Path(args.responses)
    try:
        answers = read_answers_csv(_read_bytes(path))
    except CsvError as error:
        raise UsageError(f"{path}: {error}") from None
    brief = None
    if args.brief:
        # Cleaned like every input: a brief is shown on the terminal and in reports.
        brief = clean(_read_brief(args.brief))
        if len(brief) > MAX_BRIEF_CHARS:
            raise UsageError(
                f"{args.brief}: the brief is {len(brief):,} characters; the limit is "
                f"{MAX_BRIEF_CHARS:,} (the buyer part of the brief is enough)"
            )

    from embeddings.divergence import analyze
    from embeddings.text_report import text_report
    from workshop.embedding_model import ModelUnavailable, shared_encoder

    try:
        report = analyze(answers, brief=brief, encoder=shared_encoder(), dimensions=DIMENSIONS,
                         prompts=DEFAULT_PROMPTS)
    except ModelUnavailable as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
    else:
        # Nothing from a file reaches the terminal as an escape sequence.
        print(clean(text_report(report)))
    return 0


def cmd_export(args) -> int:
    """Write a session's summary (md, html, pdf), answers or actions CSV, or JSON backup."""
    from workshop import backup, export, settings
    from workshop.store import Store
    from workshop.summary import gather

    store = Store(settings.database_path())
    session = store.get_session(args.session) or store.get_session_by_code(args.session)
    if session is None:
        raise UsageError(
            f"no session with id or join code '{args.session}' "
            "(python -m workshop sessions lists them)"
        )
    if args.format == "md":
        data: bytes = export.to_markdown(gather(store, session)).encode("utf-8")
    elif args.format == "html":
        data = export.to_html(gather(store, session)).encode("utf-8")
    elif args.format == "pdf":
        if not args.output and sys.stdout.isatty():
            raise UsageError("a PDF is binary: give -o FILE.pdf")
        data = export.to_pdf(gather(store, session))
    elif args.format == "csv" and args.what == "actions":
        data = export.actions_csv(store, session).encode("utf-8")
    elif args.format == "csv":
        data = export.answers_csv(store, session).encode("utf-8")
    else:
        data = backup.backup_bytes(store, session.id)
    if args.output:
        try:
            # Exports hold what people wrote: readable by this user only.
            descriptor = os.open(args.output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as out:
                out.write(data)
        except OSError as error:
            raise UsageError(f"cannot write {args.output}: {error.strerror}") from None
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0


def cmd_restore(args) -> int:
    """Restore a session from a JSON backup; never overwrites one without --replace."""
    from workshop import links, settings
    from workshop.backup import BackupError, SessionExists, kept_backups, restore
    from workshop.store import Store

    try:
        with open(args.file, "rb") as file:
            data = file.read()
    except OSError as error:
        raise UsageError(f"cannot read {args.file}: {error.strerror}") from None
    store = Store(settings.database_path())
    try:
        session = restore(store, data, replace=args.replace)
    except SessionExists as error:
        raise UsageError(f"{error} Run again with --replace to overwrite it.") from None
    except BackupError as error:
        raise UsageError(str(error)) from None
    people = len(store.participants(session.id))
    base = links.base_url()
    print(f"Restored '{session.title}' (session {session.id}, {people} participants).")
    if args.replace and kept_backups(store, session.id):
        print(f"  The session it replaced is backed up in {kept_backups(store, session.id)[0]}")
    print(f"  Facilitator link: {links.facilitator_url(session.id, session.facilitator_key, base)}")
    print(f"  Join code: {session.join_code}")
    return 0


def cmd_import(args) -> int:
    """Create a session from a CSV of answers, in one transaction, and print its links."""
    from pathlib import Path

    from workshop import links, settings
    from workshop.answers_csv import CsvError, read_answers_csv
    from workshop.models import DEFAULT_FUNCTIONS, MAX_BRIEF_CHARS
    from workshop.session_import import SessionData, import_session, people_from_answers
    from workshop.store import Store, StoreError
    from workshop.text import clean, clean_line

    path = Path(args.file)
    data = _read_bytes(path)
    try:
        answers = read_answers_csv(data)
    except CsvError as error:
        raise UsageError(f"{path}: {error}") from None
    brief = _read_brief(args.brief) if args.brief else ""
    if len(clean(brief)) > MAX_BRIEF_CHARS:
        raise UsageError(f"{args.brief}: the brief is {len(brief):,} characters; the limit is {MAX_BRIEF_CHARS:,}")
    functions = list(DEFAULT_FUNCTIONS)
    functions += [f for f in dict.fromkeys(a.function for a in answers) if f not in functions]
    title = clean_line(args.title if args.title is not None else path.stem.replace("_", " "))
    store = Store(settings.database_path())
    people = people_from_answers(answers)
    try:
        session = import_session(store, SessionData(
            title, company=args.company, facilitator=args.facilitator, brief=brief,
            functions=functions, people=people, collection_open=False,
        ))
    except StoreError as error:
        raise UsageError(f"{path}: nothing was imported: {error}") from None
    print(f"Imported '{session.title}' (session {session.id}): {len(answers)} answers "
          f"from {len(people)} participants, collection closed.")
    print(f"  Facilitator link: {links.facilitator_url(session.id, session.facilitator_key, links.base_url())}")
    return 0


def _read_bytes(path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except OSError as error:
        raise UsageError(f"{path}: cannot read it ({error.strerror or error})") from None


def _read_brief(name: str) -> str:
    from pathlib import Path

    try:
        return Path(name).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"{name}: no such file") from None
    except UnicodeDecodeError:
        raise UsageError(f"{name}: the brief is not UTF-8 text") from None
    except OSError as error:
        raise UsageError(f"{name}: cannot read it ({error.strerror or error})") from None


def cmd_sessions(args) -> int:
    """One line per session, newest first, with how far collection got."""
    from workshop import settings
    from workshop.store import Store

    store = Store(settings.database_path())
    rows = [("ID", "CODE", "TITLE", "COMPANY", "CREATED", "PEOPLE", "ANSWERS")]
    for session in store.list_sessions():
        rows.append((
            session.id, session.join_code, _clip(session.title, 40),
            _clip(session.company, 24), session.created_at[:16].replace("T", " "),
            str(len(store.participants(session.id))), str(len(store.answers(session.id))),
        ))
    if len(rows) == 1:
        print("No sessions yet. `python -m workshop demo` creates a demo session.")
        return 0
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    return 0


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def cmd_demo(args) -> int:
    """Create the demo session (once) and print the links a facilitator needs."""
    from workshop import links, settings
    from workshop.demo import ensure_demo_session
    from workshop.store import Store

    store = Store(settings.database_path())
    session = ensure_demo_session(store)
    # bin/app serves on $PORT; without a configured address, this machine's
    # network address there, so the printed links work on phones too.
    base = links.base_url(port=settings.port())
    print(f"Demo session: {session.title} (join code {session.join_code})")
    _print_admin_link(store, base)
    print(f"  Demo session, facilitator:       "
          f"{links.facilitator_url(session.id, session.facilitator_key, base)}")
    print(f"  Join link for participants:      {links.join_url(session.join_code, base)}")
    if not session.collection_open:
        print("  Collection is closed: the answers are in (the server analyses them as it starts). "
              "To try joining, create a session of your own from the facilitator home.")
    if links.is_local(base):
        print("  (This computer has no network address other devices can reach: connect it to the "
              "room's network, or set BRIEF_RESET_BASE_URL, e.g. http://192.168.1.20:8501)")
    elif not links.configured_base_url():
        print(f"  Phones on this computer's network open {base} (set BRIEF_RESET_BASE_URL to use another address)")
    return 0


def _print_admin_link(store, base: str) -> None:
    """The facilitator home link opens every session: on the terminal only, never into a log."""
    from workshop import links

    line = f"  Facilitator home (all sessions): {links.admin_url(store.admin_key(), base)}"
    if sys.stdout.isatty():
        print(line, flush=True)
        return
    try:
        with open("/dev/tty", "w", encoding="utf-8") as terminal:
            terminal.write(line + "\n")
        print("  Facilitator home (all sessions): shown on the terminal, not written to this output.")
    except OSError:
        print("  Facilitator home (all sessions): not printed, because this output is not a terminal "
              "(it may be a log). `python -m workshop admin-link` prints it.")


def cmd_admin_link(args) -> int:
    """Print the facilitator home link (it opens every session: keep it to yourself)."""
    from workshop import links, settings
    from workshop.store import Store

    print(links.admin_url(Store(settings.database_path()).admin_key(), links.base_url()))
    return 0


def cmd_serve(args) -> int:
    """Start the app in this process, with the background worker already loading the model.

    Streamlit runs app.py only when a browser connects; starting the worker
    here first means the model loads, and closed sessions (the demo) are
    analysed, while the server starts, not while the first page waits.
    """
    from streamlit.web import cli as streamlit_cli

    from workshop import background, settings
    from workshop.store import Store

    background.watch(Store(settings.database_path()))
    port = args.port or int(settings.port())
    app = str(settings.REPO_ROOT / "app.py")
    extra = [a for a in (args.streamlit_args or []) if a != "--"]
    sys.argv = ["streamlit", "run", app, "--server.port", str(port), *extra]
    return int(streamlit_cli.main(standalone_mode=False) or 0)


def cmd_install_model(args) -> int:
    """Install the more accurate model under .models/; from then on it is the default."""
    from workshop.model_install import InstallError, install
    from workshop.settings import REPO_ROOT

    print(f"Installing {args.name} (about 440 MB; every file is checked against the pinned upstream release)...",
          file=sys.stderr, flush=True)
    try:
        folder = install(args.name)
    except InstallError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    shown = folder.relative_to(REPO_ROOT) if folder.is_relative_to(REPO_ROOT) else folder
    print(f"Installed in {shown}: the app and `analyze` use it from their next start "
          f"(BRIEF_RESET_MODEL=minilm goes back to the bundled model).")
    return 0
