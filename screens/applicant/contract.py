"""契約内容確認 (SPEC §2.4, §2.6): the office's contract and the registration status of its system
settings — rows = 利用者コード, columns = 名称 and each 業種, ○ / × / blank — each × a link to the
システム設定の申込 that turns it into ○."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from services import clock
from services import contract as contract_service
from services.contract import Contract
from services.system_settings.registrations import RegistrationTable
from ui.format import fmt_date, md, plain
from ui.i18n import t
from ui.labels import connection_label, kind_label
from ui.page_header import registered_data_notice
from ui.section_view import item_table, render_section
from ui.session import require_actor
from ui.system_settings_link import system_settings_link
from ui.target import require_target_applicant


def _summary(c: Contract) -> None:
    pairs = [(t("contract.company"), plain(c.company_name)),
             (t("contract.office_code"), f"`{c.office_code}`" if c.office_code else "—"),
             (t("contract.start_date"), fmt_date(c.start_date) if c.start_date else "—"),
             (t("contract.connection_type"), connection_label(c.connection_type) if c.connection_type else "—")]
    item_table(pairs)


def _user_codes(c: Contract) -> None:
    st.subheader(t("contract.user_codes"))
    if not c.user_codes:
        st.caption(t("contract.no_user_codes"))
        return
    st.dataframe(pd.DataFrame([{
        t("contract.col.user_code"): uc.user_code,
        t("contract.col.system_category"): uc.system_category,
        t("contract.col.industries"): "、".join(uc.industries),
        t("contract.col.id_numbers"): "、".join(uc.id_numbers),
        t("contract.col.user_ids"): "、".join(uc.user_ids),
        t("contract.col.state"): (t("contract.retired", date=fmt_date(uc.retired_on)) if uc.retired_on
                                  else t("contract.in_use")),
    } for uc in c.user_codes]), hide_index=True, width="stretch")
    st.caption(t("user_id.hint"))


def _registration_table(table: RegistrationTable) -> None:
    """Drawn as a grid rather than a data frame: a × cell is a link."""
    st.subheader(t("contract.registration_title"))
    if not table.rows:
        st.caption(t("contract.no_user_codes"))
        return
    widths = [2] + [1] * len(table.columns)
    head = st.columns(widths)
    head[0].markdown(f"**{t('contract.col.user_code')}**")
    for cell, column in zip(head[1:], table.columns, strict=True):
        cell.markdown(md("**{column}**", column=column))
    for r, row in enumerate(table.rows):
        cells = st.columns(widths, vertical_alignment="center")
        cells[0].markdown(f"`{row.user_code}`")
        for c, (cell, column) in enumerate(zip(cells[1:], table.columns, strict=True)):
            mark = row.mark(column)
            with cell:
                if mark == "×":
                    system_settings_link(row.user_code, "×", key=f"ct_x_{r}_{c}",
                                         help=t("contract.cross_help", code=row.user_code))
                elif mark == "○":
                    st.markdown(":green[**○**]")
                else:
                    st.write("")
    st.caption(t("contract.legend"))
    if table.complete:
        st.success(t("contract.settings_complete"), icon=":material/task_alt:")


def _history(history: contract_service.History) -> None:
    """Every version of the contract, and the screens of the one in force on the chosen day."""
    st.subheader(t("change.history.title"))
    st.table(pd.DataFrame([{
        t("change.history.col_from"): fmt_date(v.valid_from),
        t("change.history.col_kind"): kind_label(v.kind),
        t("change.history.col_codes"): "、".join(v.user_codes()) or "—",
    } for v in history.versions]).set_index(t("change.history.col_from")))
    shown = history.in_force
    if shown is None:
        st.info(t("change.history.none"), icon=":material/info:")
        shown = history.versions[0]  # before the 利用開始日: the contract that will start
    else:
        st.caption(t("change.history.in_force", date=fmt_date(history.on), kind=kind_label(shown.kind),
                     valid_from=fmt_date(shown.valid_from)))
    for section in contract_service.shown_screens(shown):
        st.subheader(t(section.label_key))
        render_section(section, connection_type=shown.sections.get("office", {}).get("connection_type"),
                       show_status=False)


actor = require_actor()
st.title(t("contract.title"))
registered_data_notice()
applicant_id = require_target_applicant(actor, "contract.no_target")
c = contract_service.contract(actor, applicant_id)
if not c.in_force:
    st.info(t("contract.not_in_force"))
    st.stop()
_summary(c)
_user_codes(c)
_registration_table(c.registrations)
_history(contract_service.contract_history(actor, applicant_id, st.date_input(
    t("change.history.on"), value=clock.today_jst(), key="ct_on", format="YYYY/MM/DD")))
