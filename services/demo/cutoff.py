"""Demo: an office whose approval the system-settings cut-off already cancelled, so staff see one in
the dashboard's deadline list (承認取消) and on the desk record, and its demo button shows the login
refused with the reason.

Made by the real use cases: the application approved 12 business days ago (a backdated moment) with
a 利用開始日 of the last business day, none of its 利用者コード set up, then the cut-off itself run now
for this office. The review-queue demo's offices already past their deadline (how many depends on
the weekday the demo is seeded) are left to the job: the first round of a server, or
`manage.py run-jobs`, cuts them, so the seeded world stays the same whatever the day.
"""
from __future__ import annotations

from datetime import datetime, time

from faker import Faker

from db.models import Application
from services import clock, cutoff
from services.application.start import start_application
from services.application.submit import submit_application
from services.calendar import add_business_days
from services.demo import applicants
from services.review import actions
from services.uow import UnitOfWork, get_or_raise

CANCELLED_ID = "T900000006"
CUTOFF_DEMO_BUTTONS = [("cutoff.demo_button", CANCELLED_ID)]


def _at(day, hour: int, minute: int = 0):
    return clock.shifted(datetime.combine(day, time(hour, minute), tzinfo=clock.JST) - clock.now())


def seed_cancelled_office(u: UnitOfWork, fake: Faker) -> None:
    s = u.session
    reviewer = applicants._reviewer(s)
    if reviewer is None:
        return
    today = clock.today_jst()
    start = add_business_days(today, -1)
    with _at(add_business_days(today, -12), 10):
        actor, applicant_id, data = applicants._applicant(u, fake, CANCELLED_ID)
        data = applicants._net(data)
        app_id = start_application(actor, applicant_id, shared_use=False, uow=u)
        applicants._fill(u, actor, app_id, data, list(data))
        submit_application(actor, app_id, get_or_raise(s, Application, app_id).version, uow=u)
        actions.claim(reviewer, app_id, get_or_raise(s, Application, app_id).version, uow=u)
        actions.approve(reviewer, app_id, start, get_or_raise(s, Application, app_id).version, uow=u)
    cutoff.run_cutoff(only=[applicant_id], uow=u)
