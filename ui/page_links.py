"""A page link that degrades to a disabled button when the target screen is not available
(not built yet on this branch, or not in this user's navigation)."""
from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

ROOT = Path(__file__).resolve().parent.parent


def page_link_or_disabled(path: str | None, label: str, *, key: str, icon: str | None = None) -> None:
    if path and (ROOT / path).exists():
        try:
            st.page_link(path, label=label, icon=icon)
            return
        except StreamlitPageNotFoundError:  # not registered in this run's st.navigation
            pass
    st.button(label, key=key, icon=icon, disabled=True)
