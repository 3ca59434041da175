"""Staff-only notes, two kinds with one rule set: the desk's call notes on an applicant's record
(SPEC §3.2) and the reviewers' internal notes on an application. No service gives either to
applicants; each kind has its own readers and writers and its own table.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Applicant, Application, CallNote, InternalNote, User
from services import audit, clock
from services.audit import AuditAction
from services.authz import DESK, Actor, require_role
from services.errors import FieldError, ValidationFailed
from services.fields import FieldInvalid, clean_required_text
from services.review.queue import VIEWER_ROLES
from services.uow import UnitOfWork, get_or_raise

NOTE_MAX = 2000     # the one limit of a staff note (and of any long staff text)
BODY = "body"       # the field a refused note's message belongs to
NOTE_REQUIRED = "note.required"


class NoteKind(StrEnum):
    CALL_NOTE = "call_note"   # 通話メモ: on an applicant, desk only
    INTERNAL = "internal"     # 内部メモ: on an application, reviewers and admins


_ROLES = {NoteKind.CALL_NOTE: (DESK,), NoteKind.INTERNAL: VIEWER_ROLES}
_MODEL: dict[NoteKind, type[CallNote] | type[InternalNote]] = {NoteKind.CALL_NOTE: CallNote,
                                                            NoteKind.INTERNAL: InternalNote}
_OWNER = {NoteKind.CALL_NOTE: CallNote.applicant_id, NoteKind.INTERNAL: InternalNote.application_id}
_ACTION = {NoteKind.CALL_NOTE: AuditAction.DESK_CALL_NOTE_ADDED, NoteKind.INTERNAL: AuditAction.REVIEW_NOTE_ADDED}


@dataclass(frozen=True)
class NoteView:
    id: int
    created_at: datetime
    author_login_id: str
    author_name: str
    body: str


def clean_body(body: str | None) -> str:
    """The note as stored, or ValidationFailed with the message under `body`."""
    try:
        return clean_required_text(body, NOTE_MAX, multiline=True)
    except FieldInvalid as exc:
        error = FieldError(NOTE_REQUIRED) if exc.error.code == "field.required" else exc.error
        raise ValidationFailed({BODY: error}) from exc


def _applicant_of(s: Session, kind: NoteKind, owner_id: int) -> int:
    """The applicant the note concerns (for the audit trail); NotFound when its owner is gone."""
    if kind == NoteKind.CALL_NOTE:
        get_or_raise(s, Applicant, owner_id)
        return owner_id
    app = get_or_raise(s, Application, owner_id)
    return app.applicant_id


def add_note(actor: Actor, kind: NoteKind, owner_id: int, body: str | None, *,
             uow: UnitOfWork | None = None) -> int:
    """Adds a note of `kind` to its owner (the applicant of a call note, the application of an
    internal note) and records it; returns the note's id."""
    require_role(actor, *_ROLES[kind])
    text = clean_body(body)
    with (uow or UnitOfWork()) as u:
        s = u.session
        applicant_id = _applicant_of(s, kind, owner_id)
        model = _MODEL[kind]
        note = model(body=text, author_user_id=actor.user_id, created_at=clock.now())
        setattr(note, _OWNER[kind].key, owner_id)
        s.add(note)
        u.flush()
        if kind == NoteKind.CALL_NOTE:
            audit.record(s, actor, _ACTION[kind], target_type=kind.value, target_id=note.id,
                         applicant_id=applicant_id)
        else:
            audit.record(s, actor, _ACTION[kind], target_type="application", target_id=owner_id,
                         applicant_id=applicant_id)
        note_id = note.id
        u.commit()
        return note_id


def notes_of(s: Session, kind: NoteKind, owner_id: int) -> list[NoteView]:
    """Newest first, in the caller's session (the reviewer's detail reads them with the rest)."""
    model = _MODEL[kind]
    rows = s.execute(select(model.id, model.created_at, User.login_id, User.display_name, model.body)
                     .join(User, User.id == model.author_user_id)
                     .where(_OWNER[kind] == owner_id)
                     .order_by(model.created_at.desc(), model.id.desc()))
    return [NoteView(note_id, created_at, login_id, name, body) for note_id, created_at, login_id, name, body in rows]


def list_notes(actor: Actor, kind: NoteKind, owner_id: int, *, uow: UnitOfWork | None = None) -> list[NoteView]:
    require_role(actor, *_ROLES[kind])
    with (uow or UnitOfWork()) as u:
        return notes_of(u.session, kind, owner_id)
