"""The staff ○/× matrix: offices starting within N business days, filter, sort, paging, CSV, who may see it."""
from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from db.models import UserCode
from services import clock
from services.authz import DESK, REVIEWER
from services.calendar import add_business_days
from services.errors import PermissionDenied
from services.system_settings.matrix import matrix_csv, settings_matrix
from services.system_settings.registrations import NAME_ITEM, record_all, record_approval
from services.uow import UnitOfWork
from services.workflow import ApplicationStatus
from tests.factories import applicant_actor, make_application, make_staff


def _office(days: int, industries=("通関業",), company="テスト物流株式会社") -> tuple[int, int]:
    return make_application(status=ApplicationStatus.APPROVED, industries=industries, company=company,
                            start_date=add_business_days(clock.today_jst(), days))


def _complete(applicant_id: int, application_id: int) -> None:
    with UnitOfWork() as u:
        for uc in u.session.scalars(select(UserCode).where(UserCode.applicant_id == applicant_id)):
            record_all(u.session, uc, application_id)
        u.commit()


def test_rows_within_the_horizon_sorted_by_days_left_with_items(db):
    _office(8, company="遅い物流")
    soon_app, soon = _office(5, ("通関業", "船会社"), company="早い物流")
    _office(30, company="まだ先物流")                 # beyond a 10-business-day horizon
    staff = make_staff("rev1", REVIEWER)
    page = settings_matrix(staff, horizon_days=10)
    assert page.total == 4                             # two 利用者コード per office, two offices in range
    assert [r.company_name for r in page.rows] == ["早い物流", "早い物流", "遅い物流", "遅い物流"]
    assert page.rows[0].days_left == 1 and page.rows[0].days_left <= page.rows[-1].days_left
    assert page.columns == (NAME_ITEM, "通関業", "船会社")
    assert page.rows[2].mark("船会社") == "" and page.rows[0].mark("船会社") == "×"
    latest_first = settings_matrix(staff, horizon_days=10, sort="-days_left")
    assert latest_first.rows[0].company_name == "遅い物流"
    _complete(soon, soon_app)
    assert settings_matrix(staff, horizon_days=10).total == 4
    left = settings_matrix(staff, horizon_days=10, incomplete_only=True)
    assert left.total == 2 and {r.company_name for r in left.rows} == {"遅い物流"}


def test_industry_filter_and_paging(db):
    _office(4, ("船会社",), company="船の会社")
    _office(5, ("通関業",), company="通関の会社")
    staff = make_staff("desk1", DESK)
    only = settings_matrix(staff, horizon_days=10, industry="船会社")
    assert only.total == 2 and {r.company_name for r in only.rows} == {"船の会社"}
    first = settings_matrix(staff, horizon_days=10, page=1, page_size=3)
    second = settings_matrix(staff, horizon_days=10, page=2, page_size=3)
    assert (first.total, len(first.rows), len(second.rows)) == (4, 3, 1)
    assert {r.user_code for r in first.rows}.isdisjoint({r.user_code for r in second.rows})


def test_csv_has_bom_headers_every_row_and_safe_cells(db):
    _office(4, company="=HYPERLINK(1)")
    data = matrix_csv(make_staff("rev2", REVIEWER), horizon_days=10, headers={"company_name": "企業名"})
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0] == "企業名" and rows[0][-2:] == [NAME_ITEM, "通関業"]
    assert len(rows) == 3 and rows[1][0] == "'=HYPERLINK(1)" and rows[1][-1] == "×"


def test_applicants_may_not_see_the_matrix(db):
    _app, applicant_id = _office(4)
    with pytest.raises(PermissionDenied):
        settings_matrix(applicant_actor(applicant_id))


def test_any_cross_left_is_incomplete_whatever_the_other_rows_have(db):
    """名称 only, or a 業種 missing on this 利用者コード while another one has it: still a × to chase."""
    app_id, applicant_id = _office(4, ("通関業", "船会社"), company="一部登録")
    with UnitOfWork() as u:
        first, second = u.session.scalars(select(UserCode).where(UserCode.applicant_id == applicant_id)
                                          .order_by(UserCode.user_code)).all()
        record_all(u.session, first, app_id)
        record_approval(u.session, second, app_id, [NAME_ITEM, "通関業"])  # 船会社 still ×
        u.commit()
    staff = make_staff("rev3", REVIEWER)
    left = settings_matrix(staff, horizon_days=10, incomplete_only=True)
    assert [r.user_code for r in left.rows] == [second.user_code] and left.total == 1
    assert left.rows[0].mark("船会社") == "×" and left.rows[0].mark("通関業") == "○"
    assert settings_matrix(staff, horizon_days=10, incomplete_only=True, industry="通関業").total == 1


def test_company_sort_is_by_code_point_on_both_databases(db):
    for name in ("あ物流", "Beta", "alpha", "ア商事"):
        _office(4, company=name)
    page = settings_matrix(make_staff("desk2", DESK), horizon_days=10, sort="company", page_size=2, page=3)
    assert [r.company_name for r in page.rows] == ["あ物流", "あ物流"] and page.total == 8
    every = settings_matrix(make_staff("desk3", DESK), horizon_days=10, sort="company").rows
    assert [r.company_name for r in every][::2] == ["Beta", "alpha", "あ物流", "ア商事"]
