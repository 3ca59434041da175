"""システム設定の申込 (SPEC §2.4), for an office logged in with its 事業所コード: choose the 利用者コード
(or come with ?user_code= from the guidance or 契約内容確認), 1 申込担当者, 2 「名称」 and one
「業種」 tab per 業種 with the survey forms, 3 入力内容の確認, 4 申請完了. The tabs are sections of
the wizard's machinery (services.application.forms): saved, checked and reviewed the same way."""
from __future__ import annotations

from typing import Any

import streamlit as st

from services.application import read
from services.application.forms import SYSTEM_SETTINGS as DEFINITION
from services.application.read import SectionView
from services.authz import can_apply_as_office
from services.errors import FieldError
from services.system_settings import start
from services.system_settings.sections import CONTACT, NAME, SUGGESTED, industry_tabs
from services.workflow import ApplicationStatus
from ui.draft_save import draft_save as save_for_later
from ui.feedback import flash, run_action, show_flash
from ui.flow_bar import flow_bar
from ui.format import plain
from ui.i18n import t
from ui.section_form import section_form
from ui.section_list import status_markdown
from ui.section_saves import save_changed
from ui.section_view import review_comment, status_label
from ui.session import require_actor
from ui.submit_step import missing_and_submit
from ui.system_settings_panels import code_table, confirmation, flow_and_steps, survey_panel
from ui.target import require_target_applicant

CODE_KEY, STEP_KEY, ERRORS_KEY = "ss_user_code", "ss_step", "ss_errors"

actor = require_actor()
st.title(t("system_settings.title"))
applicant_id = require_target_applicant(actor, "system_settings.no_target")
if not can_apply_as_office(actor, applicant_id):
    st.info(t("system_settings.error.office_only"), icon=":material/info:")
    st.stop()
show_flash()

choices = start.user_code_choices(actor, applicant_id)
if not choices:
    st.info(t("system_settings.no_user_codes"))
    st.stop()
by_code = {c.user_code: c for c in choices}
if st.query_params.get("user_code") in by_code:
    st.session_state[CODE_KEY] = st.query_params["user_code"]
chosen = by_code.get(st.session_state.get(CODE_KEY, ""))

if chosen is None or chosen.open_application_id is None:
    # 申請コード選択: the office's 利用者コード, and the one to start.
    flow_and_steps(2, choosing=True)
    st.caption(t("system_settings.lead"))
    code_table(choices)
    for c in choices:
        line, status, action = st.columns([3, 2, 2], vertical_alignment="center")
        line.write(t("system_settings.code.line", code=plain(c.user_code), industries=plain("、".join(c.industries))))
        status.markdown(f":green-badge[{t('system_settings.code.done')}]" if c.settings_completed
                        else f":orange-badge[{t('system_settings.code.not_done')}]")
        label = "system_settings.code.open" if c.open_application_id else "system_settings.code.start"
        if action.button(t(label), key=f"ss_start_{c.user_code}", type="primary" if c is chosen else "secondary"):
            app_id = run_action(lambda c=c: start.start_system_settings(actor, applicant_id, c.user_code))
            if app_id is not None:
                st.session_state[CODE_KEY] = c.user_code
                st.query_params["user_code"] = c.user_code
                st.rerun()
    st.stop()

st.query_params["user_code"] = chosen.user_code  # a reload opens the same 利用者コード
assert chosen.open_application_id is not None
view = read.application_view(actor, chosen.open_application_id)
industries = tuple(chosen.industries)
tab_keys = [NAME, *industry_tabs(industries)]
steps = st.session_state.setdefault(STEP_KEY, {})
errors: dict[str, dict[str, FieldError]] = st.session_state.setdefault(ERRORS_KEY, {}).setdefault(view.id, {})
if not view.editable:
    step = 4
elif steps.get(view.id) in (1, 2, 3):  # where this tab was (4 was before a 差戻し: it opens again)
    step = steps[view.id]
elif view.status == ApplicationStatus.RETURNED:  # opens where the reviewer's comments are
    step = 1 if view.section(CONTACT).needs_correction else 2
else:
    step = 1
flow_and_steps(step)
flow_bar(view.status)
ctx = DEFINITION.context({s.key: s.data for s in view.sections}, view)


def go(to: int) -> None:
    steps[view.id] = to
    st.rerun()


def draw(section: SectionView) -> dict[str, Any]:
    for comment in section.comments:
        review_comment(comment.body, comment.author_name)
    notes = {name: t("system_settings.msg.suggestion") for name in section.data.get(SUGGESTED) or []}
    notes |= st.session_state.setdefault("ss_converted", {}).pop(section.key, {})
    return section_form(section, ctx, errors.get(section.key, {}), notes=notes)


def save_all(values: dict[str, dict[str, Any]], *, draft_key: str | None = None) -> tuple[bool, bool]:
    """Saves every screen whose widgets differ from what is stored (一時保存: `draft_key` too, as a
    draft save). (all saved without errors, one was refused and not saved at all)."""
    return save_changed(actor, view, values, errors, st.session_state.setdefault("ss_converted", {}),
                        draft_key=draft_key)


def saved(values: dict[str, dict[str, Any]]) -> bool:
    return save_all(values)[0]


def draft_save(values: dict[str, dict[str, Any]], button_slot) -> None:
    """一時保存 (ui.draft_save); the screen saved as the draft is the first drawn."""
    save_for_later(actor, "ss", "system_settings.msg.draft_warning", button_slot, f"ss_draft_{step}",
                   lambda: save_all(values, draft_key=next(iter(values)))[1])


if view.status == ApplicationStatus.RETURNED and step != 4:
    st.warning(t("system_settings.msg.returned"), icon=":material/rate_review:")
st.caption(t("system_settings.code.chosen", code=plain(chosen.user_code)))

if step == 1:
    st.header(t("system_settings.step.1"))
    contact = view.section(CONTACT)
    values = {CONTACT: draw(contact)}
    left, right = st.columns(2)
    if left.button(t("wizard.button.next"), type="primary", key="ss_next_1"):
        if saved(values):
            go(2)
        st.rerun()  # the errors are drawn next to their fields
    draft_save(values, right)

elif step == 2:
    st.header(t("system_settings.step.2"))
    code_table([chosen])
    st.caption(t("system_settings.msg.tabs_lead"))
    values = {}
    sections = [view.section(k) for k in tab_keys]
    labels = [f"{t(s.label_key)}（{status_label(s)}）" for s in sections]
    for tab, section in zip(st.tabs(labels), sections, strict=True):
        with tab:
            st.markdown(status_markdown(section))
            values[section.key] = draw(section)
            if st.button(t("wizard.button.save"), key=f"ss_save_{section.key}"):
                if saved({section.key: values[section.key]}):
                    flash(t("wizard.msg.saved"))
                st.rerun()
    survey_panel(actor, view, industries, editable=True)
    back, nxt, draft = st.columns(3)
    if back.button(t("wizard.button.back"), key="ss_back_2"):
        save_all(values)
        go(1)
    if nxt.button(t("system_settings.button.to_confirm"), type="primary", key="ss_next_2"):
        if saved(values):
            go(3)
        st.rerun()
    draft_save(values, draft)

elif step == 3:
    st.header(t("system_settings.step.3"))
    st.info(t("system_settings.msg.confirm_lead"))
    confirmation(view)
    survey_panel(actor, view, industries, editable=False)
    missing_and_submit(actor, view, "ss", go, back_to=2, done_at=4, back_key="ss_back_3")

else:
    st.header(t("system_settings.step.4"))
    if st.session_state.pop("ss_just_submitted", None):
        st.success(t("system_settings.msg.submitted", ref_no=plain(view.ref_no)), icon=":material/task_alt:")
        st.write(t("system_settings.msg.submitted_lead"))
    elif view.ref_no:
        st.info(t("system_settings.msg.waiting", ref_no=plain(view.ref_no)), icon=":material/hourglass_top:")
    confirmation(view)
