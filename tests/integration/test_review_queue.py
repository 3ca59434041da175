"""The review queue: filters, sort and pagination in the database, on both backends."""
from datetime import timedelta

import pytest

from services import clock
from services.authz import DESK, REVIEWER
from services.deadlines import due_date
from services.errors import PermissionDenied
from services.review.queue import DUE_SOON, MINE, OVERDUE, UNASSIGNED, QueueFilters, list_queue
from tests.factories import applicant_actor, make_application, make_staff


@pytest.fixture
def reviewer(db):
    return make_staff("rev1", REVIEWER)


def _refs(rows):
    return [r.ref_no for r in rows]


def test_default_queue_shows_everything_but_drafts(reviewer):
    make_application(status="DRAFT")
    for status in ("SUBMITTED", "IN_REVIEW", "APPROVED", "RETURNED", "REJECTED"):
        make_application(status=status)
    total, rows = list_queue(reviewer, QueueFilters(), "submitted_at", 0, 50)
    assert total == 5
    assert {r.status for r in rows} == {"SUBMITTED", "IN_REVIEW", "APPROVED", "RETURNED", "REJECTED"}


def test_filters_kind_status_connection_industry(reviewer):
    make_application(connection_type="NET", industries=("通関業",))
    make_application(connection_type="GENERAL", industries=("航空会社", "混載業"))
    make_application(connection_type="GENERAL", industries=("船会社",), status="IN_REVIEW")
    make_application(kind="SYSTEM_SETTINGS", industries=("通関業",))
    assert list_queue(reviewer, QueueFilters(connection_type="GENERAL"))[0] == 2
    total, rows = list_queue(reviewer, QueueFilters(industry="航空会社"))
    assert total == 1 and rows[0].industries == ["航空会社", "混載業"]
    assert list_queue(reviewer, QueueFilters(industry="通関業"))[0] == 2
    assert list_queue(reviewer, QueueFilters(industry="通関業", kinds=("NEW_USAGE",)))[0] == 1
    assert list_queue(reviewer, QueueFilters(statuses=("IN_REVIEW",)))[0] == 1
    assert list_queue(reviewer, QueueFilters(statuses=("SUBMITTED",), connection_type="GENERAL"))[0] == 1


def test_submitted_between_uses_japanese_dates(reviewer):
    now = clock.now()
    make_application(submitted_at=now - timedelta(days=10))
    make_application(submitted_at=now - timedelta(days=3))
    make_application(submitted_at=now)
    today = clock.today_jst()
    assert list_queue(reviewer, QueueFilters(submitted_from=today - timedelta(days=4)))[0] == 2
    assert list_queue(reviewer, QueueFilters(submitted_to=today - timedelta(days=1)))[0] == 2
    assert list_queue(reviewer, QueueFilters(submitted_from=today, submitted_to=today))[0] == 1


def test_assignee_mine_unassigned_and_someone(reviewer):
    other = make_staff("rev2", REVIEWER)
    make_application(status="IN_REVIEW", assignee_id=reviewer.user_id)
    make_application(status="IN_REVIEW", assignee_id=other.user_id)
    make_application()
    assert _refs(list_queue(reviewer, QueueFilters(assignee=MINE))[1]) == _refs(
        list_queue(other, QueueFilters(assignee=reviewer.user_id))[1])
    assert list_queue(reviewer, QueueFilters(assignee=MINE))[0] == 1
    assert list_queue(reviewer, QueueFilters(assignee=UNASSIGNED))[0] == 1
    rows = list_queue(reviewer, QueueFilters(assignee=other.user_id))[1]
    assert rows[0].assignee_login == "rev2"


def test_overdue_and_due_soon_follow_business_days(reviewer):
    now = clock.now()
    old_id, _ = make_application(submitted_at=now - timedelta(days=20))
    make_application(submitted_at=now - timedelta(days=20), status="APPROVED")  # decided: never overdue
    make_application(submitted_at=now)
    overdue_total, overdue_rows = list_queue(reviewer, QueueFilters(due=OVERDUE))
    assert overdue_total == 1 and overdue_rows[0].id == old_id and overdue_rows[0].overdue
    assert overdue_rows[0].due_date == due_date(now - timedelta(days=20))
    # Whatever lies between overdue and due soon: the two sets never overlap and both are open items.
    soon = {r.id for r in list_queue(reviewer, QueueFilters(due=DUE_SOON))[1]}
    assert old_id not in soon


def test_due_soon_contains_an_item_due_tomorrow(reviewer):
    from services.calendar import add_business_days
    from services.deadlines import jst_midnight_utc
    today = clock.today_jst()
    # Submitted so that its due date is the next business day.
    day = today
    while add_business_days(day, 5) > add_business_days(today, 1):
        day -= timedelta(days=1)
    app_id, _ = make_application(submitted_at=jst_midnight_utc(day) + timedelta(hours=10))
    rows = list_queue(reviewer, QueueFilters(due=DUE_SOON))[1]
    assert [r.id for r in rows] == [app_id]
    assert not rows[0].overdue


def test_sort_and_pagination_in_the_database(reviewer):
    now = clock.now()
    for i in range(7):
        make_application(submitted_at=now - timedelta(hours=i), company=f"会社{6 - i}")
    total, page0 = list_queue(reviewer, QueueFilters(), "submitted_at", 0, 3)
    _, page1 = list_queue(reviewer, QueueFilters(), "submitted_at", 1, 3)
    _, page2 = list_queue(reviewer, QueueFilters(), "submitted_at", 2, 3)
    assert total == 7 and [len(p) for p in (page0, page1, page2)] == [3, 3, 1]
    all_rows = page0 + page1 + page2
    assert len({r.id for r in all_rows}) == 7
    assert [r.submitted_at for r in all_rows] == sorted(r.submitted_at for r in all_rows)
    newest_first = list_queue(reviewer, QueueFilters(), "-submitted_at", 0, 7)[1]
    assert newest_first == list(reversed(all_rows))
    by_company = list_queue(reviewer, QueueFilters(), "company", 0, 7)[1]
    assert [r.company_name for r in by_company] == sorted(r.company_name for r in by_company)
    by_ref = list_queue(reviewer, QueueFilters(), "-ref_no", 0, 7)[1]
    assert _refs(by_ref) == sorted(_refs(by_ref), reverse=True)


def test_ref_no_prefix(reviewer):
    make_application()
    _, rows = list_queue(reviewer, QueueFilters())
    assert list_queue(reviewer, QueueFilters(ref_no=rows[0].ref_no.lower()))[0] == 1
    assert list_queue(reviewer, QueueFilters(ref_no="NSS-1999"))[0] == 0


def test_applicants_and_desk_cannot_read_the_queue(reviewer):
    _, applicant_id = make_application()
    with pytest.raises(PermissionDenied):
        list_queue(applicant_actor(applicant_id), QueueFilters())
    with pytest.raises(PermissionDenied):
        list_queue(make_staff("desk1", DESK), QueueFilters())


def test_count_stops_after_the_cap_and_says_so(reviewer, monkeypatch):
    from services.review import queue
    now = clock.now()
    for i in range(7):
        make_application(submitted_at=now - timedelta(hours=i), connection_type="GENERAL" if i < 2 else "NET")
    monkeypatch.setattr(queue, "COUNT_CAP", 4)
    total, rows = list_queue(reviewer, QueueFilters(), "submitted_at", 0, 50)
    assert total == 5 and queue.is_capped(total) and queue.pageable_count(total) == 4
    assert len(rows) == 7  # the page itself is not capped
    # Open-only filters count through the open queue's index; the cap applies there too.
    total, _ = list_queue(reviewer, QueueFilters(statuses=("SUBMITTED", "IN_REVIEW")), "submitted_at", 0, 2)
    assert total == 5 and queue.is_capped(total)
    total, rows = list_queue(reviewer, QueueFilters(connection_type="GENERAL"), "submitted_at", 0, 50)
    assert total == 2 and not queue.is_capped(total) and len(rows) == 2
    monkeypatch.setattr(queue, "COUNT_CAP", 7)
    total, _ = list_queue(reviewer, QueueFilters(), "submitted_at", 0, 50)
    assert total == 7 and not queue.is_capped(total) and queue.pageable_count(total) == 7
