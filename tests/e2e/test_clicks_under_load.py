"""Clicks under load (issue 13 item 2): four browsers at once on one server, each logging in with one
click, opening a deep URL at once, and saving a wizard screen twice. No login click may go without
effect (however slow the machine), and every save the user made must be in the database and stay in its field. The driver is the bench's
(bench/bench_browsers.py), so the test and the figures measure the same thing."""
from bench.bench_browsers import drive, prepare, stored_value
from tests.e2e.conftest import CHROMIUM, PATIENCE_S, start_app, stop_app

BROWSERS, ROUNDS = 4, 2


def test_four_browsers_lose_no_login_click_and_no_save(tmp_path, browser_type_launch_args):
    assert browser_type_launch_args["executable_path"] == CHROMIUM  # skips (or fails on CI) without Chromium
    applicants = prepare(tmp_path / "data", BROWSERS, bcrypt_rounds=4)
    app, smtp = start_app(tmp_path)
    try:
        # A click is lost when it never has its effect, not when a busy machine answers late: the
        # 15 s figure is the bench's (bench/bench_browsers.py), not a timed assertion here.
        results = drive(app.base_url, applicants, ROUNDS, tmp_path / "data" / "nss.db", trace=True,
                        lost_after=PATIENCE_S)
    finally:
        stop_app(app, smtp, tmp_path)

    report = "\n".join(f"page {r.browser}: {r}" for r in results)
    assert all(r.error is None for r in results), report
    # One click per login, never a retry (a deep URL opened before the browser holds the re-login
    # cookie still lands on the login page and needs a second login: counted by the bench, not
    # asserted here; it opens the kept URL afterwards, which the save rounds need).
    logins = BROWSERS + sum(r.deep_link_logouts for r in results)
    assert sum(r.login_clicks for r in results) == logins, report
    assert sum(r.lost_login_clicks for r in results) == 0, report
    assert sum(r.saves for r in results) == BROWSERS * ROUNDS, report
    assert all(not r.lost_saves and not r.late_saves and not r.field_lost_value for r in results), report
    for r, who in zip(results, applicants, strict=True):
        assert stored_value(tmp_path / "data" / "nss.db", who.application_id) == r.saved_values[-1], report
