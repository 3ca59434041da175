"""利用開始までのガイダンス: tasks 未済/済, the count, and the deadlines of SPEC §2.5a."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from db.models import UserCode
from services import clock
from services.authz import DESK
from services.deadlines import add_months
from services.errors import PermissionDenied
from services.guidance import GuidanceTask, guidance
from services.system_settings.registrations import NAME_ITEM, record_approval
from services.uow import UnitOfWork
from tests.factories import at_jst, first_login, issue, make_staff, raw_application


def _applicant(**overrides):
    result, password = issue(**overrides)
    return first_login(result.temp_login_id, password)  # the 仮パスワード changed, as at first login


def _add_user_code(applicant_id: int, application_id: int, code: str, done: bool) -> None:
    """done: its 名称 and 通関業 registered by an approved システム設定申込 (no × left)."""
    with UnitOfWork() as u:
        s = u.session
        uc = UserCode(applicant_id=applicant_id, application_id=application_id, user_code=code,
                      system_category="SEA", industries=["通関業"], id_numbers=["A2A"], created_at=clock.now())
        s.add(uc)
        s.flush()
        if done:
            record_approval(s, uc, application_id, [NAME_ITEM, "通関業"])
        u.commit()


def test_fresh_temp_account_has_one_of_three_done_and_the_48_hour_deadline(db):
    with at_jst(date(2026, 12, 1), hour=10):  # a Tuesday: 48 hours later is Thursday, 2 business days on
        me = _applicant()
        g = guidance(me, me.applicant_id)
        now = clock.now()
    assert [(t.key, t.done) for t in g.tasks] == [(GuidanceTask.TEMP_ACCOUNT, True), (GuidanceTask.NEW_USAGE, False),
                                                  (GuidanceTask.SYSTEM_SETTINGS_APPLICATION, False)]
    assert (g.done_count, g.total, g.all_done) == (1, 3, False)
    [deadline] = g.deadlines
    assert deadline.key == "temp_account" and deadline.due_at is not None
    assert deadline.due_at - now <= timedelta(hours=48) and deadline.days_left == 2


def test_started_application_drops_the_temp_deadline_and_shows_its_status(db):
    me = _applicant()
    raw_application(me.applicant_id)
    g = guidance(me, me.applicant_id)
    assert g.deadlines == []
    assert next(t for t in g.tasks if t.key == GuidanceTask.NEW_USAGE).status == "DRAFT"


def test_approved_application_lists_each_user_code_and_its_deadlines(db):
    me = _applicant()
    start = date(2026, 12, 7)  # Monday
    app_id = raw_application(me.applicant_id, status="APPROVED", start_date=start, connection_type="NET")
    _add_user_code(me.applicant_id, app_id, "ABCDE", done=True)
    _add_user_code(me.applicant_id, app_id, "FGHJK", done=False)
    with at_jst(date(2026, 11, 27)):
        g = guidance(me, me.applicant_id)
    assert [(t.key, t.user_code, t.done) for t in g.tasks[2:]] == [
        (GuidanceTask.SYSTEM_SETTINGS_APPLICATION, "ABCDE", True),
        (GuidanceTask.SYSTEM_SETTINGS_APPLICATION, "FGHJK", False)]
    assert (g.done_count, g.total) == (3, 4)
    due = {d.key: d for d in g.deadlines}
    assert due["system_settings"].due == date(2026, 12, 1)   # 4 business days before Monday 12/7
    assert due["system_settings"].days_left == 2   # business days, as the reviewer counts: Mon 11/30, Tue 12/1
    assert due["id_notice"].due == date(2026, 12, 9)
    assert due["certificate"].due == date(2027, 2, 7)


def test_everything_done_means_naccs_can_be_used(db):
    me = _applicant()
    app_id = raw_application(me.applicant_id, status="APPROVED", start_date=date(2026, 12, 7),
                               connection_type="GENERAL")
    _add_user_code(me.applicant_id, app_id, "ABCDE", done=True)
    g = guidance(me, me.applicant_id)
    assert g.all_done and g.done_count == g.total == 3
    assert {d.key for d in g.deadlines} == {"id_notice"}  # no certificate for 一般 NACCS, settings done


def test_other_applicants_cannot_see_it_but_desk_can(db):
    me = _applicant()
    other = _applicant(email="jiro@example.co.jp", email_confirm="jiro@example.co.jp")
    with pytest.raises(PermissionDenied):
        guidance(other, me.applicant_id)
    assert guidance(make_staff("desk1", DESK), me.applicant_id).applicant_id == me.applicant_id


def test_add_months_clamps_to_month_end():
    assert add_months(date(2026, 12, 31), 2) == date(2027, 2, 28)
    assert add_months(date(2026, 11, 30), 2) == date(2027, 1, 30)


def test_a_change_or_cancellation_under_review_and_an_approved_change_still_to_come_have_a_line(db):
    from services.authz import REVIEWER
    from services.change.parts import parse_month
    from services.guidance import ProcedureLine
    from services.review import actions
    from tests.change_helpers import add_industry_and_code, approve, first_month
    from tests.factories import make_office, submitted_cancellation, version_of
    office = make_office()
    assert guidance(office.actor, office.applicant_id).procedures == []
    change_id = add_industry_and_code(office)
    cancel_id = submitted_cancellation(office, clock.today_jst() + timedelta(days=40))
    reviewer = make_staff("gd-rev", REVIEWER)
    actions.claim(reviewer, cancel_id, version_of(cancel_id))  # 審査中 is under review too
    with UnitOfWork() as u:
        from db.models import Application
        refs = {i: u.session.get(Application, i).ref_no for i in (change_id, cancel_id)}
    assert guidance(office.actor, office.applicant_id).procedures == [
        ProcedureLine("CHANGE", refs[change_id]), ProcedureLine("CANCELLATION", refs[cancel_id])]
    approve(change_id)
    actions.return_for_correction(reviewer, cancel_id, {"cx_request": "理由を確認してください。"}, version_of(cancel_id))
    assert guidance(office.actor, office.applicant_id).procedures == [  # 差戻し: no longer under review
        ProcedureLine("CHANGE", refs[change_id], parse_month(first_month()))]
    with at_jst(parse_month(first_month()), 9):  # the effective month has come: no line
        assert guidance(office.actor, office.applicant_id).procedures == []
