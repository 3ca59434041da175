"""パスワードの再発行 (SPEC §2.5): the answer never says whether the data matched."""
import streamlit as st

from services import reissue
from ui.client import client_address
from ui.feedback import error_text, run_action
from ui.i18n import t
from ui.page_links import page_link_or_disabled

ERRORS, DONE = "ri_errors", "ri_done"

st.title(t("reissue.title"))
st.caption(t("reissue.lead"))
st.info(t("reissue.note"), icon=":material/info:")

errors = st.session_state.pop(ERRORS, {})
if st.session_state.get(DONE):
    st.success(t("reissue.done"), icon=":material/mark_email_read:")
else:
    with st.form("ri_form", enter_to_submit=False):
        office_code = st.text_input(t("reissue.office_code"), key="ri_office_code")
        if "office_code" in errors:
            st.error(error_text(errors["office_code"]), icon=":material/error:")
        email = st.text_input(t("reissue.email"), key="ri_email")
        if "email" in errors:
            st.error(error_text(errors["email"]), icon=":material/error:")
        corporate_number = st.text_input(t("reissue.corporate_number"), key="ri_corporate_number")
        if "corporate_number" in errors:
            st.error(error_text(errors["corporate_number"]), icon=":material/error:")
        submitted = st.form_submit_button(t("reissue.submit"), type="primary")
    if submitted:
        field_errors: dict = {}  # over a limit, its message is shown here and the form stays
        done = run_action(lambda: reissue.request_reissue(office_code, email, corporate_number,
                                                          client=client_address()) or True,
                          errors_into=field_errors)
        if field_errors:
            st.session_state[ERRORS] = field_errors
            st.rerun()
        if done:
            st.session_state[DONE] = True
            st.rerun()

page_link_or_disabled("screens/account/login.py", t("reissue.to_login"), key="ri_to_login", icon=":material/login:")
