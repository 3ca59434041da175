"""The detail page's screens, each beside its own comment box: the reviewer reads a screen and writes
what to correct right next to it (the 差戻し action sends the boxes that were filled)."""
from __future__ import annotations

import streamlit as st

from services.application.sections import REVIEW_SCREEN
from services.review.actions import MAX_TEXT
from services.review.detail import ApplicationDetail
from ui.i18n import t
from ui.section_view import render_section


def comment_key(application_id: int, section_key: str) -> str:
    return f"rd_comment_{application_id}_{section_key}"


def section_comment_boxes(d: ApplicationDetail, *, enabled: bool) -> dict[str, str]:
    """Draws every screen (left) with its comment box (right); returns the comments typed, by screen."""
    comments: dict[str, str] = {}
    for section in d.view.sections:
        if section.key == REVIEW_SCREEN:
            continue
        left, right = st.columns([3, 2], gap="medium")
        with left.expander(t(section.label_key), expanded=section.applies):
            render_section(section, connection_type=d.connection_type)
        if not enabled or not section.applies:  # the view lists this application's own screens only
            continue
        comments[section.key] = right.text_area(
            t("review.actions.return_comment", section=t(section.label_key)), key=comment_key(d.id, section.key),
            height=80, max_chars=MAX_TEXT, placeholder=t("review.work.comment_here"))
    return comments
