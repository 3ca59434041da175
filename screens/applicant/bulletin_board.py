"""掲示板 for offices and applicants: current notices newest first (important ones marked) and the
files to download (survey forms among them) with name, version and date."""
import streamlit as st

from services import bulletin_board
from ui.board_view import file_meta, notice
from ui.format import md
from ui.i18n import t
from ui.session import require_actor

actor = require_actor()
st.title(t("bulletin_board.title"))
st.caption(t("bulletin_board.lead"))
board = bulletin_board.current_board(actor)

st.subheader(t("bulletin_board.notices"))
if not board.notices:
    st.info(t("bulletin_board.no_notices"), icon=":material/inbox:")
for item in board.notices:
    with st.container(border=True):
        notice(item)

st.subheader(t("bulletin_board.files"))
if not board.files:
    st.info(t("bulletin_board.no_files"), icon=":material/inbox:")
for file in board.files:
    with st.container(border=True):
        text, action = st.columns([5, 2], vertical_alignment="center")
        text.markdown(md("**{title}**", title=file.title))
        text.caption(file_meta(file))
        # The bytes are read only when asked for (a callable), not on every run of the page.
        action.download_button(t("bulletin_board.download"), key=f"bb_dl_{file.version_id}", on_click="ignore",
                               data=lambda version_id=file.version_id: bulletin_board.download(actor, version_id).content,
                               file_name=file.file_name, mime=file.content_type, icon=":material/download:")
