"""Demo data of the applicant entry: a temporary account just issued, for the one-click button."""
from __future__ import annotations

import secrets
from datetime import timedelta

from faker import Faker
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from config import settings
from db.models import Applicant, Application, IssuedCode, User
from services import clock
from services.authz import UserKind
from services.codes import CodeKind
from services.demo.accounts import DEMO_PASSWORD, demo_password_hash
from services.fields import clean_kana, corporate_number_check_digit
from services.temp_accounts import Channel, create_temp_account, terms_in_force
from services.uow import UnitOfWork, get_or_raise

# Fixed so the demo button can name it; generated IDs never contain 0 or 1, so it cannot collide.
DEMO_TEMP_LOGIN_ID = "T000000001"


def _demo_values(fake: Faker) -> dict[str, str]:
    last, last_kana, _ = fake.last_name_pair()
    first, first_kana, _ = fake.first_name_pair()
    base12 = "".join(secrets.choice("0123456789") for _ in range(12))
    return {
        "contact_name": f"{last} {first}", "contact_kana": clean_kana(f"{last_kana} {first_kana}"),
        "company_name": fake.company(), "department": "輸出入業務部",
        "phone": f"03-{fake.numerify('####')}-{fake.numerify('####')}",
        "email": "demo-applicant@example.jp",
        "corporate_number": f"{corporate_number_check_digit(base12)}{base12}",
    }


def seed_fresh_temp_account(u: UnitOfWork, fake: Faker) -> None:
    s = u.session
    s.add(IssuedCode(code=DEMO_TEMP_LOGIN_ID, kind=CodeKind.TEMP_LOGIN, issued_at=clock.now()))
    create_temp_account(s, _demo_values(fake), terms=terms_in_force(s), via=Channel.WEB, password=DEMO_PASSWORD,
                        password_hash=demo_password_hash(), is_demo=True, temp_login_id=DEMO_TEMP_LOGIN_ID)


def refresh_demo_temp_account(s: Session, user: User) -> None:
    """Before a demo login: the demo temporary account is always 'just issued', so its 48 hours
    never run out between demos (only while no application has been started with it)."""
    if user.kind != UserKind.TEMP or not user.is_demo or user.applicant_id is None:
        return
    if s.scalar(select(exists().where(Application.applicant_id == user.applicant_id))):
        return
    applicant = get_or_raise(s, Applicant, user.applicant_id)
    applicant.issued_at = clock.now()
    applicant.temp_expires_at = clock.now() + timedelta(hours=settings().temp_account_hours)
