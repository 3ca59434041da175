"""AppTest: 請求内容参照 as an office sees it, and the administrator's usage import page (a bad row's
line shown and nothing imported, then the corrected file imported, undo; the fee schedule form)."""
from __future__ import annotations

import pytest
import streamlit as st

from services.authz import ADMIN
from services.billing import charges, usage_import
from tests.billing_helpers import csv_file, label, months_ago, office
from tests.factories import applicant_actor, make_staff
from tests.ui.harness import page, texts

BILLING = "screens/applicant/billing.py"
IMPORT = "screens/admin/usage_import.py"


@pytest.fixture(autouse=True)
def fresh_cache():
    st.cache_resource.clear()
    yield


def test_office_sees_plan_months_chart_csv_and_advice(sqlite_db):
    admin = make_staff("adm1", ADMIN)
    _app, applicant_id, codes = office("A")
    m1 = label(months_ago(1))
    usage_import.import_usage(admin, csv_file([(codes[0], m1, 10_000)]), "u.csv")
    at = page(BILLING, applicant_actor(applicant_id))
    assert not at.exception
    text = texts(at)
    assert "このページの情報は登録済みの情報です。" in text
    assert "プラン A" in at.table[0].value.to_string() and "本社営業所" in at.table[1].value.to_string()
    frame = at.dataframe[0].value
    row = frame[frame["年月"] == m1].iloc[0]
    assert (row["基本料金"], row["従量料金"], row["管理統計資料"], row["保税管理資料保存サービス"], row["合計"]) == (
        10_000, 6_000, 1_000, 1_000, 18_000)
    assert "過去 12 か月の請求額" in text and len(at.get("vega_lite_chart")) == 1
    # Plan B would have cost 8,000 + 2,000 for that month: the advisor says so.
    assert "プラン B に変更すると" in text and "¥8,000" in text


def test_the_csv_is_utf8_with_bom_and_formula_safe(sqlite_db):
    admin = make_staff("adm1", ADMIN)
    _app, applicant_id, codes = office("B")
    usage_import.import_usage(admin, csv_file([(codes[0], label(months_ago(0)), 5_000)]), "u.csv")
    st_ = charges.statement(applicant_actor(applicant_id), applicant_id)
    data = charges.statement_csv(st_, {"month": "=年月"})
    assert data.startswith("\ufeff".encode()) and data.decode("utf-8-sig").splitlines()[0].startswith("'=年月,")
    assert f"{label(months_ago(0))},5000,0,4000,1000,1000,6000" in data.decode("utf-8-sig")


def test_an_office_without_approval_sees_no_charges(sqlite_db):
    from tests.factories import make_application
    _app, applicant_id = make_application()
    at = page(BILLING, applicant_actor(applicant_id))
    assert "承認済みの新規利用申込がないため" in texts(at)


def _upload(at, name: str, content: bytes, *, replace: bool = False):
    at.file_uploader[0].set_value((name, content, "text/csv"))
    if replace:
        at.checkbox[0].check()
    next(b for b in at.button if b.label == "取り込む").click().run()
    assert not at.exception
    return at


def test_admin_import_shows_bad_lines_then_imports_the_fixed_file_and_undoes(sqlite_db):
    admin = make_staff("adm1", ADMIN)
    _app, _applicant, codes = office("A")
    m1 = label(months_ago(1))
    at = page(IMPORT, admin)
    bad = csv_file([(codes[0], m1, 100), ("ZZZZZ", m1, 5)]).getvalue()
    _upload(at, "usage.csv", bad)
    assert "ファイルに誤りが 1 件あるため、取り込みませんでした" in texts(at)
    errors = at.table[0].value
    assert list(errors.index) == [3] and "ZZZZZ" in errors.iloc[0, 0]
    assert usage_import.imports(admin) == []
    good = csv_file([(codes[0], m1, 100), (codes[1], m1, 5)]).getvalue()
    _upload(at, "usage.csv", good)
    assert "usage.csv の 2 行を取り込みました。" in texts(at)
    assert "ファイルに誤りが" not in texts(at)
    next(b for b in at.button if b.key == "undo_import").click().run()
    assert f"取込 #{usage_import.imports(admin)[0].id} を取り消しました。" in texts(at)
    assert usage_import.imports(admin)[0].undone_at is not None


def test_admin_adds_a_fee_schedule_version(sqlite_db):
    from services.billing import schedule
    admin = make_staff("adm1", ADMIN)
    at = page(IMPORT, admin)
    at.number_input[0].set_value(6000)
    next(b for b in at.button if b.label == "料金表を追加").click().run()
    assert not at.exception and "からの料金表を追加しました。" in texts(at)
    assert schedule.versions(admin)[0].values["basic_per_unit"] == 6000
    next(b for b in at.button if b.label == "料金表を追加").click().run()   # the same month again
    assert "この月から始まる料金表はすでにあります" in texts(at)


def test_typed_billing_address_is_shown_literally(sqlite_db):
    from sqlalchemy import select, update

    from db.models import ApplicationSection
    from services.uow import UnitOfWork
    from tests.ui.harness import left_active, shown
    from ui.format import plain
    hostile = "![x](https://evil.example/a.png) <b>請求</b> [link](javascript:alert(1))"
    app_id, applicant_id, _codes = office("B")
    with UnitOfWork() as u:
        row = u.session.scalar(select(ApplicationSection).where(ApplicationSection.application_id == app_id,
                                                                ApplicationSection.section_key == "billing_address"))
        u.session.execute(update(ApplicationSection).where(ApplicationSection.id == row.id).values(data={
            "same_as_office": False, "billing_name": hostile, "billing_postal_code": "105-0023",
            "billing_address": "東京都港区", "billing_contact_name": "請求 太郎", "billing_phone": "03-1111-2222"}))
        u.commit()
    at = page(BILLING, applicant_actor(applicant_id))
    source = str(at.table[1].value.iloc[0, 0])      # 請求先名称: st.table renders Markdown
    assert source == plain(hostile) and shown(source) == hostile and not left_active(source)


def test_a_bad_value_quoted_in_the_error_table_is_text(sqlite_db):
    from tests.ui.harness import left_active, shown
    admin = make_staff("adm1", ADMIN)
    office("A")
    hostile = "![x](https://evil.example/a.png)"
    at = _upload(page(IMPORT, admin), "usage.csv", csv_file([(hostile, label(months_ago(1)), 1)]).getvalue())
    reason = str(at.table[0].value.iloc[0, 0])
    assert hostile in shown(reason) and not left_active(reason)
