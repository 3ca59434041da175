"""ui.auth_adapter relies on internals of one streamlit-authenticator version. When an upgrade moves
them, these fail (rather than the login silently breaking): re-check the adapter, then the pin."""
import ast
import inspect
from importlib.metadata import version
from pathlib import Path

import streamlit_authenticator as stauth
from streamlit_authenticator.controllers.authentication_controller import AuthenticationController
from streamlit_authenticator.controllers.cookie_controller import CookieController
from streamlit_authenticator.models import cookie_model
from streamlit_authenticator.models.authentication_model import AuthenticationModel
from streamlit_authenticator.models.cookie_model import CookieModel

from ui import auth_adapter

ROOT = Path(__file__).resolve().parents[2]


def _params(function) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_the_installed_library_is_the_pinned_version():
    assert auth_adapter.PINNED_VERSION == "0.4.2"
    assert version(auth_adapter.DISTRIBUTION) == auth_adapter.PINNED_VERSION
    requirements = (ROOT / "requirements.txt").read_text().splitlines()
    assert f"{auth_adapter.DISTRIBUTION}=={auth_adapter.PINNED_VERSION}" in requirements


def test_the_constructor_and_login_take_what_the_adapter_passes():
    assert _params(stauth.Authenticate.__init__)[:5] == [
        "self", "credentials", "cookie_name", "cookie_key", "cookie_expiry_days"]
    kinds = {p.kind for p in inspect.signature(stauth.Authenticate.__init__).parameters.values()}
    assert inspect.Parameter.VAR_KEYWORD in kinds  # login_sleep_time goes in there
    login = inspect.signature(stauth.Authenticate.login).parameters
    assert {"location", "fields", "key"} <= set(login)
    assert "unrendered" in str(login["location"].annotation)
    source = inspect.getsource(stauth.Authenticate.login)
    assert "login_sleep_time" in source and "cookie_controller.get_cookie()" in source
    for label in ("Form name", "Username", "Password", "Login"):  # the labels LoginWidget.form sets
        assert f"'{label}'" in source


def test_the_patched_internals_exist_with_the_expected_signatures():
    # LoginWidget replaces authentication_model.credentials["usernames"] and .check_credentials.
    assert "self.authentication_model = AuthenticationModel(" in inspect.getsource(AuthenticationController.__init__)
    assert _params(AuthenticationModel.check_credentials) == ["self", "username", "password"]
    login = inspect.getsource(AuthenticationModel.login)
    assert "self.check_credentials(username, password)" in login
    assert "self.credentials['usernames'][username]" in login
    for key in auth_adapter.LIBRARY_KEYS:
        assert f"st.session_state['{key}']" in login
    # The cookie: written and deleted by the controller; ignored after a logout.
    assert _params(CookieController.set_cookie) == ["self"]
    assert _params(CookieController.delete_cookie) == ["self"]
    assert f"st.session_state['{auth_adapter.LOGOUT_KEY}']" in inspect.getsource(CookieModel.get_cookie)


def test_the_library_cookie_is_what_the_adapter_decodes():
    encode = inspect.getsource(CookieModel._token_encode)
    assert f"'{auth_adapter.COOKIE_EXPIRY_CLAIM}': self.exp_date" in encode
    assert f"algorithm='{auth_adapter.COOKIE_ALGORITHM}'" in encode
    expiry = inspect.getsource(CookieModel._set_exp_date)
    assert "timedelta(days=self.cookie_expiry_days)" in expiry


def test_the_library_cookie_manager_is_the_deferred_stand_in():
    """The library's own cookie manager is a component that reruns the page when it reports back;
    the adapter swaps it for one that draws nothing and never reruns."""
    source = inspect.getsource(CookieModel)
    assert "stx.CookieManager()" in source
    assert "self.cookie_manager.set(self.cookie_name, token," in source
    assert "self.cookie_manager.delete(self.cookie_name)" in source
    assert "st.context.cookies" in inspect.getsource(CookieModel.get_cookie)  # reading needs no component
    assert cookie_model.stx.CookieManager is auth_adapter.DeferredCookies


def test_nothing_but_the_adapter_imports_the_library():
    importers = []
    for path in ROOT.rglob("*.py"):
        if ".venv" in path.parts or path.name == "test_auth_adapter.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n.split(".")[0] == "streamlit_authenticator" for n in names):
                importers.append(path.relative_to(ROOT).as_posix())
    assert set(importers) == {"ui/auth_adapter.py"}


def test_the_library_encodes_and_decodes_its_token_through_the_methods_the_adapter_replaces():
    """LoginWidget swaps the cookie model's _token_encode / _token_decode for its own (with an issue
    time); the library must still call them, and must refuse a token user it does not know with
    LoginError (the adapter ends the session then)."""
    assert "token = self._token_encode()" in inspect.getsource(CookieModel.set_cookie)
    get_cookie = inspect.getsource(CookieModel.get_cookie)
    assert "self.token = self._token_decode()" in get_cookie
    assert "self.token is not False and 'username' in self.token" in get_cookie
    assert f"'{auth_adapter.COOKIE_USER_CLAIM}'" in inspect.getsource(CookieModel._token_encode)
    login = inspect.getsource(AuthenticationModel.login)
    assert "raise LoginError('User not authorized')" in login
    assert auth_adapter.LoginError.__module__ == "streamlit_authenticator.utilities.exceptions"
