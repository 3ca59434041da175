"""Page header pieces NSS shows on its screens."""
from __future__ import annotations

import streamlit as st

from ui.i18n import t


def registered_data_notice() -> None:
    """「このページの情報は登録済みの情報です。」 on pages that show registered data."""
    st.caption(t("page.registered_data"))
