"""システム設定の状況 page: the rows in range with their marks, the industry filter, the export."""
from __future__ import annotations

from services import clock
from services.authz import DESK, REVIEWER
from services.calendar import add_business_days
from services.workflow import ApplicationStatus
from tests.factories import make_application, make_staff
from tests.ui.harness import page, texts

PAGE = "screens/review/settings_matrix.py"


def _office(days: int, industries, company: str) -> None:
    make_application(status=ApplicationStatus.APPROVED, industries=industries, company=company,
                     start_date=add_business_days(clock.today_jst(), days))


def test_reviewer_sees_offices_starting_soon_and_filters_by_industry(sqlite_db):
    _office(4, ("船会社",), "船の会社")
    _office(5, ("通関業",), "通関の会社")
    at = page(PAGE, make_staff("rev1", REVIEWER))
    assert not at.exception
    frame = at.dataframe[0].value
    assert list(frame["企業名"]) == ["船の会社", "船の会社", "通関の会社", "通関の会社"]
    assert {"名称", "船会社", "通関業"} <= set(frame.columns) and set(frame["名称"]) == {"×"}
    assert "4 件" in texts(at)
    assert at.get("download_button")
    at.selectbox(key="sm_industry").set_value("通関業").run()
    assert list(at.dataframe[0].value["企業名"]) == ["通関の会社", "通関の会社"]


def test_nothing_in_range_says_so(sqlite_db):
    at = page(PAGE, make_staff("desk1", DESK))
    assert "該当する利用者コードはありません。" in texts(at)
