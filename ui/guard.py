"""Show a refused or failed service call as a Japanese message instead of a traceback."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from services.errors import DomainError
from ui.feedback import error_text


@contextmanager
def shown_errors(stop: bool = True) -> Iterator[None]:
    try:
        yield
    except DomainError as exc:
        st.error(error_text(exc), icon=":material/block:")
        if stop:
            st.stop()
