"""AppTests of the review dashboard and the application detail page (SQLite)."""
from datetime import timedelta

import pytest
import streamlit as st
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from db.models import Applicant, Application, MailOutbox
from services import audit, clock
from services.authz import ADMIN, DESK, REVIEWER
from services.calendar import add_business_days
from services.review import actions
from services.uow import UnitOfWork
from tests.factories import TEST_PDF, make_applicant, make_application, make_staff, version_of
from tests.factories import user_id as actor_of_login
from tests.ui.harness import ROOT, page, texts

DASHBOARD, DETAIL = "screens/review/dashboard.py", "screens/review/detail.py"


@pytest.fixture(autouse=True)
def fresh_cache():
    st.cache_resource.clear()
    yield


@pytest.fixture
def reviewer(sqlite_db):
    return make_staff("rev1", REVIEWER)


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def _queue(at):
    """The queue's table (the deadline lists are tables too)."""
    return next(d for d in at.dataframe if (d.key or "").startswith("rq_table_")).value


def test_dashboard_shows_figures_queue_and_filters(reviewer):
    now = clock.now()
    make_application(company="北海運輸株式会社", connection_type="GENERAL", submitted_at=now - timedelta(days=15))
    make_application(company="南空輸株式会社", connection_type="NET", status="IN_REVIEW", assignee_id=reviewer.user_id)
    at = page(DASHBOARD, reviewer)
    assert not at.exception
    text = texts(at)
    assert "審査ダッシュボード" in text and "2 件中 1〜2 件を表示" in text
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["期限超過"] == "1" and metrics["自分の担当"] == "1" and metrics["審査中"] == "1"
    at.selectbox(key="rq_connection").set_value("GENERAL").run()
    assert "1 件中 1〜1 件を表示" in texts(at)
    assert _queue(at).iloc[0]["企業名"] == "北海運輸株式会社"
    at.selectbox(key="rq_assignee").set_value("mine").run()
    assert "条件に合う申込はありません。" in texts(at)


def test_dashboard_lists_expiring_temporary_accounts(reviewer):
    make_applicant(None, "soon@example.jp", expires_in=timedelta(hours=2))  # no application started
    at = page(DASHBOARD, reviewer)
    assert any("仮アカウントの有効期限切れ間近（1 件" in e.label for e in at.expander)


def test_desk_user_is_refused_on_the_review_pages(sqlite_db):
    desk = make_staff("desk1", DESK)
    for path in (DASHBOARD, DETAIL):
        at = page(path, desk)
        assert "この操作を行う権限がありません。" in texts(at)


def test_detail_shows_screens_attachment_and_history(reviewer):
    app_id, _ = make_application(attachment=("システム 構成図 v2.pdf", TEST_PDF))
    actions.claim(reviewer, app_id, version_of(app_id))
    at = page(DETAIL, reviewer, review_app_id=app_id)
    assert not at.exception
    text = texts(at)
    assert "テスト物流株式会社" in text and f"システム 構成図 v2.pdf（{len(TEST_PDF)} bytes）" in text
    assert {e.label for e in at.expander} >= {"申込担当者", "事業所・企業", "利用者コード"}
    history = at.dataframe[-1].value if at.dataframe else None
    assert any("審査開始（担当）" in str(v) for v in history.values.ravel())


def test_detail_approve_path(reviewer):
    app_id, applicant_id = make_application()
    at = page(DETAIL, reviewer, review_app_id=app_id)
    start = add_business_days(clock.today_jst(), 6)
    at.date_input(key=f"rd_start_{app_id}").set_value(start).run()
    _button(at, "承認する").click().run()
    assert not at.exception
    with UnitOfWork() as u:
        s = u.session
        office = s.get(Applicant, applicant_id).office_code
        assert s.get(Application, app_id).status == "APPROVED"
        assert s.scalar(select(MailOutbox.template).order_by(MailOutbox.id.desc())) == "approval"
    assert f"承認しました。事業所コード {office}" in texts(at)
    assert "この申込は審査が終了しています（確認完了）。" in texts(at)


def test_detail_weekend_start_date_shows_the_japanese_message(reviewer):
    app_id, _ = make_application()
    at = page(DETAIL, reviewer, review_app_id=app_id)
    weekend = clock.today_jst() + timedelta(days=1)
    while weekend.weekday() < 5:
        weekend += timedelta(days=1)
    at.date_input(key=f"rd_start_{app_id}").set_value(weekend).run()
    _button(at, "承認する").click().run()
    assert "利用開始日は営業日（土日・祝日・年末年始を除く日）を指定してください。" in [e.value for e in at.error]
    with UnitOfWork() as u:
        s = u.session
        assert s.get(Application, app_id).status == "SUBMITTED"


def test_detail_empty_reject_reason_and_empty_return(reviewer):
    app_id, _ = make_application()
    at = page(DETAIL, reviewer, review_app_id=app_id)
    _button(at, "却下する").click().run()
    assert "却下の理由を入力してください。" in [e.value for e in at.error]
    _button(at, "差戻す").click().run()
    assert "差戻しには、少なくとも 1 つの画面にコメントを入力してください。" in [e.value for e in at.error]
    at.text_area(key=f"rd_comment_{app_id}_office").input("事業所の住所をご確認ください。").run()
    _button(at, "差戻す").click().run()
    assert "差し戻しました。申込者にメールで通知しました。" in texts(at)
    assert "事業所の住所をご確認ください。" in texts(at)  # now an earlier review comment


def test_detail_refuses_an_action_on_a_changed_application(reviewer):
    app_id, _ = make_application()
    at = page(DETAIL, reviewer, review_app_id=app_id)
    actions.claim(make_staff("rev2", REVIEWER), app_id, version_of(app_id))  # meanwhile, someone else
    at.text_area(key=f"rd_reason_{app_id}").input("理由").run()
    _button(at, "却下する").click().run()
    assert any("ほかの審査担当者がこの申込を更新しました" in e.value for e in at.error)
    with UnitOfWork() as u:
        s = u.session
        assert s.get(Application, app_id).status == "IN_REVIEW"
    reload_button = next(b for b in at.button if b.label == "再読み込み")
    reload_button.click().run()
    assert not any("ほかの審査担当者" in e.value for e in at.error)
    assert "担当者：rev2 name" in texts(at)


def test_internal_note_is_added_and_listed(reviewer):
    app_id, _ = make_application()
    at = page(DETAIL, reviewer, review_app_id=app_id)
    _button(at, "メモを保存").click().run()
    assert "メモの内容を入力してください。" in [e.value for e in at.error]
    at.text_area(key=f"rd_note_{app_id}").input("電話で確認済み").run()
    _button(at, "メモを保存").click().run()
    assert "メモを保存しました。" in texts(at) and "電話で確認済み" in texts(at)


def test_dashboard_pages_through_the_queue_and_restarts_on_new_filters(reviewer):
    now = clock.now()
    for i in range(53):
        make_application(submitted_at=now - timedelta(minutes=i), connection_type="NET" if i % 2 else "GENERAL")
    at = page(DASHBOARD, reviewer)
    assert "53 件中 1〜50 件を表示" in texts(at)
    at.number_input(key="rq_page_picker").set_value(2).run()
    assert "53 件中 51〜53 件を表示" in texts(at)
    at.checkbox(key="rq_desc").check().run()  # new sort order: back to the first page
    assert "53 件中 1〜50 件を表示" in texts(at)
    at.selectbox(key="rq_connection").set_value("NET").run()
    assert "26 件中 1〜26 件を表示" in texts(at)


def test_history_says_who_entered_what_for_whom(reviewer):
    desk = make_staff("desk1", DESK)
    app_id, applicant_id = make_application()
    with UnitOfWork() as u:
        s = u.session
        audit.record(s, desk, "application.section_saved", target_type="application", target_id=app_id,
                     applicant_id=applicant_id, after={"section": "office", "status": "COMPLETE", "data": {}})
        s.commit()
    at = page(DETAIL, reviewer, review_app_id=app_id)
    history = at.dataframe[-1].value
    row = history.iloc[0]
    # The same layout and wording as the desk's record.
    assert row["入力者"] == "desk1 name が 山田 太郎 様の代理で入力"
    assert row["操作"] == "画面の保存（事業所・企業）"


def test_pages_in_english(reviewer):
    app_id, _ = make_application()
    at = page(DASHBOARD, reviewer, nss_lang="en")
    assert "Review dashboard" in texts(at) and "Showing 1–1 of 1" in texts(at)
    at = page(DETAIL, reviewer, nss_lang="en", review_app_id=app_id)
    assert "Application detail" in texts(at) and any(b.label == "Approve" for b in at.button)


def test_claim_assign_and_release_from_the_detail_page(reviewer):
    other = make_staff("rev2", REVIEWER)
    app_id, _ = make_application()
    at = page(DETAIL, reviewer, review_app_id=app_id)
    _button(at, "自分が担当する").click().run()
    assert "担当者を設定しました。" in texts(at) and "担当者：rev1 name" in texts(at)
    at.selectbox(key="rd_assign_to").set_value(other.user_id).run()
    _button(at, "割り当てる").click().run()
    assert "担当者：rev2 name" in texts(at)
    _button(at, "担当を外してキューに戻す").click().run()
    assert "キューに戻しました。" in texts(at) and "担当者：未割当" in texts(at)
    with UnitOfWork() as u:
        s = u.session
        app = s.get(Application, app_id)
        assert (app.status, app.assignee_id) == ("SUBMITTED", None)


def test_deadline_list_shows_dates_and_countdowns(reviewer):
    app_id, _ = make_application()
    actions.approve(reviewer, app_id, add_business_days(clock.today_jst(), 6), version_of(app_id))
    at = page(DASHBOARD, reviewer)
    expander = next(e for e in at.expander if e.label.startswith("システム設定申込が未完了"))
    table = expander.dataframe[0].value
    assert table.iloc[0]["残り"] == "あと 2 営業日"  # deadline: 4 business days before the start


def _capped_dashboard(monkeypatch, reviewer, **session_state):
    from services.review import queue
    monkeypatch.setattr(queue, "COUNT_CAP", 4)
    monkeypatch.setattr(queue, "PAGE_SIZE", 2)
    now = clock.now()
    for i in range(7):
        make_application(submitted_at=now - timedelta(minutes=i), company=f"会社{i}")
    at = page(DASHBOARD, reviewer, **session_state)
    assert not at.exception
    return at


def test_dashboard_shows_a_capped_count_and_pages_up_to_the_cap(reviewer, monkeypatch):
    at = _capped_dashboard(monkeypatch, reviewer)
    assert "4 件以上のうち 1〜2 件を表示" in texts(at)
    assert "ページで移動できるのは先頭 4 件までです。" in texts(at)
    assert "CSV に入るのは並び順で先頭 50,000 件までです。" in texts(at)  # the download's row cap (issue 9 item 5)
    page_input = at.number_input(key="rq_page_picker")
    assert page_input.max == 2  # the first COUNT_CAP rows only, not a last page past the counted ones
    page_input.set_value(2).run()
    assert "4 件以上のうち 3〜4 件を表示" in texts(at)


def test_capped_count_in_english(reviewer, monkeypatch):
    # First render only: AppTest formats the filters' options outside the page's language on a rerun.
    at = _capped_dashboard(monkeypatch, reviewer, nss_lang="en")
    assert "Showing 1–2 of 4 or more" in texts(at) and "Paging reaches the first 4 only." in texts(at)


def test_dashboard_shows_the_exact_count_below_the_cap(reviewer, monkeypatch):
    from services.review import queue
    monkeypatch.setattr(queue, "COUNT_CAP", 4)
    monkeypatch.setattr(queue, "PAGE_SIZE", 2)
    for _ in range(3):
        make_application()
    at = page(DASHBOARD, reviewer)
    assert "3 件中 1〜2 件を表示" in texts(at) and "以上" not in texts(at)
    assert "CSV に入るのは" not in texts(at)  # no row-cap note: the file holds every row


def test_detail_draws_only_the_actions_the_workflow_offers(reviewer):
    app_id, _ = make_application()
    at = page(DETAIL, reviewer, review_app_id=app_id)
    labels = {b.label for b in at.button}
    assert {"自分が担当する", "割り当てる", "承認する", "差戻す", "却下する"} <= labels
    assert "担当を外してキューに戻す" not in labels  # nothing to release before anyone holds it
    actions.claim(reviewer, app_id, version_of(app_id))
    labels = {b.label for b in page(DETAIL, reviewer, review_app_id=app_id).button}
    assert "担当を外してキューに戻す" in labels and "自分が担当する" not in labels  # held by me already
    admin = make_staff("adm1", ADMIN)
    at = page(DETAIL, admin, review_app_id=app_id)
    assert "審査の操作は審査担当者のみ行えます。" in texts(at)
    assert not {"自分が担当する", "承認する", "却下する"} & {b.label for b in at.button}


def test_the_detail_keeps_its_application_in_the_url(reviewer):
    """A reload (or a link) of 申込詳細 opens the same application: its id is in the query string."""
    app_id, _ = make_application(company="URL物流株式会社")
    at = page(DETAIL, reviewer, review_app_id=app_id)
    assert not at.exception and at.query_params["app"] == str(app_id)
    reloaded = AppTest.from_file(str(ROOT / DETAIL), default_timeout=30)
    reloaded.session_state["nss_actor"] = reviewer
    reloaded.query_params["app"] = str(app_id)  # a fresh session: nothing but the URL
    reloaded.run()
    assert not reloaded.exception and "URL物流株式会社" in texts(reloaded)


# ------------------------------------------------------------------ working the queue (issue 13)

def _login_app(login_id: str):
    """The whole app (st.navigation), logged in: page switches work as in the browser."""
    from tests.factories import PASSWORD
    from tests.ui.harness import app
    at = app()
    at.text_input[0].input(login_id)
    at.text_input[1].input(PASSWORD)
    _button(at, "ログイン").click().run()
    assert not at.exception
    return at


def _table_key(at) -> str:
    return next(d.key for d in at.dataframe if (d.key or "").startswith("rq_table_"))


def _click_row(at, row: int):
    """What a click on a cell of the queue does (AppTest cannot click the canvas grid)."""
    at.session_state[_table_key(at)] = {"selection": {"rows": [], "columns": [], "cells": [[row, "企業名"]]}}
    return at.run()


def test_queue_filters_sort_and_page_live_in_the_url_and_come_back(reviewer, monkeypatch):
    from services.review import queue
    monkeypatch.setattr(queue, "PAGE_SIZE", 2)
    now = clock.now()
    for i in range(5):
        make_application(connection_type="NET", company=f"会社{i}", submitted_at=now - timedelta(hours=i))
    make_application(connection_type="GENERAL")
    at = page(DASHBOARD, reviewer)
    at.selectbox(key="rq_connection").set_value("NET").run()
    at.checkbox(key="rq_desc").check().run()
    at.number_input(key="rq_page_picker").set_value(2).run()
    assert "5 件中 3〜4 件を表示" in texts(at)
    assert dict(at.query_params) == {"conn": "NET", "sort": "-submitted_at", "page": "2"}
    # A reload: a new session with nothing but the URL.
    reloaded = AppTest.from_file(str(ROOT / DASHBOARD), default_timeout=30)
    reloaded.session_state["nss_actor"] = reviewer
    for k, v in at.query_params.items():
        reloaded.query_params[k] = v[0] if isinstance(v, list) else v
    reloaded.run()
    assert not reloaded.exception
    assert reloaded.selectbox(key="rq_connection").value == "NET" and reloaded.checkbox(key="rq_desc").value
    assert "5 件中 3〜4 件を表示" in texts(reloaded)
    assert list(_queue(reloaded)["企業名"]) == ["会社2", "会社3"]  # newest first (会社0), page 2


def test_a_malformed_url_falls_back_to_the_default_queue(reviewer):
    make_application()
    at = AppTest.from_file(str(ROOT / DASHBOARD), default_timeout=30)
    at.session_state["nss_actor"] = reviewer
    for k, v in {"status": "BOGUS", "who": "99999", "due": "x", "sort": "drop", "page": "-1", "between": "2026-99"}.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception and "1 件中 1〜1 件を表示" in texts(at)
    assert at.selectbox(key="rq_assignee").value == ""


def test_figure_tiles_open_their_filtered_queue(reviewer):
    now = clock.now()
    make_application(submitted_at=now - timedelta(days=15))  # overdue
    make_application()
    make_application(status="IN_REVIEW", assignee_id=reviewer.user_id)
    at = page(DASHBOARD, reviewer)
    at.button(key="rq_tile_overdue").click().run()
    assert at.selectbox(key="rq_due").value == "overdue" and "1 件中 1〜1 件を表示" in texts(at)
    assert at.query_params["due"] == "overdue"
    at.button(key="rq_tile_mine").click().run()
    assert at.selectbox(key="rq_assignee").value == "mine" and at.selectbox(key="rq_due").value == ""
    assert "1 件中 1〜1 件を表示" in texts(at)


def _net_queue_opened_at_its_first_row() -> tuple[int, AppTest]:
    """Two netNACCS applications around a 一般 NACCS one; the reviewer filters on netNACCS and clicks
    the first row. Returns (its id, the app on its detail page)."""
    now = clock.now()
    first, _ = make_application(connection_type="NET", company="一番目物流", submitted_at=now - timedelta(hours=3))
    make_application(connection_type="GENERAL", company="一般の会社", submitted_at=now - timedelta(hours=2))
    make_application(connection_type="NET", company="二番目物流", submitted_at=now - timedelta(hours=1))
    at = _login_app("rev1")
    at.selectbox(key="rq_connection").set_value("NET").run()
    return first, _click_row(at, 0)


def test_a_click_on_a_row_opens_it_and_the_way_back_keeps_the_filter(reviewer):
    first, at = _net_queue_opened_at_its_first_row()
    assert not at.exception
    assert "一番目物流" in texts(at) and "申込詳細" in texts(at)
    assert at.query_params["app"] == [str(first)] or at.query_params["app"] == str(first)
    assert "NET" in str(at.query_params["conn"])
    at.button(key="rd_back").click().run()
    assert "審査ダッシュボード" in texts(at)
    assert at.selectbox(key="rq_connection").value == "NET"
    assert list(_queue(at)["企業名"]) == ["一番目物流", "二番目物流"]


def test_approve_and_next_opens_the_next_item_of_the_same_filtered_queue(reviewer):
    first, at = _net_queue_opened_at_its_first_row()
    at.date_input(key=f"rd_start_{first}").set_value(add_business_days(clock.today_jst(), 6)).run()
    at.button(key="rd_approve_next").click().run()
    assert not at.exception
    assert "承認しました。" in texts(at) and "次の申込を開きました。" in texts(at)
    assert "二番目物流" in texts(at) and "一般の会社" not in texts(at)
    with UnitOfWork() as u:
        assert u.session.get(Application, first).status == "APPROVED"
    # The last one of the queue: 差戻しして次へ goes back to the queue, still filtered.
    at.text_area(key=next(a.key for a in at.text_area if a.key.endswith("_office"))).input("住所の確認").run()
    at.button(key="rd_return_next").click().run()
    assert "絞り込んだキューの最後の申込でした。" in texts(at)
    assert at.selectbox(key="rq_connection").value == "NET"


def test_each_screen_has_its_comment_box_beside_it(reviewer):
    app_id, _ = make_application()
    at = page(DETAIL, reviewer, review_app_id=app_id)
    pairs = list(zip(at.columns[:-1], at.columns[1:], strict=True))
    beside = {left.expander[0].label: [a.key for a in right.text_area]
              for left, right in pairs if len(left.expander) == 1 and not len(right.expander)}
    assert beside["事業所・企業"] == [f"rd_comment_{app_id}_office"]
    assert beside["申込担当者"] == [f"rd_comment_{app_id}_applicant_contact"]
    assert not any(a.key.startswith("rd_comment_") for tab in at.tabs for a in tab.text_area)  # not in a tab
    assert at.button(key="rd_return_next") and at.button(key="rd_approve_next")


def test_bulk_claim_reports_the_stale_row_by_name_and_does_the_rest(reviewer):
    now = clock.now()
    ids = [make_application(company=f"まとめて{i}株式会社", submitted_at=now - timedelta(hours=3 - i))[0]
           for i in range(3)]
    at = page(DASHBOARD, reviewer)
    at.toggle(key="rq_bulk").set_value(True).run()
    at.session_state[_table_key(at)] = {"selection": {"rows": [0, 1, 2], "columns": [], "cells": []}}
    at.run()
    actions.claim(make_staff("rev2", REVIEWER), ids[1], version_of(ids[1]))  # meanwhile, someone else
    at.button(key="rq_bulk_claim").click().run()
    assert not at.exception
    assert "2 件を自分の担当にしました。" in texts(at)
    refused = "\n".join(w.value for w in at.warning)
    assert "まとめて1株式会社：ほかの審査担当者が先に更新したため、変更していません。" in refused
    assert "まとめて0株式会社" not in refused
    other_id = actor_of_login("rev2")
    with UnitOfWork() as u:
        assert [u.session.get(Application, i).assignee_id for i in ids] == [reviewer.user_id, other_id,
                                                                            reviewer.user_id]
    assert list(_queue(at)["担当者"]) == ["rev1 name", "rev2 name", "rev1 name"]


def test_a_row_of_a_deadline_list_opens_its_application(reviewer):
    app_id, _ = make_application(company="設定待ち物流")
    actions.approve(reviewer, app_id, add_business_days(clock.today_jst(), 6), version_of(app_id))
    at = _login_app("rev1")
    key = next(d.key for d in at.dataframe if (d.key or "").startswith("rq_deadline_"))
    at.session_state[key] = {"selection": {"rows": [], "columns": [], "cells": [[0, "会社名"]]}}
    at.run()
    assert not at.exception and "申込詳細" in texts(at) and "設定待ち物流" in texts(at)
    assert str(app_id) in str(at.query_params["app"])


def test_superscript_or_huge_numbers_in_the_url_open_the_default_queue_and_no_application(reviewer):
    """A hand-edited link: '¹' passes str.isdigit() but not int(), which crashed both pages."""
    make_application()
    at = AppTest.from_file(str(ROOT / DASHBOARD), default_timeout=30)
    at.session_state["nss_actor"] = reviewer
    at.query_params["who"], at.query_params["page"] = "¹", "²" + "9" * 400
    at.run()
    assert not at.exception and "審査キュー" in texts(at)  # '¹' reads as reviewer 1 (NFKC), the page as 1
    for bad in ("¹", "9" * 5000):
        detail = AppTest.from_file(str(ROOT / DETAIL), default_timeout=30)
        detail.session_state["nss_actor"] = reviewer
        detail.query_params["app"] = bad
        detail.run()
        assert not detail.exception
