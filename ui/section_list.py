"""The side list of 詳細入力画面 with each screen's 入力状況 (未入力 grey / 入力中 orange /
入力済 green; 要修正 red after a 差戻し, 修正済 blue once saved again). Clicking a screen moves to it."""
from __future__ import annotations

import streamlit as st

from services.application.read import ApplicationView, SectionView
from ui.i18n import t
from ui.section_view import STATUS_COLOURS, status_label


def status_markdown(section: SectionView) -> str:
    """A coloured dot and word (plain characters: emoji fonts are missing on many office PCs)."""
    if section.needs_correction:
        return f":red[● {status_label(section)}]"
    if section.corrected:
        return f":blue[● {status_label(section)}]"
    if not section.applies:
        return f":gray[{status_label(section)}]"
    return f":{STATUS_COLOURS[section.status]}[● {status_label(section)}]"


def section_list(view: ApplicationView, current: str, *, key_prefix: str = "wiz_nav") -> str | None:
    """Draws the list; returns the key of the screen clicked in this run, if any."""
    st.markdown(f"**{t('wizard.list.title')}**")
    clicked = None
    for number, section in enumerate(view.sections, start=1):
        name, status = st.columns([3, 2], vertical_alignment="center")
        if name.button(f"{number}. {t(section.label_key)}", key=f"{key_prefix}_{section.key}",
                       disabled=not section.applies, width="stretch",
                       type="primary" if section.key == current else "secondary"):
            clicked = section.key
        status.markdown(status_markdown(section))
    st.caption(t("wizard.status.legend"))
    return clicked
