"""Demo offices with 変更申込 (SPEC §2.6), each with a one-click login:

- CHANGED_ID: its 変更申込 was approved (by the demo reviewer, through the use cases): the first
  利用者コード gained 船会社 and a new 利用者コード was issued from next month, so 契約内容確認 shows two
  versions in its history and the guidance asks for the new code's システム設定の申込;
- WAITING_ID: its 変更申込 (料金プラン and a new 利用者コード) waits in the review queue.

The offices themselves are made like the other demo offices (services.demo.offices, in bulk)."""
from __future__ import annotations

import random
from dataclasses import replace

from faker import Faker
from sqlalchemy import select

from db.models import Application, User
from services import clock
from services.application.save import save_section
from services.application.submit import submit_application
from services.auth import login_key, to_actor
from services.authz import Actor
from services.change.parts import month_choices
from services.change.start import start_change
from services.demo import offices
from services.demo.applicants import _version
from services.review import actions
from services.uow import UnitOfWork, get_or_raise

CHANGED_ID, WAITING_ID = "D0000004", "D0000005"
CHANGE_DEMO_BUTTONS = [
    ("demo.button.office_change_approved", CHANGED_ID),
    ("demo.button.office_change_waiting", WAITING_ID),
]
NEW_CODE_ROW = {"system_category": "航空", "industries": ["航空会社"], "id_number_count": 1,
                "management_reports": False, "bonded_storage_service": False}


def _actor(u: UnitOfWork, login_id: str) -> Actor:
    user = u.session.scalar(select(User).where(User.login_key == login_key(login_id)))
    assert user is not None
    return replace(to_actor(user), must_change_password=False)


def _submitted_change(u: UnitOfWork, office: Actor, parts: list[str], edits: dict) -> int:
    assert office.applicant_id is not None
    app_id = start_change(office, office.applicant_id, parts, month_choices(clock.today_jst())[0], uow=u)
    sections = {r.section_key: dict(r.data or {}) for r in get_or_raise(u.session, Application, app_id).sections}
    for key, edit in edits.items():
        save_section(office, app_id, key, edit(sections[key]), _version(u, app_id, key), uow=u)
    submit_application(office, app_id, get_or_raise(u.session, Application, app_id).version, uow=u)
    return app_id


def _add_code(industry: str | None = None):
    def edit(data: dict) -> dict:
        rows = [dict(r) for r in data.get("user_codes") or []]
        if industry:
            rows[0]["industries"] = [*rows[0]["industries"], industry]
        return {"user_codes": [*rows, dict(NEW_CODE_ROW)]}
    return edit


def seed_change_offices(u: UnitOfWork, fake: Faker) -> None:
    rnd = random.Random(2028)
    for code in (CHANGED_ID, WAITING_ID):
        # 利用開始日 7 business days ahead: its システム設定 deadline (4 before) is still to come, so the
        # cut-off job leaves these offices as they are (with 3 it cancelled both on its first run).
        offices.make_office(u, fake, rnd, code, start_in=7)
    u.flush()
    changed = _submitted_change(u, _actor(u, CHANGED_ID), ["user_codes"], {"user_code": _add_code("船会社")})
    reviewer = _actor(u, "demo-reviewer")
    actions.claim(reviewer, changed, get_or_raise(u.session, Application, changed).version, uow=u)
    actions.approve(reviewer, changed, None, get_or_raise(u.session, Application, changed).version, uow=u)
    _submitted_change(u, _actor(u, WAITING_ID), ["user_codes", "fee_plan"],
                      {"user_code": _add_code(), "fee_plan": lambda d: {**d, "plan": "A" if d.get("plan") != "A" else "B"}})
