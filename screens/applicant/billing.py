"""請求内容参照 (SPEC §2.6): the office's fee plan and billing address, the charges of each month
with their line items, a chart of the last 12 months, a CSV, and the plan advisor (beyond NSS)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from services.billing import charges
from services.billing.charges import CSV_COLUMNS, PlanAdvice, Statement
from services.billing.months import month_label
from ui.format import plain
from ui.i18n import t
from ui.page_header import registered_data_notice
from ui.section_view import item_table
from ui.session import require_actor
from ui.target import require_target_applicant


def _yen(value: int) -> str:
    return f"¥{value:,}"


def _summary(s: Statement) -> None:
    pairs = [(t("billing.plan"), t(f"billing.plan_{s.plan}")), (t("billing.units"), str(s.units)),
             (t("billing.management_reports"), str(s.management_reports)),
             (t("billing.bonded_storage"), str(s.bonded_storage))]
    item_table(pairs)
    a = s.billing_address
    if a is None:
        return
    st.subheader(t("billing.billing_address"))
    rows = [(t("billing.address_name"), a.name), (t("billing.address_postal"), a.postal_code),
            (t("billing.address"), a.address), (t("billing.address_department"), a.department),
            (t("billing.address_contact"), a.contact_name), (t("billing.address_phone"), a.phone)]
    if a.same_as_office:
        st.caption(t("billing.same_as_office"))
    item_table([(k, plain(v) if v else "—") for k, v in rows])  # typed text: escaped


def _months(s: Statement) -> None:
    st.subheader(t("billing.monthly"))
    st.caption(t("billing.lead"))
    if not s.months:
        st.info(t("billing.no_months"))
        return
    headers = [t(f"billing.col.{c}") for c in CSV_COLUMNS]
    frame = pd.DataFrame(charges.statement_rows(s), columns=headers)
    notes = [t("billing.no_usage") if not m.has_usage else "" for m in reversed(s.months)]
    frame[t("billing.col.status")] = notes
    money = {h: st.column_config.NumberColumn(h, format="yen") for h in headers[1:]}
    st.dataframe(frame, hide_index=True, width="stretch", column_config=money)
    st.download_button(t("billing.download"), data=charges.statement_csv(s, dict(zip(CSV_COLUMNS, headers, strict=True))),
                       file_name=t("billing.file_name", office=s.applicant_id), mime="text/csv",
                       on_click="ignore", icon=":material/download:")
    st.subheader(t("billing.chart"))
    chart = pd.DataFrame({t("billing.col.month"): [month_label(m.month) for m in s.months],
                          t("billing.col.total"): [m.charge.total for m in s.months]})
    st.bar_chart(chart, x=t("billing.col.month"), y=t("billing.col.total"))


def _advisor(advice: PlanAdvice | None, plan: str | None) -> None:
    st.subheader(t("billing.advisor.title"))
    if advice is None or not advice.months:
        st.caption(t("billing.advisor.none"))
        return
    st.write(t("billing.advisor.figures", months=advice.months, plan=plan, current=f"{advice.current_total:,}",
               other=advice.other_plan, alt=f"{advice.other_total:,}"))
    if advice.change_pays:
        st.success(t("billing.advisor.change", other=advice.other_plan, monthly=f"{advice.monthly_saving:,}",
                     months=advice.months, saving=f"{advice.saving:,}"), icon=":material/savings:")
    elif advice.saving < 0:
        st.info(t("billing.advisor.keep", plan=plan, monthly=f"{-advice.monthly_saving:,}"))
    else:
        st.info(t("billing.advisor.equal"))


actor = require_actor()
st.title(t("billing.title"))
registered_data_notice()
applicant_id = require_target_applicant(actor, "billing.no_target")
statement = charges.statement(actor, applicant_id)
if not statement.in_force:
    st.info(t("billing.not_in_force"))
    st.stop()
_summary(statement)
_months(statement)
_advisor(statement.advice, statement.plan)
