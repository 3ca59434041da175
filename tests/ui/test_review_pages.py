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
from tests.factories import make_applicant, make_application, make_staff, version_of
from tests.ui.harness import ROOT, page, texts

DASHBOARD, DETAIL = "pages/review/dashboard.py", "pages/review/detail.py"


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
    app_id, _ = make_application(attachment=("システム 構成図 v2.pdf", b"%PDF-1.4 test"))
    actions.claim(reviewer, app_id, version_of(app_id))
    at = page(DETAIL, reviewer, review_app_id=app_id)
    assert not at.exception
    text = texts(at)
    assert "テスト物流株式会社" in text and "システム 構成図 v2.pdf（13 bytes）" in text
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
