"""システム利用規程 with versions (issue 11 item 5): the version in force at a moment, which version a
new account agrees to, that an account keeps its version, and what a new version may be."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from db.models import Applicant, AuditEvent, TermsVersion
from services import admin_home, clock, terms
from services.audit import AuditAction
from services.authz import ADMIN, DESK, REVIEWER
from services.errors import DomainError, PermissionDenied, ValidationFailed
from services.fields import TOO_LONG
from services.temp_accounts import current_terms, issue_temp_account
from services.terms import TermsStatus
from services.uow import UnitOfWork
from tests.factories import issue, make_staff, valid_form


def _count(model, *where) -> int:
    with UnitOfWork() as u:
        return u.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _in_force_at(at: datetime) -> str | None:
    with UnitOfWork() as u:
        row = terms.in_force_at(u.session, at)
        return row.version if row else None


def _until(moment: datetime, extra: timedelta = timedelta(0)):
    """Move the clock to `moment` + `extra`."""
    return clock.shifted(moment + extra - clock.now())


def _tomorrow() -> date:
    return clock.today_jst() + timedelta(days=1)


def _refusal(admin, version, body, day) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as exc:
        terms.add_version(admin, version, body, day)
    return {name: error.code for name, error in exc.value.errors.items()}


def test_a_version_is_in_force_from_midnight_jst_of_its_day(db):
    admin = make_staff("adm1", ADMIN)
    day = clock.today_jst() + timedelta(days=3)
    terms.add_version(admin, "2.0", "改定後の規程", day)
    start = terms.effective_moment(day)
    assert start == datetime.combine(day, datetime.min.time(), tzinfo=clock.JST)  # 00:00 JST
    assert _in_force_at(start - timedelta(microseconds=1)) == "1.0"
    assert _in_force_at(start) == "2.0"  # exactly at the boundary: the new one
    assert _in_force_at(start + timedelta(days=30)) == "2.0"
    assert _in_force_at(clock.now()) == "1.0"


def test_same_day_the_version_written_later_is_in_force(db):
    admin = make_staff("adm1", ADMIN)
    terms.add_version(admin, "2.0", "改定案", _tomorrow())
    terms.add_version(admin, "2.1", "改定案（訂正）", _tomorrow())
    assert _in_force_at(terms.effective_moment(_tomorrow())) == "2.1"


def test_a_version_for_today_is_in_force_from_the_moment_it_is_saved(db):
    admin = make_staff("adm1", ADMIN)
    before = clock.now()
    terms.add_version(admin, "2.0", "本日施行", clock.today_jst())
    assert current_terms().version == "2.0"
    # Earlier today 1.0 was in force, and accounts issued then agreed to it: that stays true.
    assert _in_force_at(before) == "1.0"
    assert _in_force_at(terms.effective_moment(clock.today_jst())) == "1.0"


def test_new_account_agrees_to_the_version_in_force_not_a_future_one(db):
    admin = make_staff("adm1", ADMIN)
    terms.add_version(admin, "2.0", "明日からの規程", _tomorrow())
    assert current_terms().version == "1.0"
    result, _ = issue(email="before@example.co.jp", email_confirm="before@example.co.jp")
    assert terms.agreed_terms(admin, result.applicant_id).version == "1.0"


def test_an_account_keeps_its_version_after_a_newer_one_takes_effect(db):
    admin, desk = make_staff("adm1", ADMIN), make_staff("desk1", DESK)
    terms.add_version(admin, "2.0", "明日からの規程", _tomorrow())
    before, _ = issue(email="before@example.co.jp", email_confirm="before@example.co.jp")
    with _until(terms.effective_moment(_tomorrow()), timedelta(seconds=1)):
        after = issue_temp_account(None, valid_form(email="after@example.co.jp", email_confirm="after@example.co.jp"))
        kept = terms.agreed_terms(desk, before.applicant_id)
        new = terms.agreed_terms(desk, after.applicant_id)
    assert (kept.version, kept.body) == ("1.0", current_terms().body)
    assert (new.version, new.body) == ("2.0", "明日からの規程")
    assert new.agreed_at > terms.effective_moment(_tomorrow()) > kept.agreed_at
    assert terms.agreed_terms(desk, before.applicant_id).version == "1.0"


def test_terms_shown_before_midnight_are_refused_after_it(db):
    """The page showed 1.0; at 00:00 JST 2.0 took effect: the agreement to 1.0 no longer issues."""
    admin = make_staff("adm1", ADMIN)
    terms.add_version(admin, "2.0", "明日からの規程", _tomorrow())
    shown = valid_form()
    with _until(terms.effective_moment(_tomorrow())), pytest.raises(DomainError) as exc:
        issue_temp_account(None, shown)
    assert exc.value.code == "temp_account.terms_changed" and _count(Applicant) == 0


def test_versions_list_status_and_audit(db):
    admin = make_staff("adm1", ADMIN)
    terms.add_version(admin, "2.0", "本日施行", clock.today_jst())
    new_id = terms.add_version(admin, "3.0", "来週から", clock.today_jst() + timedelta(days=7))
    listed = {v.version: v.status for v in terms.versions(admin)}
    assert listed == {"3.0": TermsStatus.SCHEDULED, "2.0": TermsStatus.IN_FORCE, "1.0": TermsStatus.PAST}
    assert [v.version for v in terms.versions(admin)] == ["3.0", "2.0", "1.0"]
    with UnitOfWork() as u:
        event = u.session.scalar(select(AuditEvent).where(AuditEvent.target_id == new_id,
                                                          AuditEvent.action == AuditAction.TERMS_VERSION_ADDED))
        assert event is not None and event.actor_user_id == admin.user_id
        assert event.after["version"] == "3.0" and event.after["effective_on"] == (
            clock.today_jst() + timedelta(days=7)).isoformat()
        assert u.session.get(TermsVersion, new_id).created_by_user_id == admin.user_id


@pytest.mark.parametrize(("version", "body", "days", "expected"), [
    ("", "本文", 1, {"version": "field.required"}),
    ("2.0", "   ", 1, {"body": "field.required"}),
    ("1.0", "本文", 1, {"version": "terms.error.duplicate"}),
    (" 1.0 ", "本文", 1, {"version": "terms.error.duplicate"}),  # spaces around do not make it new
    ("2.0", "本文", -1, {"effective_on": "terms.error.past_date"}),
    ("2.0", "本文", None, {"effective_on": "terms.error.no_date"}),
    ("x" * (terms.LABEL_MAX + 1), "本文", 1, {"version": TOO_LONG}),
    ("2.0", "あ" * (terms.BODY_MAX + 1), 1, {"body": TOO_LONG}),
    ("", "", -1, {"version": "field.required", "body": "field.required", "effective_on": "terms.error.past_date"}),
])
def test_refusals_save_nothing(db, version, body, days, expected):
    admin = make_staff("adm1", ADMIN)
    day = None if days is None else clock.today_jst() + timedelta(days=days)
    assert _refusal(admin, version, body, day) == expected
    assert _count(TermsVersion) == 1
    assert _count(AuditEvent, AuditEvent.action == AuditAction.TERMS_VERSION_ADDED) == 0


def test_only_administrators_write_and_list_versions(db):
    for who in (make_staff("desk1", DESK), make_staff("rev1", REVIEWER)):
        with pytest.raises(PermissionDenied):
            terms.add_version(who, "2.0", "本文", _tomorrow())
        with pytest.raises(PermissionDenied):
            terms.versions(who)
    assert _count(TermsVersion) == 1


def test_staff_read_the_agreed_version_applicants_do_not(db):
    result, password = issue()
    for role in (DESK, REVIEWER, ADMIN):
        assert terms.agreed_terms(make_staff(f"s-{role}", role), result.applicant_id).version == "1.0"
    from tests.factories import first_login
    with pytest.raises(PermissionDenied):
        terms.agreed_terms(first_login(result.temp_login_id, password), result.applicant_id)


def test_admin_home_lists_terms_with_a_future_effective_date(db):
    admin = make_staff("adm1", ADMIN)
    assert admin_home.attention(admin).terms_scheduled == ()
    terms.add_version(admin, "3.0", "再来週", clock.today_jst() + timedelta(days=14))
    terms.add_version(admin, "2.0", "来週", clock.today_jst() + timedelta(days=7))
    figures = admin_home.attention(admin)
    assert figures.terms_version == "1.0"
    assert [(s.version, s.effective_from) for s in figures.terms_scheduled] == [
        ("2.0", terms.effective_moment(clock.today_jst() + timedelta(days=7))),
        ("3.0", terms.effective_moment(clock.today_jst() + timedelta(days=14)))]
    with _until(terms.effective_moment(clock.today_jst() + timedelta(days=7))):
        figures = admin_home.attention(admin)
        assert figures.terms_version == "2.0" and [s.version for s in figures.terms_scheduled] == ["3.0"]
