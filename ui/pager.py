"""Paging a long list: the page number lives in session state under the caller's key."""
from __future__ import annotations

import streamlit as st

from ui.i18n import t


def current_page(key: str) -> int:
    """The 0-based page to read; call before asking the service for rows."""
    return int(st.session_state.get(key, 0))


def reset_page(key: str) -> None:
    """Back to the first page (the filters changed)."""
    st.session_state[key] = 0
    st.session_state.pop(f"{key}_picker", None)  # else the picker would bring its old page back


def page_count(total: int, page_size: int) -> int:
    return max(1, -(-total // page_size))


def pager(key: str, total: int, page_size: int, *, label_key: str = "common.page") -> None:
    """A page picker under the list; nothing is drawn when everything fits on one page."""
    pages = page_count(total, page_size)
    page = min(current_page(key), pages - 1)
    if pages <= 1:
        return
    picker = f"{key}_picker"

    def turned() -> None:  # before the run the click starts, so that run reads the new page's rows
        st.session_state[key] = int(st.session_state[picker]) - 1

    # A callback, not a rerun after the fact: inside a fragment st.rerun() would rerun the whole page.
    picked = st.number_input(t(label_key, pages=pages), min_value=1, max_value=pages, value=page + 1,
                             key=picker, on_change=turned) - 1
    if picked != page:  # the list got shorter under a page picked earlier
        st.session_state[key] = picked
        st.rerun()
