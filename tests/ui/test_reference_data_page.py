"""AppTest: 参照データの管理 (edit a table, see the message; a bad edit gives a Japanese message and
saves nothing) and the wizard's select box showing an administrator's edit on its next run."""
from __future__ import annotations

from datetime import date

import pytest
import streamlit as st

from services import reference_data
from services.authz import ADMIN
from services.billing import schedule
from services.reference_data import EditRow, ReferenceKind
from tests.factories import fill_all, make_applicant, make_staff, started
from tests.ui.harness import page, texts

PAGE = "screens/admin/reference_data.py"
WIZARD = "screens/applicant/application.py"


@pytest.fixture(autouse=True)
def fresh_cache():
    st.cache_resource.clear()
    yield


def _editor_key(at, prefix: str) -> str:
    return next(d.key for d in at.dataframe if d.key and d.key.startswith(prefix))


def _edit(at, prefix: str, edits: dict) -> None:
    """What the browser sends for a data_editor: its edited, added and deleted rows."""
    at.session_state[_editor_key(at, prefix)] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [], **edits}


def _save(at, key: str):
    at.button(key=key).click().run()
    assert not at.exception
    return at


def test_adding_a_line_type_saves_and_says_so(sqlite_db):
    admin = make_staff("adm1", ADMIN)
    at = page(PAGE, admin)
    assert not at.exception
    assert "参照データの管理" in texts(at)
    _edit(at, "ref_line_type_", {"added_rows": [{"name": "専用回線 20Mbps", "retired": False}]})
    _save(at, "ref_save_line_type")
    assert "回線種別を保存しました。" in texts(at)
    assert reference_data.current().line_types[-1] == "専用回線 20Mbps"


def test_a_duplicate_is_refused_in_japanese_and_nothing_is_saved(sqlite_db):
    admin = make_staff("adm1", ADMIN)
    at = page(PAGE, admin)
    _edit(at, "ref_line_type_", {"edited_rows": {"1": {"name": "インターネット"}},
                                 "added_rows": [{"name": "専用回線 40Mbps"}]})
    _save(at, "ref_save_line_type")
    errors = [e.value for e in at.error]
    assert any("2 行目" in e and "1 行目と重複しています" in e for e in errors), errors
    assert "専用回線 40Mbps" not in reference_data.current().line_types
    assert reference_data.current().line_types[1] == "専用回線 0.5Mbps"


def test_a_deadline_out_of_range_is_refused(sqlite_db):
    admin = make_staff("adm1", ADMIN)
    at = page(PAGE, admin)
    _edit(at, "ref_deadlines_", {"edited_rows": {"0": {"value": 0}}})
    _save(at, "ref_save_deadlines")
    assert any("1 以上 60 以下の整数を入力してください。" in e.value for e in at.error)
    assert reference_data.current().deadline("review_service_days") == 5
    _edit(at, "ref_deadlines_", {"edited_rows": {"0": {"value": 8}}})
    _save(at, "ref_save_deadlines")
    assert "審査期限を保存しました。" in texts(at)
    assert reference_data.current().deadline("review_service_days") == 8


def test_a_fee_schedule_row_is_added_and_a_stored_one_cannot_change(sqlite_db):
    admin = make_staff("adm1", ADMIN)
    values = dict(schedule.in_force())
    schedule.add_versions(admin, [(date(2020, 1, 1), values)])  # the migration's seed row (tables are emptied)
    at = page(PAGE, admin)
    _edit(at, "ref_fee_", {"edited_rows": {"0": {"basic_per_unit": 1}}})
    _save(at, "ref_save_fee_schedule")
    assert any("登録済みの料金表" in e.value for e in at.error)
    assert schedule.in_force()["basic_per_unit"] == values["basic_per_unit"]
    _edit(at, "ref_fee_", {"added_rows": [{"valid_from": "2031-04-01", **values, "basic_per_unit": 7000}]})
    _save(at, "ref_save_fee_schedule")
    assert "料金表を保存しました。" in texts(at), [e.value for e in at.error]
    assert schedule.in_force(date(2031, 4, 1))["basic_per_unit"] == 7000


def test_a_non_administrator_is_stopped(sqlite_db):
    at = page(PAGE, make_staff("rev1", "reviewer"))
    assert not at.dataframe


def test_the_wizard_select_box_shows_an_edit_on_its_next_run(sqlite_db):
    admin = make_staff("adm1", ADMIN)
    actor = make_applicant()
    app_id = started(actor)
    fill_all(actor, app_id, "NET")
    at = page(WIZARD, actor, wiz_current="line")
    line_type = next(s for s in at.selectbox if s.label.startswith("回線種別"))
    assert "衛星回線" not in line_type.options
    rows = [EditRow(i.name, i.name) for i in reference_data.current().items[ReferenceKind.LINE_TYPE]]
    reference_data.save_list(admin, ReferenceKind.LINE_TYPE, [*rows, EditRow(None, "衛星回線")],
                             reference_data.current().token)
    at.run()  # the applicant's next action: no restart
    line_type = next(s for s in at.selectbox if s.label.startswith("回線種別"))
    assert line_type.options[-1] == "衛星回線"


def test_the_choices_of_a_system_settings_field_are_edited(sqlite_db):
    admin = make_staff("adm1", ADMIN)
    at = page(PAGE, admin)
    at.selectbox(key="ref_options_field").set_value(("通関業", "licensing_customs")).run()
    _edit(at, "ref_options_通関業_", {"added_rows": [{"name": "札幌税関"}]})
    _save(at, "ref_save_options")
    assert "システム設定申込の選択肢を保存しました。" in texts(at), [e.value for e in at.error]
    assert reference_data.current().field_options("通関業", "licensing_customs")[-1] == "札幌税関"
    _edit(at, "ref_options_通関業_", {"edited_rows": {"0": {"name": ""}}})
    _save(at, "ref_save_options")
    assert any("1 行目：名称を入力してください。" in e.value for e in at.error)
    assert reference_data.current().field_options("通関業", "licensing_customs")[0] == "函館税関"


def test_the_admin_menu_lists_the_page():
    from services.authz import Actor, UserKind
    from ui.nav import visible_pages
    admin = Actor(1, "adm1", "管理者", UserKind.STAFF, frozenset({ADMIN}))
    reviewer = Actor(2, "rev1", "審査", UserKind.STAFF, frozenset({"reviewer"}))
    assert "reference-data" in [p.url_path for p in visible_pages(admin)]
    assert "reference-data" not in [p.url_path for p in visible_pages(reviewer)]
