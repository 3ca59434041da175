"""Pieces of the 掲示板 both its pages draw: a notice and a file's line."""
from __future__ import annotations

import streamlit as st

from services.bulletin_board import BoardFile, BoardNoticeItem
from ui.format import fmt_date, md, plain
from ui.i18n import t


def file_size(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{max(1, round(size / 1024))} KB"


def file_meta(file: BoardFile) -> str:
    """「貨物引渡業務登録調査票.xlsx（7 KB）・第 2 版・2026/12/01 掲載」, Markdown-safe."""
    return t("bulletin_board.file_meta", file_name=plain(file.file_name), size=file_size(file.size),
             version=file.version, date=fmt_date(file.published_at))


def notice(item: BoardNoticeItem, *, badges: str = "") -> None:
    """Date, title (marked when important) and body; the title and body are typed text."""
    important = f":red-badge[{t('bulletin_board.important')}] " if item.important else ""
    st.markdown(important + badges + md("**{title}**", title=item.title))
    st.caption(fmt_date(item.posted_on))
    st.markdown(plain(item.body))
