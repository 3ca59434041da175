"""Billing (issue 11 items 1-3): the fee schedule by start month, charges per plan and month, the
usage import's all-or-nothing rule with line numbers, replace, undo, encodings and Excel."""
from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from db.models import AuditEvent, UsageImport, UsageRecord
from services.audit import AuditAction
from services.authz import ADMIN
from services.billing import charges, schedule, usage_import
from services.billing.usage_file import UnreadableFile
from services.billing.usage_import import ImportRefused
from services.errors import DomainError, PermissionDenied, ValidationFailed
from services.uow import UnitOfWork
from tests.billing_helpers import csv_file, label, months_ago, office, this_month
from tests.factories import applicant_actor, make_staff

NEW = {"basic_per_unit": 6000, "rate_a": 0.5, "rate_b": 0.9, "management_reports_per_user_code": 1500,
       "bonded_storage_per_user_code": 2000}


def _records() -> int:
    with UnitOfWork() as u:
        return u.session.scalar(select(func.count()).select_from(UsageRecord).where(
            UsageRecord.superseded_by_import_id.is_(None)))


def _by_month(applicant_id: int) -> dict:
    st = charges.statement(applicant_actor(applicant_id), applicant_id)
    return {label(m.month): m for m in st.months}


def test_plan_a_and_b_with_the_add_ons_per_month(db):
    admin = make_staff("adm1", ADMIN)
    _a, office_a, codes_a = office("A")
    _b, office_b, codes_b = office("B")
    m1, m0 = label(months_ago(1)), label(this_month())
    usage_import.import_usage(admin, csv_file([(codes_a[0], m1, 20_000), (codes_a[1], m1, 10_000),
                                               (codes_a[0], m0, 40_000), (codes_b[0], m1, 20_000)]), "u.csv")
    a = _by_month(office_a)
    # Plan A: ¥5,000 × 2 terminals + 30,000 × 0.6; 管理統計資料 and 保税管理資料保存サービス ¥1,000 each.
    assert (a[m1].usage, a[m1].charge.basic, a[m1].charge.usage_charge) == (30_000, 10_000, 18_000)
    assert (a[m1].charge.management_reports, a[m1].charge.bonded_storage, a[m1].charge.total) == (1_000, 1_000, 30_000)
    assert a[m0].charge.total == 10_000 + 24_000 + 2_000
    b = _by_month(office_b)
    assert (b[m1].charge.basic, b[m1].charge.usage_charge, b[m1].charge.total) == (0, 16_000, 18_000)
    assert b[m0].usage == 0 and b[m0].charge.total == 2_000 and not b[m0].has_usage
    # The plan advisor: B would have cost 24,000 + 2,000 (m1) and 32,000 + 2,000 (m0) for office A.
    advice = charges.statement(applicant_actor(office_a), office_a).advice
    assert (advice.months, advice.current_total, advice.other_total) == (2, 66_000, 60_000)
    assert advice.change_pays and advice.saving == 6_000 and advice.other_plan == "B"


def test_a_schedule_change_applies_from_its_month_and_not_before(db):
    admin = make_staff("adm1", ADMIN)
    _app, applicant_id, codes = office("A")
    schedule.add_version(admin, months_ago(1), NEW)   # no bill for that month yet: allowed
    m2, m1, m0 = (label(months_ago(n)) for n in (2, 1, 0))
    usage_import.import_usage(admin, csv_file([(codes[0], m, 10_000) for m in (m2, m1, m0)]), "u.csv")
    months = _by_month(applicant_id)
    assert months[m2].charge.total == 10_000 + 6_000 + 2_000            # the seed
    assert months[m1].charge.total == 12_000 + 5_000 + 1_500 + 2_000     # the new schedule
    assert months[m0].charge == months[m1].charge
    assert schedule.in_force(months_ago(2)) == schedule.in_force(months_ago(3)) != schedule.in_force()
    # A month already billed keeps its schedule: no new version may start before it.
    with pytest.raises(ValidationFailed) as refused:
        schedule.add_version(admin, months_ago(2), NEW)
    assert refused.value.errors["valid_from"].code == "billing.schedule.error.billed"
    with pytest.raises(ValidationFailed) as bad:
        schedule.add_version(admin, this_month().replace(day=2), {**NEW, "rate_a": -0.1})
    assert set(bad.value.errors) == {"valid_from", "rate_a"}
    with pytest.raises(PermissionDenied):
        schedule.add_version(applicant_actor(applicant_id), this_month(), NEW)


def test_the_wizard_estimate_reads_the_schedule_in_force(db):
    from services.application.fees import estimate
    admin = make_staff("adm1", ADMIN)
    schedule.add_version(admin, this_month(), NEW)
    e = estimate(usage=10_000, terminals=1, schedule=schedule.in_force())
    assert (e.plan_a, e.plan_b) == (11_000, 9_000)


def test_one_bad_row_refuses_the_file_with_line_numbers_and_nothing_is_stored(db):
    admin = make_staff("adm1", ADMIN)
    _app, _applicant, codes = office("A")
    m1 = label(months_ago(1))
    rows = [(codes[0], m1, 100), ("ZZZZZ", m1, 1), (codes[1], "2026-13", 5), (codes[1], m1, -3),
            (codes[1], m1, "1.5"), (codes[0], m1, 7), (codes[1], label(months_ago(-1)), 1)]
    with pytest.raises(ImportRefused) as refused:
        usage_import.import_usage(admin, csv_file(rows), "bad.csv")
    found = [(e.line, e.code.rsplit(".", 1)[1]) for e in refused.value.errors]
    assert found == [(3, "unknown_code"), (4, "month"), (5, "negative"), (6, "amount"), (7, "duplicate"),
                     (8, "future_month")]
    assert refused.value.errors[4].params == {"first": 2}
    assert _records() == 0
    with UnitOfWork() as u:
        assert u.session.scalar(select(func.count()).select_from(UsageImport)) == 0


def test_a_month_already_imported_is_refused_unless_replacing_and_undo_restores(db):
    admin = make_staff("adm1", ADMIN)
    _app, applicant_id, codes = office("B")
    m1 = label(months_ago(1))
    first = usage_import.import_usage(admin, csv_file([(codes[0], m1, 10_000), (codes[1], m1, 5_000)]), "first.csv")
    with pytest.raises(ImportRefused) as refused:
        usage_import.import_usage(admin, csv_file([(codes[0], m1, 99_000)]), "again.csv")
    assert refused.value.errors[0].line == 2 and refused.value.errors[0].params == {"import_id": first.id}
    second = usage_import.import_usage(admin, csv_file([(codes[0], m1, 20_000)]), "fix.csv", replace=True)
    assert _by_month(applicant_id)[m1].usage == 25_000 and _records() == 2
    with pytest.raises(DomainError) as blocked:      # its rows were replaced: undo the later one first
        usage_import.undo_import(admin, first.id)
    assert blocked.value.code == "billing.import.error.replaced_later"
    usage_import.undo_import(admin, second.id)
    assert _by_month(applicant_id)[m1].usage == 15_000 and _records() == 2
    usage_import.undo_import(admin, first.id)
    assert _records() == 0
    with pytest.raises(DomainError):
        usage_import.undo_import(admin, first.id)
    listed = usage_import.imports(admin)
    assert [(i.file_name, i.row_count, i.replace, i.imported_by) for i in listed] == [
        ("fix.csv", 1, True, "adm1"), ("first.csv", 2, False, "adm1")]
    assert all(i.undone_at is not None for i in listed)
    with UnitOfWork() as u:
        actions = list(u.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions.count(AuditAction.USAGE_IMPORTED) == 2 and actions.count(AuditAction.USAGE_IMPORT_UNDONE) == 2


@pytest.mark.parametrize("encoding,sep", [("utf-8", "-"), ("utf-8-sig", "/"), ("cp932", "/"), ("shift_jis", "-")])
def test_csv_encodings_are_detected(db, encoding, sep):
    admin = make_staff("adm1", ADMIN)
    _app, _applicant, codes = office("A")
    done = usage_import.import_usage(admin, csv_file([(codes[0], label(months_ago(1)), 1234)], encoding=encoding,
                                                     sep=sep), "利用実績.csv")
    assert done.row_count == 1 and _records() == 1


def test_a_shift_jis_header_that_is_not_ours_is_named(db):
    admin = make_staff("adm1", ADMIN)
    with pytest.raises(UnreadableFile) as refused:
        usage_import.import_usage(admin, io.BytesIO("コード,月,金額\r\nA,2026-01,1\r\n".encode("cp932")), "x.csv")
    assert refused.value.code == "billing.import.error.columns"


def test_excel_file(db):
    admin = make_staff("adm1", ADMIN)
    _app, applicant_id, codes = office("A")
    book = Workbook()
    sheet = book.active
    sheet.append(["年月", "利用者コード", "利用額"])          # any column order
    sheet.append([label(months_ago(1)).replace("-", "/"), codes[0], 3000])
    sheet.append([months_ago(2), codes[1], 4000.0])              # a date cell, a whole float
    sheet.append([None, None, None])
    sheet.append([label(months_ago(1)), codes[1], "x"])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    with pytest.raises(ImportRefused) as refused:
        usage_import.import_usage(admin, data, "u.xlsx")
    assert [(e.line, e.code) for e in refused.value.errors] == [(5, "billing.import.row.amount")]
    sheet.delete_rows(5)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    assert usage_import.import_usage(admin, data, "u.xlsx").row_count == 2
    assert _by_month(applicant_id)[label(months_ago(2))].usage == 4000


def test_only_administrators_import(db):
    _app, applicant_id, codes = office("A")
    with pytest.raises(PermissionDenied):
        usage_import.import_usage(applicant_actor(applicant_id), csv_file([(codes[0], label(this_month()), 1)]), "u.csv")
    other = office("A")[1]
    with pytest.raises(PermissionDenied):
        charges.statement(applicant_actor(applicant_id), other)
