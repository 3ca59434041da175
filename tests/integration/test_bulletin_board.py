"""掲示板: survey forms as real workbooks, versions, retiring, who sees what, audit."""
from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest
from sqlalchemy import func, select

from db.models import AuditEvent, BoardDocument, BoardFileVersion
from services import bulletin_board as board
from services import clock
from services.application import filetypes
from services.audit import AuditAction
from services.authz import ADMIN, DESK
from services.errors import DomainError, NotFound, PermissionDenied, StaleData, ValidationFailed
from services.survey_forms import SurveyForm
from services.uow import UnitOfWork
from tests import filesamples as fs
from tests.factories import first_login, issue, make_staff

HEADINGS = {
    SurveyForm.CARGO_DELIVERY: ("貨物引渡業務登録調査票", ["保税蔵置場コード", "引渡業務の種別", "引渡先（貨物を受け取る事業者）"]),
    SurveyForm.AIRLINE_INTERFACE: ("航空会社インタフェース調査票", ["IATA 2 レターコード", "航空会社プリフィックス", "FWB"]),
    SurveyForm.SHIPPING_LINE: ("船会社受委託関係登録兼船会社コード付与調査票",
                               ["希望する船会社コード", "受委託関係（業務を委託する相手）", "受託者の利用者コード"]),
}


def _applicant():
    result, password = issue()
    return first_login(result.temp_login_id, password)


def _cells(content: bytes) -> list[str]:
    wb = openpyxl.load_workbook(io.BytesIO(content))
    return [str(c.value) for row in wb.active.iter_rows() for c in row if c.value is not None]


def _audit_count(action: AuditAction) -> int:
    with UnitOfWork() as u:
        return u.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action.value))


def test_the_survey_forms_are_workbooks_with_their_headings(db):
    assert board.ensure_survey_forms() == 3
    me = _applicant()
    for key, (title, fields) in HEADINGS.items():
        file = board.survey_form_download(me, key)
        assert file.file_name == f"{title}.xlsx" and file.content_type == filetypes.XLSX
        cells = _cells(file.content)
        assert cells[0] == title
        for label in ["申込者情報", "事業所コード", "利用者コード", *fields]:
            assert label in cells, (key, label)
        # the form passes the same content check an applicant's attachment of it will
        assert filetypes.check(file.file_name, file.content) == filetypes.XLSX
        info = board.survey_form_file(me, key)
        assert info is not None and info.version == 1 and info.title == title


def test_seeding_twice_adds_nothing_and_a_retired_form_stays_retired(db):
    admin = make_staff("adm1", ADMIN)
    assert board.ensure_survey_forms() == 3
    assert board.ensure_survey_forms() == 0
    cargo = board.survey_form_file(admin, SurveyForm.CARGO_DELIVERY)
    board.retire_file(admin, cargo.document_id)
    assert board.ensure_survey_forms() == 0
    assert board.survey_form_file(admin, SurveyForm.CARGO_DELIVERY) is None
    with pytest.raises(NotFound):
        board.survey_form_download(admin, SurveyForm.CARGO_DELIVERY)
    assert _audit_count(AuditAction.BOARD_FILE_ADDED) == 3 and _audit_count(AuditAction.BOARD_FILE_RETIRED) == 1


def test_a_new_version_retires_the_old_one(db):
    admin = make_staff("adm2", ADMIN)
    me = _applicant()
    board.ensure_survey_forms()
    old = board.survey_form_file(me, SurveyForm.SHIPPING_LINE)
    new_content = fs.ooxml("xlsx")
    later = clock.now() + timedelta(hours=1)
    with clock.shifted(timedelta(hours=1)):
        new = board.replace_file(admin, old.document_id, "船会社調査票 2027年版.xlsx", new_content, expected_version=1)
    assert new.version == 2 and new.published_at >= later - timedelta(minutes=1)
    current = board.survey_form_file(me, SurveyForm.SHIPPING_LINE)
    assert (current.version, current.file_name) == (2, "船会社調査票 2027年版.xlsx")
    assert board.survey_form_download(me, SurveyForm.SHIPPING_LINE).content == new_content
    # the applicant sees one entry per file, the current version only; the old one is not served
    files = [f for f in board.current_board(me).files if f.form_key == SurveyForm.SHIPPING_LINE]
    assert [f.version for f in files] == [2]
    with pytest.raises(NotFound):
        board.download(me, old.version_id)
    # the administrator keeps the history and may still read the old version
    _, docs = board.admin_board(admin)
    history = next(d for d in docs if d.form_key == SurveyForm.SHIPPING_LINE)
    assert [(v.version, v.retired) for v in history.versions] == [(2, False), (1, True)]
    assert board.download(admin, old.version_id).file_name == old.file_name
    assert _audit_count(AuditAction.BOARD_FILE_REPLACED) == 1


def test_a_version_based_on_an_old_view_is_refused(db):
    admin = make_staff("adm3", ADMIN)
    board.ensure_survey_forms()
    doc = board.survey_form_file(admin, SurveyForm.AIRLINE_INTERFACE)
    board.replace_file(admin, doc.document_id, "a.xlsx", fs.ooxml("xlsx"), expected_version=1)
    with pytest.raises(StaleData):
        board.replace_file(admin, doc.document_id, "b.xlsx", fs.ooxml("xlsx"), expected_version=1)
    with UnitOfWork() as u:
        assert u.session.scalar(select(func.count()).select_from(BoardFileVersion)
                                .where(BoardFileVersion.document_id == doc.document_id)) == 2


def test_uploads_are_checked_by_content_and_size(db, monkeypatch):
    admin = make_staff("adm4", ADMIN)
    board.ensure_survey_forms()
    doc = board.survey_form_file(admin, SurveyForm.CARGO_DELIVERY)
    with pytest.raises(DomainError) as refused:
        board.add_file(admin, "手引き", "guide.pdf", b"MZ\x90\x00 not a pdf")
    assert refused.value.code == filetypes.FILE_TYPE
    with pytest.raises(DomainError) as macro:
        board.replace_file(admin, doc.document_id, "form.xlsx", fs.ooxml("xlsx", extra={"xl/vbaProject.bin": b"x"}),
                           expected_version=1)
    assert macro.value.code == filetypes.OFFICE_MACRO
    with pytest.raises(DomainError) as not_excel:  # a survey form stays a workbook
        board.replace_file(admin, doc.document_id, "form.pdf", fs.pdf(), expected_version=1)
    assert not_excel.value.code == board.FORM_NOT_EXCEL
    monkeypatch.setenv("NSS_UPLOAD_LIMIT_MB", "1")
    import config
    config.settings.cache_clear()
    with pytest.raises(DomainError) as too_large:
        board.add_file(admin, "大きい", "big.pdf", fs.pdf(padding=1_200_000))
    assert too_large.value.code == "wizard.error.file_too_large"
    with pytest.raises(ValidationFailed) as no_title:
        board.add_file(admin, "  ", "guide.pdf", fs.pdf())
    assert "title" in no_title.value.errors
    with UnitOfWork() as u:
        assert u.session.scalar(select(func.count()).select_from(BoardDocument)) == 3
    added = board.add_file(admin, "操作マニュアル", "操作マニュアル.pdf", fs.pdf())
    assert added.version == 1 and added.form_key is None


def test_applicants_see_current_notices_newest_first(db):
    admin = make_staff("adm5", ADMIN)
    me = _applicant()
    today = clock.today_jst()
    old = board.add_notice(admin, "古いお知らせ", "本文", posted_on=today - timedelta(days=5))
    new = board.add_notice(admin, "重要なお知らせ", "本文\n二行目", important=True, posted_on=today - timedelta(days=1))
    board.add_notice(admin, "明日のお知らせ", "まだ出ない", posted_on=today + timedelta(days=1))
    gone = board.add_notice(admin, "取り下げ", "本文")
    board.retire_notice(admin, gone)
    notices = board.current_board(me).notices
    assert [n.id for n in notices] == [new, old]
    assert notices[0].important and notices[0].body == "本文\n二行目" and not notices[1].important
    all_notices, _ = board.admin_board(admin)
    assert len(all_notices) == 4 and any(n.retired for n in all_notices)
    assert _audit_count(AuditAction.BOARD_NOTICE_ADDED) == 4 and _audit_count(AuditAction.BOARD_NOTICE_RETIRED) == 1


def test_only_administrators_keep_the_board(db):
    desk = make_staff("desk1", DESK)
    me = _applicant()
    board.ensure_survey_forms()
    doc = board.survey_form_file(me, SurveyForm.CARGO_DELIVERY)
    for actor in (desk, me):
        with pytest.raises(PermissionDenied):
            board.add_notice(actor, "t", "b")
        with pytest.raises(PermissionDenied):
            board.retire_file(actor, doc.document_id)
        with pytest.raises(PermissionDenied):
            board.replace_file(actor, doc.document_id, "a.xlsx", fs.ooxml("xlsx"), expected_version=1)
        with pytest.raises(PermissionDenied):
            board.admin_board(actor)
    assert board.current_board(desk).files  # staff may read it as applicants do
    with pytest.raises(PermissionDenied):
        board.current_board(make_staff("must", ADMIN, must_change=True))


def test_prepare_offers_the_survey_forms_without_demo_data(db, monkeypatch):
    from services.bootstrap import prepare
    prepare()  # demo off in these fixtures: the forms are there all the same
    with UnitOfWork() as u:
        keys = set(u.session.scalars(select(BoardDocument.form_key)))
    assert keys == {form.value for form in SurveyForm}
    prepare()  # a second prepare adds nothing
    with UnitOfWork() as u:
        assert u.session.scalar(select(func.count()).select_from(BoardFileVersion)) == 3


def test_the_demo_board_has_the_forms_and_notices_one_important(demo_on):
    office = make_staff("desk9", DESK)
    current = board.current_board(office)
    assert {f.form_key for f in current.files} == {form.value for form in SurveyForm}
    assert len(current.notices) >= 3 and [n.important for n in current.notices].count(True) == 1
