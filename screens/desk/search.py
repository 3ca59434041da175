"""窓口: find a caller, open the caller's record, or issue a temporary account for a new caller."""
import streamlit as st

from ui.desk import OPEN_CALLER_KEY
from ui.desk.caller_view import render_caller
from ui.desk.new_caller import render_new_caller
from ui.desk.search_view import render_search
from ui.feedback import show_flash
from ui.i18n import t
from ui.session import require_actor

actor = require_actor()
st.title(t("desk.title"))
show_flash()

caller_id = st.session_state.get(OPEN_CALLER_KEY)
if caller_id is not None:
    render_caller(actor, caller_id)
else:
    find, new = st.tabs([t("desk.tab.find"), t("desk.tab.new")])
    with find:
        render_search(actor)
    with new:
        render_new_caller(actor)
