"""The line above every page once logged in, as NSS draws it: 「NACCSサポートシステム 2026/12/01
17:00:07 (火)」 (Japan time, the weekday in the reader's language), and the notice that pages
showing registered data carry: 「このページの情報は登録済みの情報です。」 (`registered_data_notice`)."""
from __future__ import annotations

from datetime import datetime

import streamlit as st

from services import clock
from services.authz import Actor
from services.clock import JST
from ui.i18n import t

HEADER_FORMAT = "%Y/%m/%d %H:%M:%S"


def header_datetime(moment: datetime | None = None) -> str:
    """「2026/12/01 17:00:07 (火)」: Japan time, to the second, with the weekday."""
    local = (moment or clock.now()).astimezone(JST)
    weekday = t("page_header.weekdays").split(",")[local.weekday()]
    return f"{local.strftime(HEADER_FORMAT)} ({weekday})"


def page_header(actor: Actor | None) -> None:
    """Drawn by app.py above every page of a logged-in user (the time the page was drawn)."""
    if actor is None:
        return
    st.caption(f"{t('page_header.system')}\u3000{header_datetime()}")


def registered_data_notice() -> None:
    """For pages that show what is registered (申込内容確認, 契約内容確認, ...)."""
    st.caption(t("page_header.registered_data"))
