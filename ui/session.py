"""Who is using this browser session. Pages get the actor here and pass it to services."""
from __future__ import annotations

import streamlit as st

from services.authz import Actor

ACTOR_KEY = "nss_actor"
AUTH_AT_KEY = "nss_auth_at"          # when this session authenticated (form, demo button or cookie)


def current_actor() -> Actor | None:
    return st.session_state.get(ACTOR_KEY)


def require_actor() -> Actor:
    """For pages behind login; app.py never routes here without one, this is a safety net."""
    actor = current_actor()
    if actor is None:
        st.stop()
    return actor


def require_roles(*roles: str) -> Actor:
    """For staff pages: the menu hides them from others, and this stops a direct run too
    (the services refuse on their own as well)."""
    from ui.i18n import t  # local: ui.i18n imports nothing from here, but keep this module light
    actor = require_actor()
    if not actor.has(*roles):
        st.error(t("error.permission_denied"))
        st.stop()
    return actor
