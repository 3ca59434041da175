"""AppTest: the システム利用規程 admin page (statuses, a new version, refusals next to their fields,
the plain-text preview), the agreed version on the desk record and the review detail, and the
admin home's scheduled terms."""
from __future__ import annotations

from datetime import timedelta

import pytest

from services import clock, terms
from services.authz import ADMIN, DESK, REVIEWER
from tests.factories import make_application, make_caller, make_staff
from tests.ui.harness import page, shown, texts
from ui.desk import OPEN_CALLER_KEY

PAGE = "screens/admin/terms.py"
HOSTILE = "**太字** <b>タグ</b> [link](https://evil.example) # 見出し"


@pytest.fixture
def admin(sqlite_db):
    return make_staff("adm1", ADMIN)


def _fill(at, version: str, body: str, days: int):
    counter = at.session_state["terms_admin_counter"]
    at.text_input(key=f"terms_admin_version_{counter}").input(version)
    at.text_area(key=f"terms_admin_body_{counter}").input(body)
    at.date_input(key=f"terms_admin_effective_{counter}").set_value(clock.today_jst() + timedelta(days=days))
    return at


def _click(at, label: str):
    next(b for b in at.button if b.label == label).click().run()
    return at


def _versions(admin) -> list[str]:
    return [v.version for v in terms.versions(admin)]


def test_versions_listed_with_their_status(admin):
    terms.add_version(admin, "2.0", "本日施行", clock.today_jst())
    terms.add_version(admin, "3.0", "来週施行", clock.today_jst() + timedelta(days=7))
    at = page(PAGE, admin)
    assert not at.exception
    headings = [m.value for m in at.markdown if "-badge[" in m.value]
    assert headings == [":blue-badge[予定] **第 3\\.0 版**", ":green-badge[施行中] **第 2\\.0 版**",
                        ":gray-badge[過去] **第 1\\.0 版**"]
    assert [e.label for e in at.expander].count("本文を表示") == 3
    assert "来週施行" in [x.value for x in at.text]


def test_an_administrator_writes_a_version_for_tomorrow(admin):
    at = _click(_fill(page(PAGE, admin), "2.0", "第1条 改定後の規程", 1), "登録する")
    assert not at.exception and not at.error
    tomorrow = (clock.today_jst() + timedelta(days=1)).strftime("%Y/%m/%d")
    assert f"第 2.0 版を登録しました（施行日：{tomorrow}）。" in texts(at)
    assert _versions(admin) == ["2.0", "1.0"]
    assert ":blue-badge[予定] **第 2\\.0 版**" in [m.value for m in at.markdown]
    counter = at.session_state["terms_admin_counter"]
    assert at.text_input(key=f"terms_admin_version_{counter}").value == ""  # the form is empty again


@pytest.mark.parametrize(("version", "body", "days", "message"), [
    ("", "本文", 1, "入力してください。"),
    ("2.0", "", 1, "入力してください。"),
    ("1.0", "本文", 1, "第 1.0 版はすでに登録されています。別の版を入力してください。"),
    ("2.0", "本文", -1, "施行日には本日以降の日付を指定してください。"),
])
def test_refusals_show_next_to_the_field_and_save_nothing(admin, version, body, days, message):
    at = _click(_fill(page(PAGE, admin), version, body, days), "登録する")
    assert not at.exception
    assert [shown(e.value) for e in at.error] == [message]
    assert _versions(admin) == ["1.0"]
    assert "登録しました" not in texts(at)


def test_the_preview_shows_the_text_as_typed_never_as_markup(admin):
    at = _click(_fill(page(PAGE, admin), "2.0 <i>", HOSTILE, 1), "プレビュー")
    assert not at.exception
    assert HOSTILE in [x.value for x in at.text]
    assert not any("<b>" in m.value or "](" in m.value for m in at.markdown)
    heading = next(m.value for m in at.markdown if m.value.startswith("**プレビュー"))
    assert "\\<i\\>" in heading  # the typed label, escaped
    assert _versions(admin) == ["1.0"]  # a preview saves nothing


def test_only_administrators_open_the_page(sqlite_db):
    at = page(PAGE, make_staff("desk1", DESK))
    assert at.error and not at.text_input


def test_desk_record_shows_the_agreed_version_even_after_a_newer_one(sqlite_db):
    desk, admin = make_staff("desk1", DESK), make_staff("adm1", ADMIN)
    caller = make_caller()
    terms.add_version(admin, "2.0", "新しい規程", clock.today_jst())  # in force now
    at = page("screens/desk/search.py", desk, **{OPEN_CALLER_KEY: caller})
    assert not at.exception and "同意したシステム利用規程" in texts(at)
    line = next(x.value for x in at.text if x.value.startswith("第 1.0 版"))
    assert "施行" in line and "同意（Web で発行）" in line
    assert "第 1.0 版の本文を表示" in [shown(e.label) for e in at.expander]
    assert terms.agreed_terms(desk, caller).body.strip() in [x.value for x in at.text]


def test_review_detail_shows_the_agreed_version(sqlite_db):
    reviewer = make_staff("rev1", REVIEWER)
    app_id, _ = make_application()
    at = page("screens/review/detail.py", reviewer, review_app_id=app_id)
    assert not at.exception and "同意したシステム利用規程" in texts(at)
    assert "第 1.0 版の本文を表示" in [shown(e.label) for e in at.expander]


def test_admin_home_lists_terms_with_a_future_effective_date(admin):
    day = clock.today_jst() + timedelta(days=10)
    terms.add_version(admin, "2.0", "十日後", day)
    at = page("screens/common/home.py", admin)
    text = texts(at)
    assert f"施行予定のシステム利用規程：第 2.0 版（{day.strftime('%Y/%m/%d')} 施行）" in text
    assert "施行中のシステム利用規程：第 1.0 版" in text
    # The page on its own has no navigation: the link is drawn as its disabled stand-in.
    assert [b.label for b in at.button].count("システム利用規程の管理を開く") == 2
    terms.add_version(admin, "3.0", "二十日後", day + timedelta(days=10))
    assert "施行予定のシステム利用規程：2 件（次は第 2.0 版" in texts(page("screens/common/home.py", admin))
