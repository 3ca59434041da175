"""仮アカウントの発行 (SPEC §2.1): システム利用規程 → 申込担当者 → 仮ログイン登録完了."""
import uuid

import streamlit as st

from services import temp_accounts
from services.desk import duplicates
from services.errors import FieldError
from services.ratelimit import RateLimited
from ui.client import client_address
from ui.feedback import error_text, run_action
from ui.format import fmt_datetime, plain
from ui.i18n import t
from ui.page_links import page_link_or_disabled
from ui.progress_steps import progress_steps
from ui.routing_help import routing_help_note
from ui.temp_account_form import FormStyle, field_error, temp_account_inputs
from ui.terms_view import terms_text

STEP, TERMS, VALUES, ERRORS, TOKEN, RESULT, NOTICE, LIMITED, ROUTING = (
    "ta_step", "ta_terms", "ta_values", "ta_errors", "ta_token", "ta_result", "ta_notice", "ta_limited",
    "ta_routing")
LOGIN_PAGE = "screens/account/login.py"
STYLE = FormStyle("ta_in_", "temp_account.field.", help_prefix="temp_account.help.",
                  keys={"sole_proprietor": "sole", "corporate_number": "corporate"})


def _restart() -> None:
    for key in (STEP, TERMS, VALUES, ERRORS, TOKEN, RESULT, NOTICE, LIMITED, ROUTING):
        st.session_state.pop(key, None)


def _terms_step(terms: temp_accounts.Terms, errors: dict[str, FieldError]) -> None:
    st.subheader(t("temp_account.terms.heading", version=plain(terms.version)))  # typed by an administrator
    st.caption(t("temp_account.terms.lead"))
    terms_text(terms.body)
    agreed = st.checkbox(t("temp_account.terms.agree"), key="ta_agree")
    field_error(errors, "agreed")
    if st.button(t("temp_account.next"), type="primary", key="ta_next"):
        if not agreed:
            st.session_state[ERRORS] = {"agreed": FieldError(temp_accounts.MUST_AGREE)}
        else:
            st.session_state[STEP], st.session_state[TERMS] = "form", (terms.id, terms.version)
        st.rerun()


def _form_step(errors: dict[str, FieldError]) -> None:
    terms_id, terms_version = st.session_state[TERMS]
    values = st.session_state.get(VALUES, {})
    token = st.session_state.setdefault(TOKEN, uuid.uuid4().hex)  # one per form instance
    st.subheader(t("temp_account.form.heading"))
    st.caption(t("temp_account.form.lead"))
    st.caption(t("temp_account.form.agreed_version", version=plain(terms_version)))
    if limited := st.session_state.pop(LIMITED, None):  # too many issues: say which limit, keep the form
        st.error(error_text(limited), icon=":material/block:")
    with st.form("ta_form", enter_to_submit=False):
        typed = temp_account_inputs(STYLE, values, errors)
        submitted = st.form_submit_button(t("temp_account.submit"), type="primary")
    if st.button(t("temp_account.back"), key="ta_back"):
        st.session_state[VALUES], st.session_state[STEP] = typed, "terms"
        st.rerun()
    if not submitted:
        return
    st.session_state[VALUES] = typed
    form = temp_accounts.TempAccountForm(**typed, terms_version_id=terms_id, agreed=True, submission_token=token)
    field_errors: dict[str, FieldError] = {}
    limited: list[RateLimited] = []

    def issue() -> temp_accounts.IssuedTempAccount | None:
        try:
            return temp_accounts.issue_temp_account(None, form, client=client_address())
        except RateLimited as err:
            limited.append(err)
            return None

    result = run_action(issue, errors_into=field_errors)
    if result is not None:
        st.session_state[RESULT] = result
        # An office already has this 法人番号: a 変更申込 or 共同利用 may be what is wanted.
        st.session_state[ROUTING] = duplicates.routing_help_for_corporate_number(
            form.corporate_number, exclude=result.applicant_id)
        for key in (STEP, TERMS, VALUES, TOKEN):
            st.session_state.pop(key, None)
    elif limited:
        st.session_state[LIMITED] = limited[0]
    elif field_errors:
        st.session_state[ERRORS] = field_errors
    else:  # refused without a field to blame: the terms changed meanwhile, show the new ones
        st.session_state[NOTICE], st.session_state[STEP] = temp_accounts.TERMS_CHANGED, "terms"
    st.rerun()


def _done(result: temp_accounts.IssuedTempAccount) -> None:
    st.success(f"**{t('temp_account.done.heading')}**", icon=":material/mark_email_read:")
    st.text(t("temp_account.done.lead", email=result.email))  # typed address: never as markdown
    st.warning(t("temp_account.done.deadline", when=fmt_datetime(result.expires_at)), icon=":material/schedule:")
    st.caption(t("temp_account.done.no_reissue"))
    routing_help_note(st.session_state.get(ROUTING, ()))
    page_link_or_disabled(LOGIN_PAGE, t("temp_account.to_login"), key="ta_to_login", icon=":material/login:")
    if st.button(t("temp_account.restart"), key="ta_restart"):
        _restart()
        st.rerun()


st.title(t("temp_account.title"))
result = st.session_state.get(RESULT)
progress_steps([t("temp_account.step.registering"), t("temp_account.step.registered")], 1 if result else 0)
if result is not None:
    _done(result)
    st.stop()

errors = st.session_state.pop(ERRORS, {})
if notice := st.session_state.pop(NOTICE, None):
    st.warning(t(notice), icon=":material/info:")
if st.session_state.get(STEP) == "form" and TERMS in st.session_state:
    _form_step(errors)
else:
    _terms_step(temp_accounts.current_terms(), errors)
page_link_or_disabled(LOGIN_PAGE, t("temp_account.to_login"), key="ta_to_login", icon=":material/login:")
