"""Keep what a participant is typing through a refresh, a closed tab or a lost connection.

Streamlit sends a text area's value to the server only when the box loses
focus (or on Ctrl+Enter), so text typed just before a refresh, or on a phone
that drops the Wi-Fi, would be lost. Two guards, both in the participant's
own browser:

1. Before the page goes away, the focus leaves the box, so Streamlit sends
   the value and the answer page saves it.
2. Every keystroke keeps a draft in this tab's sessionStorage, with the
   saved text it started from. When the page opens again in this tab (a
   refresh) and a box still shows that starting text, the draft is put back
   and sent. A box that shows something else was saved later (another tab or
   device), so the draft is dropped instead of overwriting newer work.
   sessionStorage belongs to one tab: a second tab of the same link never
   picks up (and sends) what is being typed in the first.

Drafts are keyed by the personal link, never leave the device, and only ever
hold this participant's own text. Saves carry the version they started from
(workshop.store.save_answer), so what one tab saves over another's newer
text is refused and shown, not written.
"""

import streamlit as st

_SCRIPT = """
<script>
(function () {
  if (window.__briefResetDrafts) return;
  window.__briefResetDrafts = true;
  var STORE = "brief-reset-drafts:" + new URLSearchParams(location.search).get("p");

  function load() {
    try { return JSON.parse(sessionStorage.getItem(STORE) || "{}"); } catch (e) { return {}; }
  }
  function keep(drafts) {
    try { sessionStorage.setItem(STORE, JSON.stringify(drafts)); } catch (e) {}
  }
  function name(box) { return box.getAttribute("aria-label") || ""; }

  var base = {};  // the text each box showed when it got the focus
  document.addEventListener("focusin", function (event) {
    var box = event.target;
    if (box.tagName === "TEXTAREA") base[name(box)] = box.value;
  }, true);
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (box.tagName !== "TEXTAREA") return;
    var drafts = load();
    var from = name(box) in base ? base[name(box)] : box.value;
    drafts[name(box)] = {base: from, text: box.value};
    keep(drafts);
  }, true);

  function commit() {
    var box = document.activeElement;
    if (box && (box.tagName === "TEXTAREA" || box.tagName === "INPUT")) box.blur();
  }
  window.addEventListener("beforeunload", commit);
  window.addEventListener("pagehide", commit);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") commit();
  });

  var setValue = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value").set;
  var settled = {};
  function restore() {
    var drafts = load();
    var changed = false;
    document.querySelectorAll("textarea").forEach(function (box) {
      var key = name(box);
      var draft = drafts[key];
      if (!draft || settled[key] || box.disabled) return;
      settled[key] = true;
      if (box.value === draft.text) {
        delete drafts[key];
      } else if (box.value === draft.base) {
        setValue.call(box, draft.text);
        box.dispatchEvent(new Event("input", {bubbles: true}));
        box.focus();
        box.blur();
        delete drafts[key];
      } else {
        delete drafts[key];  // saved elsewhere since: the newer text wins
      }
      changed = true;
    });
    if (changed) keep(drafts);
  }
  // Streamlit draws the boxes after this script runs; look for them for a while.
  var tries = 0;
  var timer = setInterval(function () {
    restore();
    if (++tries > 40) clearInterval(timer);
  }, 250);
})();
</script>
"""


def commit_typing_on_leave() -> None:
    st.html(_SCRIPT, unsafe_allow_javascript=True, width="content")


_BLUR = """
<script data-nonce="%s">
(function () {
  var box = document.activeElement;
  if (box && box.tagName === "TEXTAREA") box.blur();
})();
</script>
"""


def blur_typing_box(nonce: str) -> None:
    """Send what is in the box being typed in now (Streamlit sends a box's text when
    it loses the focus). `nonce` makes the element new, so the script runs again."""
    st.html(_BLUR % nonce, unsafe_allow_javascript=True, width="content")
