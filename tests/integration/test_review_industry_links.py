"""application_industries: kept equal to Application.industries, filled by the migration, and the
queue's 業種 filter gives the same rows whichever way (link table or LIKE) it takes."""
import pytest
from alembic import command
from sqlalchemy import create_engine, select, text

from db.migrate import alembic_config
from db.models import Application, ApplicationIndustry
from services.authz import REVIEWER
from services.review import queue
from services.review.queue import QueueFilters, list_queue
from services.uow import UnitOfWork
from tests.factories import make_application, make_staff


@pytest.fixture
def reviewer(db):
    return make_staff("rev1", REVIEWER)


def _links(app_id: int) -> set[str]:
    with UnitOfWork() as u:
        s = u.session
        return set(s.scalars(select(ApplicationIndustry.industry).where(ApplicationIndustry.application_id == app_id)))


def test_links_follow_the_industries_text(reviewer):
    app_id, _ = make_application(industries=("通関業", "海貨業"))
    assert _links(app_id) == {"通関業", "海貨業"}
    with UnitOfWork() as u:
        s = u.session
        s.get(Application, app_id).industries = "|海貨業|航空会社|"
        s.commit()
    assert _links(app_id) == {"海貨業", "航空会社"}
    with UnitOfWork() as u:
        s = u.session
        s.get(Application, app_id).industries = None
        s.commit()
    assert _links(app_id) == set()


@pytest.mark.parametrize("rare", [True, False], ids=["link-table", "like"])
def test_industry_filter_gives_the_same_rows_either_way(reviewer, monkeypatch, rare):
    a, _ = make_application(industries=("通関業",))
    b, _ = make_application(industries=("航空会社", "通関業"), status="APPROVED")
    make_application(industries=("航空会社",))
    make_application(industries=("通関業",), status="DRAFT")
    monkeypatch.setattr(queue, "_rare_industry", lambda _s, _f: rare)
    total, rows = list_queue(reviewer, QueueFilters(industry="通関業"), "submitted_at")
    assert total == 2 and {r.id for r in rows} == {a, b}
    total, rows = list_queue(reviewer, QueueFilters(industry="通関業", statuses=("APPROVED",)))
    assert total == 1 and rows[0].id == b


def test_rare_industry_goes_through_the_link_table(reviewer):
    for _ in range(3):
        make_application(industries=("通関業",))
    make_application(industries=("バンプール",))
    with UnitOfWork() as u:
        s = u.session
        # 4 applications: the bound is sqrt(1000 * 4) + 1 = 64 link rows, more than either has.
        assert queue._rare_industry(s, QueueFilters(industry="バンプール"))
        assert queue._rare_industry(s, QueueFilters(industry="通関業"))
        # Open-only filters read the industries from the open queue's index instead.
        assert not queue._rare_industry(s, QueueFilters(industry="バンプール", statuses=("SUBMITTED",)))
        assert not queue._rare_industry(s, QueueFilters())


def test_rare_industry_bound_sends_a_frequent_one_to_like(reviewer, monkeypatch):
    for _ in range(3):
        make_application(industries=("通関業",))
    make_application(industries=("バンプール",))
    monkeypatch.setattr(queue, "COUNT_CAP", 1)  # bound: sqrt(1 * 4) + 1 = 3 link rows
    with UnitOfWork() as u:
        s = u.session
        assert queue._rare_industry(s, QueueFilters(industry="バンプール"))
        assert not queue._rare_industry(s, QueueFilters(industry="通関業"))


def test_migration_fills_the_links_from_existing_applications(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    engine = create_engine(url)  # no foreign key enforcement: bare application rows suffice here
    cfg = alembic_config(url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0006_review_open_queue")
        conn.execute(text("INSERT INTO applications (id, kind, shared_use, status, applicant_id, industries, "
                          "created_at, updated_at, version) VALUES "
                          "(1, 'NEW_USAGE', 0, 'SUBMITTED', 1, '|通関業|海貨業|', '2026-01-01', '2026-01-01', 1), "
                          "(2, 'NEW_USAGE', 0, 'DRAFT', 2, NULL, '2026-01-01', '2026-01-01', 1)"))
        command.upgrade(cfg, "0007_review_industries")
        rows = conn.execute(text("SELECT application_id, industry FROM application_industries "
                                 "ORDER BY application_id, industry")).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == sorted([(1, "通関業"), (1, "海貨業")])


def test_link_condition_is_a_plain_predicate_and_cached_per_industry():
    from sqlalchemy.dialects import postgresql, sqlite
    stmt = lambda industry: select(Application.id).where(queue._HasIndustry(industry))  # noqa: E731
    on_sqlite = str(stmt("通関業").compile(dialect=sqlite.dialect()))
    assert "applications.id IN (SELECT" in on_sqlite and ") = 1" not in on_sqlite  # "= 1" would defeat the index
    assert "= ANY (array((SELECT" in str(stmt("通関業").compile(dialect=postgresql.dialect()))
    first, second = stmt("通関業")._generate_cache_key(), stmt("バンプール")._generate_cache_key()
    assert first.key == second.key  # one compiled statement ...
    assert [p.effective_value for p in first.bindparams] == ["通関業"]  # ... with the industry bound
    assert [p.effective_value for p in second.bindparams] == ["バンプール"]
