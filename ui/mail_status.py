"""One applicant's mails as staff see them: recipient, subject, status, times — never a body."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from services import mail
from services.authz import Actor
from ui.format import fmt_datetime
from ui.i18n import t


def mail_status_panel(actor: Actor, applicant_id: int) -> None:
    st.subheader(t("mail_status.title"))
    rows = mail.deliveries_for(actor, applicant_id)
    if not rows:
        st.caption(t("mail_status.empty"))
        return
    st.dataframe(pd.DataFrame([{  # st.dataframe shows values as text (subjects carry user-typed names)
        t("mail_status.created_at"): fmt_datetime(r.created_at),
        t("mail_status.recipients"): ", ".join(r.recipients),
        t("mail_status.subject"): r.subject,
        t("mail_status.status"): t(f"outbox.status.{r.status}"),
        t("mail_status.sent_at"): fmt_datetime(r.sent_at) if r.sent_at else "—",
    } for r in rows]), hide_index=True, width="stretch")
