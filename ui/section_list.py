"""The side list of 詳細入力画面 with each screen's 入力状況 (未入力 grey / 入力中 orange /
入力済 green; 要修正 red after a 差戻し). Clicking a screen moves to it."""
from __future__ import annotations

import streamlit as st

from services.application.read import ApplicationView, SectionView
from services.application.sections import COMPLETE, EMPTY, PARTIAL
from ui.i18n import t

COLOURS = {EMPTY: "gray", PARTIAL: "orange", COMPLETE: "green"}
ICONS = {EMPTY: "⚪", PARTIAL: "🟠", COMPLETE: "🟢"}


def status_markdown(section: SectionView) -> str:
    if section.needs_correction:
        return f"🔴 :red[{t('wizard.status.needs_correction')}]"
    return f"{ICONS[section.status]} :{COLOURS[section.status]}[{t(f'wizard.status.{section.status}')}]"


def section_list(view: ApplicationView, current: str, *, key_prefix: str = "wiz_nav") -> str | None:
    """Draws the list; returns the key of the screen clicked in this run, if any."""
    st.markdown(f"**{t('wizard.list.title')}**")
    clicked = None
    for number, section in enumerate(view.sections, start=1):
        label = f"{number}. {t(section.label_key)}"
        if not section.applies:
            st.button(f"{label}　:gray[{t('wizard.status.not_required')}]", key=f"{key_prefix}_{section.key}",
                      disabled=True, width="stretch")
            continue
        if st.button(f"{label}　{status_markdown(section)}", key=f"{key_prefix}_{section.key}",
                     type="primary" if section.key == current else "secondary", width="stretch"):
            clicked = section.key
    st.caption(t("wizard.status.legend"))
    return clicked
