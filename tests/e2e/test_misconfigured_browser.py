"""A server started with a weak cookie key (issue 8 item 10) does not stay up reporting healthy while
every page fails: the first page run logs the reason and shuts the server down."""
import urllib.request

import pytest

from tests.e2e.conftest import PATIENCE_S, start_app


def test_a_weak_cookie_key_shuts_the_server_down_on_its_first_page(tmp_path, page):
    app, smtp = start_app(tmp_path, extra_env={"NSS_COOKIE_KEY": "abcdefgh" * 4})
    try:
        page.goto(app.base_url)
        assert app.process.wait(timeout=PATIENCE_S) is not None  # it stopped by itself
        with pytest.raises(OSError):
            urllib.request.urlopen(app.base_url + "/_stcore/health", timeout=2)
        log = (tmp_path / "streamlit.log").read_text()
        assert "Refusing to start: NSS_COOKIE_KEY must be at least 32 random characters" in log
    finally:
        if app.process.poll() is None:
            app.process.kill()
        smtp.__exit__(None, None, None)
