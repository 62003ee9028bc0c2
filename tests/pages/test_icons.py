"""No emoji in what the app draws (issue 15 item 7): without a colour emoji font they are boxes."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# Pictographs and the emoji variation selector; plain symbols like ✓ ◀ ▶ are in every text font.
EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u26FF\u2700-\u27BF\uFE0F]")
ALLOWED = set("✓✔")


def test_pages_and_navigation_use_material_icons_not_emoji():
    for path in [REPO / "app.py", *sorted((REPO / "pages").rglob("*.py"))]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found = {c for c in EMOJI.findall(line)} - ALLOWED
            assert not found, f"{path.relative_to(REPO)}:{number} draws {found}; use an :material/...: icon"
