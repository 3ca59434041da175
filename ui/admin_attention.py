"""The admin home's list of what needs an administrator (services.admin_home): each a count
with a link to the page where it is dealt with."""
from __future__ import annotations

import streamlit as st

from services import admin_home
from services.authz import Actor
from services.mail import MailStatus
from ui.format import fmt_date, fmt_datetime, plain
from ui.i18n import t
from ui.page_links import page_link_or_disabled

DAYS = admin_home.RECENT.days


def _line(key: str, text: str, *, warn: bool, link: tuple[str, str, dict[str, str] | None] | None = None) -> None:
    with st.container(border=True):
        (st.warning if warn else st.info)(text, icon=":material/priority_high:" if warn else ":material/info:")
        if link:
            path, label_key, query = link
            page_link_or_disabled(path, t(label_key), key=f"admin_home_{key}", query_params=query,
                                  icon=":material/arrow_forward:")


def admin_attention(actor: Actor) -> None:
    figures = admin_home.attention(actor)
    st.subheader(t("home.admin.heading"))
    if not figures.needs_action:
        st.success(t("home.admin.nothing"), icon=":material/check_circle:")
    outbox = "screens/admin/outbox.py"
    if figures.mails_failed:
        _line("failed", t("home.admin.mail_failed", count=figures.mails_failed), warn=True,
              link=(outbox, "home.admin.outbox_link", {"status": MailStatus.FAILED.value}))
    if figures.mails_retrying:
        _line("retrying", t("home.admin.mail_retrying", count=figures.mails_retrying), warn=True,
              link=(outbox, "home.admin.outbox_link", {"status": MailStatus.PENDING.value}))
    if figures.locked_staff:
        _line("locked", t("home.admin.locked", count=figures.locked_staff), warn=True,
              link=("screens/admin/users.py", "home.admin.users_link", {"locked": "1"}))
    imports = (t("home.admin.imports", days=DAYS, count=figures.recent_imports,
                 latest=fmt_datetime(figures.latest_import_at)) if figures.recent_imports
               else t("home.admin.imports_none", days=DAYS))
    _line("imports", imports, warn=False, link=("screens/admin/usage_import.py", "home.admin.imports_link", None))
    terms_page = ("screens/admin/terms.py", "home.admin.terms_link", None)
    _line("terms", t("home.admin.terms", version=plain(figures.terms_version)) if figures.terms_version
          else t("home.admin.terms_none"), warn=False, link=terms_page)
    if scheduled := figures.terms_scheduled:
        nxt = scheduled[0]
        params = {"version": plain(nxt.version), "date": fmt_date(nxt.effective_from), "count": len(scheduled)}
        _line("terms_scheduled", t("home.admin.terms_scheduled.line" if len(scheduled) == 1
                                   else "home.admin.terms_scheduled.more", **params), warn=False, link=terms_page)
    _line("board", t("home.admin.board", days=DAYS, count=figures.board_changes), warn=False,
          link=("screens/admin/bulletin_board.py", "home.admin.board_link", None))
