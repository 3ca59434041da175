"""システム構成図 attachments: types by content, size limit, exact names (SQLite and PostgreSQL)."""
import io
import zipfile

import pytest

import config
from services.application.attachments import (
    add_attachment,
    download_attachment,
    list_attachments,
    remove_attachment,
)
from services.authz import REVIEWER
from services.errors import DomainError, PermissionDenied
from tests.factories import make_applicant, make_staff, started

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def _office_zip(part: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(f"{part}/document.xml", "<x/>")
    return buf.getvalue()


def _code(call):
    with pytest.raises(DomainError) as err:
        call()
    return err.value.code


def test_name_with_spaces_and_japanese_round_trips_exactly(db):
    actor = make_applicant()
    app_id = started(actor)
    name = "システム 構成図 2026 (最終版) .pdf"
    info = add_attachment(actor, app_id, name, PDF)
    assert info.file_name == name and info.content_type == "application/pdf" and info.size == len(PDF)
    got = download_attachment(actor, info.id)
    assert got.file_name == name and got.content == PDF


def test_allowed_types_by_content(db):
    actor = make_applicant()
    app_id = started(actor)
    assert add_attachment(actor, app_id, "a.png", PNG).content_type == "image/png"
    assert add_attachment(actor, app_id, "b.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 16).content_type == "image/jpeg"
    assert add_attachment(actor, app_id, "c.xlsx", _office_zip("xl")).content_type.endswith("sheet")
    assert add_attachment(actor, app_id, "d.docx", _office_zip("word")).content_type.endswith("document")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32
    assert add_attachment(actor, app_id, "e.xls", ole).content_type == "application/vnd.ms-excel"
    assert len(list_attachments(actor, app_id)) == 5


def test_exe_renamed_pdf_refused(db):
    actor = make_applicant()
    app_id = started(actor)
    assert _code(lambda: add_attachment(actor, app_id, "diagram.pdf", EXE)) == "wizard.error.file_type"
    assert _code(lambda: add_attachment(actor, app_id, "diagram.exe", EXE)) == "wizard.error.file_type"
    # a zip that is not an Office file, and a PNG claiming to be a PDF
    assert _code(lambda: add_attachment(actor, app_id, "x.docx", _office_zip("other"))) == "wizard.error.file_type"
    assert _code(lambda: add_attachment(actor, app_id, "x.pdf", PNG)) == "wizard.error.file_type"
    assert list_attachments(actor, app_id) == []


def test_over_limit_and_empty_refused(db, monkeypatch):
    monkeypatch.setenv("NSS_UPLOAD_LIMIT_MB", "1")
    config.settings.cache_clear()
    actor = make_applicant()
    app_id = started(actor)
    big = PDF + b"0" * (1024 * 1024)
    assert _code(lambda: add_attachment(actor, app_id, "big.pdf", big)) == "wizard.error.file_too_large"
    assert _code(lambda: add_attachment(actor, app_id, "empty.pdf", b"")) == "wizard.error.file_empty"
    assert add_attachment(actor, app_id, "ok.pdf", PDF[:1024])


def test_remove_and_authz(db):
    owner = make_applicant()
    other = make_applicant("T987654321", "other@example.jp")
    app_id = started(owner)
    info = add_attachment(owner, app_id, "a.pdf", PDF)
    with pytest.raises(PermissionDenied):
        download_attachment(other, info.id)
    with pytest.raises(PermissionDenied):
        add_attachment(other, app_id, "a.pdf", PDF)
    reviewer = make_staff("rev1", REVIEWER)
    assert download_attachment(reviewer, info.id).content == PDF
    with pytest.raises(PermissionDenied):
        remove_attachment(reviewer, info.id)
    remove_attachment(owner, info.id)
    assert list_attachments(owner, app_id) == []
