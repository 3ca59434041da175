"""The benchmark generator must keep producing loadable, realistically spread data.

Not a benchmark: ~200 rows into a temp SQLite, checked for counts, spread and consistency.
"""
import pytest
from sqlalchemy import func, select

from bench.datagen import SECTION_KEYS, office_code, temp_login_id, user_code
from bench.generate import generate, summarise
from db.engine import dispose_all, get_engine
from db.models import Applicant, Application, ApplicationIndustry, ApplicationSection, Notice, User, UserCode
from db.reference import INDUSTRIES
from services.application.sections import SECTION_BY_KEY, context_of
from services.fields import clean_corporate_number

N = 200


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('bench') / 'gen.db'}"
    result = generate(url, N, batch=64)
    yield url, result
    dispose_all()


def test_generator_fills_a_migrated_database_with_a_realistic_spread(generated):
    url, result = generated
    summary = summarise(url)
    with get_engine(url).connect() as conn:
        apps = conn.execute(select(Application)).all()
        corporate_numbers = conn.scalars(
            select(Applicant.corporate_number).where(Applicant.corporate_number.is_not(None))).all()
        approved_without_office = conn.scalar(
            select(func.count()).select_from(Application).join(Applicant)
            .where(Application.status == "APPROVED", Applicant.office_code.is_(None)))
        user_codes = conn.scalar(select(func.count()).select_from(UserCode))
        notices = conn.scalar(select(func.count()).select_from(Notice))
        applicant_users = conn.scalar(select(func.count()).where(User.applicant_id.is_not(None)))
        section_keys = set(conn.scalars(select(ApplicationSection.section_key).distinct()))
        links = {(r.application_id, r.industry) for r in conn.execute(select(ApplicationIndustry))}

    assert summary["applications"] == N and result.applicants > N
    assert summary["sections"] == N * len(SECTION_KEYS) and section_keys == set(SECTION_KEYS)
    status = summary["status"]
    assert set(status) == {"DRAFT", "SUBMITTED", "IN_REVIEW", "APPROVED", "RETURNED", "REJECTED"}
    assert status["APPROVED"] + status["DRAFT"] > N / 2  # mostly decided or still being entered
    assert 0.03 * N <= summary["shared_use"].get(True, 0) <= 0.2 * N
    assert set(summary["connection_type"]) == {"NET", "GENERAL"}
    assert set(summary["industry_counts"]) <= {1, 2, 3} and len(summary["industry_counts"]) >= 2
    assert 0 < summary["assigned"] < N
    for app in apps:
        names = app.industries.strip("|").split("|")
        assert app.industries.startswith("|") and set(names) <= set(INDUSTRIES)
        assert (app.submitted_at is None) == (app.status == "DRAFT")
        assert (app.start_date is not None) == (app.status == "APPROVED")
    assert links == {(app.id, name) for app in apps for name in app.industries.strip("|").split("|")}
    assert approved_without_office == 0
    assert user_codes >= status["APPROVED"] and notices == status["APPROVED"]
    assert applicant_users == result.applicants
    assert all(clean_corporate_number(c) == c for c in corporate_numbers)
    oldest, newest = summary["submitted_range"]
    assert (newest - oldest).days > 300  # spread over the two years, not bunched on one day


def test_generated_codes_are_unique_and_well_formed():
    temp = {temp_login_id(i) for i in range(1, 5001)}
    offices = {office_code(i) for i in range(1, 5001)}
    codes = {user_code(i) for i in range(1, 5001)}
    assert len(temp) == len(offices) == len(codes) == 5000
    assert all(t.startswith("T") and len(t) == 10 for t in temp)
    assert all(len(o) == 8 and not o.startswith("T") for o in offices)
    assert all(len(c) == 5 for c in codes)


def test_generated_screens_agree_with_the_wizards_own_status_rules(generated):
    """Section data uses the wizard's field names and shapes: a 入力済 screen passes its checks,
    a 入力中 one does not, so detail views and approvals work on bench data as on real data."""
    url, _ = generated
    with get_engine(url).connect() as conn:
        apps = conn.execute(select(Application.id, Application.shared_use)).all()
        sections = conn.execute(select(ApplicationSection.application_id, ApplicationSection.section_key,
                                       ApplicationSection.data, ApplicationSection.status)).all()
    by_app: dict[int, dict] = {}
    for app_id, key, data, status in sections:
        by_app.setdefault(app_id, {})[key] = (data, status)
    seen = set()
    for app_id, shared_use in apps:
        screens = by_app[app_id]
        ctx = context_of({k: d for k, (d, _) in screens.items()}, shared_use)
        for key, (data, status) in screens.items():
            assert (SECTION_BY_KEY[key].status(data, ctx) if data else "EMPTY") == status, (app_id, key)
            seen.add(status)
    assert seen == {"EMPTY", "PARTIAL", "COMPLETE"}
