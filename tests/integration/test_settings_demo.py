"""The demo offices at each system-settings stage: one-click logins, the ○/× each shows."""

import config
from services import guidance
from services.auth import authenticate
from services.authz import UserKind
from services.contract import contract
from services.demo import seeding as demo
from services.demo.accounts import DEMO_PASSWORD
from services.demo.offices import ALL_ID, NONE_ID, SOME_ID
from services.system_settings.matrix import settings_matrix
from tests.factories import make_staff


def _marks(login_id: str) -> list[list[str]]:
    actor = demo.demo_login(login_id)
    assert actor.kind == UserKind.OFFICE and actor.login_id == login_id
    table = contract(actor, actor.applicant_id).registrations
    return [[row.mark(c) for c in table.columns] for row in table.rows]


def test_offices_at_each_stage(demo_on):
    assert {m for row in _marks(NONE_ID) for m in row} == {"×", ""}
    some = sorted(_marks(SOME_ID), key=lambda row: "×" in row)
    assert "×" not in some[0] and "○" in some[1] and "×" in some[1]  # one 利用者コード done, one with its 名称 only
    assert {m for row in _marks(ALL_ID) for m in row} <= {"○", ""}
    everything_done = guidance.guidance(demo.demo_login(ALL_ID), demo.demo_login(ALL_ID).applicant_id)
    assert everything_done.all_done
    assert [k for k, _ in demo.DEMO_BUTTONS if k.startswith("demo.button.office_settings")] == [
        "demo.button.office_settings_none", "demo.button.office_settings_some", "demo.button.office_settings_all"]


def test_demo_office_logs_in_with_its_office_code_and_appears_in_the_staff_matrix(demo_on):
    result = authenticate(SOME_ID, DEMO_PASSWORD)
    assert result.ok and result.actor is not None and not result.actor.must_change_password
    rows = settings_matrix(make_staff("rev-demo", "reviewer"), horizon_days=20).rows
    assert {r.office_code for r in rows} >= {NONE_ID, SOME_ID}


def test_the_all_done_office_has_a_cancellation_waiting_for_review(demo_on):
    from services.cancellation.request import choices
    from services.review.queue import QueueFilters, list_queue
    from services.workflow import ApplicationKind, ApplicationStatus
    office = demo.demo_login(ALL_ID)
    waiting = choices(office, office.applicant_id)
    assert waiting.open_application_id is not None and len(waiting.user_codes) == 2  # none retired yet
    total, rows = list_queue(make_staff("rev-demo-cx", "reviewer"), QueueFilters(kinds=(ApplicationKind.CANCELLATION,)))
    assert total == 1 and rows[0].status == ApplicationStatus.SUBMITTED and rows[0].id == waiting.open_application_id


def test_the_seed_gives_the_waiting_office_its_suggestions_without_the_romaniser(db, monkeypatch):
    """The cold start does not load pykakasi (~1.5 s, issue 9 item 3): the waiting システム設定申込's
    「名称」 tab is prefilled from the names known in advance. Fails when the demo world's names change
    (update services.demo.system_settings.SUGGESTIONS from english.romanised)."""
    from sqlalchemy import select

    from db.models import Application, ApplicationSection
    from services.system_settings import english, romanise
    from services.workflow import ApplicationKind

    def refuse():
        raise AssertionError("the demo seed loaded the romaniser")
    monkeypatch.setattr(romanise, "_converter", refuse)
    english.suggest_english.cache_clear()
    monkeypatch.setenv("NSS_DEMO", "1")
    config.settings.cache_clear()
    assert demo.seed_if_empty()
    from services.uow import UnitOfWork
    with UnitOfWork() as u:
        s = u.session
        names = s.scalars(select(ApplicationSection.data).join(Application).where(
            Application.kind == ApplicationKind.SYSTEM_SETTINGS, ApplicationSection.section_key == "ss_name")).all()
    english.suggest_english.cache_clear()
    assert [n["company_name_en"] for n in names] == ["Yamamoto Kogyo Co., Ltd."]


def test_the_demo_suggestions_are_what_the_romaniser_gives():
    from services.demo.system_settings import SUGGESTIONS
    from services.system_settings import english
    assert {ja: english.romanised(ja) for ja in SUGGESTIONS} == SUGGESTIONS


def test_the_background_jobs_leave_every_demo_office_as_seeded(demo_on):
    """The jobs' first run on a fresh demo world (a server's first minutes) cuts and ends nothing:
    every demo office still has its approval and its one-click login works."""
    from services import cutoff
    from services.cancellation.effect import run_due
    from services.demo.changes import CHANGED_ID, WAITING_ID

    assert cutoff.run_cutoff().cancelled == []
    run_due()
    for office in (NONE_ID, SOME_ID, ALL_ID, CHANGED_ID, WAITING_ID):
        assert authenticate(office, DEMO_PASSWORD).ok, office
