"""新着情報: the applicant's notices, newest first; the 「ID 通知内容」 opens on request (audited)."""
from datetime import date

import streamlit as st

from services import notices
from services.notices import NoticeKind
from services.workflow import ApplicationKind
from ui.format import fmt_date, fmt_datetime, plain
from ui.i18n import t
from ui.labels import kind_label
from ui.page_links import page_link_or_disabled
from ui.session import require_actor
from ui.target import require_target_applicant
from ui.user_ids import show_user_ids

VIEW_PREFIX = "nt_view_"  # the opened ID notice, kept for this session so a rerun is not a new view


def _id_notice(notice_id: int) -> None:
    view = st.session_state.get(f"{VIEW_PREFIX}{notice_id}")
    if view is None:
        if st.button(t("notices.open"), key=f"nt_open_{notice_id}", icon=":material/visibility:"):
            st.session_state[f"{VIEW_PREFIX}{notice_id}"] = notices.open_id_notice(actor, notice_id)
            st.rerun()
        return
    st.write(t("notices.office_code", code=plain(view.office_code or "-")))
    show_user_ids(actor, applicant_id)
    if view.no_longer_shown:
        st.warning(t("notices.no_longer_shown"), icon=":material/visibility_off:")
        return
    st.write(t("notices.office_password", password="********" if view.password_masked else plain(view.office_password)))
    if view.password_masked:
        st.caption(t("notices.password_applicant_only"))
    st.caption(t("notices.shown_until", date=fmt_date(view.shown_until), start=fmt_date(view.start_date)))
    st.caption(t("notices.keep_safe"))


actor = require_actor()
st.title(t("notices.title"))
applicant_id = require_target_applicant(actor, "notices.no_target")

page_link_or_disabled("screens/applicant/guidance.py", t("notices.to_guidance"), key="nt_to_guidance",
                      icon=":material/checklist:")
items = notices.list_notices(actor, applicant_id)
if not items:
    st.info(t("notices.empty"), icon=":material/inbox:")
for item in items:
    with st.container(border=True):
        when = fmt_datetime(item.created_at)
        unread = "" if item.read else f" · {t('notices.unread')}"
        st.markdown(f"**{t('notices.kind.' + item.kind)}**")
        st.caption(f"{when}{unread}")
        st.write(t(f"notices.body.{item.kind}"))
        if item.params.get("ref_no"):
            st.caption(t("notices.ref_no", ref_no=plain(str(item.params["ref_no"]))))
        if item.params.get("kind") in (ApplicationKind.SYSTEM_SETTINGS, ApplicationKind.CHANGE,
                                       ApplicationKind.CANCELLATION):
            st.caption(kind_label(item.params["kind"]))  # which procedure it is about
        if item.params.get("effective_from"):  # an approved 変更申込: from when the contract changes
            st.caption(t("change.notice.effective", month=fmt_date(date.fromisoformat(item.params["effective_from"]))[:7]))
        if item.params.get("cancel_date"):  # an approved 解約申込
            st.caption(t("cancellation.notice_date", date=fmt_date(date.fromisoformat(item.params["cancel_date"])),
                         target=plain(item.params.get("user_code") or t("cancellation.scope.CONTRACT"))))
        if item.kind == NoticeKind.ID_NOTICE:
            _id_notice(item.id)
        if item.kind == NoticeKind.CANCELLED and item.params.get("settings_deadline"):
            st.caption(t("notices.cancelled_deadline", deadline=fmt_date(date.fromisoformat(item.params["settings_deadline"])),
                         start=fmt_date(date.fromisoformat(item.params["start_date"]))))
# Shown once as 未読; from the next visit on they are read.
notices.mark_seen(actor, applicant_id, [item.id for item in items if not item.read])
