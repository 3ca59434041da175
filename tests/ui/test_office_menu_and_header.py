"""The office's menu as NSS draws it, a temporary applicant's and staff's menus, 申込実施, and the
date and time above every page."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import streamlit as st

from services import clock
from services.authz import ADMIN, DESK, REVIEWER
from tests.factories import OFFICE_PASSWORD, PASSWORD, actor_of, make_applicant, make_staff, raw_office, user_id
from tests.ui.harness import app, login, page, texts
from ui import nav
from ui.page_header import header_datetime


@pytest.fixture(autouse=True)
def fresh_cache():
    st.cache_resource.clear()
    yield


def _office():
    temp = make_applicant()
    code = raw_office(temp.applicant_id, clock.today_jst())
    return code, actor_of(user_id(code))


def _menu(actor) -> list[str]:
    return [p.url_path for p in nav.menu_pages(actor)]


def test_the_office_menu_is_the_seeds_in_its_order(sqlite_db):
    _, office = _office()
    # 申込実施 · 申込内容確認 · 契約内容確認 · 請求内容参照 · パスワード変更 · 新着情報 · 掲示板
    assert _menu(office) == ["procedures", "application-view", "contract", "billing", "password", "notices",
                             "bulletin-board"]
    # the guidance it lands on and the wizard stay reachable, outside the menu
    assert {"guidance", "application"} <= nav.allowed_url_paths(office)
    assert nav.landing_page(office).url_path == "guidance"


def test_a_temporary_applicant_keeps_its_menu_and_gets_the_board(sqlite_db):
    temp = make_applicant()
    menu = _menu(temp)
    assert {"home", "application", "application-view", "guidance", "notices", "password", "bulletin-board"} == set(menu)
    assert "procedures" not in nav.allowed_url_paths(temp)


def test_staff_menus(sqlite_db):
    assert "board-admin" in _menu(make_staff("adm1", ADMIN))
    for roles in ((DESK,), (REVIEWER,)):
        menu = _menu(make_staff(f"s{roles[0]}", *roles))
        assert "board-admin" not in menu and "procedures" not in menu


def test_the_office_lands_with_the_date_and_time_above_the_page(sqlite_db):
    code, _ = _office()
    at = login(app(), code, OFFICE_PASSWORD)
    assert not at.exception
    header = [c.value for c in at.caption if c.value.startswith("NACCSサポートシステム")]
    assert len(header) == 1
    assert re.fullmatch(r"NACCSサポートシステム\u3000\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2} \([月火水木金土日]\)", header[0])
    assert "利用開始までのガイダンス" in texts(at)


def test_staff_pages_carry_the_header_too(sqlite_db):
    make_staff("rev1", REVIEWER)
    at = login(app(), "rev1", PASSWORD)
    assert any(c.value.startswith("NACCSサポートシステム") for c in at.caption)


def test_logged_out_there_is_no_header():
    assert not [c for c in app().caption if c.value.startswith("NACCSサポートシステム")]


def test_header_time_is_japan_time_with_the_japanese_weekday():
    # 08:00:07 UTC on Tuesday 1 December 2026 is 17:00:07 in Tokyo
    assert header_datetime(datetime(2026, 12, 1, 8, 0, 7, tzinfo=UTC)) == "2026/12/01 17:00:07 (火)"
    # past midnight in Tokyo it is already the next day: Wednesday
    assert header_datetime(datetime(2026, 12, 1, 15, 30, tzinfo=UTC)) == "2026/12/02 00:30:00 (水)"


def test_procedures_lists_the_new_usage_application_and_system_settings(sqlite_db):
    _, office = _office()
    at = page("screens/applicant/procedures.py", office)
    assert not at.exception
    text = texts(at)
    assert "新規利用申込" in text and "システム設定の申込" in text
    # The system-settings page is registered: the line does not say it is unavailable. (Run alone,
    # without app.py's st.navigation, every link falls back to its disabled button.)
    assert nav.page_def("system-settings") is not None
    assert "まだご利用いただけません" not in text


def test_procedure_pages_follow_the_registry():
    by_url = {p.url_path: nav.procedure_page(p) for p in nav.PROCEDURES}
    assert by_url["application"] == "screens/applicant/application.py"
    expected = nav.page_def("system-settings")
    assert by_url["system-settings"] == (expected.path if expected else None)


def test_application_view_says_it_shows_registered_data(sqlite_db):
    _, office = _office()
    at = page("screens/applicant/application_view.py", office)
    assert not at.exception and "このページの情報は登録済みの情報です。" in texts(at)
