"""ログイン画面: the login form (drawn by streamlit-authenticator), links, demo buttons."""
import streamlit as st

from config import settings
from services.auth import APPROVAL_CANCELLED, CONTRACT_ENDED, TEMP_EXPIRED, THROTTLED
from services.demo import seeding as demo
from services.ratelimit import LOGIN_FAILURES_PER_ID
from ui.auth_ui import LOGIN_RESULT_KEY, current_authenticator, demo_logins_offered, login_form, start_session
from ui.feedback import run_action, show_flash
from ui.i18n import t
from ui.nav import login_links

_, center, _ = st.columns([1, 5, 1])
center.header(t("app.title"))
center.caption(t("login.lead"))
with center:
    show_flash()  # e.g. 「一時保存し、ログアウトしました」 after the wizard's 一時保存

with center:
    logged_in = login_form(current_authenticator())
if logged_in:
    st.rerun()

result = st.session_state.pop(LOGIN_RESULT_KEY, None)
if result is not None and not result.ok:
    if result.code == THROTTLED:
        center.error(t("login.error.throttled", minutes=LOGIN_FAILURES_PER_ID.minutes), icon=":material/block:")
    elif result.code == APPROVAL_CANCELLED:
        center.error(t("login.error.approval_cancelled"), icon=":material/cancel:")
    elif result.code == CONTRACT_ENDED:
        center.error(t("login.error.contract_ended"), icon=":material/cancel:")
    else:
        center.error(t("login.error.temp_expired") if result.code == TEMP_EXPIRED else t("login.error.invalid"),
                     icon=":material/error:")

for page in login_links():
    center.page_link(page.path, label=t(page.login_link_key), icon=":material/arrow_forward:")

if settings().demo and not demo_logins_offered():
    center.info(t("demo.hidden"), icon=":material/public_off:")
elif settings().demo:
    with center.container(border=True):
        st.subheader(t("demo.title"))
        st.caption(t("demo.caption", password=demo.DEMO_PASSWORD))
        st.caption(t("demo.public" if settings().demo_public else "demo.local_only"))
        columns = st.columns(2)
        for i, (label_key, login_id) in enumerate(demo.DEMO_BUTTONS):
            if columns[i % len(columns)].button(t(label_key), key=f"demo_{login_id}",
                                                 icon=":material/play_circle:", use_container_width=True):
                actor = run_action(lambda login_id=login_id: demo.demo_login(login_id))
                if actor is not None:
                    start_session(actor)
                    st.rerun()
