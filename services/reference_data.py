"""Reference data (SPEC §3.3): システム区分, 業種 (with their system-settings tabs), 処理方式, 回線種別 and
the review deadlines, kept in the database (reference_items) and edited by administrators. The fee
schedule has its own service with start months (services/billing/schedule.py).

`current()` is the one way to read them: the wizard's select boxes, the system-settings tabs, the
deadlines and the reviewers' filters all call it, so an edit shows on every screen's next run.

Caching, and why a version row rather than a TTL: each process keeps one parsed copy per database
and a token (reference_data_version, one row) that every save replaces. A copy is trusted for
VERSION_CHECK_SECONDS; after that the next reader compares the stored token (one primary-key
SELECT) and reloads the lists only when it moved. A TTL alone would make every server either
reload all lists every few seconds or show an edit late; the token costs one tiny read at most
once a second per process, whatever number of reads a page run makes (issue 9's budget), and the
lists themselves are read again only after an edit. The server that saves drops its copy when the
transaction commits, so its own next run shows the edit at once; other servers within
VERSION_CHECK_SECONDS. A list with no stored rows (an emptied table) reads as its seed
(db.reference), like the fee schedule does.

Values are what applications store (the Japanese text), so a value in use by an application is
never renamed or deleted: it can be retired (使用停止), which stops offering it for new choices while
existing applications keep reading it. A 業種 is added (it gets a tab key "industry_<n>") or retired,
never renamed or deleted; its システム設定申込 tab's fields are the seed's until an administrator
edits them (services.reference_fields), then details["fields"] with their labels.
"""
from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property
from typing import Any

from sqlalchemy import delete, inspect, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from db import reference as seed
from db.engine import get_engine
from db.models import ApplicationIndustry, ApplicationSection, ReferenceDataVersion, ReferenceItem, UserCode
from db.reference import IndustrySettings, SettingsField
from locales import DEFAULT_LANGUAGE, LANGUAGES, catalog
from services import audit, clock
from services.application.connection import kinds_of
from services.audit import AuditAction
from services.authz import ADMIN, Actor, require_role
from services.errors import FieldError, StaleData, ValidationFailed
from services.uow import UnitOfWork, after_commit, rows_matched

VERSION_CHECK_SECONDS = 1.0
_VERSION_ROW = 1


class ReferenceKind(StrEnum):
    SYSTEM_CATEGORY = "system_category"
    INDUSTRY = "industry"
    PROCESSING_METHOD = "processing_method"
    LINE_TYPE = "line_type"
    REVIEW_DEADLINE = "review_deadline"


# The value lists an administrator edits as tables (the deadlines are numbers, edited apart).
LIST_KINDS = (ReferenceKind.SYSTEM_CATEGORY, ReferenceKind.INDUSTRY, ReferenceKind.PROCESSING_METHOD,
              ReferenceKind.LINE_TYPE)
# Longest value per list: the columns that store it (user_codes.system_category is 16,
# application_industries.industry and system_settings_registrations.item are 40).
NAME_MAX = {ReferenceKind.SYSTEM_CATEGORY: 16, ReferenceKind.INDUSTRY: 40,
            ReferenceKind.PROCESSING_METHOD: 40, ReferenceKind.LINE_TYPE: 40}
CONNECTION_TYPES = tuple(seed.PROCESSING_METHODS)  # "NET", "GENERAL" (services.application.connection)
# Each review deadline's allowed range (business days, hours for the temporary-account warning).
DEADLINE_RANGES: dict[str, tuple[int, int]] = {
    "review_service_days": (1, 60),
    "review_due_soon_days": (0, 30),
    "system_settings_days_before_start": (1, 30),
    "id_notice_days_after_start": (0, 30),
    "temp_expiry_warning_hours": (1, 48),
    "dashboard_horizon_days": (1, 60),
    "default_start_business_days": (1, 60),
}
assert set(DEADLINE_RANGES) == set(seed.REVIEW_DEADLINES)


@dataclass(frozen=True)
class Item:
    """One value of a list as stored (or seeded)."""
    name: str
    retired: bool = False
    code: str | None = None          # 業種: ASCII key; 処理方式: 接続形態
    number: int | None = None        # review deadline value
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def mailbox(self) -> bool:
        return bool(self.details.get("mailbox"))

    @property
    def survey_forms(self) -> tuple[str, ...]:
        return tuple(self.details.get("survey_forms") or ())

    @property
    def field_options(self) -> dict[str, list[str]]:
        """業種: the choices of its select fields an administrator set (field name → options)."""
        return dict(self.details.get("options") or {})


@dataclass(frozen=True)
class ReferenceData:
    """The current values, as the screens and rules read them. `items` keeps every list as stored."""
    items: Mapping[str, tuple[Item, ...]]
    token: str | None = None

    def offered(self, kind: ReferenceKind) -> tuple[str, ...]:
        return tuple(i.name for i in self.items[kind] if not i.retired)

    def known(self, kind: ReferenceKind) -> tuple[str, ...]:
        """Every value, retired ones included (what stored applications may hold), in list order."""
        return tuple(i.name for i in self.items[kind])

    @property
    def system_categories(self) -> tuple[str, ...]:
        return self.offered(ReferenceKind.SYSTEM_CATEGORY)

    @property
    def industries(self) -> tuple[str, ...]:
        return self.offered(ReferenceKind.INDUSTRY)

    @property
    def known_industries(self) -> tuple[str, ...]:
        return self.known(ReferenceKind.INDUSTRY)

    @property
    def line_types(self) -> tuple[str, ...]:
        return self.offered(ReferenceKind.LINE_TYPE)

    def processing_methods(self, connection_type: str | None) -> tuple[str, ...]:
        """The methods offered for a 接続形態: both kinds' for an office that holds both."""
        kinds = kinds_of(connection_type)
        return tuple(i.name for i in self.items[ReferenceKind.PROCESSING_METHOD]
                     if i.code in kinds and not i.retired)

    @cached_property
    def mailbox_methods(self) -> frozenset[str]:
        return frozenset(i.name for i in self.items[ReferenceKind.PROCESSING_METHOD] if i.mailbox)

    @cached_property
    def review_deadlines(self) -> dict[str, int]:
        stored = {i.name: i.number for i in self.items[ReferenceKind.REVIEW_DEADLINE] if i.number is not None}
        return {key: stored.get(key, value) for key, value in seed.REVIEW_DEADLINES.items()}

    def deadline(self, key: str) -> int:
        return self.review_deadlines[key]

    @cached_property
    def industry_settings(self) -> dict[str, IndustrySettings]:
        """Per 業種 (every known one, in list order): its tab's fields and the survey forms it requires.
        The fields are as stored (details["fields"], 参照データの管理) or, until an administrator first
        edits them, the seed's; the choices of select fields are as stored (details["options"])."""
        base = seed.industry_settings()
        out = {}
        for item in self.items[ReferenceKind.INDUSTRY]:
            b = base.get(item.name)
            key = item.code or (b.key if b else None)
            if key is None:
                continue
            stored = item.details.get("fields")
            fields = tuple(stored_field(f) for f in stored) if stored is not None else (b.fields if b else ())
            chosen = item.field_options
            fields = tuple(replace(f, options=tuple(chosen[f.name])) if f.kind == "select" and chosen.get(f.name)
                           else f for f in fields)
            out[item.name] = IndustrySettings(item.name, key, fields, item.survey_forms)
        return out

    @cached_property
    def labels(self) -> dict[str, dict[str, str]]:
        """Screen labels kept with the data (label key → language → text): a field's labels an
        administrator set, and the tab label of a 業種 the locale files do not know (its name)."""
        out: dict[str, dict[str, str]] = {}
        for item in self.items[ReferenceKind.INDUSTRY]:
            settings = self.industry_settings.get(item.name)
            if settings is None:
                continue
            section = f"wizard.section.{settings.section_key}"
            if section not in catalog(DEFAULT_LANGUAGE):
                out[section] = {"ja": item.name}  # English falls back to it too (stored_label)
            for f in item.details.get("fields") or ():
                texts = {lang: f[f"label_{lang}"] for lang in LANGUAGES if f.get(f"label_{lang}")}
                if texts:
                    out[f"wizard.field.{settings.section_key}.{f['name']}"] = texts
        return out

    def field_options(self, industry: str, field_name: str) -> tuple[str, ...]:
        """The choices a select field of a 業種's システム設定申込 tab offers now."""
        settings = self.industry_settings.get(industry)
        found = next((f for f in settings.fields if f.name == field_name), None) if settings else None
        return found.options if found else ()


def stored_field(raw: Mapping[str, Any]) -> SettingsField:
    """A system-settings field as details["fields"] stores it (services.reference_fields writes it)."""
    return SettingsField(str(raw["name"]), str(raw["kind"]), int(raw.get("max_len") or 100),
                         bool(raw.get("required", True)), (), raw.get("min_value"), raw.get("max_value"),
                         bool(raw.get("retired", False)))


def stored_label(lang: str, key: str) -> str | None:
    """locales.translate's first look for the system-settings tabs' labels (ui.i18n installs it)."""
    texts = current().labels.get(key)
    return (texts.get(lang) or texts.get(DEFAULT_LANGUAGE)) if texts else None


# ---------------------------------------------------------------- the seed

def _seed_items() -> dict[str, tuple[Item, ...]]:
    industries = seed.industry_settings()
    return {
        ReferenceKind.SYSTEM_CATEGORY: tuple(Item(n) for n in seed.SYSTEM_CATEGORIES),
        ReferenceKind.INDUSTRY: tuple(Item(n, code=industries[n].key,
                                           details={"survey_forms": list(industries[n].survey_forms)})
                                      for n in seed.INDUSTRIES),
        ReferenceKind.PROCESSING_METHOD: tuple(Item(n, code=conn, details={"mailbox": n in seed.MAILBOX_METHODS})
                                               for conn, names in seed.PROCESSING_METHODS.items() for n in names),
        ReferenceKind.LINE_TYPE: tuple(Item(n) for n in seed.LINE_TYPES),
        ReferenceKind.REVIEW_DEADLINE: tuple(Item(k, number=v) for k, v in seed.REVIEW_DEADLINES.items()),
    }


def _row_values(kind: str, items: Iterable[Item]) -> list[dict[str, Any]]:
    return [{"kind": str(kind), "name": i.name, "code": i.code, "position": n, "retired": i.retired,
             "number": i.number, "details": i.details or None} for n, i in enumerate(items)]


def seed_rows() -> list[dict[str, Any]]:
    """The rows the migration stores: today's lists (db.reference, db/system_settings_fields.toml)."""
    return [row for kind, items in _seed_items().items() for row in _row_values(kind, items)]


def _build(rows: Iterable[ReferenceItem], token: str | None) -> ReferenceData:
    stored: dict[str, list[Item]] = {}
    for r in rows:
        stored.setdefault(r.kind, []).append(Item(r.name, r.retired, r.code, r.number, dict(r.details or {})))
    seeded = _seed_items()
    return ReferenceData({kind: tuple(stored.get(kind) or seeded[kind]) for kind in ReferenceKind}, token)


def seed_data() -> ReferenceData:
    """The lists as db.reference seeds them (what a database without stored rows reads)."""
    return _build((), None)


def _read(session: Session) -> ReferenceData:
    # The token first: a save landing between the two reads leaves a newer list under an older
    # token, which the next check reloads, never the reverse.
    token = session.scalar(select(ReferenceDataVersion.token).where(ReferenceDataVersion.id == _VERSION_ROW))
    rows = session.scalars(select(ReferenceItem).order_by(ReferenceItem.kind, ReferenceItem.position))
    return _build(rows, token)


# ---------------------------------------------------------------- the per-process copy

class ReferenceCache:
    """One process's copy of one database's reference data (a test makes two for two servers)."""

    def __init__(self, url: str | None = None, check_seconds: float = VERSION_CHECK_SECONDS) -> None:
        self._url, self._check_seconds = url, check_seconds
        self._lock = threading.Lock()
        self._data: ReferenceData | None = None
        self._checked = 0.0

    def get(self) -> ReferenceData:
        with self._lock:
            now = time.monotonic()
            if self._data is not None and now - self._checked < self._check_seconds:
                return self._data
            try:
                with UnitOfWork(self._url) as u:
                    if self._data is not None:
                        token = u.session.scalar(select(ReferenceDataVersion.token)
                                                 .where(ReferenceDataVersion.id == _VERSION_ROW))
                        if token == self._data.token:
                            self._checked = now
                            return self._data
                    self._data = _read(u.session)
            except DBAPIError:
                # Before the migration that makes the table (a database not migrated yet): the
                # seed. Any other database error is raised.
                if inspect(get_engine(self._url)).has_table(ReferenceItem.__tablename__):
                    raise
                self._data = seed_data()
            self._checked = now
            return self._data

    def invalidate(self) -> None:
        with self._lock:
            self._data = None


_caches: dict[str, ReferenceCache] = {}
_caches_lock = threading.Lock()


def _database_url() -> str:
    from config import settings
    return settings().database_url


def current() -> ReferenceData:
    """The reference data in force, from this process's copy (see the module docstring)."""
    url = _database_url()
    with _caches_lock:
        cache = _caches.get(url)
        if cache is None:
            cache = _caches[url] = ReferenceCache(url)
    return cache.get()


def clear_caches() -> None:
    """Forget every copy in this process: after this process's own save, and between tests."""
    with _caches_lock:
        for cache in _caches.values():
            cache.invalidate()


# ---------------------------------------------------------------- administration

@dataclass(frozen=True)
class EditRow:
    """One row of an administrator's table. `original` is the value as loaded (None: a new row)."""
    original: str | None
    name: str
    retired: bool = False
    code: str | None = None
    mailbox: bool = False
    survey_forms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Editable:
    """What the administration page shows: the current lists, which values are in use, the token
    (a save made from an older page is refused)."""
    data: ReferenceData
    in_use: Mapping[str, frozenset[str]]

    @property
    def token(self) -> str | None:
        return self.data.token


def _section_values(session: Session, section_key: str, row_key: str | None, value_key: str) -> set[str]:
    """Values stored in applications' screens (rows of `row_key` when given). Read in batches: an
    administrator's save is rare, and the values sit inside each screen's JSON."""
    found: set[str] = set()
    q = select(ApplicationSection.data).where(ApplicationSection.section_key == section_key)
    for data in session.scalars(q.execution_options(yield_per=1000)):
        for row in ((data or {}).get(row_key) or [] if row_key else [data or {}]):
            value = row.get(value_key) if isinstance(row, dict) else None
            found.update(value if isinstance(value, list) else [value] if isinstance(value, str) else [])
    return found


def _in_use(session: Session, kind: ReferenceKind) -> frozenset[str]:
    """The values of a list some application (or issued 利用者コード) holds."""
    if kind == ReferenceKind.INDUSTRY:
        return frozenset(session.scalars(select(ApplicationIndustry.industry).distinct()))
    if kind == ReferenceKind.SYSTEM_CATEGORY:
        return frozenset(session.scalars(select(UserCode.system_category).distinct())) | frozenset(
            _section_values(session, "user_code", "user_codes", "system_category"))
    if kind == ReferenceKind.LINE_TYPE:
        return frozenset(_section_values(session, "line", None, "line_type"))
    if kind == ReferenceKind.PROCESSING_METHOD:
        return frozenset(_section_values(session, "line", None, "processing_methods"))
    return frozenset()


def editable(actor: Actor, *, uow: UnitOfWork | None = None) -> Editable:
    require_role(actor, ADMIN)
    with (uow or UnitOfWork()) as u:
        return Editable(_read(u.session), {k: _in_use(u.session, k) for k in LIST_KINDS})


def _err(errors: dict[str, FieldError], row: int, column: str, code: str, **params: Any) -> None:
    errors.setdefault(f"{row}.{column}", FieldError(code, {"row": row, **params}))


def _check_rows(kind: ReferenceKind, old: tuple[Item, ...], rows: list[EditRow],
                in_use: frozenset[str]) -> dict[str, FieldError]:
    errors: dict[str, FieldError] = {}
    by_name = {i.name: i for i in old}
    seen: dict[str, int] = {}
    for n, row in enumerate(rows, start=1):
        name = row.name
        if not name:
            _err(errors, n, "name", "reference.error.empty")
        elif len(name) > NAME_MAX[kind]:
            _err(errors, n, "name", "reference.error.too_long", max=NAME_MAX[kind])
        elif name in seen:
            _err(errors, n, "name", "reference.error.duplicate", name=name, first=seen[name])
        else:
            seen[name] = n
        if row.original is not None and row.original not in by_name:
            _err(errors, n, "name", "reference.error.stale")
        was = by_name.get(row.original) if row.original is not None else None
        if kind == ReferenceKind.INDUSTRY and was is not None and name != row.original:
            # Applications, 利用者コード and registrations hold the name: a new one is a new 業種.
            _err(errors, n, "name", "reference.error.industry_fixed")
        if kind == ReferenceKind.PROCESSING_METHOD and row.code not in CONNECTION_TYPES:
            _err(errors, n, "code", "reference.error.connection_type")
        moved = kind == ReferenceKind.PROCESSING_METHOD and row.code != was.code if was else False
        if was is not None and row.original in in_use and (name != was.name or moved):
            _err(errors, n, "name", "reference.error.in_use_rename", name=was.name)
        if set(row.survey_forms) - set(seed.SURVEY_FORMS):
            _err(errors, n, "survey_forms", "reference.error.survey_form")
    kept = {r.original for r in rows}
    for item in old:
        if item.name not in kept:
            if item.name in in_use:
                errors.setdefault(f"deleted.{item.name}", FieldError("reference.error.in_use_delete",
                                                                     {"name": item.name}))
            elif kind == ReferenceKind.INDUSTRY:
                errors.setdefault(f"deleted.{item.name}", FieldError("reference.error.industry_delete",
                                                                     {"name": item.name}))
    groups = CONNECTION_TYPES if kind == ReferenceKind.PROCESSING_METHOD else (None,)
    for group in groups:
        if not any(not r.retired for r in rows if group is None or r.code == group):
            errors.setdefault(f"offered.{group}", FieldError("reference.error.none_offered", {"group": group or ""}))
    return errors


def _item(kind: ReferenceKind, row: EditRow, was: Item | None) -> Item:
    details = dict(was.details) if was else {}
    if kind == ReferenceKind.PROCESSING_METHOD:
        details["mailbox"] = row.mailbox
    if kind == ReferenceKind.INDUSTRY:
        details["survey_forms"] = list(row.survey_forms)
    code = row.code if kind == ReferenceKind.PROCESSING_METHOD else (was.code if was else None)
    if kind == ReferenceKind.INDUSTRY and was is None:
        details["fields"] = []  # its tab appears once an administrator adds a field (reference_fields)
    return Item(row.name, row.retired, code, None, details)


def _industry_keys(old: tuple[Item, ...], new: list[Item]) -> list[Item]:
    """An added 業種 gets the next free tab key "industry_<n>" (ss_<key>, ASCII, never reused)."""
    used = {i.code for i in (*old, *new)} | {s.key for s in seed.industry_settings().values()}
    out = []
    for item in new:
        if item.code is None:
            n = 1
            while f"industry_{n}" in used:
                n += 1
            item = replace(item, code=f"industry_{n}")
            used.add(item.code)
        out.append(item)
    return out


def _audit_map(items: Iterable[Item], kind: ReferenceKind) -> dict[str, Any]:
    """name → what an administrator can change of it, plus its place in the list."""
    out: dict[str, Any] = {}
    for n, i in enumerate(items):
        entry: dict[str, Any] = {"position": n, "retired": i.retired}
        if kind == ReferenceKind.PROCESSING_METHOD:
            entry |= {"connection_type": i.code, "mailbox": i.mailbox}
        if kind == ReferenceKind.INDUSTRY:
            entry["survey_forms"] = list(i.survey_forms)
            if "fields" in i.details:
                entry["fields"] = i.details["fields"]
            entry |= {f"options.{name}": values for name, values in sorted(i.field_options.items())}
        if kind == ReferenceKind.REVIEW_DEADLINE:
            entry = {"value": i.number}
        out[i.name] = entry
    return out


def _replace(u: UnitOfWork, actor: Actor, kind: ReferenceKind, old: tuple[Item, ...], new: list[Item]) -> bool:
    """Stores `new` as the whole list, audits what changed, moves the token. False: nothing changed."""
    before, after = audit.changed_fields(_audit_map(old, kind), _audit_map(new, kind))
    if not before and not after:
        return False
    s = u.session
    s.execute(delete(ReferenceItem).where(ReferenceItem.kind == str(kind)))
    s.flush()
    s.add_all(ReferenceItem(**values) for values in _row_values(kind, new))
    now = clock.now()
    token = uuid.uuid4().hex
    if not rows_matched(s, update(ReferenceDataVersion).where(ReferenceDataVersion.id == _VERSION_ROW)
                        .values(token=token, changed_at=now)):
        s.add(ReferenceDataVersion(id=_VERSION_ROW, token=token, changed_at=now))
    audit.record(s, actor, AuditAction.REFERENCE_DATA_CHANGED, target_type=f"reference:{kind}",
                 before=before, after=after)
    after_commit(s, clear_caches)
    return True


def _require_token(data: ReferenceData, expected_token: str | None) -> None:
    if data.token != expected_token:
        raise StaleData("reference.error.changed_meanwhile")


def save_list(actor: Actor, kind: ReferenceKind, rows: list[EditRow], expected_token: str | None,
              *, uow: UnitOfWork | None = None) -> bool:
    """Replaces one list with the administrator's table, in one transaction, or saves nothing and
    raises ValidationFailed (keys "<row>.<column>", "deleted.<name>", "offered.<group>").
    Returns False when the table equals what is stored."""
    require_role(actor, ADMIN)
    kind = ReferenceKind(kind)
    if kind not in LIST_KINDS:
        raise ValueError(kind)
    rows = [EditRow(r.original, (r.name or "").strip(), bool(r.retired), r.code, bool(r.mailbox),
                    tuple(r.survey_forms)) for r in rows]
    with (uow or UnitOfWork()) as u:
        data = _read(u.session)
        _require_token(data, expected_token)
        old = data.items[kind]
        errors = _check_rows(kind, old, rows, _in_use(u.session, kind))
        if errors:
            raise ValidationFailed(errors)
        by_name = {i.name: i for i in old}
        new = [_item(kind, r, by_name.get(r.original or "")) for r in rows]
        if kind == ReferenceKind.INDUSTRY:
            new = _industry_keys(old, new)
        changed = _replace(u, actor, kind, old, new)
        u.commit()
        return changed


def save_deadlines(actor: Actor, values: Mapping[str, Any], expected_token: str | None,
                   *, uow: UnitOfWork | None = None) -> bool:
    """The review deadlines, each a whole number in DEADLINE_RANGES, or nothing saved."""
    require_role(actor, ADMIN)
    errors: dict[str, FieldError] = {}
    clean: dict[str, int] = {}
    for key, (low, high) in DEADLINE_RANGES.items():
        value = values.get(key)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            errors[key] = FieldError("reference.error.deadline_range", {"min": low, "max": high})
        else:
            clean[key] = value
    if errors:
        raise ValidationFailed(errors)
    with (uow or UnitOfWork()) as u:
        data = _read(u.session)
        _require_token(data, expected_token)
        kind = ReferenceKind.REVIEW_DEADLINE
        changed = _replace(u, actor, kind, data.items[kind], [Item(k, number=v) for k, v in clean.items()])
        u.commit()
        return changed


# ---------------------------------------------------------------- a 業種 tab's select choices

def select_fields() -> list[tuple[str, str]]:
    """(業種, field name) of every select field of the システム設定申込 tabs: their choices are edited."""
    return [(industry, f.name) for industry, settings in current().industry_settings.items()
            for f in settings.fields if f.kind == "select"]


def _options_in_use(session: Session, section_key: str, field_name: str) -> frozenset[str]:
    return frozenset(_section_values(session, section_key, None, field_name))


def save_field_options(actor: Actor, industry: str, field_name: str, options: list[str],
                       expected_token: str | None, *, uow: UnitOfWork | None = None) -> bool:
    """The choices of one select field of a 業種's tab, in one transaction, or nothing saved
    (keys "<row>.name", "deleted.<value>", "offered.")."""
    require_role(actor, ADMIN)
    if (industry, field_name) not in select_fields():
        raise ValueError((industry, field_name))
    settings = current().industry_settings[industry]
    spec = next(f for f in settings.fields if f.name == field_name)
    values = [(o or "").strip() for o in options]
    with (uow or UnitOfWork()) as u:
        data = _read(u.session)
        _require_token(data, expected_token)
        old_values = data.field_options(industry, field_name)
        errors: dict[str, FieldError] = {}
        seen: dict[str, int] = {}
        for n, value in enumerate(values, start=1):
            if not value:
                _err(errors, n, "name", "reference.error.empty")
            elif len(value) > spec.max_len:
                _err(errors, n, "name", "reference.error.too_long", max=spec.max_len)
            elif value in seen:
                _err(errors, n, "name", "reference.error.duplicate", name=value, first=seen[value])
            else:
                seen[value] = n
        removed = set(old_values) - set(values)
        if removed:
            key = settings.section_key
            for value in sorted(removed & _options_in_use(u.session, key, field_name)):
                errors[f"deleted.{value}"] = FieldError("reference.error.in_use_delete", {"name": value})
        if not values:
            errors["offered."] = FieldError("reference.error.none_offered", {"group": ""})
        if errors:
            raise ValidationFailed(errors)
        kind = ReferenceKind.INDUSTRY
        old = data.items[kind]
        new = [replace(i, details={**i.details, "options": {**i.field_options, field_name: values}})
               if i.name == industry else i for i in old]
        changed = _replace(u, actor, kind, old, new)
        u.commit()
        return changed
