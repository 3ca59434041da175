"""ORM models. Names follow SPEC §7. Only services/ touch these; pages get plain data."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

from db.search_text import search_key
from db.types import UTCDateTime

BigId = BigInteger().with_variant(Integer, "sqlite")  # SQLite autoincrements only INTEGER keys


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


# ---------------------------------------------------------------- accounts

class User(Base):
    """Anyone who logs in: staff, a temporary account (仮ログイン ID) or an office (事業所コード)."""
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    login_id: Mapped[str] = mapped_column(String(64))
    # Lower-cased login ID: the login form lower-cases what is typed, IDs are case-insensitive.
    login_key: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # STAFF / TEMP / OFFICE
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(100))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    applicant_id: Mapped[int | None] = mapped_column(ForeignKey("applicants.id"), index=True)
    # Cookies issued before this moment no longer log anyone in (logout, password change).
    sessions_valid_after: Mapped[datetime]
    password_changed_at: Mapped[datetime]
    created_at: Mapped[datetime]

    roles: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def role_names(self) -> set[str]:
        return {r.role for r in self.roles}


class UserRole(Base):
    __tablename__ = "user_roles"
    # "Who are the reviewers" (the queue's assignee filter, the detail's assign action): the primary
    # key leads with user_id, so without this every role row was read (46-60 ms at 1M users).
    __table_args__ = (Index("ix_user_roles_role_user", "role", "user_id"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)  # applicant/desk/reviewer/admin


class LoginAttempt(Base):
    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_key_at", "login_key", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    login_key: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]
    success: Mapped[bool] = mapped_column(Boolean)


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_login_id: Mapped[str | None] = mapped_column(String(64))
    # Set when staff act for an applicant: "entered by <actor> for <applicant>".
    on_behalf_of_applicant_id: Mapped[int | None] = mapped_column(ForeignKey("applicants.id"), index=True)
    action: Mapped[str] = mapped_column(String(64))
    target_type: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[int | None] = mapped_column(BigInteger)
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]


class MailOutbox(Base):
    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_outbox_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(index=True)
    template: Mapped[str] = mapped_column(String(64))
    sender: Mapped[str] = mapped_column(String(254))
    recipients: Mapped[list[Any]]
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))  # services.mail.MailStatus
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    applicant_id: Mapped[int | None] = mapped_column(ForeignKey("applicants.id"), index=True)
    # A password the mail carries: `body` shows it as ******** and `secret` holds it encrypted
    # (services.secrets) only until the mail is sent or has failed for good (then NULL again).
    has_secret: Mapped[bool] = mapped_column(Boolean, default=False)
    secret: Mapped[str | None] = mapped_column(Text)
    # The sending server's lease (services.mail): only the holder of claim_token records the outcome.
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_until: Mapped[datetime | None]


class TermsVersion(Base):
    """システム利用規程, versioned. The version in force at a moment T is the one with the greatest
    effective_from <= T (services.terms.in_force_at); an administrator sets effective_from as a
    day, stored as 00:00 JST of that day. Accounts keep the row they agreed to (Applicant.terms_version_id)."""
    __tablename__ = "terms_versions"
    __table_args__ = (Index("ix_terms_versions_effective", "effective_from", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    version: Mapped[str] = mapped_column(String(32), unique=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    effective_from: Mapped[datetime]
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class IssuedCode(Base):
    """Every generated code ever issued, so none is reused even after its owner is gone."""
    __tablename__ = "issued_codes"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # TEMP_LOGIN / OFFICE / USER_CODE / ID_NUMBER / REF
    issued_at: Mapped[datetime]


# ---------------------------------------------------------------- applicants and applications

class Applicant(Base):
    """The applying party: starts as a temporary account (仮アカウント), becomes an office."""
    __tablename__ = "applicants"
    __table_args__ = (
        Index("ix_applicants_kana", "contact_kana"),
        Index("ix_applicants_phone", "phone_digits"),
        Index("ix_applicants_email", "email_lower"),
        Index("ix_applicants_company", "company_name"),
        Index("ix_applicants_name", "contact_name"),
        # SQLite answers a partial match by scanning these (covering) instead of the whole table.
        Index("ix_applicants_name_search", "contact_name_search"),
        Index("ix_applicants_company_search", "company_name_search"),
        Index("ix_applicants_temp_expires", "temp_expires_at"),
        # PostgreSQL also has prefix (text_pattern_ops) indexes (migration 0002_desk) and pg_trgm
        # indexes on the *_search columns (migration 0005_desk_search).
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # insert_sentinel (no DDL): on SQLite the ORM can batch a flush of many new applicants into one
    # INSERT … RETURNING only with a client-side unique column to match the returned ids to the rows;
    # without one it sent one INSERT per applicant (the demo seed's 304, ~0.15 s of CPU).
    temp_login_id: Mapped[str] = mapped_column(String(16), unique=True, insert_sentinel=True)
    status: Mapped[str] = mapped_column(String(24))  # services.temp_accounts.ApplicantStatus
    contact_name: Mapped[str] = mapped_column(String(100))
    contact_kana: Mapped[str] = mapped_column(String(100))
    company_name: Mapped[str] = mapped_column(String(200))
    # db.search_text.search_key of the two names, for the desk's partial search (ＡＢＣ商事 is found
    # by "abc"). Set by _fill_search_columns on every ORM write; bulk Core inserts fill them too.
    # Text: NFKC can lengthen a name (㍿ → 株式会社).
    contact_name_search: Mapped[str] = mapped_column(Text)
    company_name_search: Mapped[str] = mapped_column(Text)
    department: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(20))
    phone_digits: Mapped[str] = mapped_column(String(20))  # for search in any format
    email: Mapped[str] = mapped_column(String(254))
    email_lower: Mapped[str] = mapped_column(String(254))
    corporate_number: Mapped[str | None] = mapped_column(String(13), index=True)
    terms_version_id: Mapped[int] = mapped_column(ForeignKey("terms_versions.id"))
    terms_agreed_at: Mapped[datetime]
    terms_agreed_via: Mapped[str] = mapped_column(String(8))  # WEB / PHONE
    # No foreign key: users already point at applicants, and a cycle breaks table ordering.
    issued_by_user_id: Mapped[int | None] = mapped_column(BigInteger)
    issued_at: Mapped[datetime]
    temp_expires_at: Mapped[datetime]
    office_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    # When the cut-off (services/cutoff.py) cancelled the approval: status CANCELLED from then on.
    cancelled_at: Mapped[datetime | None] = mapped_column(index=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    # One per 仮アカウント form instance: a double-clicked 登録 finds the first account, makes no second.
    submission_token: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)

    @validates("contact_name", "company_name")
    def _fill_search_columns(self, key: str, value: str) -> str:
        setattr(self, f"{key}_search", search_key(value))
        return value


# Literal SQL, so that SQLite (which ignores a partial index when the statuses are bound parameters)
# can match a query's predicate with the index's; services.review.open_queue writes the same text.
OPEN_QUEUE_INDEX = "ix_app_open_queue"
OPEN_QUEUE_BY_CONNECTION_INDEX = "ix_app_open_queue_conn"
OPEN_QUEUE_PREDICATE = "status IN ('SUBMITTED', 'IN_REVIEW')"


class Application(Base):
    __tablename__ = "applications"
    __table_args__ = (
        Index("ix_app_status_submitted", "status", "submitted_at"),
        Index("ix_app_kind_status", "kind", "status"),
        Index("ix_app_assignee_status", "assignee_id", "status"),
        Index("ix_app_conn_status", "connection_type", "status"),
        Index("ix_app_submitted", "submitted_at"),
        Index("ix_app_decided", "decided_at"),
        Index("ix_app_start_date", "start_date"),
        # Dashboard aggregates filter on one status and a date range: approvals per day, deadlines.
        Index("ix_app_status_decided", "status", "decided_at"),
        Index("ix_app_status_start", "status", "start_date"),
        # The reviewers' open queue (申込受付/審査中): a small slice of a table that keeps every decided
        # application. Oldest first and the queue's usual filters (status, 接続形態, 種別, 担当者, 業種 by
        # LIKE) are answered from this index alone, without reading the table rows.
        Index(OPEN_QUEUE_INDEX, "submitted_at", "id", "status", "connection_type", "kind", "assignee_id",
              "industries", sqlite_where=text(OPEN_QUEUE_PREDICATE), postgresql_where=text(OPEN_QUEUE_PREDICATE)),
        # The same per 接続形態 (netNACCS / 一般 NACCS are reviewed apart): a filter on it reads only its part.
        Index(OPEN_QUEUE_BY_CONNECTION_INDEX, "connection_type", "submitted_at", "id", "status", "kind",
              "assignee_id", "industries",
              sqlite_where=text(OPEN_QUEUE_PREDICATE), postgresql_where=text(OPEN_QUEUE_PREDICATE)),
        # A reviewer's own items ("mine"), oldest first, without sorting all of them.
        Index("ix_app_assignee_submitted", "assignee_id", "submitted_at", "id"),
        # Approved 解約申込 whose 解約日 has come (the job services.jobs "contract_cancellation").
        Index("ix_app_kind_status_effective", "kind", "status", "effective_date"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    ref_no: Mapped[str | None] = mapped_column(String(20), unique=True)  # on first submission
    kind: Mapped[str] = mapped_column(String(20))  # NEW_USAGE / SYSTEM_SETTINGS / CHANGE / CANCELLATION
    shared_use: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16))  # DRAFT/SUBMITTED/IN_REVIEW/APPROVED/RETURNED/REJECTED
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id"), index=True)
    connection_type: Mapped[str | None] = mapped_column(String(8))  # NET / GENERAL (denormalised)
    industries: Mapped[str | None] = mapped_column(String(400))  # "|航空会社|通関業|" for filtering
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None]
    first_submitted_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    start_date: Mapped[date | None] = mapped_column(Date)
    # 解約申込: its 解約日, set on approval (services.cancellation.effect); None for every other kind.
    effective_date: Mapped[date | None] = mapped_column(Date)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    # The 企業名 typed on 事業所・企業 (denormalised by the wizard's save; None until entered).
    company_name: Mapped[str | None] = mapped_column(String(100))
    # システム設定申込: the 利用者コード whose settings it registers; a 解約申込 of one 利用者コード: that
    # code (None for every other kind).
    # use_alter: user_codes also points at applications; this breaks the cycle for table ordering.
    user_code_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_codes.id", use_alter=True, name="fk_applications_user_code"), index=True)

    __mapper_args__ = {"version_id_col": version}

    sections: Mapped[list[ApplicationSection]] = relationship(
        back_populates="application", cascade="all, delete-orphan")
    industry_links: Mapped[list[ApplicationIndustry]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True)

    @validates("industries")
    def _sync_industry_links(self, _key: str, value: str | None) -> str | None:
        """Keep application_industries equal to the "|a|b|" text, whoever writes it through the ORM."""
        wanted = list(dict.fromkeys(i for i in (value or "").split("|") if i))
        kept = [link for link in self.industry_links if link.industry in wanted]
        have = {link.industry for link in kept}
        self.industry_links = kept + [ApplicationIndustry(industry=i) for i in wanted if i not in have]
        return value


class ApplicationIndustry(Base):
    """One 業種 of an application: the reviewers' 業種 filter finds a rare one through the index instead
    of a LIKE over every row. Application.industries keeps the text for display and the open queue index."""
    __tablename__ = "application_industries"
    __table_args__ = (Index("ix_application_industries_industry", "industry", "application_id"),)

    application_id: Mapped[int] = mapped_column(BigId, ForeignKey("applications.id", ondelete="CASCADE"),
                                                primary_key=True)
    industry: Mapped[str] = mapped_column(String(40), primary_key=True)


class ApplicationSection(Base):
    """One 詳細入力画面 of an application: its values as JSON and its 入力状況."""
    __tablename__ = "application_sections"
    __table_args__ = (UniqueConstraint("application_id", "section_key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    section_key: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(12), default="EMPTY")  # EMPTY / PARTIAL / COMPLETE
    updated_at: Mapped[datetime]
    updated_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    application: Mapped[Application] = relationship(back_populates="sections")


class Attachment(Base):
    """Stored in the database so every app server serves the same files."""
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(32))  # SYSTEM_DIAGRAM / SURVEY_FORM / ...
    file_name: Mapped[str] = mapped_column(String(255))  # exactly as uploaded
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_at: Mapped[datetime]
    uploaded_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ReviewComment(Base):
    """差戻し comments per screen, and the reasons given with other decisions."""
    __tablename__ = "review_comments"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    section_key: Mapped[str | None] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text)
    author_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]  # set when the applicant resubmits


class InternalNote(Base):
    """Reviewer notes on an application; never shown to the applicant."""
    __tablename__ = "internal_notes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    author_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]


class CallNote(Base):
    """Support-desk notes of a phone call, on the applicant's record; staff only."""
    __tablename__ = "call_notes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    author_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]


class Notice(Base):
    """新着情報 for an applicant. `secret` holds the encrypted 事業所パスワード of an ID notice."""
    __tablename__ = "notices"
    __table_args__ = (Index("ix_notices_applicant_created", "applicant_id", "created_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id", ondelete="CASCADE"))
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))
    kind: Mapped[str] = mapped_column(String(16))  # services.notices.NoticeKind
    params: Mapped[dict[str, Any]]
    secret: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]


SETTINGS_PENDING = "settings_completed_at IS NULL"


class UserCode(Base):
    """利用者コード issued on approval, with its 識別番号 (利用者ID = user_code + id_number)."""
    __tablename__ = "user_codes"
    __table_args__ = (
        Index("ix_user_codes_application", "application_id"),
        # The dashboard's システム設定 deadline list counts the codes still lacking their settings:
        # a small part of the table once offices are set up (count 55 -> 4 ms at 1M, issue 9).
        Index("ix_user_codes_settings_pending", "application_id",
              sqlite_where=text(SETTINGS_PENDING), postgresql_where=text(SETTINGS_PENDING)),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    user_code: Mapped[str] = mapped_column(String(16), unique=True)
    system_category: Mapped[str] = mapped_column(String(16))
    industries: Mapped[list[Any]]
    id_numbers: Mapped[list[Any]]
    settings_completed_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    # An approved 変更申込 deleted it: no longer in the contract from this day (the first day of its
    # effective month). The code stays in issued_codes, so it is never issued again.
    retired_on: Mapped[date | None] = mapped_column(Date)
    # Retired by an approved 解約申込 of this code (services.cancellation): never reused, shown as 解約.
    # (Which codes are in use is decided in one place: services.system_settings.registrations.is_live.)
    retired_at: Mapped[datetime | None]


class ContractVersion(Base):
    """One version of an office's contract made by an approved 変更申込: every screen of the contract
    as it stands from `valid_from` (the first day of the change's effective month) until the next
    version. The first version is the approved 新規利用申込 itself (services.contract.versions)."""
    __tablename__ = "contract_versions"
    __table_args__ = (Index("ix_contract_versions_applicant", "applicant_id", "valid_from"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id"))
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    valid_from: Mapped[date] = mapped_column(Date)
    data: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]


class SystemSettingsRegistration(Base):
    """One ○ of 契約内容確認's registration-status table: an item (名称, or one 業種 of the 利用者コード)
    registered by an approved システム設定申込. No row is a × (or blank where the item does not apply)."""
    __tablename__ = "system_settings_registrations"
    __table_args__ = (UniqueConstraint("user_code_id", "item"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_code_id: Mapped[int] = mapped_column(ForeignKey("user_codes.id", ondelete="CASCADE"), index=True)
    item: Mapped[str] = mapped_column(String(40))  # services.system_settings.registrations.NAME_ITEM or a 業種
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    registered_at: Mapped[datetime]


# ---------------------------------------------------------------- background jobs

class JobLock(Base):
    """services/jobs.py: one row per job. A server runs the job only after claiming the row with an
    UPDATE that succeeds for one server at a time (a lease: `locked_until`), on SQLite and PostgreSQL."""
    __tablename__ = "job_locks"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(32))
    locked_until: Mapped[datetime | None]
    last_started_at: Mapped[datetime | None]
    last_finished_at: Mapped[datetime | None]   # the last run that succeeded
    last_result: Mapped[str | None] = mapped_column(Text)
    last_error: Mapped[str | None] = mapped_column(Text)


# ---------------------------------------------------------------- abuse limits and re-issue links

class RateCounter(Base):
    """services/ratelimit.py: hits of one (purpose, key) in one fixed window. The key is stored as
    a SHA-256 hash (addresses and login IDs are not kept readable here); times are epoch seconds."""
    __tablename__ = "rate_counters"

    purpose: Mapped[str] = mapped_column(String(32), primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    count: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[int] = mapped_column(BigInteger, index=True)  # no longer read after this


class PasswordResetToken(Base):
    """A re-issue link (SPEC §6): only the SHA-256 of the random token is stored; single use."""
    __tablename__ = "password_reset_tokens"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


# ---------------------------------------------------------------- 掲示板 (bulletin board)

class BoardNotice(Base):
    """A notice on the 掲示板 (services/bulletin_board.py); retired ones stay for the history."""
    __tablename__ = "board_notices"
    __table_args__ = (Index("ix_board_notices_posted", "posted_on", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    posted_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    important: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    retired_at: Mapped[datetime | None]


class BoardDocument(Base):
    """A downloadable file of the 掲示板, across its versions. `form_key` names a survey form
    (services.survey_forms.SurveyForm) so other screens can point at it; free files have none."""
    __tablename__ = "board_documents"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    form_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    retired_at: Mapped[datetime | None]

    versions: Mapped[list[BoardFileVersion]] = relationship(back_populates="document",
                                                           order_by="BoardFileVersion.version")


class BoardFileVersion(Base):
    """One uploaded version of a document; a new version retires the one before it. Bytes live in
    the database so every app server serves the same file."""
    __tablename__ = "board_file_versions"
    __table_args__ = (UniqueConstraint("document_id", "version", name="uq_board_file_version"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("board_documents.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(String(255))  # exactly as uploaded
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    published_at: Mapped[datetime]
    published_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    retired_at: Mapped[datetime | None]

    document: Mapped[BoardDocument] = relationship(back_populates="versions")
# ---------------------------------------------------------------- billing (services/billing)

USAGE_IN_FORCE = "superseded_by_import_id IS NULL"


class FeeSchedule(Base):
    """料金表: applies from valid_from (the first day of a month) until the next one starts."""
    __tablename__ = "fee_schedules"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    valid_from: Mapped[date] = mapped_column(Date, unique=True)
    basic_per_unit: Mapped[int] = mapped_column(Integer)
    rate_a: Mapped[float] = mapped_column(Numeric(8, 4, asdecimal=False))
    rate_b: Mapped[float] = mapped_column(Numeric(8, 4, asdecimal=False))
    management_reports_per_user_code: Mapped[int] = mapped_column(Integer)
    bonded_storage_per_user_code: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class UsageImport(Base):
    """One administrator's import of a usage file: all its rows or none, undone as a whole."""
    __tablename__ = "usage_imports"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255))
    row_count: Mapped[int] = mapped_column(Integer)
    replace: Mapped[bool] = mapped_column(Boolean)
    imported_at: Mapped[datetime]
    imported_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    imported_by_login_id: Mapped[str | None] = mapped_column(String(64))
    undone_at: Mapped[datetime | None]
    undone_by_login_id: Mapped[str | None] = mapped_column(String(64))


class UsageRecord(Base):
    """利用額 (list price, yen) of one 利用者コード in one month. A record replaced by a later import
    keeps its row with superseded_by_import_id set, so undoing that import restores it."""
    __tablename__ = "usage_records"
    __table_args__ = (
        Index("ux_usage_records_in_force", "user_code_id", "month", unique=True,
              sqlite_where=text(USAGE_IN_FORCE), postgresql_where=text(USAGE_IN_FORCE)),
        Index("ix_usage_records_applicant_month", "applicant_id", "month"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_code_id: Mapped[int] = mapped_column(ForeignKey("user_codes.id"))
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id"))
    month: Mapped[date] = mapped_column(Date)  # the first day of the month
    usage_amount: Mapped[int] = mapped_column(BigInteger)
    import_id: Mapped[int] = mapped_column(ForeignKey("usage_imports.id"), index=True)
    superseded_by_import_id: Mapped[int | None] = mapped_column(ForeignKey("usage_imports.id"), index=True)


# ---------------------------------------------------------------- reference data (services/reference_data.py)

class ReferenceItem(Base):
    """One value of an administered list (システム区分, 業種, 処理方式, 回線種別) or one review deadline.
    `name` is the value applications store (or the deadline's key); a retired value is no longer
    offered but stays known, so the applications that hold it still read it."""
    __tablename__ = "reference_items"
    __table_args__ = (UniqueConstraint("kind", "name"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    code: Mapped[str | None] = mapped_column(String(32))   # 業種: its ASCII key; 処理方式: the 接続形態
    position: Mapped[int] = mapped_column(Integer)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    number: Mapped[int | None] = mapped_column(Integer)     # review deadlines: the value
    details: Mapped[dict[str, Any] | None]                  # 業種: system-settings fields; 処理方式: mailbox


class ReferenceDataVersion(Base):
    """One row: a token that every save of reference data changes, so each server sees that its
    cached copy is old with one primary-key read (services.reference_data)."""
    __tablename__ = "reference_data_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(36))
    changed_at: Mapped[datetime]
