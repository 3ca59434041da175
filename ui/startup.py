"""The server's start-up, once per process (app.py calls `started()` on every run).

Defined here rather than in app.py: a cached function defined in the script is decorated again on
every run, and Streamlit then reads its source to key the cache each time."""
from __future__ import annotations

import streamlit as st

from services.bootstrap import bootstrap


@st.cache_resource(show_spinner=False)
def started() -> bool:
    # `dev.py run` prepared the database before starting the server: one query finds it so. Started
    # as `streamlit run app.py` on an empty data folder, this prepares it (migrations, demo data).
    return bootstrap()
