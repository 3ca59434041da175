"""The caller's record: call notes (desk only, attributed), history, acting for the caller."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from db.models import AuditEvent
from services import clock, notes
from services.authz import ADMIN, APPLICANT, DESK, REVIEWER, Actor
from services.desk import callers
from services.errors import NotFound, PermissionDenied, ValidationFailed
from services.notes import NoteKind
from services.uow import UnitOfWork
from tests.factories import make_caller, make_staff, raw_progress


@pytest.fixture
def desk(db):
    return make_staff("desk1", DESK)


def test_call_notes_are_attributed_and_listed_newest_first(desk):
    caller = make_caller()
    notes.add_note(desk, NoteKind.CALL_NOTE, caller, "初回の問い合わせ。仮アカウントについて説明。")
    with clock.shifted(timedelta(minutes=5)):
        notes.add_note(desk, NoteKind.CALL_NOTE, caller, "折り返し：回線種別を確認")
    listed = notes.list_notes(desk, NoteKind.CALL_NOTE, caller)
    assert [n.body for n in listed] == ["折り返し：回線種別を確認", "初回の問い合わせ。仮アカウントについて説明。"]
    assert {(n.author_login_id, n.author_name) for n in listed} == {("desk1", "desk1 name")}
    assert listed[0].created_at > listed[1].created_at
    with UnitOfWork() as u:
        s = u.session
        events = s.execute(select(AuditEvent.actor_login_id, AuditEvent.on_behalf_of_applicant_id)
                           .where(AuditEvent.action == "desk.call_note_added")).all()
    assert [tuple(e) for e in events] == [("desk1", caller)] * 2


def test_empty_or_too_long_note_is_refused_and_nothing_saved(desk):
    caller = make_caller()
    for body in ("", "   ", "あ" * (notes.NOTE_MAX + 1)):
        with pytest.raises(ValidationFailed) as err:
            notes.add_note(desk, NoteKind.CALL_NOTE, caller, body)
        assert "body" in err.value.errors
    assert notes.list_notes(desk, NoteKind.CALL_NOTE, caller) == []


def test_note_for_unknown_applicant_is_not_found(desk):
    with pytest.raises(NotFound):
        notes.add_note(desk, NoteKind.CALL_NOTE, 424242, "メモ")


def test_applicants_and_reviewers_can_neither_read_nor_write_call_notes(desk):
    caller = make_caller()
    notes.add_note(desk, NoteKind.CALL_NOTE, caller, "社内メモ")
    reviewer = make_staff("rev1", REVIEWER)
    admin = make_staff("adm1", ADMIN)
    own = Actor(user_id=999, login_id="T000000001", display_name="申込者", kind="TEMP",
                roles=frozenset({APPLICANT}), applicant_id=caller)
    for actor in (reviewer, admin, own, None):
        with pytest.raises(PermissionDenied):
            notes.list_notes(actor, NoteKind.CALL_NOTE, caller)
        with pytest.raises(PermissionDenied):
            notes.add_note(actor, NoteKind.CALL_NOTE, caller, "メモ")
        with pytest.raises(PermissionDenied):
            callers.get_caller(actor, caller)


def test_record_shows_contact_data_and_next_step(desk):
    caller = make_caller(corporate_number="7000012050002")
    raw_progress(caller, "DRAFT", complete_screens=2)
    record = callers.get_caller(desk, caller)
    assert (record.contact_name, record.phone, record.corporate_number) == ("山田 太郎", "03-1234-5678",
                                                                             "7000012050002")
    assert (record.next_step.code, record.next_step.params) == ("drafting", {"done": 2, "total": 7})
    assert [(a.kind, a.status) for a in record.applications] == [("NEW_USAGE", "DRAFT")]


def test_history_reads_entered_by_staff_for_the_applicant(desk):
    caller = make_caller()
    other = make_caller(name="別人")
    summary = callers.start_acting_for(desk, caller)
    assert (summary.contact_name, summary.temp_login_id) == ("山田 太郎", callers.get_caller(desk, caller).temp_login_id)
    notes.add_note(desk, NoteKind.CALL_NOTE, caller, "メモ")
    notes.add_note(desk, NoteKind.CALL_NOTE, other, "別人のメモ")
    callers.stop_acting_for(desk, caller)
    *history, issued = callers.caller_history(desk, caller)
    assert issued.action == "temp_account.issued" and not issued.on_behalf  # the caller's own, on the web
    assert [h.action for h in history] == ["desk.acting_stopped", "desk.call_note_added", "desk.acting_started"]
    assert all(h.on_behalf and h.actor_login_id == "desk1" and h.actor_name == "desk1 name" for h in history)


def test_unknown_caller_is_not_found(desk):
    with pytest.raises(NotFound):
        callers.get_caller(desk, 424242)
    with pytest.raises(NotFound):
        callers.start_acting_for(desk, 424242)
