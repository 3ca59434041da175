"""仮アカウントを発行する for a new caller: the applicant's own rules and form (services.temp_accounts,
ui.temp_account_form), with the terms agreement given by phone, so the history says who entered it."""
from __future__ import annotations

import uuid

import streamlit as st

from services import temp_accounts
from services.authz import Actor
from services.desk import duplicates
from services.errors import FieldError
from services.temp_accounts import Channel, TempAccountForm
from ui.desk import OPEN_CALLER_KEY
from ui.desk.duplicates_view import warn_duplicates
from ui.feedback import flash, run_action
from ui.format import plain
from ui.i18n import t
from ui.temp_account_form import FormStyle, field_error, temp_account_inputs

ERRORS_KEY = "desk_new_errors"
WARNED_KEY = "desk_new_warned"  # (form token, 法人番号) whose possible duplicates were shown
TOKEN_KEY = "desk_new_token"   # one token per form, so a double click issues one account
STYLE = FormStyle("desk_new_", "desk.new.field.", keys={"sole_proprietor": "sole"})


def _duplicates_warned(actor: Actor, form: TempAccountForm) -> bool:
    """A 法人番号 another applicant has: say so once before issuing; the same number sent again
    issues the account (a 変更申込 or 共同利用 caller may rightly need one)."""
    hits = duplicates.corporate_number_duplicates(actor, form.corporate_number)
    seen = (form.submission_token, form.corporate_number)
    if not hits or st.session_state.get(WARNED_KEY) == seen:
        return False
    st.session_state[WARNED_KEY] = seen
    warn_duplicates(hits)
    st.caption(t("desk.duplicate.issue_anyway"))
    return True


def _issue(actor: Actor, form: TempAccountForm) -> None:
    if _duplicates_warned(actor, form):
        return
    errors: dict[str, FieldError] = {}
    issued = run_action(lambda: temp_accounts.issue_temp_account(actor, form, via=Channel.PHONE),
                        errors_into=errors)
    if issued is None:
        st.session_state[ERRORS_KEY] = errors
        if not errors:
            return  # refused as a whole: the reason is shown here, nothing to redraw
        st.rerun()
    st.session_state.pop(ERRORS_KEY, None)
    st.session_state.pop(TOKEN_KEY, None)
    flash(t("desk.new.done", temp_id=plain(issued.temp_login_id), email=plain(issued.email)))
    st.session_state[OPEN_CALLER_KEY] = issued.applicant_id
    st.rerun()


def render_new_caller(actor: Actor) -> None:
    terms = temp_accounts.current_terms()
    st.caption(t("desk.new.lead"))
    with st.expander(t("desk.new.terms", version=plain(terms.version))):
        st.text(terms.body)
    errors: dict[str, FieldError] = st.session_state.get(ERRORS_KEY, {})
    token = st.session_state.setdefault(TOKEN_KEY, uuid.uuid4().hex)
    with st.form("desk_new_form", enter_to_submit=False):
        typed = temp_account_inputs(STYLE, {}, errors)
        agreed = st.checkbox(t("desk.new.field.agreed_by_phone"), key="desk_new_agreed")
        field_error(errors, "agreed")
        submitted = st.form_submit_button(t("desk.new.submit"), type="primary", icon=":material/person_add:")
    if submitted:
        _issue(actor, TempAccountForm(**typed, agreed=agreed, terms_version_id=terms.id, submission_token=token))
