"""Parts of the システム設定申込 page (SPEC §2.4): the flow bar and steps, the chosen 利用者コード's
line (利用種別コード, システム区分, 業種, 処理方式, as the seed's screen shows it), the survey-form
attachments, and the read-only confirmation of every tab."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from config import settings
from services.application import attachments
from services.application.filetypes import ALLOWED_EXTENSIONS
from services.application.read import ApplicationView
from services.application.sections import REVIEW_SCREEN
from services.authz import Actor
from services.system_settings.sections import survey_forms_for
from services.system_settings.start import UserCodeChoice
from ui.feedback import flash, run_action
from ui.format import plain
from ui.i18n import t
from ui.section_view import render_section
from ui.wizard_panels import attachment_list

FLOW = ("contact", "code", "settings")
STEPS = (1, 2, 3, 4)
UPLOAD_COUNTER = "ss_upload_counter"


def flow_and_steps(step: int, *, choosing: bool = False) -> None:
    """システム設定申込のフロー: 申込担当入力 > 申請コード選択 > システム設定情報入力, and steps 1–4.
    `choosing`: the 利用者コード is being chosen (申請コード選択, part of step 2)."""
    flow_at = 1 if choosing else 0 if step == 1 else 2
    parts = [f":orange-background[**{t('system_settings.flow.' + k)}**]" if i == flow_at
             else f":gray[{t('system_settings.flow.' + k)}]" for i, k in enumerate(FLOW)]
    st.markdown(f"{t('system_settings.flow.title')}：" + "　>　".join(parts))
    cells = [f":blue-background[**{n} {t(f'system_settings.step.{n}')}**]" if n == step
             else f":gray[{n} {t(f'system_settings.step.{n}')}]" for n in STEPS]
    st.markdown("　".join(cells))


def code_table(choices: list[UserCodeChoice]) -> None:
    """利用種別コード (= 利用者コード), システム区分, 業種, 処理方式 of each line (text shown as is)."""
    frame = pd.DataFrame({
        t("system_settings.code.user_code"): [c.user_code for c in choices],
        t("system_settings.code.system_category"): [c.system_category for c in choices],
        t("system_settings.code.industries"): ["、".join(c.industries) for c in choices],
        t("system_settings.code.processing_methods"): ["、".join(c.processing_methods) for c in choices],
    })
    st.dataframe(frame, hide_index=True)


def survey_panel(actor: Actor, view: ApplicationView, industries: tuple[str, ...], *, editable: bool) -> None:
    """The survey forms these 業種 need, each marked attached or not, and the uploader (「参照」 then
    「ファイルを添付する」); the file rules are the wizard's (services.application.attachments)."""
    st.subheader(t("system_settings.attach.title"))
    required = survey_forms_for(industries)
    attached = {a.purpose for a in view.attachments}
    if not required:
        st.caption(t("system_settings.attach.none_required"))
    for form in required:
        mark = "attached" if form in attached else "missing"
        colour = "green" if form in attached else "red"
        st.markdown(f":{colour}[● {t('system_settings.survey_form.' + form)}　{t('system_settings.attach.' + mark)}]")
    st.caption(t("system_settings.attach.lead", limit_mb=settings().upload_limit_mb))
    if editable and required:
        counter = st.session_state.setdefault(UPLOAD_COUNTER, 0)
        purpose = st.selectbox(t("system_settings.attach.form"), list(required), key=f"ss_purpose_{counter}",
                               format_func=lambda f: t(f"system_settings.survey_form.{f}"))
        upload = st.file_uploader(t("system_settings.attach.file"), type=list(ALLOWED_EXTENSIONS),
                                  key=f"ss_upload_{counter}")
        if st.button(t("system_settings.attach.button"), key="ss_attach", disabled=upload is None):
            info = run_action(lambda: attachments.add_attachment(actor, view.id, upload.name, upload.getvalue(),
                                                                 purpose=purpose))
            if info is not None:
                st.session_state[UPLOAD_COUNTER] = counter + 1
                flash(t("wizard.msg.attachment_added", name=plain(info.file_name)))
                st.rerun()
    attachment_list(actor, view, removable=editable)


def confirmation(view: ApplicationView) -> None:
    """入力内容の確認: every tab read-only."""
    for section in view.applicable():
        if section.key == REVIEW_SCREEN:
            continue
        st.subheader(t(section.label_key))
        render_section(section, connection_type=view.connection_type)
