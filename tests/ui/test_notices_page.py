"""新着情報 page: the applicant's notices; the ID notice opens on request and hides the password later."""
from __future__ import annotations

from datetime import timedelta

from services import clock
from services.notices import NoticeKind, add_notice
from services.uow import UnitOfWork
from tests.factories import OFFICE_PASSWORD, add_id_notice, first_login, issue
from tests.ui.harness import page, texts

PAGE = "screens/applicant/notices.py"


def _applicant():
    result, password = issue()
    return first_login(result.temp_login_id, password)  # the 仮パスワード changed, as at first login


def test_empty_list_renders(sqlite_db):
    at = page(PAGE, _applicant())
    assert not at.exception and "新着情報はありません" in texts(at)


def test_lists_notices_and_opens_the_id_notice(sqlite_db):
    me = _applicant()
    with UnitOfWork() as u:
        s = u.session
        add_notice(s, me.applicant_id, NoticeKind.RECEIPT, {"ref_no": "NSS-2026-234567"})
        u.commit()
    notice_id = add_id_notice(me.applicant_id, clock.today_jst())
    at = page(PAGE, me)
    text = texts(at)
    assert "受付" in text and "NSS-2026-234567" in text and "ID 通知内容" in text
    assert OFFICE_PASSWORD not in text
    at.button(key=f"nt_open_{notice_id}").click().run()
    assert not at.exception
    assert OFFICE_PASSWORD in texts(at) and "K7ABCD23" in texts(at)


def test_after_the_display_period_the_password_is_not_shown(sqlite_db):
    me = _applicant()
    start = clock.today_jst() - timedelta(days=10)
    notice_id = add_id_notice(me.applicant_id, start)
    at = page(PAGE, me)
    at.button(key=f"nt_open_{notice_id}").click().run()
    assert OFFICE_PASSWORD not in texts(at) and "表示されません" in texts(at)


def test_english_labels(sqlite_db):
    me = _applicant()
    add_id_notice(me.applicant_id, clock.today_jst())
    at = page(PAGE, me, nss_lang="en")
    assert "Notices" in texts(at) and "ID notice" in texts(at)


def test_a_notice_is_unread_on_the_first_visit_only(sqlite_db):
    me = _applicant()
    with UnitOfWork() as u:
        add_notice(u.session, me.applicant_id, NoticeKind.RECEIPT, {"ref_no": "NSS-2026-345678"})
        u.commit()
    assert "未読" in texts(page(PAGE, me))
    assert "未読" not in texts(page(PAGE, me))
