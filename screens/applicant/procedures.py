"""申込実施: the procedures an office can start (ui.nav.PROCEDURES), each with a button to its page;
a procedure whose page is not built yet shows the button disabled."""
import streamlit as st

from ui.i18n import t
from ui.nav import PROCEDURES, procedure_page
from ui.page_links import page_link_or_disabled
from ui.session import require_actor

require_actor()
st.title(t("procedures.title"))
st.caption(t("procedures.lead"))
for i, procedure in enumerate(PROCEDURES):
    with st.container(border=True):
        text, action = st.columns([5, 2], vertical_alignment="center")
        text.markdown(f"**{t(procedure.label_key)}**")
        text.caption(t(procedure.lead_key))
        page = procedure_page(procedure)
        with action:
            page_link_or_disabled(page, t("procedures.start"), key=f"pr_{i}", icon=":material/arrow_forward:")
        if page is None:
            text.caption(t("procedures.not_available"))
