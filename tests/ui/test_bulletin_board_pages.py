"""掲示板 pages: what offices and applicants see and download; the administrator's upkeep."""
from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest

from services import bulletin_board as board
from services import clock
from services.authz import ADMIN
from services.survey_forms import SurveyForm
from tests import filesamples as fs
from tests.factories import HOSTILE_TEXTS, make_applicant, make_staff
from tests.ui.harness import MARKDOWN_KINDS, left_active, page, shown, texts

PAGE = "screens/applicant/bulletin_board.py"
ADMIN_PAGE = "screens/admin/bulletin_board.py"


def _upload(at, document_id: int, name: str, content: bytes):
    next(u for u in at.file_uploader if u.key == f"ba_up_{document_id}_0").set_value(
        (name, content, "application/octet-stream")).run()
    at.button(key=f"ba_replace_{document_id}").click().run()
    assert not at.exception
    return at


def _downloads(at):
    return [e for e in at.get("download_button")]


def test_an_applicant_sees_notices_newest_first_and_the_forms(sqlite_db):
    admin = make_staff("adm1", ADMIN)
    board.ensure_survey_forms()
    today = clock.today_jst()
    board.add_notice(admin, "古いお知らせ", "以前の本文", posted_on=today - timedelta(days=3))
    board.add_notice(admin, "調査票の改訂", "新しい版を掲載しました", important=True)
    gone = board.add_notice(admin, "取り下げたお知らせ", "見えない")
    board.retire_notice(admin, gone)
    at = page(PAGE, make_applicant())
    assert not at.exception
    text = texts(at)
    assert text.index("調査票の改訂") < text.index("古いお知らせ") and "取り下げたお知らせ" not in text
    important = [m.value for m in at.markdown if "調査票の改訂" in m.value]
    assert important and ":red-badge[重要]" in important[0]
    assert not any(":red-badge" in m.value for m in at.markdown if "古いお知らせ" in m.value)
    for title in ("貨物引渡業務登録調査票", "航空会社インタフェース調査票", "船会社受委託関係登録兼船会社コード付与調査票"):
        assert title in text
    assert "第 1 版" in text and f"{today:%Y/%m/%d} 掲載" in text
    assert len(_downloads(at)) == 3


def test_the_page_shows_the_new_version_only(sqlite_db):
    admin = make_staff("adm2", ADMIN)
    board.ensure_survey_forms()
    doc = board.survey_form_file(admin, SurveyForm.CARGO_DELIVERY)
    board.replace_file(admin, doc.document_id, "貨物引渡 第2版.xlsx", fs.ooxml("xlsx"), expected_version=1)
    text = texts(page(PAGE, make_applicant()))
    assert "貨物引渡 第2版.xlsx" in text and "第 2 版" in text
    assert "貨物引渡業務登録調査票.xlsx" not in text


def test_an_empty_board_says_so(sqlite_db):
    text = texts(page(PAGE, make_applicant()))
    assert "お知らせはありません" in text and "ダウンロードできるファイルはありません" in text


@pytest.mark.parametrize("path", [PAGE, ADMIN_PAGE])
def test_typed_titles_and_bodies_are_shown_literally(sqlite_db, path):
    admin = make_staff("adm3", ADMIN)
    for i, text in enumerate(HOSTILE_TEXTS):
        board.add_notice(admin, f"{text} 表題", f"本文 {text}", important=i % 2 == 0)
    board.add_file(admin, f"{HOSTILE_TEXTS[1]} 手引き", f"{HOSTILE_TEXTS[2]}.pdf", fs.pdf())
    at = page(path, admin if path == ADMIN_PAGE else make_applicant())
    assert not at.exception
    for text in HOSTILE_TEXTS:
        holding = [m.value for kind in MARKDOWN_KINDS for m in getattr(at, kind) if text in shown(m.value)]
        assert holding, text
        for markdown in holding:
            assert not left_active(markdown), markdown


def test_the_administrator_posts_a_notice(sqlite_db):
    admin = make_staff("adm4", ADMIN)
    at = page(ADMIN_PAGE, admin)
    assert not at.exception
    at.text_input(key="ba_notice_title_0").input("メンテナンスのお知らせ")
    at.text_area(key="ba_notice_body_0").input("12月5日はご利用いただけません。")
    at.checkbox(key="ba_notice_important_0").check()
    next(b for b in at.button if b.label == "掲載する").click().run()
    assert not at.exception
    assert "お知らせを掲載しました" in texts(at)
    notices = board.current_board(admin).notices
    assert [(n.title, n.important) for n in notices] == [("メンテナンスのお知らせ", True)]


def test_a_notice_without_a_title_is_not_posted(sqlite_db):
    admin = make_staff("adm5", ADMIN)
    at = page(ADMIN_PAGE, admin)
    at.text_area(key="ba_notice_body_0").input("本文だけ")
    next(b for b in at.button if b.label == "掲載する").click().run()
    assert not at.exception and at.error
    assert board.current_board(admin).notices == []


def test_the_administrator_posts_a_new_version_and_withdraws_a_file(sqlite_db):
    admin = make_staff("adm6", ADMIN)
    board.ensure_survey_forms()
    doc = board.survey_form_file(admin, SurveyForm.AIRLINE_INTERFACE)
    at = page(ADMIN_PAGE, admin)
    assert "第 1 版" in texts(at)
    _upload(at, doc.document_id, "航空会社 第2版.xlsx", fs.ooxml("xlsx"))
    text = texts(at)
    assert "第 2 版を掲載しました" in text
    assert "航空会社 第2版.xlsx" in text and "掲載終了" in text  # version 1 listed as withdrawn
    at.button(key=f"ba_retire_f_{doc.document_id}").click().run()
    assert not at.exception and "掲載を終了しました" in texts(at)
    assert board.survey_form_file(admin, SurveyForm.AIRLINE_INTERFACE) is None


def test_a_macro_workbook_is_refused_with_its_message(sqlite_db):
    admin = make_staff("adm7", ADMIN)
    board.ensure_survey_forms()
    doc = board.survey_form_file(admin, SurveyForm.SHIPPING_LINE)
    at = _upload(page(ADMIN_PAGE, admin), doc.document_id, "船会社.xlsx", fs.ooxml("xlsm"))
    assert "マクロ" in texts(at)
    assert board.survey_form_file(admin, SurveyForm.SHIPPING_LINE).version == 1


def test_applicants_cannot_open_the_upkeep_page(sqlite_db):
    at = page(ADMIN_PAGE, make_applicant())
    assert at.error and "掲示板の管理" not in texts(at)


def test_the_downloaded_form_is_a_workbook(sqlite_db):
    board.ensure_survey_forms()
    me = make_applicant()
    file = board.survey_form_download(me, SurveyForm.CARGO_DELIVERY)
    ws = openpyxl.load_workbook(io.BytesIO(file.content)).active
    assert ws["A1"].value == "貨物引渡業務登録調査票"


def test_english_labels(sqlite_db):
    board.ensure_survey_forms()
    text = texts(page(PAGE, make_applicant(), nss_lang="en"))
    assert "NACCS bulletin board" in text and "Downloads" in text and "version 1" in text
