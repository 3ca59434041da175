"""Two clicks at the same moment: one application started, one submission (threads, both backends)."""
import threading

from sqlalchemy import func, select

from db.models import Application, MailOutbox
from services.application.read import application_view
from services.application.save import save_section
from services.application.start import start_application
from services.application.submit import submit_application
from services.errors import DomainError, StaleData
from services.uow import UnitOfWork
from tests.factories import fill_all, make_applicant, section_row, started


def _twice(fn):
    barrier = threading.Barrier(2)
    outcomes = []

    def run():
        barrier.wait()
        try:
            outcomes.append(fn())
        except Exception as exc:
            outcomes.append(exc)
    threads = [threading.Thread(target=run) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(30)
    return outcomes


def test_two_starts_at_once_make_one_application(db):
    actor = make_applicant()
    outcomes = _twice(lambda: start_application(actor, actor.applicant_id, False))
    assert sum(isinstance(o, int) for o in outcomes) == 1
    with UnitOfWork() as u:
        s = u.session
        assert s.scalar(select(func.count()).select_from(Application)) == 1


def test_two_submits_at_once_submit_once(db):
    actor = make_applicant()
    app_id = started(actor)
    fill_all(actor, app_id, "NET")
    version = application_view(actor, app_id).version
    outcomes = _twice(lambda: submit_application(actor, app_id, version))
    assert sum(not isinstance(o, Exception) for o in outcomes) == 1
    loser = next(o for o in outcomes if isinstance(o, Exception))
    assert isinstance(loser, (StaleData, DomainError)), repr(loser)  # a message, not a crash
    with UnitOfWork() as u:
        s = u.session
        assert s.scalar(select(func.count()).select_from(MailOutbox).where(MailOutbox.template != "temp_account_issued")) == 1


def test_two_saves_of_one_screen_at_once_apply_one(db):
    actor = make_applicant()
    app_id = started(actor)
    version = application_view(actor, app_id).section("office").version
    names = iter(["タブA", "タブB"])
    lock = threading.Lock()

    def save():
        with lock:
            name = next(names)
        return save_section(actor, app_id, "office", {"company_name": name}, version)
    outcomes = _twice(save)
    winners = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(winners) == 1
    assert all(isinstance(o, StaleData) for o in outcomes if isinstance(o, Exception)), outcomes
    assert section_row(app_id, "office")["data"]["company_name"] == winners[0].data["company_name"]


def test_saves_of_two_different_screens_at_once_both_apply(db):
    actor = make_applicant()
    app_id = started(actor)
    view = application_view(actor, app_id)
    jobs = iter([("office", {"company_name": "同時A"}), ("billing_address", {"same_as_office": True})])
    lock = threading.Lock()

    def save():
        with lock:
            key, data = next(jobs)
        return save_section(actor, app_id, key, data, view.section(key).version)
    outcomes = _twice(save)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert section_row(app_id, "office")["data"]["company_name"] == "同時A"
    assert section_row(app_id, "billing_address")["status"] == "COMPLETE"
