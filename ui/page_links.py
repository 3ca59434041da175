"""A page link that degrades to a disabled button when the target screen is not in this user's
navigation (or there is no target)."""
from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError


def page_link_or_disabled(path: str | None, label: str, *, key: str, icon: str | None = None,
                          help: str | None = None, query_params: dict[str, str] | None = None) -> None:
    if path:
        try:
            st.page_link(path, label=label, icon=icon, help=help, query_params=query_params)
            return
        except StreamlitPageNotFoundError:  # not registered in this run's st.navigation
            pass
    st.button(label, key=key, icon=icon, help=help, disabled=True)
