"""Scroll to the top when a page shows another item (Streamlit keeps the scroll position when a
page reopens itself with other query parameters, e.g. 「承認して次へ」 on 申込詳細).

Like ui.focus: a tiny script drawn with st.html that runs when its element is first drawn and again
only when its text changes. A page draws it at the same place on every run with the shown item as
`token`, so a rerun of the same item keeps the reader's place and another item opens at its top.
"""
from __future__ import annotations

import re

import streamlit as st

_SAFE_TOKEN = re.compile(r"[A-Za-z0-9_-]+")

# Every scrolled ancestor of the script (Streamlit's main area scrolls, not the window), then the window.
_SCRIPT = """<script>/* scroll to top: {token} */
(() => {{
  for (let el = document.currentScript; el; el = el.parentElement) if (el.scrollTop) el.scrollTop = 0;
  window.scrollTo(0, 0);
}})();
</script>"""


def scroll_to_top_on_change(token: str) -> None:
    """`token` names what the page shows (ours, never user text): a new one scrolls to the top."""
    if not _SAFE_TOKEN.fullmatch(token):
        raise ValueError("token must be a plain identifier")
    st.html(_SCRIPT.format(token=token), unsafe_allow_javascript=True)
