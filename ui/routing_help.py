"""The routing help (issue 12 item 5): an existing office has the same 法人番号 or address, so a
変更申込 of that contract or a 共同利用 may be what the applicant wants. The reasons come from
services.desk.duplicates (routing_help*); one info line each, our own wording only."""
from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from ui.i18n import t


def routing_help_note(reasons: Iterable[str], *, staff: bool = False) -> None:
    for reason in reasons:
        st.info(t(f"routing_help.{'staff' if staff else 'applicant'}.{reason}"), icon=":material/alt_route:")
