"""The システム利用規程 an account agreed to, as staff see it (desk record, review detail): the
version, when it took effect, when and how it was agreed, and its text in an expander."""
from __future__ import annotations

import streamlit as st

from services import terms
from services.authz import Actor
from ui.format import fmt_date, fmt_datetime, plain
from ui.i18n import t


def agreed_terms_panel(actor: Actor, applicant_id: int) -> None:
    agreed = terms.agreed_terms(actor, applicant_id)
    st.markdown(f"**{t('terms.agreed.heading')}**")
    # st.text: the version label is an administrator's typed text, shown as it is.
    st.text(t("terms.agreed.line", version=agreed.version, effective=fmt_date(agreed.effective_from),
              agreed_at=fmt_datetime(agreed.agreed_at), via=t(f"desk.via.{agreed.via}")))
    with st.expander(t("terms.agreed.show", version=plain(agreed.version)), icon=":material/gavel:"):
        st.text(agreed.body)


def terms_text(body: str) -> None:
    """A version's text as it will be read: plain text in a scrolling box, never Markdown."""
    with st.container(height=320, border=True):
        st.text(body)
