"""Command line: `python -m workshop COMMAND ...`.

    analyze RESPONSES.csv [--brief BRIEF.md] [--json]
    export SESSION --format md|html|pdf|csv|json [-o FILE]
    restore FILE
    sessions
    demo            create the demo session (once) and print its links

Bad input exits with status 2 and a one-line reason on stderr.
"""

from __future__ import annotations

import argparse
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
    export.add_argument("-o", "--output")

    restore = sub.add_parser("restore", help="restore a session from a JSON backup")
    restore.add_argument("file")

    sub.add_parser("sessions", help="list sessions")
    sub.add_parser("demo", help="create the demo session if missing and print its links")
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
        "sessions": cmd_sessions,
        "demo": cmd_demo,
    }
    try:
        return handlers[args.command](args) or 0
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def cmd_analyze(args) -> int:
    raise UsageError("analyze is not available yet")


def cmd_export(args) -> int:
    raise UsageError("export is not available yet")


def cmd_restore(args) -> int:
    raise UsageError("restore is not available yet")


def cmd_sessions(args) -> int:
    raise UsageError("sessions is not available yet")


def cmd_demo(args) -> int:
    raise UsageError("demo is not available yet")
