"""A demo 解約申込 waiting in the review queue (issue 12): the 「all ○」 demo office of
services.demo.offices (事業所コード offices.ALL_ID, one-click login) applies through the real use
cases (start, save, submit) to cancel its second 利用者コード a month from today; the reviewers find
it in the queue (種別 解約申込). No approval here: the demo keeps the office and both codes in use."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from faker import Faker
from sqlalchemy import select

from db.models import Application, User, UserCode
from services import clock
from services.application.save import save_section
from services.application.submit import submit_application
from services.auth import login_key, to_actor
from services.cancellation.request import start_cancellation
from services.cancellation.sections import REQUEST, Scope
from services.demo import offices
from services.demo.applicants import _version
from services.uow import UnitOfWork, get_or_raise

DEMO_OFFICE_CODE = offices.ALL_ID
REASON = "航空貨物の取扱いを終了するため"


def seed_cancellation_waiting(u: UnitOfWork, _fake: Faker) -> None:
    s = u.session
    user = s.scalar(select(User).where(User.login_key == login_key(DEMO_OFFICE_CODE)))
    if user is None or user.applicant_id is None:
        return
    office = replace(to_actor(user), must_change_password=False)
    second = s.scalars(select(UserCode.user_code).where(UserCode.applicant_id == user.applicant_id)
                       .order_by(UserCode.id)).all()[-1]
    app_id = start_cancellation(office, user.applicant_id, uow=u)
    data = {"scope": Scope.USER_CODE.value, "user_code": second,
            "cancel_date": (clock.today_jst() + timedelta(days=30)).isoformat(), "reason": REASON}
    save_section(office, app_id, REQUEST, data, _version(u, app_id, REQUEST), uow=u)
    submit_application(office, app_id, get_or_raise(s, Application, app_id).version, uow=u)
