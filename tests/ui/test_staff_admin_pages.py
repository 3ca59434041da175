"""AppTest: the staff page's search, filters, lock status and unlock, the last administrator's
refusal, and the admin home's counts with their links."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from services import users
from services.authz import ADMIN, DESK, REVIEWER
from services.mail import MailStatus
from tests import admin_home_helpers as h
from tests.factories import make_staff
from tests.ui.harness import ROOT, TIMEOUT, page, texts
from ui.session import ACTOR_KEY


def _login_ids(at) -> list[str]:
    return list(at.dataframe[0].value["職員 ID"]) if at.dataframe else []


def test_search_and_role_filter_narrow_the_list(sqlite_db):
    admin = make_staff("adm1", ADMIN)
    make_staff("desk1", DESK)
    make_staff("rev1", REVIEWER)
    at = page("screens/admin/users.py", admin)
    assert not at.exception and _login_ids(at) == ["adm1", "desk1", "rev1"] and "3 件" in texts(at)
    at.text_input(key="users_search").input("ＤＥＳＫ").run()
    assert _login_ids(at) == ["desk1"]
    at.text_input(key="users_search").input("").run()
    at.selectbox(key="users_role").select(REVIEWER).run()
    assert _login_ids(at) == ["rev1"]
    at.text_input(key="users_search").input("nobody").run()
    assert "条件に合う職員はいません。" in texts(at)


def test_locked_link_opens_the_locked_staff_and_unlock_lifts_it(sqlite_db):
    admin = make_staff("adm1", ADMIN)
    make_staff("desk1", DESK)
    make_staff("desk2", DESK)
    h.failed_logins("desk2")
    at = AppTest.from_file(str(ROOT / "screens/admin/users.py"), default_timeout=TIMEOUT)
    at.session_state[ACTOR_KEY] = admin
    at.query_params["locked"] = "1"
    at.run()
    assert not at.exception and _login_ids(at) == ["desk2"]
    assert list(at.dataframe[0].value["ロック"]) == ["○"]
    assert "ロックされています" in texts(at)
    next(b for b in at.button if b.label == "ロックを解除").click().run()
    assert not at.exception and "条件に合う職員はいません。" in texts(at)
    at.checkbox(key="users_locked").uncheck().run()
    assert set(_login_ids(at)) == {"adm1", "desk1", "desk2"}
    assert not any(b.label == "ロックを解除" for b in at.button)


def test_the_last_administrator_is_refused_in_japanese(sqlite_db):
    admin = make_staff("adm1", ADMIN)
    other = make_staff("adm2", ADMIN)
    at = page("screens/admin/users.py", other)
    # adm1 disables adm2 while adm2's page is open: adm2's click would leave no active administrator
    users.set_active(admin, other.user_id, False)
    at.selectbox(key="users_pick").select("adm1").run()
    next(b for b in at.button if b.label == "利用を停止する").click().run()
    assert "利用中の管理者が他にいないため" in texts(at)


def test_only_administrators_open_the_staff_page(sqlite_db):
    at = page("screens/admin/users.py", make_staff("desk1", DESK))
    assert not at.dataframe and at.error


def test_admin_home_shows_counts_with_links(sqlite_db):
    admin = make_staff("adm1", ADMIN)
    make_staff("desk1", DESK)
    h.mail(MailStatus.FAILED, 5)
    h.mail(MailStatus.PENDING, 1)
    h.failed_logins("desk1")
    h.usage_import(1)
    h.terms("3")
    at = page("screens/common/home.py", admin)
    shown = texts(at)
    assert not at.exception and "確認が必要な項目" in shown
    assert "送信に失敗したメール：1 件" in shown and "再送待ちのメール：1 件" in shown
    assert "ロック中の職員アカウント：1 件" in shown
    assert "直近 7 日の利用実績の取込み：1 件" in shown and "第 3 版" in shown
    assert "直近 7 日に変更された掲示板の項目：0 件" in shown


def test_admin_home_with_nothing_to_do_says_so_and_desk_home_is_unchanged(sqlite_db):
    at = page("screens/common/home.py", make_staff("adm1", ADMIN))
    assert "いま対応が必要な項目はありません。" in texts(at)
    assert "施行中のシステム利用規程：第 1.0 版" in texts(at)  # the version the first migration wrote
    at = page("screens/common/home.py", make_staff("desk1", DESK))
    assert "確認が必要な項目" not in texts(at) and "左のメニューから作業を選んでください。" in texts(at)


def test_through_the_app_an_administrator_lands_on_the_attention_list_and_its_links_work(sqlite_db):
    import streamlit as st

    from tests.factories import PASSWORD
    from tests.ui.harness import login
    st.cache_resource.clear()
    make_staff("adm1", ADMIN)
    make_staff("desk1", DESK)
    h.failed_logins("desk1")
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run(), "adm1", PASSWORD)
    assert not at.exception and "ロック中の職員アカウント：1 件" in texts(at)
    links = {e.proto.label: e.proto for e in at.get("page_link")}
    assert "ロック中の職員を表示" in links and "送信メールを開く" not in links  # no failing mail, no link
    assert links["ロック中の職員を表示"].query_string == "locked=1" and not links["ロック中の職員を表示"].disabled
    at.query_params["locked"] = "1"
    at.switch_page("screens/admin/users.py").run()
    assert not at.exception and _login_ids(at) == ["desk1"]


def test_the_outbox_opens_filtered_by_the_home_link(sqlite_db):
    h.mail(MailStatus.FAILED, 5)
    h.mail(MailStatus.SENT, 1)
    at = AppTest.from_file(str(ROOT / "screens/admin/outbox.py"), default_timeout=TIMEOUT)
    at.session_state[ACTOR_KEY] = make_staff("adm1", ADMIN)
    at.query_params["status"] = "FAILED"
    at.run()
    assert not at.exception and at.selectbox(key="outbox_status").value == "FAILED" and len(at.expander) == 1
