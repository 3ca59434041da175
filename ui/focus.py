"""Keyboard focus for a widget (Streamlit has no autofocus): a tiny script drawn with st.html.

The script runs when its element is first drawn and again only when its text changes, so a page
redraws it with the same `token` on every run and changes the token when focus should move again
(arriving on the page, a new search).
"""
from __future__ import annotations

import json
import re

import streamlit as st

_SAFE_KEY = re.compile(r"[A-Za-z0-9_-]+")

_SCRIPT = """<script>/* focus {token} */
(() => {{
  const selector = {selector};
  let tries = 0;
  const tick = () => {{
    const el = document.querySelector(selector);
    if (el && el.offsetParent !== null) {{ el.focus(); return; }}
    if (++tries < 100) setTimeout(tick, 50);
  }};
  tick();
}})();
</script>"""


def focus(widget_key: str, token: str) -> None:
    """Focus the input or button of the widget with this key; `token` is ours (never user text)."""
    if not (_SAFE_KEY.fullmatch(widget_key) and _SAFE_KEY.fullmatch(token)):
        raise ValueError("widget key and token must be plain identifiers")
    own = f".st-key-{widget_key}"
    selector = f"{own} input, {own} textarea, {own} button"
    st.html(_SCRIPT.format(token=token, selector=json.dumps(selector)), unsafe_allow_javascript=True)
