"""Deep links through app.py (issue 13 item 6): a role's page opens by its URL, and a URL opened
before login (with its query string) opens right after the login."""
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from services.authz import DESK, REVIEWER
from tests.factories import PASSWORD, make_application, make_staff
from tests.ui.harness import ROOT, TIMEOUT, login, texts


@pytest.fixture(autouse=True)
def fresh_cache():
    st.cache_resource.clear()
    yield


def _opened(page: str | None = None, **query) -> AppTest:
    """A fresh browser session that asks for the page's URL (AppTest can only switch pages once the
    first run registered them; the URL is then the page's, as a browser opening it sends)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    if page:
        for key, value in query.items():
            at.query_params[key] = value
        at.switch_page(page).run()
        at._page_hash = ""  # later runs stay where the last one finished, as a browser's URL does
    return at


def _login(at: AppTest, login_id: str) -> AppTest:
    return login(at, login_id, PASSWORD)


def test_the_default_page_of_a_role_opens_by_its_own_url(sqlite_db):
    make_staff("desk1", DESK)
    at = _login(_opened(), "desk1")
    assert not at.exception and "窓口" in [x.value for x in at.title]
    at.switch_page("screens/desk/search.py").run()   # /desk: Streamlit's default page only had "/"
    assert not at.exception and "窓口" in [x.value for x in at.title]


def test_a_link_opened_before_login_opens_after_it_with_its_query(sqlite_db):
    make_staff("rev1", REVIEWER)
    app_id, _ = make_application(company="深いリンク物流株式会社")
    at = _opened("screens/review/detail.py", app=str(app_id))
    assert "ログイン" in [b.label for b in at.button]          # the login page, not the detail
    assert "深いリンク物流株式会社" not in texts(at)
    at = _login(at, "rev1")
    assert not at.exception
    assert "深いリンク物流株式会社" in texts(at)
    assert at.query_params["app"] == [str(app_id)] or at.query_params["app"] == str(app_id)


def test_a_link_of_another_role_is_not_opened_after_login(sqlite_db):
    make_staff("desk1", DESK)
    at = _login(_opened("screens/review/dashboard.py"), "desk1")
    assert not at.exception
    assert "このアカウントでは開けません" in texts(at)
    assert "窓口" in [x.value for x in at.title]


def test_the_page_left_by_a_logout_is_no_deep_link(sqlite_db):
    make_staff("rev1", REVIEWER)
    make_staff("desk1", DESK)
    at = _login(_opened(), "rev1")
    next(b for b in at.button if b.label == "ログアウト").click().run()
    at = _login(at, "desk1")
    assert not at.exception
    assert "このアカウントでは開けません" not in texts(at)
    assert "窓口" in [x.value for x in at.title]


def test_a_forced_password_change_comes_first_then_the_link_opens(sqlite_db):
    from services.authz import ADMIN
    make_staff("adm1", ADMIN, must_change=True)
    at = _login(_opened("screens/admin/users.py"), "adm1")
    assert not at.exception and "このアカウントでは開けません" not in texts(at)
    assert "発行されたパスワードでログインしました" in texts(at)
    inputs = at.text_input
    inputs[0].input(PASSWORD)
    inputs[1].input("Fresh-Password-88")
    inputs[2].input("Fresh-Password-88")
    next(b for b in at.button if b.label == "変更する").click().run()
    assert not at.exception
    assert "職員アカウント" in [x.value for x in at.title]
