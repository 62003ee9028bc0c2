"""The README documents every setting and every command, with its flags (as datasette's and
sqlite-utils' tests/test_docs.py do for theirs): a new setting or flag fails here until it is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workshop.cli import build_parser
from workshop.settings import SETTINGS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
COMMAND_PREFIX = ".venv/bin/python -m workshop "


def _section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.M | re.S)
    assert match, f"README has no '## {title}' section"
    return match.group(1)


def _commands():
    (subparsers,) = [a for a in build_parser()._actions if a.dest == "command"]
    return subparsers.choices


def _documented_line(command: str) -> str:
    lines = [line for line in _section("Command line").splitlines()
             if line.startswith(COMMAND_PREFIX) and line[len(COMMAND_PREFIX):].split(" ")[0] == command]
    assert len(lines) == 1, f"README's Command line should show `python -m workshop {command}` once"
    return lines[0].split("#")[0]


def _has(line: str, word: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", line) is not None


def test_the_settings_table_lists_every_setting_and_nothing_else():
    rows = re.findall(r"^\| `([A-Z_]+)` \|", _section("Settings"), re.M)
    assert sorted(rows) == sorted(SETTINGS)


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_every_setting_says_its_default_and_what_it_sets(name):
    setting = SETTINGS[name]
    assert setting.default.strip() and setting.description.strip()


def test_the_readme_shows_every_command_and_no_other():
    shown = {line[len(COMMAND_PREFIX):].split(" ")[0] for line in _section("Command line").splitlines()
             if line.startswith(COMMAND_PREFIX)}
    assert shown == set(_commands())


@pytest.mark.parametrize("command", sorted(_commands()))
def test_every_command_is_shown_with_its_flags_and_choices(command):
    line = _documented_line(command)
    for action in _commands()[command]._actions:
        if "-h" in action.option_strings:
            continue
        if action.option_strings:
            assert any(_has(line, flag) for flag in action.option_strings), (command, action.option_strings)
        for choice in action.choices or ():
            assert _has(line, str(choice)), (command, action.dest, choice)


def _modules():
    root = Path(__file__).resolve().parent.parent
    files = [root / "app.py"] + [p for folder in ("pages", "workshop", "embeddings", "benchmarks")
                                  for p in sorted((root / folder).rglob("*.py"))]
    files += sorted((root / "workshop" / "templates").glob("*.html"))
    return [str(p.relative_to(root)) for p in files if p.name != "__init__.py" or p.parent.name == "store"]


@pytest.mark.parametrize("path", _modules())
def test_the_developers_map_lists_every_module(path):
    developers = (Path(__file__).resolve().parent.parent / "DEVELOPERS.md").read_text(encoding="utf-8")
    assert f"`{path}`" in developers, f"add a line for {path} to DEVELOPERS.md's map"
