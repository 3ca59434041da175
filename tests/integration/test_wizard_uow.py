"""The wizard's use cases in a caller's unit of work: one transaction, the owner decides."""
import pytest
from sqlalchemy import func, select

from db.models import Application, AuditEvent, MailOutbox
from services.application.read import application_view
from services.application.save import save_section
from services.application.start import start_application
from services.application.submit import submit_application
from services.demo.testdata import complete_sections
from services.uow import UnitOfWork
from tests.factories import make_applicant


def _count(model) -> int:
    with UnitOfWork() as u:
        return u.session.scalar(select(func.count()).select_from(model))


def _start_fill_submit(actor, u: UnitOfWork) -> int:
    app_id = start_application(actor, actor.applicant_id, False, uow=u)
    for key, data in complete_sections("NET").items():
        version = application_view(actor, app_id, uow=u).section(key).version
        save_section(actor, app_id, key, data, version, uow=u)
    submit_application(actor, app_id, application_view(actor, app_id, uow=u).version, uow=u)
    return app_id


def test_use_cases_in_one_unit_of_work_commit_together(db):
    actor = make_applicant()
    issued = _count(MailOutbox)  # the temporary account's own mail
    with UnitOfWork() as u:
        app_id = _start_fill_submit(actor, u)
        assert u.session.get(Application, app_id).status == "SUBMITTED"
        u.commit()
    assert application_view(actor, app_id).status == "SUBMITTED"
    assert _count(MailOutbox) == issued + 1


def test_use_cases_in_one_unit_of_work_roll_back_together(db):
    actor = make_applicant()
    mails, events = _count(MailOutbox), _count(AuditEvent)  # the temporary account's issuance
    with pytest.raises(RuntimeError), UnitOfWork() as u:
        _start_fill_submit(actor, u)
        raise RuntimeError("the owner fails after the nested commits")
    assert _count(Application) == 0 and _count(MailOutbox) == mails
    assert _count(AuditEvent) == events
