"""利用開始までのガイダンス (SPEC §2.3): procedures with 未済/済, a button each, and the deadlines."""
import streamlit as st

from services import guidance
from services.guidance import GuidanceTask
from ui.format import countdown, fmt_date, fmt_datetime, plain
from ui.i18n import t
from ui.labels import kind_label, status_label
from ui.nav import guidance_task_page
from ui.page_links import page_link_or_disabled
from ui.session import require_actor
from ui.system_settings_link import system_settings_link
from ui.target import require_target_applicant


def _task_label(task: guidance.Task) -> str:
    if task.key == GuidanceTask.SYSTEM_SETTINGS_APPLICATION:
        if task.user_code:
            return t("guidance.task.system_settings_code", code=plain(task.user_code))
        return t("guidance.task.system_settings_pending")
    return t(f"guidance.task.{task.key}")


def _when(deadline: guidance.Deadline) -> str:
    return fmt_datetime(deadline.due_at) if deadline.due_at is not None else fmt_date(deadline.due)


def _page(task: guidance.Task) -> str | None:
    """Until the 利用者コード are issued there is no system settings application to open."""
    if task.key == GuidanceTask.SYSTEM_SETTINGS_APPLICATION and not task.user_code:
        return None
    return guidance_task_page(task.key)


actor = require_actor()
st.title(t("guidance.title"))
applicant_id = require_target_applicant(actor, "guidance.no_target")

g = guidance.guidance(actor, applicant_id)
st.caption(t("guidance.lead"))
if g.cancelled_on:  # the cut-off (services.cutoff): nothing below can still be done
    st.error(t("guidance.contract_ended" if g.contract_ended else "guidance.cancelled", date=fmt_date(g.cancelled_on)),
             icon=":material/cancel:")
st.subheader(t("guidance.count", total=g.total, done=g.done_count))
st.progress(g.done_count / g.total)
if g.all_done:
    st.success(t("guidance.all_done"), icon=":material/celebration:")
if g.start_date:
    st.write(t("guidance.start_date", date=fmt_date(g.start_date)))
for line in g.procedures:  # a 変更申込 / 解約申込 on its way
    kind, ref_no = kind_label(line.kind), plain(line.ref_no or "—")
    if line.applies_from:
        st.info(t("guidance.procedure_applies", kind=kind, ref_no=ref_no, month=fmt_date(line.applies_from)[:7]),
                icon=":material/event_upcoming:")
    else:
        st.info(t("guidance.procedure_in_review", kind=kind, ref_no=ref_no), icon=":material/hourglass_top:")

header = st.columns([5, 2, 2])
for column, key in zip(header, ("col_procedure", "col_status", "col_action"), strict=True):
    column.markdown(f"**{t('guidance.' + key)}**")
for i, task in enumerate(g.tasks):
    with st.container(border=True):
        name, status, action = st.columns([5, 2, 2], vertical_alignment="center")
        name.write(_task_label(task))
        if task.status:
            name.caption(status_label(task.status))
        if task.done:
            status.markdown(f":green-badge[{t('guidance.done')}]")
        else:
            status.markdown(f":orange-badge[{t('guidance.not_done')}]")
        with action:
            if task.key == GuidanceTask.SYSTEM_SETTINGS_APPLICATION and task.user_code:
                system_settings_link(task.user_code, t("guidance.procedure"), key=f"gd_task_{i}",
                                     icon=":material/arrow_forward:")
            elif task.key != GuidanceTask.TEMP_ACCOUNT:
                page_link_or_disabled(_page(task), t("guidance.procedure"), key=f"gd_task_{i}",
                                      icon=":material/arrow_forward:")

st.subheader(t("guidance.deadlines"))
if not g.deadlines:
    st.caption(t("guidance.no_deadlines"))
for deadline in g.deadlines:
    text = f"{t('guidance.deadline.' + deadline.key, date=_when(deadline))} — {countdown(deadline.due_at or deadline.due)}"
    if deadline.days_left < 0:
        st.error(text, icon=":material/error:")
    elif deadline.days_left <= 3:
        st.warning(text, icon=":material/schedule:")
    else:
        st.info(text, icon=":material/event:")
