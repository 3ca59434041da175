"""Working the review queue: the 企業名 of 事業所・企業 (kept in sync, backfilled by migration 0009),
「承認して次へ」's next item of the same filtered queue, and bulk assign / release with a stale item."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, select, text

from db.models import Application, ApplicationSection
from services import clock
from services.application.save import save_section
from services.authz import REVIEWER, ReviewAction
from services.errors import DomainError, StaleData
from services.review import actions, detail
from services.review.actions import BulkItem, bulk_assignment
from services.review.queue import MINE, QueueFilters, list_queue, next_in_queue
from services.uow import UnitOfWork
from tests.factories import make_applicant as new_applicant
from tests.factories import (
    make_application,
    make_staff,
    next_start_date,
    section_payloads,
    started,
    version_of,
)
from tests.integration.conftest import upgrade


@pytest.fixture
def reviewer(db):
    return make_staff("rev1", REVIEWER)


def _office_version(app_id: int) -> int:
    with UnitOfWork() as u:
        return u.session.scalar(select(ApplicationSection.version).where(
            ApplicationSection.application_id == app_id, ApplicationSection.section_key == "office"))


# ------------------------------------------------------------------ 企業名

def test_queue_and_detail_show_the_company_name_of_the_office_screen(reviewer):
    app_id, _ = make_application(company="仮登録の会社名")  # the factory also types it on 事業所・企業
    applicant = new_applicant(None, "other@example.jp", company="仮アカウントの会社")
    draft = started(applicant)
    office = section_payloads()["office"] | {"company_name": "事業所画面の企業名株式会社"}
    save_section(applicant, draft, "office", office, _office_version(draft))
    rows = {r.id: r for r in list_queue(reviewer, QueueFilters(statuses=("DRAFT",)))[1]}
    assert rows[draft].company_name == "事業所画面の企業名株式会社"
    assert detail.application_detail(reviewer, draft).company_name == "事業所画面の企業名株式会社"
    # Typed again: the queue follows the latest save.
    save_section(applicant, draft, "office", office | {"company_name": "改名後株式会社"}, _office_version(draft))
    assert detail.application_detail(reviewer, draft).company_name == "改名後株式会社"
    assert {r.id: r for r in list_queue(reviewer)[1]}[app_id].company_name == "仮登録の会社名"


def test_until_the_office_screen_names_it_the_temporary_accounts_company_shows(reviewer):
    applicant = new_applicant(None, "blank@example.jp", company="仮アカウントの会社")
    draft = started(applicant)
    assert detail.application_detail(reviewer, draft).company_name == "仮アカウントの会社"
    save_section(applicant, draft, "office", {"company_name": "　"}, _office_version(draft))  # blank
    assert detail.application_detail(reviewer, draft).company_name == "仮アカウントの会社"
    rows = list_queue(reviewer, QueueFilters(statuses=("DRAFT",)))[1]
    assert [r.company_name for r in rows] == ["仮アカウントの会社"]


def test_company_sort_uses_the_office_screens_name(reviewer):
    make_application(company="い会社")
    make_application(company="あ会社")
    make_application(company="う会社")
    _, rows = list_queue(reviewer, QueueFilters(), "company")
    assert [r.company_name for r in rows] == ["あ会社", "い会社", "う会社"]


NOW = datetime(2026, 11, 30, tzinfo=UTC)


def test_migration_backfills_the_company_name_from_the_stored_screens(fresh_url):
    upgrade(fresh_url, "0008_review_open_queue_conn")
    engine = create_engine(fresh_url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO terms_versions (id, version, body, created_at) VALUES (1, '1', 'x', :now)"),
                     {"now": NOW})
        conn.execute(text(
            "INSERT INTO applicants (id, temp_login_id, status, contact_name, contact_kana, company_name, phone,"
            " phone_digits, email, email_lower, terms_version_id, terms_agreed_at, terms_agreed_via, issued_at,"
            " temp_expires_at, is_demo, contact_name_search, company_name_search) VALUES (1, 'T222222222',"
            " 'TEMP_REGISTERED', '山田', 'ヤマダ', '仮の会社', '03', '03', 'a@b.jp', 'a@b.jp', 1, :now, 'WEB', :now,"
            " :now, false, '山田', '仮の会社')"), {"now": NOW})
        for app_id, office in ((1, '{"company_name": "  入力済の企業名  "}'), (2, '{"company_name": ""}'),
                               (3, None), (4, '{"office_name": "x"}')):
            conn.execute(text(
                "INSERT INTO applications (id, kind, shared_use, status, applicant_id, created_at, updated_at,"
                " version) VALUES (:id, 'NEW_USAGE', false, 'SUBMITTED', 1, :now, :now, 1)"),
                {"id": app_id, "now": NOW})
            if office is not None:
                conn.execute(text(
                    "INSERT INTO application_sections (application_id, section_key, data, status, updated_at,"
                    " version) VALUES (:id, 'office', :data, 'COMPLETE', :now, 1)"),
                    {"id": app_id, "data": office, "now": NOW})
            # Another screen's company_name is not the 企業名.
            conn.execute(text(
                "INSERT INTO application_sections (application_id, section_key, data, status, updated_at,"
                " version) VALUES (:id, 'billing_address', '{\"company_name\": \"請求先\"}', 'COMPLETE', :now, 1)"),
                {"id": app_id, "now": NOW})
    engine.dispose()
    upgrade(fresh_url, "head")
    engine = create_engine(fresh_url)
    with engine.connect() as conn:
        names = dict(conn.execute(text("SELECT id, company_name FROM applications ORDER BY id")).all())
        if engine.dialect.name == "postgresql":
            indexes = {r[0] for r in conn.execute(text(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'applications'"))}
        else:
            indexes = {r[1] for r in conn.execute(text("PRAGMA index_list('applications')"))}
    engine.dispose()
    assert names == {1: "入力済の企業名", 2: None, 3: None, 4: None}
    assert "ix_app_assignee_submitted" in indexes


# ------------------------------------------------------------------ next in the same filtered queue

def test_next_in_queue_follows_the_filters_and_the_sort(reviewer):
    now = clock.now()
    oldest, _ = make_application(connection_type="NET", submitted_at=now - timedelta(hours=5))
    make_application(connection_type="GENERAL", submitted_at=now - timedelta(hours=4))  # filtered out
    middle, _ = make_application(connection_type="NET", submitted_at=now - timedelta(hours=3))
    make_application(connection_type="NET", status="APPROVED", submitted_at=now - timedelta(hours=2))  # decided
    newest, _ = make_application(connection_type="NET", submitted_at=now - timedelta(hours=1))
    net_open = QueueFilters(statuses=("SUBMITTED", "IN_REVIEW"), connection_type="NET")
    assert next_in_queue(reviewer, net_open, "submitted_at", oldest) == middle
    assert next_in_queue(reviewer, net_open, "submitted_at", middle) == newest
    assert next_in_queue(reviewer, net_open, "submitted_at", newest) is None  # the end of the queue
    assert next_in_queue(reviewer, net_open, "-submitted_at", newest) == middle
    assert next_in_queue(reviewer, net_open, "-submitted_at", middle) == oldest


def test_next_after_a_decision_is_the_one_that_followed_it(reviewer):
    now = clock.now()
    first, _ = make_application(submitted_at=now - timedelta(hours=2))
    second, _ = make_application(submitted_at=now - timedelta(hours=1))
    open_only = QueueFilters(statuses=("SUBMITTED", "IN_REVIEW"))
    following = next_in_queue(reviewer, open_only, "status", first)  # asked before acting, as the page does
    actions.approve(reviewer, first, next_start_date(), version_of(first))
    assert following == second


def test_next_in_queue_with_equal_sort_keys_goes_by_id(reviewer):
    ids = [make_application(company="同名株式会社")[0] for _ in range(3)]
    assert next_in_queue(reviewer, QueueFilters(), "company", ids[0]) == ids[1]
    assert next_in_queue(reviewer, QueueFilters(), "company", ids[1]) == ids[2]
    assert next_in_queue(reviewer, QueueFilters(), "-company", ids[2]) == ids[1]


# ------------------------------------------------------------------ bulk

def test_bulk_claim_reports_the_stale_item_and_does_the_rest(reviewer):
    other = make_staff("rev2", REVIEWER)
    ids = [make_application()[0] for _ in range(3)]
    shown = {i: version_of(i) for i in ids}
    actions.claim(other, ids[1], shown[ids[1]])  # meanwhile someone took the second one
    outcomes = bulk_assignment(reviewer, ReviewAction.CLAIM, [BulkItem(i, shown[i]) for i in ids])
    assert [o.done for o in outcomes] == [True, False, True]
    assert isinstance(outcomes[1].error, StaleData)
    with UnitOfWork() as u:
        held = {a.id: (a.status, a.assignee_id) for a in u.session.scalars(select(Application))}
    assert held[ids[0]] == held[ids[2]] == ("IN_REVIEW", reviewer.user_id)
    assert held[ids[1]] == ("IN_REVIEW", other.user_id)  # untouched
    assert list_queue(reviewer, QueueFilters(assignee=MINE))[0] == 2


def test_bulk_release_puts_them_back_and_skips_one_not_open(reviewer):
    ids = [make_application(status="IN_REVIEW", assignee_id=reviewer.user_id)[0] for _ in range(2)]
    approved, _ = make_application(status="APPROVED", assignee_id=reviewer.user_id)
    items = [BulkItem(i, version_of(i)) for i in (*ids, approved)]
    outcomes = bulk_assignment(reviewer, ReviewAction.RELEASE, items)
    assert [o.done for o in outcomes] == [True, True, False]
    assert outcomes[2].error.code == "review.bulk_not_offered"
    with UnitOfWork() as u:
        s = u.session
        assert [(s.get(Application, i).status, s.get(Application, i).assignee_id) for i in ids] == \
            [("SUBMITTED", None)] * 2
        assert s.get(Application, approved).status == "APPROVED"


def test_bulk_refuses_other_actions(reviewer):
    app_id, _ = make_application()
    with pytest.raises(DomainError):
        bulk_assignment(reviewer, ReviewAction.APPROVE, [BulkItem(app_id, version_of(app_id))])
