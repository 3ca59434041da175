"""The review demo seeder fills the queue fast, in every state, with overdue and claimed items."""
from sqlalchemy import func, select

from db.models import Application, ReviewComment, User
from services.auth import to_actor
from services.authz import REVIEWER
from services.demo.seeding import seed_if_empty
from services.review import queue, stats
from services.review.queue import OVERDUE, QueueFilters
from services.uow import UnitOfWork


def test_demo_seed_fills_every_state_quickly(db):
    # How fast it runs is measured by bench/ (cold start), not asserted here: a timed assertion
    # fails on a busy machine without telling anything about the code.
    assert seed_if_empty()
    with UnitOfWork() as u:
        s = u.session
        by_status = dict(s.execute(select(Application.status, func.count()).group_by(Application.status)).all())
        reviewer = s.scalar(select(User).where(User.login_id == "demo-reviewer"))
        claimed = s.scalar(select(func.count()).where(Application.assignee_id == reviewer.id))
        returned_without_comment = s.scalar(select(func.count()).select_from(Application).where(
            Application.status == "RETURNED",
            ~select(ReviewComment.id).where(ReviewComment.application_id == Application.id).exists()))
    assert set(by_status) == {"DRAFT", "SUBMITTED", "IN_REVIEW", "APPROVED", "RETURNED", "REJECTED"}
    assert 280 <= sum(by_status.values()) <= 320
    assert claimed > 0
    assert returned_without_comment == 0  # the applicant side shows them on the screens
    with UnitOfWork() as u:
        s = u.session
        actor = to_actor(s.scalar(select(User).where(User.login_id == "demo-reviewer")))
    assert REVIEWER in actor.roles
    overdue_total, _ = queue.list_queue(actor, QueueFilters(due=OVERDUE), "submitted_at", 0, 50)
    assert overdue_total > 0
    figures = stats.dashboard_stats(actor)
    assert figures.deadline_counts[stats.DeadlineKind.TEMP_ACCOUNT_EXPIRY] > 0
    assert figures.mine_open > 0
