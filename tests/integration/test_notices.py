"""新着情報: the applicant's own notices, newest first; the ID notice's password display period."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from db.models import AuditEvent
from services import clock
from services.authz import REVIEWER
from services.errors import NotFound, PermissionDenied
from services.notices import NoticeKind, add_notice, list_notices, mark_seen, open_id_notice
from services.uow import UnitOfWork
from tests.factories import OFFICE_PASSWORD, add_id_notice, at_jst, first_login, issue, make_staff


def _applicant(**overrides):
    result, password = issue(**overrides)
    return first_login(result.temp_login_id, password)  # the 仮パスワード changed, as at first login


def _add(applicant_id: int, kind: str, minutes: int) -> None:
    with clock.shifted(timedelta(minutes=minutes)), UnitOfWork() as u:
        s = u.session
        add_notice(s, applicant_id, kind, {"ref_no": "NSS-2026-123456"})
        u.commit()


def test_list_is_newest_first_and_only_the_applicants_own(db):
    me = _applicant()
    other = _applicant(email="jiro@example.co.jp", email_confirm="jiro@example.co.jp")
    _add(me.applicant_id, NoticeKind.RECEIPT, 1)
    _add(me.applicant_id, NoticeKind.RETURNED, 2)
    _add(me.applicant_id, NoticeKind.APPROVED, 3)
    _add(other.applicant_id, NoticeKind.RECEIPT, 4)
    kinds = [n.kind for n in list_notices(me, me.applicant_id)]
    assert kinds == [NoticeKind.APPROVED, NoticeKind.RETURNED, NoticeKind.RECEIPT]
    with pytest.raises(PermissionDenied):
        list_notices(me, other.applicant_id)
    reviewer = make_staff("rev1", REVIEWER)
    assert len(list_notices(reviewer, me.applicant_id)) == 3


@pytest.mark.parametrize("start, last_shown", [
    (date(2026, 12, 4), date(2026, 12, 8)),    # Friday start: the weekend does not count
    (date(2026, 11, 20), date(2026, 11, 25)),  # 11/23 勤労感謝の日 does not count
    (date(2026, 12, 29), date(2027, 1, 4)),    # 12/31–1/3 are off
])
def test_id_notice_display_until_two_business_days_after_start(db, start, last_shown):
    me = _applicant()
    notice_id = add_id_notice(me.applicant_id, start)
    with at_jst(start):
        view = open_id_notice(me, notice_id)
        assert view.office_password == OFFICE_PASSWORD and view.office_code == "K7ABCD23"
        assert view.shown_until == last_shown and not view.no_longer_shown
    with at_jst(last_shown, hour=23):
        assert open_id_notice(me, notice_id).office_password == OFFICE_PASSWORD
    with at_jst(last_shown + timedelta(days=1), hour=0):
        view = open_id_notice(me, notice_id)
        assert view.office_password is None and view.no_longer_shown and view.office_code == "K7ABCD23"


def test_every_view_is_audited_and_others_cannot_open_it(db):
    me = _applicant()
    other = _applicant(email="jiro@example.co.jp", email_confirm="jiro@example.co.jp")
    notice_id = add_id_notice(me.applicant_id, clock.today_jst())
    open_id_notice(me, notice_id)
    open_id_notice(make_staff("rev1", REVIEWER), notice_id)
    with pytest.raises(PermissionDenied):
        open_id_notice(other, notice_id)
    with UnitOfWork() as u:
        s = u.session
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "notice.id_notice_viewed")
                           .order_by(AuditEvent.id)).all()
        assert [e.actor_login_id for e in events] == [me.login_id, "rev1"]
        assert events[1].on_behalf_of_applicant_id == me.applicant_id
    assert next(n for n in list_notices(me, me.applicant_id)).read is True


def test_only_id_notices_open_this_way(db):
    me = _applicant()
    _add(me.applicant_id, NoticeKind.RECEIPT, 0)
    receipt_id = list_notices(me, me.applicant_id)[0].id
    with pytest.raises(NotFound):
        open_id_notice(me, receipt_id)
    with pytest.raises(NotFound):
        open_id_notice(me, 999999)
    with UnitOfWork() as u:
        s = u.session
        assert s.scalar(select(func.count()).select_from(AuditEvent)
                        .where(AuditEvent.action == "notice.id_notice_viewed")) == 0


def test_seen_notices_are_read_but_not_for_staff_and_not_the_unopened_id_notice(db):
    me = _applicant()
    _add(me.applicant_id, NoticeKind.RECEIPT, 1)
    add_id_notice(me.applicant_id, clock.today_jst())
    items = list_notices(me, me.applicant_id)
    reviewer = make_staff("rev1", REVIEWER)
    mark_seen(reviewer, me.applicant_id, [n.id for n in items])
    assert not any(n.read for n in list_notices(me, me.applicant_id))   # staff looking mark nothing
    mark_seen(me, me.applicant_id, [n.id for n in items])
    read = {n.kind: n.read for n in list_notices(me, me.applicant_id)}
    assert read == {NoticeKind.RECEIPT: True, NoticeKind.ID_NOTICE: False}
