"""AppTest: the fields of a 業種's システム設定申込 tab and an added 業種 on 参照データの管理 (saved, or
refused in Japanese with nothing saved), and the システム設定の申込 page showing them on its next run."""
from __future__ import annotations

import pytest
import streamlit as st

from services import reference_data
from services.authz import ADMIN
from services.reference_data import EditRow, ReferenceKind
from services.reference_fields import FieldRow, rows_of, save_fields
from tests.factories import make_office, make_staff
from tests.ui.harness import page, texts
from tests.ui.test_reference_data_page import PAGE, _edit, _save
from tests.ui.test_system_settings_page import _button, _open


@pytest.fixture(autouse=True)
def fresh_cache():
    st.cache_resource.clear()
    yield


def _fields(industry: str) -> list[str]:
    return [r.name for r in rows_of(reference_data.current(), industry)]


def test_a_field_is_added_to_a_tab_and_a_bad_one_refused(sqlite_db):
    at = page(PAGE, make_staff("adm1", ADMIN))
    at.selectbox(key="ref_fields_industry").set_value("船会社").run()
    _edit(at, "ref_fields_船会社_", {"added_rows": [{"name": "vessel_count", "label_ja": "運航隻数",
                                                    "label_en": "Vessels", "kind": "int", "required": True,
                                                    "max_len": 100}]})
    _save(at, "ref_save_fields")
    assert "システム設定申込の項目を保存しました。" in texts(at), [e.value for e in at.error]
    assert _fields("船会社") == ["shipping_line_code", "scac_code", "vessel_count"]
    _edit(at, "ref_fields_船会社_", {"added_rows": [{"name": "Bad Key", "label_ja": "", "label_en": "x",
                                                    "kind": "select", "required": False, "max_len": 100}]})
    _save(at, "ref_save_fields")
    errors = [e.value for e in at.error]
    assert any(e.startswith("4 行目：キーは半角英小文字で始まる") for e in errors), errors
    assert any("4 行目：選択の項目には選択肢を入力してください" in e for e in errors), errors
    assert _fields("船会社") == ["shipping_line_code", "scac_code", "vessel_count"]


def test_an_industry_is_added_from_its_table(sqlite_db):
    at = page(PAGE, make_staff("adm1", ADMIN))
    _edit(at, "ref_industry_", {"added_rows": [{"name": "倉庫業", "retired": False}]})
    _save(at, "ref_save_industry")
    assert "業種を保存しました。" in texts(at), [e.value for e in at.error]
    assert reference_data.current().industries[-1] == "倉庫業"
    at.selectbox(key="ref_fields_industry").set_value("倉庫業").run()
    assert "この業種にはまだ項目がありません" in texts(at)


def test_the_system_settings_page_shows_an_added_industry_and_field(sqlite_db):
    admin = make_staff("adm1", ADMIN)
    rows = [EditRow(i.name, i.name, i.retired, i.code, i.mailbox, i.survey_forms)
            for i in reference_data.current().items[ReferenceKind.INDUSTRY]]
    reference_data.save_list(admin, ReferenceKind.INDUSTRY, [*rows, EditRow(None, "倉庫業")],
                             reference_data.current().token)
    save_fields(admin, "倉庫業", [FieldRow(None, "warehouse_code", "倉庫コード", "Warehouse code", "code", max_len=6)],
                reference_data.current().token)
    office = make_office([("倉庫業",)])
    at = _open(office.actor)
    _button(at, "申込を始める").click().run()
    _button(at, "次へ", "ss_next_1").click().run()
    assert not at.exception
    assert [t.label for t in at.tabs] == ["名称（入力済）", "倉庫業（未入力）"]
    [code] = [w for w in at.text_input if w.label.startswith("倉庫コード")]
    # An administrator adds a field meanwhile: the applicant's next run shows it, without a restart.
    current = rows_of(reference_data.current(), "倉庫業")
    save_fields(admin, "倉庫業", [*current, FieldRow(None, "bays", "バース数", "Bays", "int", required=False)],
                reference_data.current().token)
    at.run()
    assert [w.label for w in at.text_input if w.label.startswith(("倉庫コード", "バース数"))] == \
        ["倉庫コード *", "バース数"]
    code = next(w for w in at.text_input if w.label.startswith("倉庫コード"))
    code.input("ＷＨ１")
    _button(at, "次へ（入力内容の確認）").click().run()
    assert not at.exception
    tables = "\n".join(tb.value.to_string() for tb in at.table)
    assert "倉庫コード" in tables and "WH1" in tables
