"""システム構成図 attachments: types by content, size limit, exact names (SQLite and PostgreSQL)."""
import io
import time
import zipfile

import pytest
from sqlalchemy import func, select

import config
from db.models import Attachment, AuditEvent
from services.application.attachments import (
    add_attachment,
    download_attachment,
    list_attachments,
    remove_attachment,
)
from services.authz import REVIEWER
from services.errors import DomainError, PermissionDenied
from services.uow import UnitOfWork
from tests import filesamples as fs
from tests.factories import make_applicant, make_staff, started

PDF = fs.pdf()
PNG = fs.image()
EXE = fs.EXE


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
    assert add_attachment(actor, app_id, "b.jpeg", fs.image("JPEG")).content_type == "image/jpeg"
    assert add_attachment(actor, app_id, "c.xlsx", fs.ooxml("xlsx")).content_type.endswith("sheet")
    assert add_attachment(actor, app_id, "d.docx", fs.ooxml("docx")).content_type.endswith("document")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(20) + b"\xfe\xff\x09\x00" + bytes(480)
    assert add_attachment(actor, app_id, "e.xls", ole).content_type == "application/vnd.ms-excel"
    assert len(list_attachments(actor, app_id)) == 5


def test_exe_renamed_pdf_refused(db):
    actor = make_applicant()
    app_id = started(actor)
    assert _code(lambda: add_attachment(actor, app_id, "diagram.pdf", EXE)) == "wizard.error.file_type"
    assert _code(lambda: add_attachment(actor, app_id, "diagram.exe", EXE)) == "wizard.error.file_type"
    # a zip that is not an Office file, and a PNG claiming to be a PDF
    assert _code(lambda: add_attachment(actor, app_id, "x.docx", _office_zip("other"))) == "wizard.error.file_office_invalid"
    assert _code(lambda: add_attachment(actor, app_id, "x.pdf", PNG)) == "wizard.error.file_type"
    assert list_attachments(actor, app_id) == []


def test_over_limit_and_empty_refused(db, monkeypatch):
    monkeypatch.setenv("NSS_UPLOAD_LIMIT_MB", "1")
    config.settings.cache_clear()
    actor = make_applicant()
    app_id = started(actor)
    big = fs.pdf(padding=1024 * 1024)
    assert _code(lambda: add_attachment(actor, app_id, "big.pdf", big)) == "wizard.error.file_too_large"
    assert _code(lambda: add_attachment(actor, app_id, "empty.pdf", b"")) == "wizard.error.file_empty"
    assert add_attachment(actor, app_id, "ok.pdf", PDF)


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


def _stored(app_id: int) -> tuple[int, int]:
    with UnitOfWork() as u:
        files = u.session.scalar(select(func.count()).select_from(Attachment)
                                 .where(Attachment.application_id == app_id))
        audits = u.session.scalar(select(func.count()).select_from(AuditEvent))
    return files or 0, audits or 0


HOSTILE = [
    ("pdf+exe", "diagram.pdf", lambda: fs.pdf() + fs.EXE, "wizard.error.file_trailing_data"),
    ("pdf+html", "diagram.pdf", lambda: fs.pdf() + fs.HTML, "wizard.error.file_trailing_data"),
    ("pdf+zip", "diagram.pdf", lambda: fs.pdf() + fs.ooxml("xlsx"), "wizard.error.file_trailing_data"),
    ("pdf-header-only", "diagram.pdf", lambda: b"%PDF-1.7\n%%EOF\n", "wizard.error.file_pdf_invalid"),
    ("pdf-javascript", "diagram.pdf", lambda: fs.pdf_with_open_action("/JavaScript"), "wizard.error.file_pdf_active"),
    ("png+html", "diagram.png", lambda: fs.image() + fs.HTML, "wizard.error.file_trailing_data"),
    ("png-header+html", "diagram.png", lambda: b"\x89PNG\r\n\x1a\n" + fs.HTML, "wizard.error.file_image_invalid"),
    ("png-truncated", "diagram.png", lambda: fs.image()[:-20], "wizard.error.file_image_invalid"),
    ("png-pixel-bomb", "diagram.png", lambda: fs.png_header_only(100_000, 100_000),
     "wizard.error.file_image_too_large"),
    ("xlsm-as-xlsx", "diagram.xlsx", lambda: fs.ooxml("xlsm"), "wizard.error.file_office_macro"),
    ("docm-as-docx", "diagram.docx", lambda: fs.ooxml("docm"), "wizard.error.file_office_macro"),
    ("zip-slip", "diagram.xlsx", lambda: fs.ooxml("xlsx", extra={"../../evil.sh": b"rm -rf ~"}),
     "wizard.error.file_archive_unsafe"),
    ("zip-bomb", "diagram.docx", lambda: fs.zip_bomb("docx", unpacked_mb=200), "wizard.error.file_archive_too_large"),
]


@pytest.mark.parametrize(("name", "content", "code"), [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_hostile_upload_is_refused_and_nothing_is_stored(db, name, content, code):
    actor = make_applicant()
    app_id = started(actor)
    before = _stored(app_id)
    assert _code(lambda: add_attachment(actor, app_id, name, content())) == code
    assert _stored(app_id) == before  # no attachment row, no audit entry
    assert list_attachments(actor, app_id) == []


def test_check_time_of_a_10_mb_pdf_and_a_zip_bomb(db, capsys):
    """Figures for the report: the check reads a 10 MB PDF and refuses a 200 MB bomb quickly."""
    actor = make_applicant()
    app_id = started(actor)
    big_pdf = fs.pdf(padding=10 * 1024 * 1024 - 2048)
    bomb = fs.zip_bomb("xlsx", unpacked_mb=200)
    t0 = time.perf_counter()
    assert add_attachment(actor, app_id, "large.pdf", big_pdf).size == len(big_pdf)
    t1 = time.perf_counter()
    assert _code(lambda: add_attachment(actor, app_id, "bomb.xlsx", bomb)) == "wizard.error.file_archive_too_large"
    t2 = time.perf_counter()
    with capsys.disabled():
        print(f"\n[upload check] 10 MB PDF ({len(big_pdf):,} B) stored in {t1 - t0:.3f} s; "
              f"zip bomb ({len(bomb):,} B packed, 200 MB unpacked) refused in {t2 - t1:.4f} s")
    assert t2 - t1 < 1.0
