"""変更申込 pages (AppTest): 申込実施 offers it, starting needs a part, only the chosen screens open
prefilled from the contract, the confirmation shows 現在 → 変更後 of the changed items only, and the
reviewer's detail shows the same diff and approves it."""
from __future__ import annotations

import pytest
import streamlit as st
from sqlalchemy import select

from db.models import Application, MailOutbox
from services.authz import REVIEWER
from services.uow import UnitOfWork
from tests.change_helpers import add_industry_and_code
from tests.factories import make_office, make_staff
from tests.ui.harness import page, texts

CHANGE, PROCEDURES, DETAIL = "screens/applicant/change.py", "screens/applicant/procedures.py", "screens/review/detail.py"


@pytest.fixture(autouse=True)
def fresh_cache():
    st.cache_resource.clear()
    yield


def _button(at, label, key_prefix=""):
    return next(b for b in at.button if b.label == label and (b.key or "").startswith(key_prefix))


def _diff(at):
    return next(tb for tb in at.table if "現在" in tb.value.columns).value


def test_procedures_lists_the_change_application(sqlite_db):
    office = make_office()
    at = page(PROCEDURES, office.actor)
    assert not at.exception and "変更申込" in texts(at)


def test_start_needs_a_part_and_opens_only_the_chosen_screens(sqlite_db):
    office = make_office()
    at = page(CHANGE, office.actor)
    assert not at.exception
    _button(at, "変更申込を始める").click().run()
    assert "変更する内容を 1 つ以上選んでください。" in texts(at)
    at.checkbox(key="chg_part_fee_plan").check().run()
    _button(at, "変更申込を始める").click().run()
    assert not at.exception
    assert [tab.label for tab in at.tabs] == ["料金プラン（入力済）"]
    plan = next(s for s in at.selectbox if (s.key or "").endswith("plan"))
    assert plan.value == "B"  # the contract's plan
    plan.set_value("A").run()
    _button(at, "確認へ進む").click().run()
    assert not at.exception
    diff = _diff(at)
    assert diff.shape[0] == 1
    assert diff.to_dict("records") == [{"画面": "料金プラン", "項目": "料金プラン", "現在": "プラン B（従量料金のみ）",
                                        "変更後": "プラン A（基本料金＋従量料金）"}]
    _button(at, "申込む").click().run()
    assert not at.exception and "変更申込を受け付けました" in texts(at)


def test_the_reviewer_sees_the_diff_and_approves(sqlite_db):
    office = make_office()
    app_id = add_industry_and_code(office)
    reviewer = make_staff("chg-ui-rev", REVIEWER)
    at = page(DETAIL, reviewer, review_app_id=app_id)
    assert not at.exception
    diff = _diff(at)
    assert diff.shape[0] == 2
    assert diff.iloc[0]["現在"] == "通関業" and diff.iloc[0]["変更後"] == "通関業、海貨業"
    assert "利用者コードの追加" in diff.iloc[1]["項目"] and diff.iloc[1]["現在"] == "—"
    _button(at, "承認する").click().run()
    assert not at.exception and "承認しました。適用月" in texts(at)
    with UnitOfWork() as u:
        assert u.session.get(Application, app_id).status == "APPROVED"
        assert u.session.scalar(select(MailOutbox.template).order_by(MailOutbox.id.desc())) == "change_approval"


def test_the_contract_page_shows_the_history_and_the_version_of_a_chosen_day(sqlite_db):
    from datetime import timedelta

    from services.change.parts import parse_month
    from tests.change_helpers import approve, first_month
    office = make_office()
    approve(add_industry_and_code(office))
    at = page("screens/applicant/contract.py", office.actor)
    assert not at.exception
    history = next(tb for tb in at.table if "申込" in tb.value.columns).value
    assert list(history["申込"]) == ["新規利用申込", "変更申込"]
    effective = parse_month(first_month())
    assert history.index[1] == effective.strftime("%Y/%m/%d")
    at.date_input(key="ct_on").set_value(effective + timedelta(days=1)).run()
    assert "時点の契約：変更申込" in texts(at)


def _opened_tab(at) -> str:
    """The label the page's tabs open on (st.tabs(default=...))."""
    from streamlit.proto.Block_pb2 import Block
    container = next(node.proto for node in at._tree
                     if isinstance(getattr(node, "proto", None), Block) and node.proto.HasField("tab_container"))
    return at.tabs[container.tab_container.default_tab_index].label


def test_draft_save_asks_saves_logs_out_and_the_next_login_opens_the_screen_in_progress(sqlite_db):
    import types

    from services.application.read import application_view
    from services.change.start import start_change
    from tests.change_helpers import first_month
    from ui.session import ACTOR_KEY
    office = make_office()
    app_id = start_change(office.actor, office.applicant_id, ["office", "fee_plan"], first_month())
    at = page(CHANGE, office.actor, _nss_authenticator=types.SimpleNamespace())
    assert _opened_tab(at) == "事業所・企業（入力済）"  # nothing in progress yet: the first screen
    next(s for s in at.selectbox if (s.key or "").endswith("plan")).set_value("A").run()
    _button(at, "一時保存").click().run()
    assert "同時にログアウトします" in texts(at)
    assert application_view(office.actor, app_id).data_of("fee_plan")["plan"] == "B"  # asked, not yet saved
    _button(at, "一時保存してログアウトする").click().run()
    assert not at.exception and ACTOR_KEY not in at.session_state
    assert application_view(office.actor, app_id).data_of("fee_plan")["plan"] == "A"
    again = page(CHANGE, office.actor)  # the next login
    assert not again.exception and _opened_tab(again) == "料金プラン（入力済）"
    assert next(s for s in again.selectbox if (s.key or "").endswith("plan")).value == "A"


def test_the_application_view_lists_the_change_with_its_diff_and_the_cancellation(sqlite_db):
    from datetime import timedelta

    from services import clock
    from tests.change_helpers import approve
    from tests.factories import submitted_cancellation
    office = make_office()
    approve(add_industry_and_code(office))
    day = clock.today_jst() + timedelta(days=30)
    submitted_cancellation(office, day, user_code=office.user_codes[0], reason="<b>統合</b>のため")
    at = page("screens/applicant/application_view.py", office.actor)
    assert not at.exception
    assert [h.value for h in at.subheader][-2:] == ["解約申込", "変更申込"]  # newest first
    shown = texts(at)
    assert "状況：申込受付" in shown and "状況：確認完了" in shown
    diff = _diff(at)
    assert diff.shape[0] == 2 and diff.iloc[0]["変更後"] == "通関業、海貨業"
    cancellation = "\n".join(str(tb.value.to_dict()) for tb in at.table)
    assert office.user_codes[0] in cancellation and day.strftime("%Y") in cancellation
    assert "統合" in cancellation


def test_a_net_office_adds_general_the_office_tab_asks_for_the_diagram_and_line_work_opens(sqlite_db):
    office = make_office()
    at = page(CHANGE, office.actor)
    at.checkbox(key="chg_part_connection").check().run()
    _button(at, "変更申込を始める").click().run()
    assert not at.exception
    connection = next(s for s in at.selectbox if (s.key or "").endswith("_connection_type"))
    assert connection.value == "NET" and "両方（netNACCS と 一般 NACCS）" in connection.options
    assert not any(b.label == "システム構成図を添付する" for b in at.button)  # netNACCS only: no diagram
    connection.set_value("BOTH").run()
    assert any(b.label == "システム構成図を添付する" for b in at.button)      # 一般 NACCS being added
    _button(at, "保存", "chg_save_office").click().run()
    assert not at.exception
    assert "回線工事（未入力）" in [tab.label for tab in at.tabs]             # its 回線工事 now applies
    methods = next(m for m in at.multiselect if (m.key or "").endswith("_processing_methods"))
    assert {"netNACCS", "インタラクティブ"} <= set(methods.options)         # both kinds' methods
    _button(at, "確認へ進む").click().run()
    assert not at.exception and not any("現在" in tb.value.columns for tb in at.table)  # 回線工事 first
    from datetime import date

    from tests.change_helpers import LINE_WORK
    for name, value in LINE_WORK.items():
        if name != "desired_completion_date":
            next(w for w in at.text_input if (w.key or "").startswith("wiz_f_line_installation_")
                 and w.key.endswith(f"_{name}")).input(value)
    next(w for w in at.date_input if (w.key or "").endswith("_desired_completion_date")).set_value(date(2027, 4, 1))
    _button(at, "確認へ進む").click().run()
    assert not at.exception
    rows = _diff(at).to_dict("records")
    assert {"画面": "事業所・企業", "項目": "接続形態", "現在": "netNACCS（インターネット使用）",
            "変更後": "両方（netNACCS と 一般 NACCS）"} in rows


def test_a_new_usage_application_offers_one_connection_type_only(sqlite_db):
    from services.application.start import start_application
    from tests.factories import make_applicant
    temp = make_applicant("T777200001")
    start_application(temp, temp.applicant_id, False)
    at = page("screens/applicant/application.py", temp)
    at.session_state["wiz_current"] = "office"
    at.run()
    connection = next((s for s in at.selectbox if (s.key or "").endswith("_connection_type")), None)
    assert connection is not None, [s.key for s in at.selectbox]
    assert list(connection.options) == ["netNACCS（インターネット使用）", "一般 NACCS（専用回線使用）"]
