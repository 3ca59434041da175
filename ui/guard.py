"""Show a refused or failed service call as a Japanese message instead of a traceback."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from services.errors import DomainError
from ui.i18n import t_error


@contextmanager
def shown_errors(stop: bool = True) -> Iterator[None]:
    try:
        yield
    except DomainError as exc:
        st.error(t_error(exc), icon=":material/block:")
        if stop:
            st.stop()
