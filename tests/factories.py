"""The one test-data module: users, temporary accounts, applications, reviews, and read-backs.

Data is made through the production use cases wherever they can make it: temporary accounts through
`services.temp_accounts` (issue_temp_account / create_temp_account), applications through
start_application / save_section / add_attachment / submit_application, reviews through
`services.review.actions`. A made application runs all of its use cases in ONE unit of work (each
takes `uow=`), which keeps the suite fast. Past moments (a submission 40 days ago, an expired
temporary account) come from `clock.shifted`.

The `raw_*` helpers at the end write rows directly. Each says why no use case can make that state.
"""
from __future__ import annotations

import itertools
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, insert, select

from db.models import (
    Applicant,
    Application,
    ApplicationSection,
    IssuedCode,
    MailOutbox,
    Notice,
    TermsVersion,
    User,
    UserCode,
)
from db.search_text import search_key
from services import clock, codes, deadlines
from services.application.attachments import add_attachment
from services.application.connection import ConnectionType, requires_system_diagram
from services.application.read import application_view
from services.application.save import save_section
from services.application.start import start_application
from services.application.submit import submit_application
from services.auth import create_user, to_actor
from services.authz import APPLICANT, REVIEWER, Actor, UserKind
from services.calendar import add_business_days
from services.demo.testdata import complete_sections
from services.fields import corporate_number_check_digit
from services.review import actions
from services.system_settings.registrations import record_all
from services.temp_accounts import (
    ApplicantStatus,
    Channel,
    TempAccountForm,
    create_temp_account,
    current_terms,
    issue_temp_account,
    terms_in_force,
)
from services.uow import UnitOfWork
from services.workflow import ApplicationKind, ApplicationStatus
from tests import filesamples

PASSWORD = "Correct-Horse-42"
OFFICE_PASSWORD = "Office-Pass-123"
BASE12 = "700110005901"
CORPORATE_NUMBER = f"{corporate_number_check_digit(BASE12)}{BASE12}"
TEST_PDF = filesamples.pdf()  # a real PDF: uploads are parsed

_seq = itertools.count(1)


# ------------------------------------------------------------------ staff

def make_staff(login_id: str, *roles: str, password: str = PASSWORD, must_change: bool = False) -> Actor:
    with UnitOfWork() as u:
        s = u.session
        user = create_user(s, login_id=login_id, display_name=f"{login_id} name", password=password,
                           roles=set(roles), email=f"{login_id}@example.jp", must_change_password=must_change)
        u.commit()
        return to_actor(user)


def actor_of(user_id: int, *, uow: UnitOfWork | None = None) -> Actor:
    with (uow or UnitOfWork()) as u:
        return to_actor(u.session.get(User, user_id))


def _factory_reviewer(u: UnitOfWork) -> Actor:
    """The reviewer who decides applications made in a decided state when the test names none."""
    s = u.session
    user = s.scalar(select(User).where(User.login_id == "factory-reviewer"))
    if user is None:
        user = create_user(s, login_id="factory-reviewer", display_name="factory-reviewer name", password=PASSWORD,
                           roles={REVIEWER}, email="factory-reviewer@example.jp", must_change_password=False)
        u.flush()
    return to_actor(user)


# ------------------------------------------------------------------ temporary accounts (SPEC §2.1)

def valid_form(**overrides) -> TempAccountForm:
    values = dict(contact_name="山田 太郎", contact_kana="ヤマダ タロウ", company_name="山田通関株式会社",
                  department="業務部", phone="03-1234-5678", email="taro@example.co.jp",
                  email_confirm="taro@example.co.jp", corporate_number=CORPORATE_NUMBER,
                  terms_version_id=current_terms().id, agreed=True, submission_token=uuid.uuid4().hex)
    values.update(overrides)
    return TempAccountForm(**values)


def issue(**overrides):
    """A WEB temporary account from the public page; returns (result, temp password read from the mail)."""
    result = issue_temp_account(None, valid_form(**overrides))
    return result, password_in(mail_as_sent("temp_account_issued"), "仮パスワード")


FIRST_CHANGE_PASSWORD = "Kiso-Umbrella-Orbit-73"


def first_login(login_id: str, password: str) -> Actor:
    """Logs in with a temporary or issued password and makes the forced change (SPEC §6): the
    actor of a session that may use the services."""
    from services import auth
    login = auth.authenticate(login_id, password)
    assert login.ok and login.actor is not None, login
    if not login.actor.must_change_password:
        return login.actor
    return auth.change_password(login.actor, password, FIRST_CHANGE_PASSWORD, FIRST_CHANGE_PASSWORD)


def _temp_account(u: UnitOfWork, *, temp_login_id: str | None, name: str, kana: str, company: str,
                  department: str, phone: str, email: str, corporate_number: str | None, password: str,
                  via: Channel = Channel.WEB) -> Actor:
    s = u.session
    values = {"contact_name": name, "contact_kana": kana, "company_name": company, "department": department,
              "phone": phone, "email": email, "corporate_number": corporate_number or ""}
    if temp_login_id:  # a fixed 仮ログイン ID, reserved as the generator would reserve it
        s.add(IssuedCode(code=temp_login_id, kind=codes.CodeKind.TEMP_LOGIN, issued_at=clock.now()))
    _, user = create_temp_account(s, values, terms=terms_in_force(s), via=via, password=password,
                                  temp_login_id=temp_login_id)
    user.must_change_password = False  # as after the first login's forced change (SPEC §6)
    u.flush()
    return to_actor(user)


def make_applicant(temp_login_id: str | None = "T123456789", email: str = "clerk@example.jp", *,
                   name: str = "山田 太郎", kana: str = "ヤマダ タロウ", company: str = "海洋物流株式会社",
                   department: str = "業務部", phone: str = "03-1234-5678", corporate_number: str | None = None,
                   password: str = PASSWORD, expires_in: timedelta | None = None,
                   uow: UnitOfWork | None = None) -> Actor:
    """A temporary account (create_temp_account, as the public page makes it); its TEMP user's actor.

    `expires_in`: issue it so long before its 48-hour limit ends (negative: already expired)."""
    shift = timedelta(0)
    if expires_in is not None:
        now = clock.now()
        shift = expires_in - (deadlines.temp_account_expiry(now) - now)
    with clock.shifted(shift), (uow or UnitOfWork()) as u:
        actor = _temp_account(u, temp_login_id=temp_login_id, name=name, kana=kana, company=company,
                              department=department, phone=phone, email=email,
                              corporate_number=corporate_number, password=password)
        u.commit()
        return actor


def make_caller(*, name: str = "山田 太郎", kana: str = "ヤマダ\u3000タロウ", company: str = "山田物流株式会社",
                phone: str = "03-1234-5678", email: str = "Taro.Yamada@Example.jp",
                corporate_number: str | None = None, office_code: str | None = None,
                temp_login_id: str | None = None, expires_in: timedelta | None = None) -> int:
    """The desk tests' caller (a temporary account); returns its applicant id."""
    actor = make_applicant(temp_login_id, email, name=name, kana=kana, company=company, phone=phone,
                           corporate_number=corporate_number, expires_in=expires_in)
    if office_code:
        raw_office_code(actor.applicant_id, office_code)
    return actor.applicant_id


# ------------------------------------------------------------------ applications (SPEC §2.2)

def started(actor: Actor, shared_use: bool = False) -> int:
    return start_application(actor, actor.applicant_id, shared_use)


def _section_version(u: UnitOfWork, app_id: int, key: str) -> int:
    return u.session.scalar(select(ApplicationSection.version).where(
        ApplicationSection.application_id == app_id, ApplicationSection.section_key == key))


def fill_all(actor: Actor, app_id: int, connection_type: str = ConnectionType.GENERAL, **kwargs) -> None:
    for key, data in complete_sections(connection_type, **kwargs).items():
        version = application_view(actor, app_id).section(key).version
        save_section(actor, app_id, key, data, version)


def section_payloads(connection_type: str = "NET", industries=("通関業",), clerk="clerk@example.jp",
                     manager="manager@example.jp") -> dict[str, dict]:
    """The wizard's complete screens, with two 利用者コード rows (2 and 1 識別番号)."""
    data = complete_sections(connection_type, clerk_email=clerk, manager_email=manager, company="テスト物流株式会社")
    data["user_code"] = {"user_codes": [
        {"system_category": "海上", "industries": list(industries), "id_number_count": 2,
         "management_reports": True, "bonded_storage_service": False},
        {"system_category": "航空", "industries": list(industries), "id_number_count": 1,
         "management_reports": False, "bonded_storage_service": True}]}
    return data


def next_start_date() -> date:
    """A 利用開始日 an approval accepts today: a business day after today."""
    return add_business_days(clock.today_jst(), 3)


def make_application(*, status: str = ApplicationStatus.SUBMITTED, connection_type: str = "NET",
                     industries=("通関業",), submitted_at: datetime | None = None, assignee_id: int | None = None,
                     company: str = "テスト物流株式会社", kind: str = ApplicationKind.NEW_USAGE,
                     attachment: tuple[str, bytes] | None = None,
                     start_date: date | None = None) -> tuple[int, int]:
    """A complete 新規利用申込 brought to `status` by the use cases; returns (application id, applicant id).

    Everything happens at `submitted_at` (default now). IN_REVIEW is claimed by `assignee_id`;
    APPROVED / RETURNED / REJECTED are decided by that reviewer (or the factory reviewer)."""
    if kind != ApplicationKind.NEW_USAGE:
        return raw_review_application(status=status, connection_type=connection_type, industries=industries,
                                      submitted_at=submitted_at, assignee_id=assignee_id, company=company, kind=kind)
    n = next(_seq)
    when = submitted_at or clock.now()
    with clock.shifted(when - clock.now()), UnitOfWork() as u:
        s = u.session
        actor = _temp_account(u, temp_login_id=None, name="山田 太郎", kana="ヤマダ タロウ", company=company,
                              department="", phone="03-1234-5678", email=f"a{n}@example.jp",
                              corporate_number=None, password="Temp-Pass-123")
        app_id = start_application(actor, actor.applicant_id, False, uow=u)
        payloads = section_payloads(connection_type, industries)
        payloads["office"]["company_name"] = company
        for key, data in payloads.items():
            save_section(actor, app_id, key, data, _section_version(u, app_id, key), uow=u)
        if attachment or requires_system_diagram(connection_type):
            name, content = attachment or ("system.pdf", TEST_PDF)
            add_attachment(actor, app_id, name, content, uow=u)
        if status != ApplicationStatus.DRAFT:
            submit_application(actor, app_id, s.get(Application, app_id).version, uow=u)
        if status not in (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED):
            reviewer = actor_of(assignee_id, uow=u) if assignee_id else _factory_reviewer(u)
            actions.claim(reviewer, app_id, s.get(Application, app_id).version, uow=u)
            version = s.get(Application, app_id).version
            if status == ApplicationStatus.APPROVED:
                actions.approve(reviewer, app_id, start_date or next_start_date(), version, uow=u)
            elif status == ApplicationStatus.RETURNED:
                actions.return_for_correction(reviewer, app_id, {"office": "住所を確認してください。"}, version, uow=u)
            elif status == ApplicationStatus.REJECTED:
                actions.reject(reviewer, app_id, "要件を満たしていません。", version, uow=u)
        u.commit()
        return app_id, actor.applicant_id


# ------------------------------------------------------------------ notices

def add_id_notice(applicant_id: int, start_date: date, password: str = OFFICE_PASSWORD,
                  office_code: str = "K7ABCD23") -> int:
    """The 「ID 通知内容」 the approval writes (services.notices.add_notice), with a known password."""
    from services.notices import NoticeKind, add_notice
    from services.secrets import encrypt
    with UnitOfWork() as u:
        notice = add_notice(u.session, applicant_id, NoticeKind.ID_NOTICE,
                            {"office_code": office_code, "start_date": start_date.isoformat()},
                            secret=encrypt(password))
        u.commit()
        return notice.id


# ------------------------------------------------------------------ read-backs

def version_of(application_id: int) -> int:
    with UnitOfWork() as u:
        return u.session.get(Application, application_id).version


def user_id(login_id: str) -> int:
    with UnitOfWork() as u:
        return u.session.scalar(select(User.id).where(User.login_id == login_id))


def user_by_login(login_id: str) -> User:
    with UnitOfWork() as u:
        s = u.session
        user = s.scalar(select(User).where(User.login_id == login_id))
        s.expunge(user)
        return user


def applicant_actor(applicant_id: int) -> Actor:
    with UnitOfWork() as u:
        s = u.session
        user = s.scalar(select(User).where(User.applicant_id == applicant_id))
        return Actor(user_id=user.id, login_id=user.login_id, display_name=user.display_name, kind=user.kind,
                     roles=frozenset({APPLICANT}), applicant_id=applicant_id)


def section_row(app_id: int, key: str) -> dict:
    with UnitOfWork() as u:
        row = u.session.scalar(select(ApplicationSection).where(ApplicationSection.application_id == app_id,
                                                                ApplicationSection.section_key == key))
        return {"data": dict(row.data), "status": row.status, "version": row.version}


def snapshot(application_id: int) -> dict:
    """Everything an approval writes, to compare before and after a refused or failed action."""
    with UnitOfWork() as u:
        s = u.session
        app = s.get(Application, application_id)
        return {
            "status": app.status, "version": app.version, "start_date": app.start_date,
            "users": s.scalar(select(func.count()).select_from(User)),
            "active_users": s.scalar(select(func.count()).select_from(User).where(User.is_active.is_(True))),
            "codes": s.scalar(select(func.count()).select_from(IssuedCode)),
            "user_codes": s.scalar(select(func.count()).select_from(UserCode)),
            "notices": s.scalar(select(func.count()).select_from(Notice)),
            "mails": s.scalar(select(func.count()).select_from(MailOutbox)),
        }


def office_credentials(applicant_id: int) -> tuple[str, str]:
    """The office's 事業所コード and the 事業所パスワード its ID notice shows (to log in as it)."""
    from services.notices import NoticeKind
    from services.secrets import decrypt
    with UnitOfWork() as u:
        s = u.session
        code = s.get(Applicant, applicant_id).office_code
        secret = s.scalar(select(Notice.secret).where(Notice.applicant_id == applicant_id,
                                                      Notice.kind == NoticeKind.ID_NOTICE))
        return code, decrypt(secret)


def last_mail(template: str) -> MailOutbox:
    with UnitOfWork() as u:
        s = u.session
        row = s.scalar(select(MailOutbox).where(MailOutbox.template == template)
                       .order_by(MailOutbox.id.desc()).limit(1))
        s.expunge(row)
        return row


def mail_as_sent(template: str) -> str:
    """The newest `template` mail's body as its recipient receives it (the stored body shows ********
    in place of a password, which is kept encrypted until the mail is sent)."""
    from services.mail import _compose_body
    row = last_mail(template)
    return _compose_body(row.body, row.has_secret, row.secret)


def password_in(body: str, label: str) -> str:
    return re.search(rf"{label}\s*:\s*(\S+)", body).group(1)


def at_jst(day: date, hour: int = 12):
    """clock.shifted to noon (or `hour`) JST of `day`."""
    target = datetime.combine(day, time(hour), tzinfo=clock.JST)
    return clock.shifted(target - clock.now())


# ------------------------------------------------------------------ raw rows (bypass the use cases)
# Only for states no use case can make: a fixed 事業所コード or 受付番号 to search for, an
# application kind nothing starts yet, a screen-by-screen progress fixed by the test.

def raw_office_code(applicant_id: int, office_code: str) -> None:
    """A fixed 事業所コード the desk search looks for; approval would generate a random one."""
    with UnitOfWork() as u:
        applicant = u.session.get(Applicant, applicant_id)
        applicant.office_code, applicant.status = office_code, ApplicantStatus.OFFICE
        u.commit()


# Screens that apply whatever the 接続形態 (seven of them), in the order raw_progress fills them.
ALWAYS_APPLICABLE = ("applicant_contact", "office", "user_code", "line", "logical_terminal", "fee_plan",
                     "billing_address")


def raw_progress(applicant_id: int, status: str = ApplicationStatus.DRAFT, *, complete_screens: int = 0,
                 start_date: date | None = None, kind: str = ApplicationKind.NEW_USAGE, ref_no: str | None = None,
                 connection_type: str | None = None) -> int:
    """An application whose first `complete_screens` of ALWAYS_APPLICABLE are 入力済 and the next one
    入力中, in any status, with an optional fixed 受付番号 and 利用開始日: the desk's progress and
    next-step rules read exactly these columns, which the wizard would fill in its own order."""
    now = clock.now()
    with UnitOfWork() as u:
        s = u.session
        app = Application(kind=kind, status=status, applicant_id=applicant_id, created_at=now, updated_at=now,
                          start_date=start_date, ref_no=ref_no)
        s.add(app)
        s.flush()
        for i, key in enumerate(ALWAYS_APPLICABLE[:complete_screens + 1]):
            data = {"connection_type": connection_type} if key == "office" and connection_type else {}
            s.add(ApplicationSection(application_id=app.id, section_key=key, data=data,
                                     status="COMPLETE" if i < complete_screens else "PARTIAL", updated_at=now))
        u.commit()
        return app.id


def raw_application(applicant_id: int, *, status: str = ApplicationStatus.DRAFT, start_date: date | None = None,
                    connection_type: str | None = None, admin_manager_email: str | None = None) -> int:
    """An application row in `status` with only what the guidance and login rules read (no screens
    besides the 管理責任者 address): an APPROVED one without the codes an approval issues."""
    with UnitOfWork() as u:
        s = u.session
        now = clock.now()
        app = Application(kind=ApplicationKind.NEW_USAGE, status=status, applicant_id=applicant_id,
                          start_date=start_date, connection_type=connection_type, created_at=now, updated_at=now)
        s.add(app)
        s.flush()
        if admin_manager_email is not None:
            s.add(ApplicationSection(application_id=app.id, section_key="applicant_contact",
                                     data={"admin_manager_email": admin_manager_email}, status="COMPLETE",
                                     updated_at=now))
        u.commit()
        return app.id


def raw_office(applicant_id: int, start_date: date, *, admin_manager_email: str = "boss@example.co.jp") -> str:
    """An approved office with a KNOWN password (OFFICE_PASSWORD) and no 利用者コード: the reissue
    and login tests log in as the office; approval would mail a generated password."""
    raw_application(applicant_id, status=ApplicationStatus.APPROVED, start_date=start_date,
                    admin_manager_email=admin_manager_email)
    with UnitOfWork() as u:
        s = u.session
        applicant = s.get(Applicant, applicant_id)
        applicant.office_code = codes.new_office_code(s)
        applicant.status = ApplicantStatus.OFFICE
        create_user(s, login_id=applicant.office_code, display_name=applicant.company_name,
                    password=OFFICE_PASSWORD, roles={APPLICANT}, kind=UserKind.OFFICE, email=admin_manager_email,
                    applicant_id=applicant_id, must_change_password=False)
        u.commit()
        return applicant.office_code


def raw_user_code(applicant_id: int, application_id: int, code: str, *, settings_done: bool = False) -> None:
    """A fixed 利用者コード with or without its システム設定 done: no use case records システム設定 yet."""
    with UnitOfWork() as u:
        uc = UserCode(applicant_id=applicant_id, application_id=application_id, user_code=code,
                      system_category="SEA", industries=["通関業"], id_numbers=["A2A"], created_at=clock.now())
        u.session.add(uc)
        if settings_done:
            u.session.flush()
            record_all(u.session, uc, application_id)
        u.commit()


def raw_review_application(*, status: str, connection_type: str, industries, submitted_at: datetime | None,
                           assignee_id: int | None, company: str, kind: str) -> tuple[int, int]:
    """An application of a kind nothing starts yet (システム設定申込) for the review queue, on a
    service-made temporary account; returns (application id, applicant id)."""
    n = next(_seq)
    actor = make_applicant(None, f"a{n}@example.jp", company=company)
    now = clock.now()
    with UnitOfWork() as u:
        s = u.session
        submitted = None if status == ApplicationStatus.DRAFT else (submitted_at or now)
        app = Application(
            ref_no=None if status == ApplicationStatus.DRAFT else f"NSS-2026-{900000 + n:06d}", kind=kind,
            shared_use=False, status=status, applicant_id=actor.applicant_id, connection_type=connection_type,
            industries="|" + "|".join(industries) + "|", assignee_id=assignee_id, submitted_at=submitted,
            first_submitted_at=submitted, created_at=now, updated_at=now)
        s.add(app)
        s.flush()
        for key, data in section_payloads(connection_type, industries).items():
            s.add(ApplicationSection(application_id=app.id, section_key=key, data=data, status="COMPLETE",
                                     updated_at=now))
        u.commit()
        return app.id, actor.applicant_id


def bulk_submitted_applications(n: int) -> None:
    """Thousands of submitted applications as plain rows in two INSERTs: the CSV export's memory
    test needs 3600 of them, which the use cases would take minutes to make. The export only reads
    the queue columns (and the applicant's search columns), so those are all that is written."""
    now = clock.now()
    with UnitOfWork() as u:
        s = u.session
        terms = s.scalar(select(TermsVersion.id))
        first = s.scalar(select(func.coalesce(func.max(Applicant.id), 0))) + 1
        s.execute(insert(Applicant), [dict(
            temp_login_id=f"B{first + i:09d}", status="TEMP_REGISTERED", contact_name="山田 太郎",
            contact_kana="ヤマダ タロウ", company_name=f"株式会社テスト{i:05d}", phone="0", phone_digits="0",
            contact_name_search=search_key("山田 太郎"), company_name_search=search_key(f"株式会社テスト{i:05d}"),
            email=f"b{first + i}@example.jp", email_lower=f"b{first + i}@example.jp", terms_version_id=terms,
            terms_agreed_at=now, terms_agreed_via="WEB", issued_at=now, temp_expires_at=now) for i in range(n)])
        s.execute(insert(Application), [dict(
            ref_no=f"NSS-B-{first + i:08d}", kind="NEW_USAGE", shared_use=False, status="SUBMITTED",
            applicant_id=first + i, connection_type="NET", industries="|通関業|",
            submitted_at=now - timedelta(minutes=i), created_at=now, updated_at=now, version=1) for i in range(n)])
        s.commit()


# ------------------------------------------------------------------ hostile text (issue 8, item 1)

# Markdown and HTML a user could type: an image (a tracking pixel), a link, a heading, an HTML tag
# with a script, a script URL. Shown anywhere, each must read exactly as typed.
HOSTILE_TEXTS = ("![x](http://127.0.0.1:9/p.png)", "[本人確認はこちら](http://phish.example)", "# 見出し",
                 "<img src=x onerror=alert(1)>", "javascript:alert(1)")


@dataclass(frozen=True)
class HostileSeed:
    application_id: int
    applicant: Actor      # the applicant (temporary account, password PASSWORD)
    reviewer: Actor       # claimed and returned the application; wrote the internal note
    desk: Actor           # wrote the call note


def make_hostile_application(text: str, *, key: str = "h", name: str | None = None,
                             comment: str | None = None) -> HostileSeed:
    """A 差戻し application in which every value a person typed is `text`: the applicant's names,
    company, office, addresses and department, the reviewer's and the desk user's display names,
    both return comments, the internal note and the call note. Made through the use cases; `key`
    keeps login IDs apart when a test makes several. `name` (default `text`) goes into the fields
    of at most 50 characters (the screens' person names and titles), `comment` (default `text`)
    into the comments and notes, which take long and multi-line text."""
    name = text if name is None else name
    comment = text if comment is None else comment
    from services import notes
    from services.authz import DESK
    from services.notes import NoteKind

    with UnitOfWork() as u:
        s = u.session
        applicant = _temp_account(u, temp_login_id=None, name=text, kana="ヤマダ タロウ", company=text,
                                  department=text, phone="03-1234-5678", email=f"{key}@example.jp",
                                  corporate_number=None, password=PASSWORD)
        staff = {}
        for role in (REVIEWER, DESK):
            user = create_user(s, login_id=f"{key}-{role.lower()}", display_name=text, password=PASSWORD,
                               roles={role}, email=f"{key}-{role.lower()}@example.jp", must_change_password=False)
            u.flush()
            staff[role] = to_actor(user)
        app_id = start_application(applicant, applicant.applicant_id, False, uow=u)
        payloads = complete_sections(ConnectionType.NET, company=text, name=name, address=text)
        payloads["applicant_contact"].update(application_clerk_department=text, admin_manager_name=name)
        payloads["office"].update(office_name=text, contractor_name=name, contractor_title=name)
        for section_key, data in payloads.items():
            save_section(applicant, app_id, section_key, data, _section_version(u, app_id, section_key), uow=u)
        submit_application(applicant, app_id, s.get(Application, app_id).version, uow=u)
        reviewer = staff[REVIEWER]
        actions.claim(reviewer, app_id, s.get(Application, app_id).version, uow=u)
        actions.return_for_correction(reviewer, app_id, {"office": comment, "applicant_contact": comment},
                                      s.get(Application, app_id).version, uow=u)
        notes.add_note(reviewer, NoteKind.INTERNAL, app_id, comment, uow=u)
        notes.add_note(staff[DESK], NoteKind.CALL_NOTE, applicant.applicant_id, comment, uow=u)
        u.commit()
    return HostileSeed(app_id, applicant_actor(applicant.applicant_id), reviewer, staff[DESK])


def partly_entered(screens=("applicant_contact", "office", "user_code")) -> int:
    """A 新規利用申込 draft entered through the wizard's own save up to `screens` (in the wizard's
    order); returns the applicant id. The next screen (回線・論理端末) is where the wizard opens."""
    caller = make_applicant()
    app_id = started(caller)
    payloads = section_payloads()
    for key in screens:
        save_section(caller, app_id, key, payloads[key], application_view(caller, app_id).section(key).version)
    return caller.applicant_id


# ------------------------------------------------------------------ システム設定申込 (SPEC §2.4)

@dataclass(frozen=True)
class Office:
    actor: Actor                 # the office login (事業所コード), password already changed
    applicant_id: int
    new_usage_id: int
    user_codes: list[str]        # in the order of the 利用者コード screen's rows


def make_office(user_codes=(("通関業",),), *, company: str = "テスト物流株式会社",
                clerk: str = "clerk@example.jp", manager: str = "manager@example.jp",
                start_date: date | None = None) -> Office:
    """An office whose 新規利用申込 was approved through the use cases: one 利用者コード per entry of
    `user_codes` (its 業種). The office actor is the OFFICE login after its first password change."""
    n = next(_seq)
    with UnitOfWork() as u:
        s = u.session
        temp = _temp_account(u, temp_login_id=None, name="山田 太郎", kana="ヤマダ タロウ", company=company,
                             department="業務部", phone="03-1234-5678", email=f"o{n}@example.jp",
                             corporate_number=None, password="Temp-Pass-123")
        app_id = start_application(temp, temp.applicant_id, False, uow=u)
        payloads = complete_sections("NET", clerk_email=clerk, manager_email=manager, company=company)
        payloads["user_code"] = {"user_codes": [
            {"system_category": "海上", "industries": list(inds), "id_number_count": 1,
             "management_reports": False, "bonded_storage_service": False} for inds in user_codes]}
        for key, data in payloads.items():
            save_section(temp, app_id, key, data, _section_version(u, app_id, key), uow=u)
        submit_application(temp, app_id, s.get(Application, app_id).version, uow=u)
        reviewer = _factory_reviewer(u)
        actions.claim(reviewer, app_id, s.get(Application, app_id).version, uow=u)
        actions.approve(reviewer, app_id, start_date or next_start_date(), s.get(Application, app_id).version, uow=u)
        office_user = s.scalar(select(User).where(User.applicant_id == temp.applicant_id,
                                                  User.kind == UserKind.OFFICE))
        office_user.must_change_password = False  # as after the first login's forced change
        codes_ = [c.user_code for c in s.scalars(select(UserCode).where(UserCode.application_id == app_id)
                                                 .order_by(UserCode.id))]
        u.flush()
        actor = to_actor(office_user)
        u.commit()
        return Office(actor, temp.applicant_id, app_id, codes_)


def settings_payloads(industries) -> dict[str, dict]:
    """Complete 業種 tabs for these 業種 (from the reference data's own fields)."""
    from services.reference_data import current
    out = {}
    for industry in industries:
        ref = current().industry_settings[industry]
        data = {}
        for field in ref.fields:
            if field.retired:
                continue
            if field.kind == "select":
                data[field.name] = field.options[0]
            elif field.kind == "code":
                data[field.name] = "A1B2C3D4E5"[:field.max_len]
            elif field.kind == "int":
                data[field.name] = field.min_value or 1
            elif field.kind == "english":
                data[field.name] = "Tokyo"
            else:
                data[field.name] = "東京都港区"
        out[ref.section_key] = data
    return out


def fill_system_settings(actor: Actor, app_id: int, *, attach: bool = True, skip=()) -> None:
    """Every 業種 tab of the application complete, and its survey forms attached (unless skipped)."""
    from services.system_settings.sections import screens, survey_forms_for
    view = application_view(actor, app_id)
    industry_of = screens().section_industry
    industries = [industry_of[s.key] for s in view.sections if s.key in industry_of]
    for key, data in settings_payloads(industries).items():
        if key not in skip:
            save_section(actor, app_id, key, data, application_view(actor, app_id).section(key).version)
    if attach:
        for form in survey_forms_for(tuple(industries)):
            add_attachment(actor, app_id, f"{form} 記入済.pdf", TEST_PDF, purpose=form)


def submitted_system_settings(office: Office, index: int = 0) -> int:
    """The office's システム設定申込 for its index-th 利用者コード, completed and submitted."""
    from services.system_settings.start import start_system_settings
    app_id = start_system_settings(office.actor, office.applicant_id, office.user_codes[index])
    fill_system_settings(office.actor, app_id)
    submit_application(office.actor, app_id, version_of(app_id))
    return app_id


def submitted_cancellation(office: Office, cancel_date: date, *, user_code: str | None = None,
                           reason: str = "事業所の統合のため") -> int:
    """The office's 解約申込 (the whole contract, or `user_code`), entered and submitted by the use cases."""
    from services.cancellation.request import start_cancellation
    from services.cancellation.sections import REQUEST
    app_id = start_cancellation(office.actor, office.applicant_id)
    data = {"scope": "USER_CODE" if user_code else "CONTRACT", "user_code": user_code or "",
            "cancel_date": cancel_date.isoformat(), "reason": reason}
    save_section(office.actor, app_id, REQUEST, data, application_view(office.actor, app_id).section(REQUEST).version)
    submit_application(office.actor, app_id, version_of(app_id))
    return app_id
