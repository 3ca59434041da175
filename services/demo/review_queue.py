"""Demo data for the review dashboard: ~300 applications in every state, some overdue, some
claimed by the demo reviewers, plus deadlines at risk. Bulk-added in the seeding transaction;
one precomputed password hash serves every seeded office login (bcrypt once, not 80 times)."""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from faker import Faker
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import (
    Applicant,
    Application,
    ApplicationSection,
    AuditEvent,
    ReviewComment,
    User,
    UserCode,
    UserRole,
)
from services import clock, codes, reference_data
from services.application.connection import SINGLE
from services.application.sections import OFFICE
from services.audit import AuditAction
from services.authz import APPLICANT, UserKind
from services.calendar import add_business_days
from services.cutoff import cutoff_day
from services.demo.accounts import DEMO_OFFICE_PASSWORD, demo_password_hash
from services.demo.testdata import complete_sections
from services.system_settings.registrations import record_all_new
from services.temp_accounts import ApplicantStatus, Channel, terms_in_force
from services.uow import UnitOfWork, insert_rows
from services.workflow import OPEN_FOR_REVIEW, ApplicationKind, ApplicationStatus

STATUS_COUNTS = {ApplicationStatus.SUBMITTED: 90, ApplicationStatus.IN_REVIEW: 60, ApplicationStatus.APPROVED: 80,
                 ApplicationStatus.RETURNED: 30, ApplicationStatus.REJECTED: 15, ApplicationStatus.DRAFT: 25}
DECISION_ACTIONS = {ApplicationStatus.APPROVED: AuditAction.REVIEW_APPROVED,
                    ApplicationStatus.RETURNED: AuditAction.REVIEW_RETURNED,
                    ApplicationStatus.REJECTED: AuditAction.REVIEW_REJECTED}
EXPIRING_TEMP_ACCOUNTS = 4


def demo_screens(fake: Faker, rnd: random.Random, applicant: Applicant, connection: str,
              industries: list[str]) -> dict:
    """The wizard's complete screens for this company, with its own 利用者コード rows."""
    data = complete_sections(connection, clerk_email=applicant.email, manager_email=fake.unique.email(),
                             company=applicant.company_name, name=applicant.contact_name, kana=applicant.contact_kana,
                             address=fake.address().replace("\n", " "), corp_base12=fake.numerify("#" * 12))
    data["user_code"] = {"user_codes": [
        {"system_category": rnd.choice(reference_data.current().system_categories), "industries": industries,
         "id_number_count": rnd.randint(1, 4), "management_reports": rnd.random() < 0.5,
         "bonded_storage_service": rnd.random() < 0.3}]}
    return data


def demo_applicant(fake: Faker, s: Session, terms_id: int, issued_at: datetime, **extra) -> Applicant:
    email = fake.unique.email()
    phone = fake.phone_number()
    return Applicant(temp_login_id=codes.new_temp_login_id(s), status=ApplicantStatus.TEMP_REGISTERED, contact_name=fake.name(),
                     contact_kana=fake.kana_name(), company_name=fake.company(), department="業務部",
                     phone=phone, phone_digits="".join(c for c in phone if c.isdigit()), email=email,
                     email_lower=email.lower(), terms_version_id=terms_id, terms_agreed_at=issued_at,
                     terms_agreed_via=Channel.WEB, issued_at=issued_at, temp_expires_at=issued_at + timedelta(hours=48),
                     is_demo=True, **extra)


def approve_rows(s: Session, app: Application, screens: dict, applicant: Applicant, password_hash: str, start: date,
             settled: list[bool]) -> list[tuple[UserCode, int]]:
    """The office code and login and the 利用者コード rows of an approved application; `settled[i]`:
    whether row i's system settings are done. Returns those rows with the application's id, for the
    caller to register after one flush (registrations.record_all_new), not a flush per row."""
    now = clock.now()
    applicant.office_code, applicant.status = codes.new_office_code(s), ApplicantStatus.OFFICE
    s.add(User(login_id=applicant.office_code, login_key=applicant.office_code.lower(), kind=UserKind.OFFICE,
               display_name=applicant.company_name, email=applicant.email, password_hash=password_hash,
               must_change_password=False, is_active=True, is_demo=True, applicant_id=applicant.id,
               sessions_valid_after=now, password_changed_at=now, created_at=now, roles=[UserRole(role=APPLICANT)]))
    app.start_date = start
    done_rows = []
    for row, done in zip(_row_data(screens), settled, strict=True):
        user_code = codes.new_user_code(s)
        uc = UserCode(applicant_id=applicant.id, application_id=app.id, user_code=user_code,
                      system_category=row["system_category"], industries=row["industries"],
                      id_numbers=codes.new_id_numbers(s, user_code, row["id_number_count"]), created_at=now)
        s.add(uc)
        if done:  # its system settings approved: every item of 契約内容確認's table is ○
            done_rows.append((uc, app.id))
    return done_rows


RETURN_COMMENTS = {"office": "事業所の電話番号に誤りがないかご確認ください。",
                   "user_code": "利用業種と識別番号の数をご確認ください。",
                   "billing_address": "請求先の部署名をご記入ください。"}
REJECT_REASON = "申込内容に不備があり、申込者の実在が確認できませんでした。"


def _event(events: list[dict], at: datetime, app: Application, action: AuditAction, login_id: str,
           user_id: int | None = None, for_applicant: int | None = None, after: dict | None = None) -> None:
    events.append({"at": at, "actor_user_id": user_id, "actor_login_id": login_id,
                   "on_behalf_of_applicant_id": for_applicant, "action": action, "target_type": "application",
                   "target_id": app.id, "after": after})  # `before` left out: SQL NULL, as the ORM wrote it


def _history(s: Session, events: list[dict], app: Application, applicant: Applicant, status: ApplicationStatus,
             submitted: datetime, reviewer_logins: dict[int, str], desk_id: int | None,
             returned_keys: list[str]) -> None:
    """Plausible history and comments, so the detail page of any demo application has something to show."""
    if desk_id:
        entered_by, entered_by_id, on_behalf_of = "demo-desk", desk_id, applicant.id
    else:
        entered_by, entered_by_id, on_behalf_of = applicant.temp_login_id, None, None
    _event(events, submitted - timedelta(hours=2), app, AuditAction.APPLICATION_START, entered_by, entered_by_id,
           on_behalf_of)
    _event(events, submitted - timedelta(hours=1), app, AuditAction.APPLICATION_SECTION_SAVED, entered_by, entered_by_id,
           on_behalf_of, after={"section": "office", "status": "COMPLETE", "data": {}})
    if status == ApplicationStatus.DRAFT:
        return
    _event(events, submitted, app, AuditAction.APPLICATION_SUBMIT, entered_by, entered_by_id, on_behalf_of)
    reviewer = app.assignee_id or min(reviewer_logins, default=None)
    login = reviewer_logins.get(reviewer, "") if reviewer is not None else ""
    if app.assignee_id:
        _event(events, submitted + timedelta(hours=3), app, AuditAction.REVIEW_CLAIMED, login, reviewer, applicant.id)
    if status in DECISION_ACTIONS and reviewer:
        assert app.decided_at is not None, "seed_review_queue dates every decided application"
        _event(events, app.decided_at, app, DECISION_ACTIONS[status], login, reviewer, applicant.id)
    if status == ApplicationStatus.RETURNED and reviewer:
        for key in returned_keys:
            s.add(ReviewComment(application_id=app.id, section_key=key, body=RETURN_COMMENTS[key],
                                author_user_id=reviewer, created_at=app.decided_at))
    if status == ApplicationStatus.REJECTED and reviewer:
        app.decision_reason = REJECT_REASON
        s.add(ReviewComment(application_id=app.id, section_key=None, body=REJECT_REASON,
                            author_user_id=reviewer, created_at=app.decided_at))


def _row_data(screens: dict) -> list[dict]:
    return screens["user_code"]["user_codes"]


def seed_review_queue(u: UnitOfWork, fake: Faker) -> None:
    s = u.session
    rnd = random.Random(2026)
    now, today = clock.now(), clock.today_jst()
    terms_id = terms_in_force(s).id
    reviewer_logins = dict(s.execute(select(User.id, User.login_id)
                                     .where(User.login_id.in_(("demo-reviewer", "demo-reviewer2")))).all())
    reviewers = sorted(reviewer_logins)
    desk_id = s.scalar(select(User.id).where(User.login_id == "demo-desk"))
    statuses = [st for st, n in STATUS_COUNTS.items() for _ in range(n)]
    rnd.shuffle(statuses)
    made: list[tuple[Applicant, Application, dict, ApplicationStatus, datetime, date, list[bool], list[str],
                     int | None]] = []
    for i, status in enumerate(statuses):
        # Open items are mostly recent; about one in five has waited past its review deadline.
        recent = status in OPEN_FOR_REVIEW and rnd.random() < 0.8
        submitted = now - timedelta(days=rnd.uniform(0, 6) if recent else rnd.uniform(0, 28), hours=rnd.uniform(0, 8))
        applicant = demo_applicant(fake, s, terms_id, submitted - timedelta(days=1))
        connection = rnd.choice(SINGLE)  # a 新規利用申込 chooses one
        draft = status == ApplicationStatus.DRAFT
        industries = rnd.sample(reference_data.current().industries, rnd.randint(1, 3))
        app = Application(
            kind=ApplicationKind.NEW_USAGE, shared_use=rnd.random() < 0.15, status=status, connection_type=connection,
            industries="|" + "|".join(industries) + "|", created_at=submitted - timedelta(hours=3), updated_at=now,
            ref_no=None if draft else codes.new_reference_number(s),
            submitted_at=None if draft else submitted,
            first_submitted_at=None if draft else submitted,
            assignee_id=rnd.choice(reviewers) if status != ApplicationStatus.SUBMITTED and not draft and reviewers
            else None)
        screens = demo_screens(fake, rnd, applicant, connection, industries)
        app.company_name = screens[OFFICE].get("company_name") or None  # as the wizard's save would
        if status in DECISION_ACTIONS:
            app.decided_at = min(now, submitted + timedelta(days=rnd.uniform(0.5, 4)))
        start, settled = today, list[bool]()
        if status == ApplicationStatus.APPROVED:
            start = add_business_days(today, rnd.randint(-3, 20))
            settled = [rnd.random() < 0.4 for _ in _row_data(screens)]
            if cutoff_day(start) <= today:  # past its deadline: done in time (the cut-off demo is its own office)
                settled = [True] * len(settled)
        reviewer = app.assignee_id or min(reviewer_logins, default=None)
        returned_keys = (rnd.sample(sorted(RETURN_COMMENTS), rnd.randint(1, 2))
                         if status == ApplicationStatus.RETURNED and reviewer else [])
        made.append((applicant, app, screens, status, submitted, start, settled, returned_keys,
                     desk_id if i % 12 == 0 else None))  # some were taken by phone at the desk
    # A few multi-row statements for the whole queue instead of two or three flushes and ~13 single-row
    # INSERTs per application: applicants, then applications (their ids are needed), then screens and
    # history as executemany rows (nothing reads their ids). The random draws above are made in the
    # order they always were, so the demo world is the same.
    s.add_all([applicant for applicant, *_ in made])
    s.flush()
    for applicant, app, *_ in made:
        app.applicant_id = applicant.id
    s.add_all([app for _, app, *_ in made])
    s.flush()
    insert_rows(s, ApplicationSection, [
        {"application_id": app.id, "section_key": key, "data": data, "status": "COMPLETE", "updated_at": submitted,
         "updated_by_user_id": None, "version": 1}
        for _, app, screens, _, submitted, *_ in made for key, data in screens.items()])
    events: list[dict] = []
    settled_rows: list[tuple[UserCode, int]] = []
    password_hash = demo_password_hash(DEMO_OFFICE_PASSWORD)  # asked for late: it is made ahead (HashesAhead)
    for applicant, app, screens, status, submitted, start, settled, returned_keys, desk in made:
        if status == ApplicationStatus.APPROVED:
            settled_rows += approve_rows(s, app, screens, applicant, password_hash, start, settled)
        _history(s, events, app, applicant, status, submitted, reviewer_logins, desk, returned_keys)
    s.flush()  # the 利用者コード rows' ids
    record_all_new(s, settled_rows)
    insert_rows(s, AuditEvent, events)
    for _ in range(EXPIRING_TEMP_ACCOUNTS):  # temporary accounts that will expire before an application starts
        issued = now - timedelta(hours=48) + timedelta(hours=rnd.uniform(1, 11))
        s.add(demo_applicant(fake, s, terms_id, issued))
