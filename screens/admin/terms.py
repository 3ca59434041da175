"""システム利用規程の管理 (administrators): every version with its status (施行中 / 予定 / 過去) and a
form for a new one with its effective date, previewed as plain text before it is saved. The rules
(which version is in force, what a new one may be) are services.terms'."""
import streamlit as st

from services import clock, terms
from services.authz import ADMIN
from services.errors import FieldError
from services.terms import TermsStatus
from ui.feedback import flash, run_action, show_flash
from ui.format import fmt_date, fmt_datetime, md, plain
from ui.i18n import t
from ui.session import require_roles
from ui.temp_account_form import field_error
from ui.terms_view import terms_text

COUNTER = "terms_admin_counter"  # a new key empties the form after a version is saved
ERRORS = "terms_admin_errors"
BADGE = {TermsStatus.IN_FORCE: "green", TermsStatus.SCHEDULED: "blue", TermsStatus.PAST: "gray"}

actor = require_roles(ADMIN)
st.title(t("terms.admin.title"))
show_flash()
st.caption(t("terms.admin.lead"))
counter = st.session_state.setdefault(COUNTER, 0)

st.subheader(t("terms.admin.versions"))
for item in terms.versions(actor):
    with st.container(border=True):
        badge = f":{BADGE[item.status]}-badge[{t(f'terms.status.{item.status}')}] "  # markup of our own
        st.markdown(badge + md("**{heading}**", heading=t("terms.admin.version_heading", version=item.version)))
        st.caption(md("{effective}　{created}", effective=t("terms.admin.effective", date=fmt_date(item.effective_from)),
                      created=t("terms.admin.created", at=fmt_datetime(item.created_at))))
        with st.expander(t("terms.admin.show_body"), key=f"terms_admin_open_{item.id}"):  # stays open across the flash
            st.text(item.body)

st.subheader(t("terms.admin.add"))
errors: dict[str, FieldError] = st.session_state.setdefault(ERRORS, {})
with st.form("terms_admin_form", enter_to_submit=False):
    version = st.text_input(t("terms.admin.field_version"), key=f"terms_admin_version_{counter}",
                            max_chars=terms.LABEL_MAX, help=t("terms.admin.help_version"))
    field_error(errors, "version")
    body = st.text_area(t("terms.admin.field_body"), key=f"terms_admin_body_{counter}", height=240,
                        max_chars=terms.BODY_MAX)
    field_error(errors, "body")
    # No min_value: a past day is refused by the service, with its message under the field.
    effective_on = st.date_input(t("terms.admin.field_effective_on"), key=f"terms_admin_effective_{counter}",
                                 value=clock.today_jst(), format="YYYY/MM/DD", help=t("terms.admin.help_effective_on"))
    field_error(errors, "effective_on")
    left, right = st.columns(2)
    preview = left.form_submit_button(t("terms.admin.preview"), icon=":material/visibility:")
    save = right.form_submit_button(t("terms.admin.save"), type="primary", icon=":material/save:")

if preview:
    st.markdown(md("**{heading}**", heading=t("terms.admin.preview_heading", version=version,
                                              date=fmt_date(effective_on))))
    if body.strip():
        terms_text(body)
    else:
        st.caption(t("terms.admin.preview_empty"))
if save:
    added = run_action(lambda: terms.add_version(actor, version, body, effective_on), errors_into=errors)
    if added is not None:
        errors.clear()
        st.session_state[COUNTER] = counter + 1
        flash(t("terms.admin.saved", version=plain(version.strip()), date=fmt_date(effective_on)))
    if added is not None or errors:
        st.rerun()  # the new version in the list, or the field errors next to their fields
