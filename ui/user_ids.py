"""利用者ID on a screen: one call per page, in a monospace font with a word on look-alike characters."""
from __future__ import annotations

import streamlit as st

from services.authz import Actor
from services.user_ids import user_ids
from ui.format import user_id_display
from ui.i18n import t


def show_user_ids(actor: Actor, applicant_id: int, application_id: int | None = None) -> None:
    """Nothing before approval (no 利用者ID is issued yet)."""
    ids = user_ids(actor, applicant_id, application_id)
    if ids:
        st.markdown(t("user_id.line", ids=user_id_display(ids)))
        st.caption(t("user_id.hint"))
