"""What a projected page must hold to at 1280x720: measured in the browser.

`small_text` lists visible text drawn under the minimum size, `faint_text` text
drawn see-through; `clipped_text`
lists text cut off by its box (an ellipsis, or wider than a box that hides the
overflow). All return [] on a page that is readable from the back of a room.
"""

from __future__ import annotations

MIN_PX = 18

_SMALL = """
(minPx) => {
  const out = [];
  const main = document.querySelector('[data-testid="stMain"]') || document.body;
  const roots = [main, document.querySelector('[data-testid="stTopNav"]')].filter(Boolean);
  for (const root of roots) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.trim();
      if (!text) continue;
      const el = node.parentElement;
      if (!el || el.closest('[data-testid="stTooltipContent"], [role="tooltip"], style, script, noscript')) continue;
      // Material icon names are drawn as glyphs, not read as text.
      if (el.closest('[data-testid="stIconMaterial"], .material-symbols-rounded, [translate="no"]')) continue;
      const rect = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (rect.width === 0 || rect.height === 0 || style.visibility === 'hidden' || style.display === 'none') continue;
      if (el.closest('details:not([open]) > :not(summary)')) continue;
      const size = parseFloat(style.fontSize);
      if (size < minPx - 0.01) out.push({text: text.slice(0, 60), px: size, tag: el.tagName,
                                        testid: (el.closest('[data-testid]') || {}).dataset?.testid || ''});
    }
  }
  return out;
}
"""

_CLIPPED = """
() => {
  const out = [];
  const main = document.querySelector('[data-testid="stMain"]') || document.body;
  for (const el of main.querySelectorAll('*')) {
    if (!el.childNodes.length || ![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    if (el.closest('textarea, input, [data-testid="stCode"], pre, [role="tooltip"]')) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    // The text's own box or one of its near ancestors may be the one that cuts it (a button's label).
    for (let box = el, up = 0; box && up < 4; box = box.parentElement, up++) {
      const style = getComputedStyle(box);
      const hides = ['hidden', 'clip'].includes(style.overflowX) || style.textOverflow === 'ellipsis';
      if (hides && box.scrollWidth > box.clientWidth + 1) {
        out.push({text: el.textContent.trim().slice(0, 60), scroll: box.scrollWidth, client: box.clientWidth});
        break;
      }
    }
  }
  return out;
}
"""


_FAINT = """
(least) => {
  const out = [];
  const main = document.querySelector('[data-testid="stMain"]') || document.body;
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || el.closest('style, script, [disabled], [aria-disabled="true"]')) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    let seen = 1;
    for (let up = el; up; up = up.parentElement) seen *= parseFloat(getComputedStyle(up).opacity);
    if (seen < least) out.push({text: node.textContent.trim().slice(0, 60), opacity: Math.round(seen * 100) / 100});
  }
  return out;
}
"""


def faint_text(page, least: float = 0.85) -> list[dict]:
    """Text drawn see-through (Streamlit's captions are 60 % opaque): grey on a washed-out projector."""
    return page.evaluate(_FAINT, least)


def small_text(page, min_px: int = MIN_PX) -> list[dict]:
    return page.evaluate(_SMALL, min_px)


def clipped_text(page) -> list[dict]:
    return page.evaluate(_CLIPPED)
