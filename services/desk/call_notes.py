"""Call notes (SPEC §3.2): what was said on the phone, on the applicant's record, for desk staff only.

No service gives these to applicants; only the desk role reads or writes them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from db.models import Applicant, CallNote, User
from db.uow import uow
from services import audit, clock
from services.authz import DESK, Actor, require_role
from services.errors import NotFound, ValidationFailed
from services.fields import FieldInvalid, clean_required_text

MAX_NOTE_LENGTH = 2000


@dataclass(frozen=True)
class CallNoteView:
    id: int
    created_at: datetime
    author_login_id: str
    author_name: str
    body: str


def add_call_note(actor: Actor, applicant_id: int, body: str | None) -> int:
    require_role(actor, DESK)
    try:
        text = clean_required_text(body, MAX_NOTE_LENGTH)
    except FieldInvalid as exc:
        raise ValidationFailed({"body": exc.error}) from exc
    with uow() as s:
        if s.get(Applicant, applicant_id) is None:
            raise NotFound()
        note = CallNote(applicant_id=applicant_id, body=text, author_user_id=actor.user_id,
                        created_at=clock.now())
        s.add(note)
        s.flush()
        audit.record(s, actor, "desk.call_note_added", target_type="call_note", target_id=note.id,
                     applicant_id=applicant_id)
        s.commit()
        return note.id


def list_call_notes(actor: Actor, applicant_id: int) -> list[CallNoteView]:
    """Newest first."""
    require_role(actor, DESK)
    with uow() as s:
        rows = s.execute(select(CallNote, User.login_id, User.display_name)
                         .join(User, User.id == CallNote.author_user_id)
                         .where(CallNote.applicant_id == applicant_id)
                         .order_by(CallNote.created_at.desc(), CallNote.id.desc()))
        return [CallNoteView(n.id, n.created_at, login_id, name, n.body) for n, login_id, name in rows]
