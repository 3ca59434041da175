"""Demo seeding hashes each demo password once (bcrypt is slow on purpose), and the demo logins work."""
import bcrypt
import pytest
from sqlalchemy import func, select

from db.models import Applicant, User
from db.search_text import search_key
from services import auth
from services.demo import accounts, seeding
from services.demo.applicants import WIZARD_DEMO_BUTTONS
from services.demo.review_queue import DEMO_OFFICE_PASSWORD
from services.demo.temp_account import DEMO_TEMP_LOGIN_ID
from services.uow import UnitOfWork


def test_create_user_takes_a_precomputed_hash(db):
    ready = accounts.demo_password_hash("Some-Pass-2026")
    with UnitOfWork() as u:
        s = u.session
        auth.create_user(s, login_id="x1", display_name="x", password_hash=ready, roles={"desk"},
                         must_change_password=False)
        s.commit()
    assert auth.authenticate("x1", "Some-Pass-2026").ok
    with UnitOfWork() as u, pytest.raises(ValueError):
        s = u.session
        auth.create_user(s, login_id="x2", display_name="x", password="a", password_hash=ready, roles={"desk"})
    with UnitOfWork() as u, pytest.raises(ValueError):
        s = u.session
        auth.create_user(s, login_id="x3", display_name="x", roles={"desk"})


def test_seeding_hashes_each_demo_password_once(db, monkeypatch):
    calls = []
    real = bcrypt.hashpw
    monkeypatch.setattr(bcrypt, "hashpw", lambda pw, salt: calls.append(pw) or real(pw, salt))
    accounts._hash.cache_clear()
    assert seeding.seed_if_empty()
    demo_passwords = [accounts.DEMO_PASSWORD.encode(), DEMO_OFFICE_PASSWORD.encode()]
    # Each demo password once, plus the office password each real approval of a demo applicant
    # generates (the approved one and the one the cut-off cancelled; approval hashes it like any other).
    assert sorted(c for c in calls if c in demo_passwords) == sorted(demo_passwords) and len(calls) == 4
    with UnitOfWork() as u:
        s = u.session
        assert s.scalar(select(func.count()).select_from(User).where(User.is_demo.is_(True))) > 10
    demo_logins = ["demo-desk", "demo-admin", DEMO_TEMP_LOGIN_ID, *(login for _, login in WIZARD_DEMO_BUTTONS)]
    for login_id in demo_logins:
        assert auth.authenticate(login_id, accounts.DEMO_PASSWORD).ok, login_id


def test_every_seeded_applicant_has_its_search_columns(db):
    """The desk's name/company search reads the *_search columns: every writer must fill them."""
    seeding.seed_if_empty()
    with UnitOfWork() as u:
        s = u.session
        rows = s.execute(select(Applicant.contact_name, Applicant.contact_name_search, Applicant.company_name,
                                Applicant.company_name_search)).all()
    assert len(rows) > 300
    assert all(r.contact_name_search == search_key(r.contact_name) and r.contact_name_search for r in rows)
    assert all(r.company_name_search == search_key(r.company_name) and r.company_name_search for r in rows)
