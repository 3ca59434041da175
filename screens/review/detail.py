"""申込詳細（審査）: every screen read-only beside its comment box, attachments, history, comments,
internal notes, and the reviewer's actions (「承認して次へ」 opens the next item of the queue it came from). The version shown is kept per application, so an action on something another
reviewer changed meanwhile is refused (StaleData) instead of overwriting it."""
import streamlit as st

from services.application import attachments
from services.authz import ADMIN, REVIEWER, ReviewAction, may_review
from services.change.read import change_summary
from services.deadlines import system_settings_deadline
from services.desk import duplicates
from services.fields import int_or_none
from services.review import detail as detail_service
from services.review.queue import next_in_queue
from services.workflow import ApplicationKind, ApplicationStatus, available_actions
from ui.change_diff import diff_table
from ui.feedback import show_flash
from ui.format import fmt_date, fmt_datetime, md
from ui.guard import shown_errors
from ui.i18n import t
from ui.labels import connection_label, kind_label, status_label
from ui.mail_status import mail_status_panel
from ui.review_actions import action_panel
from ui.review_history import history_panel
from ui.review_queue_filters import back_to_queue, queue_params, state_from_url
from ui.review_sections import section_comment_boxes
from ui.routing_help import routing_help_note
from ui.scroll import scroll_to_top_on_change
from ui.session import require_roles
from ui.terms_view import agreed_terms_panel
from ui.user_ids import show_user_ids

APP_KEY = "review_app_id"
actor = require_roles(REVIEWER, ADMIN)
st.title(t("review.detail.title"))
# The queue this was opened from rides along in the URL: the way back and 「承認して次へ」 use it.
from_queue = queue_params(st.query_params)
if st.button(t("review.work.back"), key="rd_back", icon=":material/arrow_back:", type="tertiary"):
    back_to_queue(from_queue)

linked = int_or_none(st.query_params.get("app", ""), max_digits=9)  # a typed URL: '¹' and 10**99 too
if linked is not None and linked > 0:
    st.session_state[APP_KEY] = linked
app_id = st.session_state.get(APP_KEY)
if app_id is not None:
    st.query_params["app"] = str(app_id)  # a reload or a copied link opens the same application
# 「承認して次へ」 reopens this page for the next application: that one opens at its top.
scroll_to_top_on_change(f"app-{app_id}")
if app_id is None:
    st.info(t("review.detail.choose"))
    ref_no = st.text_input(t("review.queue.ref_no"), key="rd_ref_no", max_chars=20)
    if st.button(t("review.detail.open"), key="rd_open"):
        found = detail_service.find_by_ref_no(actor, ref_no)
        if found is None:
            st.error(t("review.detail.not_found"))
        else:
            st.session_state[APP_KEY] = found
            st.rerun()
    st.stop()

with shown_errors():
    d = detail_service.application_detail(actor, app_id)

shown_key = f"review_shown_version_{d.id}"
shown_version = st.session_state.setdefault(shown_key, d.version)
show_flash()
if shown_version != d.version:
    st.warning(t("review.detail.changed_since_shown"), icon=":material/sync_problem:")
    if st.button(t("review.reload"), key="rd_reload_top", icon=":material/refresh:"):
        st.session_state[shown_key] = d.version
        st.rerun()

st.subheader(md("{ref_no}　{company}", ref_no=d.ref_no, company=d.company_name))
st.caption(f"{kind_label(d.kind, d.shared_use)} ・ {status_label(d.status)}")
if d.contract_ended and d.cancelled_on:  # 解約: every login of the office stopped on that day
    st.error(t("review.detail.contract_ended", date=fmt_date(d.cancelled_on)), icon=":material/cancel:")
elif d.cancelled_on and d.start_date:  # cut by services.cutoff: the approval no longer stands
    st.error(t("review.detail.cancelled", date=fmt_date(d.cancelled_on),
               deadline=fmt_date(system_settings_deadline(d.start_date))), icon=":material/cancel:")
summary = {
    t("review.detail.company"): d.company_name,
    t("review.detail.contact"): d.contact_name,
    t("review.detail.email"): d.email,
    t("review.detail.temp_login_id"): d.temp_login_id,
    t("review.detail.office_code"): d.office_code or "—",
    t("review.detail.connection"): connection_label(d.connection_type),
    t("review.detail.submitted_at"): fmt_datetime(d.submitted_at),
    t("review.detail.due_date"): fmt_date(d.due_date),
    t("review.detail.assignee"): d.assignee_name or t("review.detail.unassigned"),
    t("review.detail.start_date"): fmt_date(d.start_date),
}
if d.user_code:  # システム設定申込: the 利用者コード it registers
    summary[t("system_settings.code.user_code")] = d.user_code
if d.decision_reason:
    summary[t("review.detail.reason")] = d.decision_reason
with st.container(border=True):
    cols = st.columns(2)
    for i, (label, value) in enumerate(summary.items()):
        cols[i % 2].text(f"{label}：{value}")
    show_user_ids(actor, d.applicant_id, d.id)
    agreed_terms_panel(actor, d.applicant_id)

routing_help_note(duplicates.routing_help(actor, d.id), staff=True)  # a 変更申込 / 共同利用 case?
offered = available_actions(actor, d) if may_review(actor) else ()
if d.kind == ApplicationKind.CHANGE:  # 変更申込: what changes, current → proposed, before its screens
    st.subheader(t("change.review.diff"))
    diff_table(change_summary(actor, d.id))
st.subheader(t("review.detail.sections"))
# Each screen beside its own comment box (written for a 差戻し; sent by the 差戻し action below).
comments = section_comment_boxes(d, enabled=ReviewAction.RETURN in offered)

st.subheader(t("review.detail.attachments"))
if not d.attachments:
    st.caption(t("review.detail.no_attachments"))
for a in d.attachments:
    c1, c2 = st.columns([3, 1], vertical_alignment="center")
    c1.text(f"{a.file_name}（{a.size:,} bytes）")
    c2.download_button(t("review.detail.download"), key=f"rd_att_{a.id}", file_name=a.file_name,
                       mime=a.content_type, icon=":material/download:", on_click="ignore",
                       data=lambda aid=a.id: attachments.download_attachment(actor, aid).content)

mail_status_panel(actor, d.applicant_id)
history_panel(actor, d)

st.subheader(t("review.actions.title"))
if not may_review(actor):
    st.info(t("review.actions.not_reviewer"))
elif d.status == ApplicationStatus.RETURNED:
    st.info(t("review.actions.waiting_for_applicant"))
elif not offered:
    st.info(t("review.actions.closed", status=status_label(d.status)))
else:
    action_panel(actor, d, offered, shown_version, shown_key, comments=comments,
                 next_item=lambda: next_in_queue(actor, *state_from_url(from_queue), d.id), queue=from_queue)
