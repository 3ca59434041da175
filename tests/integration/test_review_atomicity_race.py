"""All of an approval or none of it; two reviewers at once leave one decision (both backends)."""
import threading

import pytest
from sqlalchemy import func, select

from db.models import Application, MailOutbox, Notice, User, UserCode
from services import clock, codes, mail
from services.authz import REVIEWER
from services.calendar import add_business_days
from services.errors import StaleData
from services.review import actions
from services.uow import UnitOfWork
from tests.factories import make_application, make_staff, snapshot, version_of


def _start():
    return add_business_days(clock.today_jst(), 5)


@pytest.mark.parametrize("failing", ["mail", "notice", "user_codes"])
def test_failure_mid_approval_saves_nothing(db, monkeypatch, failing):
    reviewer = make_staff("rev1", REVIEWER)
    app_id, _ = make_application()
    before = snapshot(app_id)

    def boom(*args, **kwargs):
        raise RuntimeError("injected failure")
    target = {"mail": (mail, "enqueue"), "notice": (actions.notices, "add_notice"),
              "user_codes": (codes, "new_id_numbers")}[failing]
    monkeypatch.setattr(*target, boom)
    with pytest.raises(RuntimeError, match="injected"):
        actions.approve(reviewer, app_id, _start(), version_of(app_id))
    # No status change, no office login, no codes reserved (IssuedCode rolls back too), no notice, no mail.
    assert snapshot(app_id) == before
    monkeypatch.undo()
    result = actions.approve(reviewer, app_id, _start(), version_of(app_id))
    assert result.office_code


def test_two_reviewers_approving_at_once_leave_one_decision(db, monkeypatch):
    first, second = make_staff("rev1", REVIEWER), make_staff("rev2", REVIEWER)
    app_id, applicant_id = make_application()
    shown = version_of(app_id)
    # Both have read the application and passed their checks before either writes.
    barrier = threading.Barrier(2, timeout=20)
    original = actions.entered_at_desk

    def checked_then_wait(*args):
        answer = original(*args)
        barrier.wait()
        return answer
    monkeypatch.setattr(actions, "entered_at_desk", checked_then_wait)
    outcomes: dict[str, object] = {}

    def run(actor):
        try:
            outcomes[actor.login_id] = actions.approve(actor, app_id, _start(), shown)
        except Exception as exc:
            outcomes[actor.login_id] = exc
    threads = [threading.Thread(target=run, args=(a,)) for a in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    winners = [v for v in outcomes.values() if isinstance(v, actions.ApprovalResult)]
    losers = [v for v in outcomes.values() if isinstance(v, StaleData)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    with UnitOfWork() as u:
        s = u.session
        assert s.get(Application, app_id).status == "APPROVED"
        assert s.scalar(select(func.count()).select_from(User).where(User.kind == "OFFICE")) == 1
        assert s.scalar(select(func.count()).select_from(UserCode)) == 2
        assert s.scalar(select(func.count()).select_from(Notice).where(Notice.kind == "ID_NOTICE")) == 1
        assert s.scalar(select(func.count()).select_from(MailOutbox).where(MailOutbox.template == "approval")) == 1
        office = s.scalar(select(User.login_id).where(User.kind == "OFFICE"))
    assert office == winners[0].office_code
