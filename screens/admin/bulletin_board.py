"""掲示板の管理 (administrators): post and withdraw notices; post files, a new version of a file
(the previous one is withdrawn) or withdraw one. Uploads are checked by content and size in the
service (the same rules as an applicant's attachment)."""
from collections.abc import Callable

import streamlit as st

from config import settings
from services import bulletin_board, clock
from services.application.filetypes import ALLOWED_EXTENSIONS
from services.authz import ADMIN
from services.errors import FieldError
from ui.board_view import file_meta, notice
from ui.feedback import flash, run_action, show_flash
from ui.format import md, plain
from ui.i18n import t
from ui.session import require_roles
from ui.temp_account_form import field_error

UPLOAD_COUNTER = "ba_upload_counter"  # a new key empties the uploaders after a successful post
NOTICE_ERRORS = "ba_notice_errors"
FILE_ERRORS = "ba_file_errors"

actor = require_roles(ADMIN)
st.title(t("bulletin_board.admin.title"))
show_flash()
notices, documents = bulletin_board.admin_board(actor)
counter = st.session_state.setdefault(UPLOAD_COUNTER, 0)


def _done(call: Callable[[], None]) -> bool:
    """run_action for a call that returns nothing: True when it went through."""
    return run_action(lambda: (call(), True)[1]) is True


def _posted(message: str) -> None:
    st.session_state[UPLOAD_COUNTER] = counter + 1
    flash(message)
    st.rerun()


# ---------------------------------------------------------------- notices

st.subheader(t("bulletin_board.notices"))
# Keyed expanders: the flash above comes and goes, and an unkeyed expander below it would close on
# the next run (typing a name and moving on, choosing a file) while the administrator works in it.
with st.expander(t("bulletin_board.admin.add_notice"), icon=":material/add:", key="ba_add_notice_open"):
    notice_errors: dict[str, FieldError] = st.session_state.setdefault(NOTICE_ERRORS, {})
    with st.form("ba_notice_form", enter_to_submit=False):
        title = st.text_input(t("bulletin_board.admin.notice_title"), key=f"ba_notice_title_{counter}",
                              max_chars=bulletin_board.TITLE_MAX)
        field_error(notice_errors, "title")
        body = st.text_area(t("bulletin_board.admin.notice_body"), key=f"ba_notice_body_{counter}",
                            max_chars=bulletin_board.BODY_MAX)
        field_error(notice_errors, "body")
        important = st.checkbox(t("bulletin_board.admin.notice_important"), key=f"ba_notice_important_{counter}")
        posted_on = st.date_input(t("bulletin_board.admin.notice_date"), key=f"ba_notice_date_{counter}",
                                  value=clock.today_jst(), format="YYYY/MM/DD")
        if st.form_submit_button(t("bulletin_board.admin.post"), type="primary"):
            posted = run_action(lambda: bulletin_board.add_notice(actor, title, body, important=important,
                                                                  posted_on=posted_on),
                                errors_into=notice_errors)
            if posted is not None:
                notice_errors.clear()
                _posted(t("bulletin_board.admin.posted"))
            elif notice_errors:
                st.rerun()  # draw the field errors next to their fields

today = clock.today_jst()
for item in notices:
    with st.container(border=True):
        badges = ""
        if item.retired:
            badges = f":gray-badge[{t('bulletin_board.admin.retired_badge')}] "
        elif item.posted_on > today:
            badges = f":blue-badge[{t('bulletin_board.admin.future_badge')}] "
        notice(item, badges=badges)
        if (not item.retired and st.button(t("bulletin_board.admin.retire"), key=f"ba_retire_n_{item.id}",
                                           icon=":material/archive:")
                and _done(lambda notice_id=item.id: bulletin_board.retire_notice(actor, notice_id))):
            _posted(t("bulletin_board.admin.retired"))

# ---------------------------------------------------------------- files

st.subheader(t("bulletin_board.files"))
st.caption(t("bulletin_board.admin.file_rules", limit_mb=settings().upload_limit_mb))
for doc in documents:
    with st.container(border=True):
        current = doc.current
        head = f":gray-badge[{t('bulletin_board.admin.retired_badge')}] " if doc.retired else ""
        st.markdown(head + md("**{title}**", title=doc.title))
        if doc.form_key:
            st.caption(t("bulletin_board.admin.form_key", form=t(f"survey_form.{doc.form_key}"), code=plain(doc.form_key)))
        latest = doc.versions[0].version if doc.versions else 0
        with st.expander(t("bulletin_board.admin.new_version"), icon=":material/upload:",
                         key=f"ba_new_version_open_{doc.document_id}"):
            upload = st.file_uploader(t("bulletin_board.admin.new_version_file"), type=list(ALLOWED_EXTENSIONS),
                                      key=f"ba_up_{doc.document_id}_{counter}")
            if st.button(t("bulletin_board.admin.upload"), key=f"ba_replace_{doc.document_id}",
                         disabled=upload is None, type="primary"):
                info = run_action(lambda d=doc.document_id, f=upload, v=latest: bulletin_board.replace_file(
                    actor, d, f.name, f.getvalue(), expected_version=v))
                if info is not None:
                    _posted(t("bulletin_board.admin.replaced", version=info.version))
        st.markdown(f"**{t('bulletin_board.admin.versions')}**")
        for version in doc.versions:
            line, action = st.columns([5, 2], vertical_alignment="center")
            badge = f":gray-badge[{t('bulletin_board.admin.retired_badge')}] " if version.retired else ""
            line.markdown(f"{badge}{file_meta(version)}")
            action.download_button(t("bulletin_board.download"), key=f"ba_dl_{version.version_id}",
                                   file_name=version.file_name, mime=version.content_type, on_click="ignore",
                                   icon=":material/download:",
                                   data=lambda vid=version.version_id: bulletin_board.download(actor, vid).content)
        if (current is not None and st.button(t("bulletin_board.admin.retire"), key=f"ba_retire_f_{doc.document_id}",
                                              icon=":material/archive:")
                and _done(lambda d=doc.document_id: bulletin_board.retire_file(actor, d))):
            _posted(t("bulletin_board.admin.retired"))

with st.expander(t("bulletin_board.admin.add_file"), icon=":material/add:", key="ba_add_file_open"):
    file_errors: dict[str, FieldError] = st.session_state.setdefault(FILE_ERRORS, {})
    file_title = st.text_input(t("bulletin_board.admin.file_title"), key="ba_file_title",
                               max_chars=bulletin_board.TITLE_MAX)
    field_error(file_errors, "title")
    new_file = st.file_uploader(t("bulletin_board.admin.file"), type=list(ALLOWED_EXTENSIONS),
                                key=f"ba_new_file_{counter}")
    if st.button(t("bulletin_board.admin.upload"), key="ba_add_file", type="primary"):
        if new_file is None:
            st.error(t("bulletin_board.admin.no_file_chosen"), icon=":material/error:")
        else:
            added = run_action(lambda: bulletin_board.add_file(actor, file_title, new_file.name, new_file.getvalue()),
                               errors_into=file_errors)
            if added is not None:
                file_errors.clear()
                _posted(t("bulletin_board.admin.uploaded"))
            elif file_errors:
                st.rerun()
