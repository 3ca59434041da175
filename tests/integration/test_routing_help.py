"""Routing help (issue 12 item 5), SQLite and PostgreSQL: a new temporary account or 新規利用申込 with
the 法人番号 or an address of an existing OFFICE is told that a 変更申込 or 共同利用 may be what is
wanted — matched by 法人番号 and by address, not otherwise (another number and address, an applicant
that is no office yet, the application's own applicant, a 共同利用 application), through indexes."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from db.engine import get_engine
from services.application.read import application_view
from services.application.save import save_section
from services.authz import REVIEWER
from services.demo.testdata import corporate_number
from services.desk.duplicates import (
    SCREEN_VALUE_INDEXES,
    DuplicateReason,
    _office_sections_with,
    routing_help,
    routing_help_for_corporate_number,
)
from services.errors import PermissionDenied
from tests.factories import make_applicant, make_application, make_office, make_staff, section_payloads, started

SHARED_NUMBER = corporate_number("234567890123")   # the factories' 事業所・企業 screen
SHARED_ADDRESS = "東京都港区芝浦1-2-3"
OTHER_NUMBER = corporate_number("111111111111")


def _new_usage(*, number: str, address: str, shared_use: bool = False, email: str = "new@example.jp"):
    applicant = make_applicant(None, email)
    app_id = started(applicant, shared_use)
    office = section_payloads()["office"] | {"head_office_address": address, "office_address": address,
                                             "corporate_number": number}
    save_section(applicant, app_id, "office", office, application_view(applicant, app_id).section("office").version)
    return applicant, app_id


def test_a_temporary_account_with_an_office_s_corporate_number_is_told(db):
    make_application()  # an applicant with that number that is no office (yet): no help
    assert routing_help_for_corporate_number(SHARED_NUMBER) == ()
    office = make_office()
    full_width = SHARED_NUMBER.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert routing_help_for_corporate_number(full_width) == (DuplicateReason.CORPORATE_NUMBER,)
    assert routing_help_for_corporate_number(OTHER_NUMBER) == ()
    assert routing_help_for_corporate_number("") == () and routing_help_for_corporate_number("123") == ()
    assert routing_help_for_corporate_number(SHARED_NUMBER, exclude=office.applicant_id) == ()


def test_an_application_is_matched_by_corporate_number_and_by_address_not_otherwise(db):
    make_office()
    reviewer = make_staff("rev-route", REVIEWER)
    both, both_id = _new_usage(number=SHARED_NUMBER, address=SHARED_ADDRESS, email="a@example.jp")
    assert routing_help(both, both_id) == (DuplicateReason.CORPORATE_NUMBER, DuplicateReason.ADDRESS)
    by_address, address_id = _new_usage(number=OTHER_NUMBER, address=SHARED_ADDRESS, email="b@example.jp")
    assert routing_help(by_address, address_id) == (DuplicateReason.ADDRESS,)
    assert routing_help(reviewer, address_id) == (DuplicateReason.ADDRESS,)  # the reviewer is told too
    by_number, number_id = _new_usage(number=SHARED_NUMBER, address="大阪府大阪市北区梅田1-1-1", email="c@example.jp")
    assert routing_help(by_number, number_id) == (DuplicateReason.CORPORATE_NUMBER,)
    elsewhere, elsewhere_id = _new_usage(number=OTHER_NUMBER, address="大阪府大阪市北区梅田1-1-1", email="d@example.jp")
    assert routing_help(elsewhere, elsewhere_id) == ()
    shared, shared_id = _new_usage(number=SHARED_NUMBER, address=SHARED_ADDRESS, shared_use=True, email="e@example.jp")
    assert routing_help(shared, shared_id) == ()  # already a 共同利用
    with pytest.raises(PermissionDenied):
        routing_help(elsewhere, both_id)  # another applicant's application


def test_an_office_s_own_application_does_not_match_itself(db):
    office = make_office()
    assert routing_help(office.actor, office.new_usage_id) == ()


def test_the_screen_values_are_looked_up_through_their_indexes(db):
    engine = get_engine(db)
    sqlite = engine.dialect.name == "sqlite"
    for name, key in SCREEN_VALUE_INDEXES.items():
        query = _office_sections_with({key: {SHARED_NUMBER}})
        compiled = query.compile(engine, compile_kwargs={"literal_binds": True})
        with engine.connect() as conn, conn.begin():
            if not sqlite:
                conn.execute(text("SET LOCAL enable_seqscan = off"))
            plan = "\n".join(str(row) for row in conn.execute(
                text(("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ") + str(compiled))))
        assert name in plan, plan
