"""掲示板 (bulletin board): notices and downloadable files with versions, for everyone logged in.

Applicants and offices read the current items: notices not retired and dated today or earlier,
newest first, and each file's current version. Administrators add notices and files, replace a
file with a new version (the previous version is retired; version number and date show) and retire
either; every change is audited. Nothing is deleted, so the history of what was offered stays.

The three survey forms (services/survey_forms.py) are files with a `form_key`; `ensure_survey_forms`
stores each as version 1 when the board has none (bootstrap.prepare, demo seeding).

Stable API for other screens: `survey_form_download(actor, form_key)` (the current version's bytes,
as the 掲示板 offers it) and `survey_form_file(actor, form_key)` (its name, version and date, or None).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from db.models import BoardDocument, BoardFileVersion, BoardNotice
from services import audit, clock, survey_forms
from services.application import filetypes
from services.application.attachments import Download, check_file
from services.audit import AuditAction
from services.authz import Actor, may_manage_board, require_board_admin, require_board_reader
from services.errors import DomainError, FieldError, NotFound, StaleData, ValidationFailed
from services.fields import FieldInvalid, clean_required_text
from services.survey_forms import SurveyForm
from services.uow import UnitOfWork, get_or_raise

TITLE_MAX = 200
BODY_MAX = 4000
FORM_NOT_EXCEL = "bulletin_board.error.form_not_excel"  # a survey form's new version must stay a workbook
EXCEL_TYPES = frozenset({filetypes.XLSX, filetypes.XLS})


@dataclass(frozen=True)
class BoardNoticeItem:
    id: int
    posted_on: date
    title: str
    body: str
    important: bool
    retired: bool = False


@dataclass(frozen=True)
class BoardFile:
    document_id: int
    form_key: str | None
    title: str
    version_id: int
    version: int
    file_name: str
    content_type: str
    size: int
    published_at: datetime
    retired: bool = False


@dataclass(frozen=True)
class Board:
    notices: list[BoardNoticeItem]
    files: list[BoardFile]


@dataclass(frozen=True)
class DocumentHistory:
    """Administrator's view of one file: every version, newest first."""
    document_id: int
    form_key: str | None
    title: str
    retired: bool
    versions: list[BoardFile]

    @property
    def current(self) -> BoardFile | None:
        return next((v for v in self.versions if not v.retired), None)


def _notice(n: BoardNotice) -> BoardNoticeItem:
    return BoardNoticeItem(n.id, n.posted_on, n.title, n.body, n.important, n.retired_at is not None)


def _file(d: BoardDocument, v: BoardFileVersion) -> BoardFile:
    return BoardFile(d.id, d.form_key, d.title, v.id, v.version, v.file_name, v.content_type, v.size,
                     v.published_at, retired=v.retired_at is not None or d.retired_at is not None)


def _current_version(d: BoardDocument) -> BoardFileVersion | None:
    if d.retired_at is not None:
        return None
    return next((v for v in reversed(d.versions) if v.retired_at is None), None)


# ---------------------------------------------------------------- reading


def current_board(actor: Actor, *, uow: UnitOfWork | None = None) -> Board:
    """What applicants and offices see: current notices (newest first) and current files."""
    require_board_reader(actor)
    with (uow or UnitOfWork()) as u:
        s = u.session
        notices = s.scalars(select(BoardNotice).where(
            BoardNotice.retired_at.is_(None), BoardNotice.posted_on <= clock.today_jst())
            .order_by(BoardNotice.posted_on.desc(), BoardNotice.id.desc()))
        docs = s.scalars(select(BoardDocument).where(BoardDocument.retired_at.is_(None))
                         .options(selectinload(BoardDocument.versions)).order_by(BoardDocument.id))
        files = [_file(d, v) for d in docs if (v := _current_version(d)) is not None]
        return Board([_notice(n) for n in notices], files)


def admin_board(actor: Actor, *, uow: UnitOfWork | None = None) -> tuple[list[BoardNoticeItem], list[DocumentHistory]]:
    """Every notice (retired and future-dated too) and every file with all its versions."""
    require_board_admin(actor)
    with (uow or UnitOfWork()) as u:
        s = u.session
        notices = s.scalars(select(BoardNotice).order_by(BoardNotice.posted_on.desc(), BoardNotice.id.desc()))
        docs = s.scalars(select(BoardDocument).options(selectinload(BoardDocument.versions))
                         .order_by(BoardDocument.id))
        history = [DocumentHistory(d.id, d.form_key, d.title, d.retired_at is not None,
                                   [_file(d, v) for v in reversed(d.versions)]) for d in docs]
        return [_notice(n) for n in notices], history


def download(actor: Actor, version_id: int, *, uow: UnitOfWork | None = None) -> Download:
    """A file's bytes with its original name. Only the current version, except for administrators."""
    require_board_reader(actor)
    with (uow or UnitOfWork()) as u:
        v = u.session.get(BoardFileVersion, version_id)
        if v is None:
            raise NotFound()
        if (v.retired_at is not None or v.document.retired_at is not None) and not may_manage_board(actor):
            raise NotFound()
        return Download(v.file_name, v.content_type, v.content)


def _form_document(s: Session, form_key: SurveyForm | str) -> BoardDocument | None:
    return s.scalar(select(BoardDocument).where(BoardDocument.form_key == SurveyForm(form_key).value)
                    .options(selectinload(BoardDocument.versions)))


def survey_form_file(actor: Actor, form_key: SurveyForm | str, *, uow: UnitOfWork | None = None) -> BoardFile | None:
    """The survey form's current version on the board (name, version, date), or None if retired."""
    require_board_reader(actor)
    with (uow or UnitOfWork()) as u:
        d = _form_document(u.session, form_key)
        v = _current_version(d) if d is not None else None
        return _file(d, v) if d is not None and v is not None else None


def survey_form_download(actor: Actor, form_key: SurveyForm | str, *, uow: UnitOfWork | None = None) -> Download:
    """The current version of a survey form, as the 掲示板 offers it (NotFound when retired)."""
    require_board_reader(actor)
    with (uow or UnitOfWork()) as u:
        d = _form_document(u.session, form_key)
        v = _current_version(d) if d is not None else None
        if v is None:
            raise NotFound()
        return Download(v.file_name, v.content_type, v.content)


# ---------------------------------------------------------------- administrator


def _text(errors: dict[str, FieldError], name: str, value: object, max_len: int, *, multiline: bool = False) -> str:
    try:
        return clean_required_text(value, max_len, multiline=multiline)
    except FieldInvalid as exc:
        errors[name] = exc.error
        return ""


def add_notice(actor: Actor, title: str, body: str, *, important: bool = False, posted_on: date | None = None,
               uow: UnitOfWork | None = None) -> int:
    require_board_admin(actor)
    errors: dict[str, FieldError] = {}
    clean_title = _text(errors, "title", title, TITLE_MAX)
    clean_body = _text(errors, "body", body, BODY_MAX, multiline=True)
    if errors:
        raise ValidationFailed(errors)
    with (uow or UnitOfWork()) as u:
        s = u.session
        row = BoardNotice(posted_on=posted_on or clock.today_jst(), title=clean_title, body=clean_body,
                          important=important, created_at=clock.now(), created_by_user_id=actor.user_id)
        s.add(row)
        u.flush()
        audit.record(s, actor, AuditAction.BOARD_NOTICE_ADDED, target_type="board_notice", target_id=row.id,
                     after={"title": clean_title, "important": important, "posted_on": row.posted_on.isoformat()})
        u.commit()
        return row.id


def retire_notice(actor: Actor, notice_id: int, *, uow: UnitOfWork | None = None) -> None:
    require_board_admin(actor)
    with (uow or UnitOfWork()) as u:
        s = u.session
        row = get_or_raise(s, BoardNotice, notice_id)
        if row.retired_at is not None:
            return
        row.retired_at = clock.now()
        audit.record(s, actor, AuditAction.BOARD_NOTICE_RETIRED, target_type="board_notice", target_id=row.id,
                     before={"title": row.title})
        u.commit()


def _new_version(s: Session, actor: Actor | None, d: BoardDocument, number: int, file_name: str,
                 content_type: str, content: bytes) -> BoardFileVersion:
    v = BoardFileVersion(document=d, version=number, file_name=file_name, content_type=content_type,
                         size=len(content), content=content, published_at=clock.now(),
                         published_by_user_id=actor.user_id if actor else None)
    s.add(v)
    return v


def _flush(u: UnitOfWork) -> None:
    """Two administrators adding the same version number at once: the second is told to reload."""
    try:
        u.flush()
    except IntegrityError as exc:
        raise StaleData() from exc


def _store_document(u: UnitOfWork, actor: Actor | None, title: str, file_name: str, content_type: str,
                    content: bytes, form_key: str | None = None) -> BoardFile:
    s = u.session
    d = BoardDocument(form_key=form_key, title=title, created_at=clock.now())
    s.add(d)
    v = _new_version(s, actor, d, 1, file_name, content_type, content)
    _flush(u)
    audit.record(s, actor, AuditAction.BOARD_FILE_ADDED, target_type="board_document", target_id=d.id,
                 after={"title": title, "file_name": file_name, "version": 1, "size": len(content)})
    return _file(d, v)


def add_file(actor: Actor, title: str, file_name: str, content: bytes, *, uow: UnitOfWork | None = None) -> BoardFile:
    """A new downloadable file, as version 1. Checked like an applicant's attachment (name, size,
    type by content)."""
    require_board_admin(actor)
    errors: dict[str, FieldError] = {}
    clean_title = _text(errors, "title", title, TITLE_MAX)
    if errors:
        raise ValidationFailed(errors)
    content_type = check_file(file_name, content)
    with (uow or UnitOfWork()) as u:
        info = _store_document(u, actor, clean_title, file_name, content_type, content)
        u.commit()
        return info


def replace_file(actor: Actor, document_id: int, file_name: str, content: bytes, *, expected_version: int,
                 uow: UnitOfWork | None = None) -> BoardFile:
    """A newer version of a file: the current one retires, the new one gets the next number.
    `expected_version` is the version the administrator saw (StaleData if another came first)."""
    require_board_admin(actor)
    content_type = check_file(file_name, content)
    with (uow or UnitOfWork()) as u:
        s = u.session
        d = s.scalar(select(BoardDocument).where(BoardDocument.id == document_id).with_for_update())
        if d is None:
            raise NotFound()
        if d.form_key is not None and content_type not in EXCEL_TYPES:
            raise DomainError(FORM_NOT_EXCEL)
        latest = max((v.version for v in d.versions), default=0)
        if latest != expected_version:
            raise StaleData()
        current = _current_version(d)
        if current is not None:
            current.retired_at = clock.now()
        d.retired_at = None  # a retired file offered again with a new version
        v = _new_version(s, actor, d, latest + 1, file_name, content_type, content)
        _flush(u)
        audit.record(s, actor, AuditAction.BOARD_FILE_REPLACED, target_type="board_document", target_id=d.id,
                     before={"version": latest, "file_name": current.file_name if current else None},
                     after={"version": v.version, "file_name": file_name, "size": len(content)})
        info = _file(d, v)
        u.commit()
        return info


def retire_file(actor: Actor, document_id: int, *, uow: UnitOfWork | None = None) -> None:
    """The file is no longer offered (its versions stay for the history)."""
    require_board_admin(actor)
    with (uow or UnitOfWork()) as u:
        s = u.session
        d = get_or_raise(s, BoardDocument, document_id)
        if d.retired_at is not None:
            return
        now = clock.now()
        d.retired_at = now
        for v in d.versions:
            if v.retired_at is None:
                v.retired_at = now
        audit.record(s, actor, AuditAction.BOARD_FILE_RETIRED, target_type="board_document", target_id=d.id,
                     before={"title": d.title})
        u.commit()


def ensure_survey_forms(*, uow: UnitOfWork | None = None) -> int:
    """Each survey form the board has never held is generated and stored as version 1 (by the
    system: no actor). A form an administrator retired stays retired. Returns how many were added."""
    added = 0
    try:
        with (uow or UnitOfWork()) as u:
            s = u.session
            known = set(s.scalars(select(BoardDocument.form_key).where(BoardDocument.form_key.is_not(None))))
            for key in SurveyForm:
                if key.value in known:
                    continue
                spec = survey_forms.form(key)
                _store_document(u, None, spec.title, spec.file_name, filetypes.XLSX,
                                survey_forms.workbook_bytes(key), form_key=key.value)
                added += 1
            u.commit()
    except StaleData:
        if uow is not None:
            raise
        return 0  # a second server starting at the same moment stored them first (unique form_key)
    return added
