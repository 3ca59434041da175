"""送信メール: every mail the portal wrote, newest first, with its delivery status. Administrators only;
any password a mail carries shows as ******** (services.mail.MASK)."""
import streamlit as st

from config import settings
from services import mail
from services.authz import ADMIN
from services.mail import MailStatus
from ui.feedback import run_action
from ui.format import fmt_datetime, md, plain
from ui.guard import shown_errors
from ui.i18n import t
from ui.pager import current_page, pager, reset_page
from ui.session import require_roles

PAGE_SIZE = 50
PAGE_KEY = "outbox_page"
actor = require_roles(ADMIN)
st.title(t("outbox.title"))
# The admin home links here with ?status=FAILED (or PENDING): the list opens filtered once.
if st.query_params.get("status") in set(MailStatus) and "outbox_status" not in st.session_state:
    st.session_state["outbox_status"] = st.query_params["status"]
if not settings().smtp_host:
    st.info(t("outbox.no_smtp"), icon=":material/info:")

c1, c2 = st.columns([3, 1])
search = c1.text_input(t("outbox.search"), key="outbox_search", max_chars=200, on_change=reset_page,
                       args=(PAGE_KEY,))
status = c2.selectbox(t("outbox.status_label"), ["", *MailStatus], key="outbox_status",
                      format_func=lambda s: t(f"outbox.status.{s or 'all'}"), on_change=reset_page,
                      args=(PAGE_KEY,))
with shown_errors():
    total, rows = mail.list_outbox(actor, search=search, status=status or None, page=current_page(PAGE_KEY),
                                   page_size=PAGE_SIZE)
st.caption(t("outbox.count", total=total))

for row in rows:
    label = md("{at} ・ {status} ・ {subject}", at=fmt_datetime(row.created_at), status=t(f"outbox.status.{row.status}"),
               subject=row.subject)
    with st.expander(label):
        st.text(t("outbox.from", sender=row.sender))
        st.text(t("outbox.to", recipients=", ".join(row.recipients)))
        st.text(t("outbox.attempts", attempts=row.attempts))
        if row.last_error:
            st.error(t("outbox.last_error", error=plain(row.last_error)))
        st.code(row.body, language=None, wrap_lines=True)
        if row.secret_erased:
            st.caption(t("outbox.secret_erased"))
        retryable = (row.status in (MailStatus.PENDING, MailStatus.FAILED) and settings().smtp_host
                     and not row.secret_erased)
        if (retryable and st.button(t("outbox.retry"), key=f"retry_{row.id}")
                and run_action(lambda mail_id=row.id: mail.retry(actor, mail_id) or True)):
            st.rerun()

pager(PAGE_KEY, total, PAGE_SIZE)
