"""The login page and role navigation, driven through app.py as a browser would."""
import pytest
import streamlit as st

from services.authz import ADMIN, DESK, REVIEWER
from tests.factories import PASSWORD, make_staff
from tests.ui.harness import app, texts


@pytest.fixture(autouse=True)
def fresh_cache():
    st.cache_resource.clear()
    yield


def _login(at, login_id, password):
    at.text_input[0].input(login_id)
    at.text_input[1].input(password)
    next(b for b in at.button if b.label == "ログイン").click().run()
    return at


def test_good_login_shows_menu_for_role(sqlite_db):
    make_staff("rev1", REVIEWER)
    at = _login(app(), "rev1", PASSWORD)
    assert not at.exception
    assert at.session_state["authentication_status"] is True
    assert "rev1" in texts(at) or "rev1 name" in texts(at)


def test_bad_password_shows_one_message(sqlite_db):
    make_staff("rev1", REVIEWER)
    at = _login(app(), "rev1", "wrong-password")
    assert "ログイン ID またはパスワードが正しくありません" in "\n".join(e.value for e in at.error)
    at2 = _login(app(), "nobody", "wrong-password")
    assert [e.value for e in at.error] == [e.value for e in at2.error]


def test_locked_id_gets_the_same_message_even_with_right_password(sqlite_db):
    make_staff("rev1", REVIEWER)
    for _ in range(5):
        _login(app(), "rev1", "wrong-password")
    at = _login(app(), "rev1", PASSWORD)
    assert at.session_state["authentication_status"] is not True
    assert "ログイン ID またはパスワードが正しくありません" in at.error[0].value


def test_forced_change_shows_only_the_password_page(sqlite_db):
    make_staff("adm1", ADMIN, must_change=True)
    at = _login(app(), "adm1", PASSWORD)
    assert "発行されたパスワードでログインしました" in texts(at)
    inputs = at.text_input
    inputs[0].input(PASSWORD)
    inputs[1].input("Fresh-Password-88")
    inputs[2].input("Fresh-Password-88")
    next(b for b in at.button if b.label == "変更する").click().run()
    assert not at.exception
    assert "パスワードを変更しました" in texts(at)
    assert at.session_state["nss_actor"].must_change_password is False


def _titles(at) -> list[str]:
    return [t.value for t in at.title]


def test_navigation_is_built_from_roles_and_other_pages_stay_closed(sqlite_db):
    from services.auth import create_user
    from services.authz import UserKind
    from services.uow import UnitOfWork
    with UnitOfWork() as u:
        s = u.session
        create_user(s, login_id="T123456789", display_name="申込 太郎", password=PASSWORD,
                    roles={"applicant"}, kind=UserKind.TEMP, must_change_password=False)
        u.commit()
    make_staff("desk1", DESK)
    at = _login(app(), "T123456789", PASSWORD)
    at.switch_page("screens/admin/outbox.py").run()   # by URL: registered, but routed to the user's own page
    assert not at.exception
    assert "送信メール" not in _titles(at)
    assert "このアカウントでは開けません" in texts(at)

    at2 = _login(app(), "desk1", PASSWORD)
    at2.switch_page("screens/admin/outbox.py").run()   # the outbox is for administrators only
    assert not at2.exception
    assert "送信メール" not in _titles(at2)
    assert "このアカウントでは開けません" in texts(at2)
    make_staff("admin1", "admin")
    at3 = _login(app(), "admin1", PASSWORD)
    at3.switch_page("screens/admin/outbox.py").run()
    assert "送信メール" in _titles(at3)


def test_logged_out_visitor_sees_only_public_pages(sqlite_db):
    at = app()
    assert "NACCS 利用申込ポータル" in [h.value for h in at.header]
    for staff_page in ("screens/common/home.py", "screens/admin/outbox.py", "screens/account/change_password.py"):
        at.switch_page(staff_page).run()   # by URL: the login page instead, the page kept for after it
        assert not at.exception
        assert "NACCS 利用申込ポータル" in [h.value for h in at.header]
        assert "nss_actor" not in at.session_state


def test_login_flood_from_one_client_gets_the_throttle_message(sqlite_db):
    from services import ratelimit
    make_staff("rev1", REVIEWER)
    for i in range(ratelimit.LOGIN_FAILURES_PER_CLIENT.limit):  # AppTest connects from loopback
        _login(app(), f"junk{i}", "wrong-password")
    at = _login(app(), "rev1", PASSWORD)
    assert at.session_state["authentication_status"] is not True
    assert "ログインの失敗が続いたため" in "\n".join(e.value for e in at.error)
