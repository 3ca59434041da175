"""仮アカウントを発行する for a new caller: the applicant's own rules (services.temp_accounts),
with the terms agreement given by phone (via="PHONE"), so the history says who entered it."""
from __future__ import annotations

import importlib
import uuid

import streamlit as st

from services.authz import Actor
from services.errors import DomainError, ValidationFailed
from ui.desk import FLASH_KEY, OPEN_CALLER_KEY
from ui.i18n import t, t_error

ERRORS_KEY = "desk_new_errors"
TOKEN_KEY = "desk_new_token"   # one token per form, so a double click issues one account
FIELDS = ("contact_name", "contact_kana", "company_name", "department", "phone", "email", "email_confirm",
          "corporate_number")


def _temp_accounts():
    """The temporary-account service, built in parallel; None while this branch lacks it."""
    try:
        return importlib.import_module("services.temp_accounts")
    except ModuleNotFoundError:
        return None


def _field_error(errors: dict[str, str], name: str) -> None:
    if name in errors:
        st.error(errors[name], icon=":material/error:")


def _issue(actor: Actor, service, data: dict) -> None:
    try:
        issued = service.issue_temp_account(actor, data, via="PHONE")
    except ValidationFailed as err:
        st.session_state[ERRORS_KEY] = {k: t_error(v) for k, v in err.errors.items()}
        return
    except DomainError as err:
        st.session_state[ERRORS_KEY] = {"_form": t_error(err)}
        return
    st.session_state.pop(ERRORS_KEY, None)
    st.session_state.pop(TOKEN_KEY, None)
    st.session_state[FLASH_KEY] = t("desk.new.done", temp_id=issued.temp_login_id, email=issued.email)
    st.session_state[OPEN_CALLER_KEY] = issued.applicant_id


def render_new_caller(actor: Actor) -> None:
    service = _temp_accounts()
    if service is None:
        st.warning(t("desk.new.unavailable"), icon=":material/construction:")
        return
    terms = service.current_terms()
    st.caption(t("desk.new.lead"))
    with st.expander(t("desk.new.terms", version=terms.version)):
        st.text(terms.body)
    errors: dict[str, str] = st.session_state.get(ERRORS_KEY, {})
    token = st.session_state.setdefault(TOKEN_KEY, uuid.uuid4().hex)
    with st.form("desk_new_form"):
        values = {}
        for name in FIELDS:
            values[name] = st.text_input(t(f"desk.new.field.{name}"), key=f"desk_new_{name}")
            _field_error(errors, name)
        sole = st.checkbox(t("desk.new.field.sole_proprietor"), key="desk_new_sole")
        agreed = st.checkbox(t("desk.new.field.agreed_by_phone"), key="desk_new_agreed")
        _field_error(errors, "agreed")
        _field_error(errors, "_form")
        submitted = st.form_submit_button(t("desk.new.submit"), type="primary", icon=":material/person_add:")
    if submitted:
        _issue(actor, service, {**values, "sole_proprietor": sole, "agreed": agreed,
                                "terms_version_id": terms.id, "submission_token": token})
        st.rerun()
