"""The analysis as plain text, for `python -m workshop analyze` without --json."""

from __future__ import annotations

from embeddings.report import DIVERGENT, HIGH, INSUFFICIENT, SHARED, Report

_VERDICT_WORDS = {DIVERGENT: "DIFFERENT BUYER", INSUFFICIENT: "NOT ENOUGH ANSWERS"}


def text_report(report: Report) -> str:
    lines = []
    for d in report.dimensions:
        verdict = _VERDICT_WORDS.get(d.verdict, "SAME BUYER")
        lines.append(f"{d.key}: {verdict} (alignment {d.alignment:.2f}, {d.strength})")
        lines.append(f"  {d.why}")
        if d.strength_note:
            lines.append(f"  {d.strength_note}")
        for theme in d.themes:
            named_by = sorted({s.function for s in theme.statements})
            who = f"only {theme.side}" if theme.side != SHARED else " + ".join(named_by)
            if theme.side != SHARED and theme.confidence != HIGH:
                who = f"possibly only {theme.side}"
            brief = "" if theme.in_brief is None else ("  [in brief]" if theme.in_brief else "  [not in brief]")
            lines.append(f"  - {theme.label}  ({who}; {', '.join(theme.participants)}){brief}")
        for gap in d.brief_gaps:
            lines.append(f"  brief gap: {gap}")
        for point in d.stale_points:
            lines.append(f"  stale brief point: {point}")
        lines.append("")
    if report.model:
        lines.append(f"model: {report.model}")
    return "\n".join(lines).rstrip() + "\n"
