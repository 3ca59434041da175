"""Demo data: a fresh temporary account for the one-click button, always within its 48 hours."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from db.models import Applicant
from services import auth, clock
from services.demo import seeding as demo
from services.demo.temp_account import DEMO_TEMP_LOGIN_ID
from services.uow import UnitOfWork


def test_seed_creates_a_demo_temp_account_with_the_demo_password(demo_on):
    login = auth.authenticate(DEMO_TEMP_LOGIN_ID, demo.DEMO_PASSWORD)
    assert login.ok and login.actor.kind == "TEMP"
    with UnitOfWork() as u:
        s = u.session
        applicant = s.scalar(select(Applicant).where(Applicant.temp_login_id == DEMO_TEMP_LOGIN_ID))
        assert applicant.is_demo and applicant.status == "TEMP_REGISTERED"
        assert applicant.contact_kana and applicant.company_name
    assert ("temp_account.demo_button", DEMO_TEMP_LOGIN_ID) in demo.DEMO_BUTTONS


def test_demo_button_keeps_the_temp_account_fresh(demo_on):
    with clock.shifted(timedelta(days=30)):
        actor = demo.demo_login(DEMO_TEMP_LOGIN_ID)
        assert auth.session_actor(DEMO_TEMP_LOGIN_ID, clock.now()) is not None
        assert actor.applicant_id is not None
