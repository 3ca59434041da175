"""Possible duplicates (services.desk.duplicates) as warnings: one line per reason, with the codes."""
from __future__ import annotations

import streamlit as st

from services.desk.duplicates import DuplicateHit, DuplicateReason
from ui.i18n import t


def warn_duplicates(hits: list[DuplicateHit]) -> None:
    for reason in DuplicateReason:
        codes = [h.code for h in hits if h.reason == reason]  # our own generated codes: no markup
        if codes:
            st.warning(t(f"desk.duplicate.{reason}", codes="、".join(codes)), icon=":material/content_copy:")
