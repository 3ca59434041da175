"""送信メール: every mail the portal wrote, newest first, with its delivery status."""
import streamlit as st

from config import settings
from services import mail
from ui.guard import shown_errors
from ui.i18n import t
from ui.session import require_actor

PAGE_SIZE = 50
actor = require_actor()
st.title(t("outbox.title"))
if not settings().smtp_host:
    st.info(t("outbox.no_smtp"), icon=":material/info:")

c1, c2 = st.columns([3, 1])
search = c1.text_input(t("outbox.search"), key="outbox_search", max_chars=200)
status = c2.selectbox(t("outbox.status_label"), ["", "PENDING", "SENDING", "SENT", "FAILED"], key="outbox_status",
                      format_func=lambda s: t(f"outbox.status.{s or 'all'}"))
page = st.session_state.get("outbox_page", 0)
with shown_errors():
    total, rows = mail.list_outbox(actor, search=search, status=status or None, page=page, page_size=PAGE_SIZE)
st.caption(t("outbox.count", total=total))

for row in rows:
    label = f"{row.created_at:%Y-%m-%d %H:%M} UTC ・ {t(f'outbox.status.{row.status}')} ・ {row.subject}"
    with st.expander(label):
        st.text(t("outbox.from", sender=row.sender))
        st.text(t("outbox.to", recipients=", ".join(row.recipients)))
        st.text(t("outbox.attempts", attempts=row.attempts))
        if row.last_error:
            st.error(t("outbox.last_error", error=row.last_error))
        st.code(row.body, language=None, wrap_lines=True)
        if row.status in ("PENDING", "FAILED") and settings().smtp_host:
            if st.button(t("outbox.retry"), key=f"retry_{row.id}"):
                mail.retry(actor, row.id)
                st.rerun()

pages = max(1, -(-total // PAGE_SIZE))
if pages > 1:
    new_page = st.number_input(t("outbox.page", pages=pages), min_value=1, max_value=pages, value=page + 1) - 1
    if new_page != page:
        st.session_state["outbox_page"] = new_page
        st.rerun()
