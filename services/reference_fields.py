"""An administrator's edit of one 業種's システム設定申込 fields (参照データの管理, SPEC §3.3).

A field has a key (ASCII, what applications store their value under), Japanese and English labels,
a kind among db.reference.SETTINGS_FIELD_KINDS, a required flag, a maximum length and, for a select
field, its choices. The whole table is saved in one transaction into the 業種's reference row
(details["fields"]; the choices in details["options"], the same place the choices editor of
services.reference_data writes), audited with before/after, or refused with every reason and
nothing saved. Applications keep what they hold: a field some application holds a value in is
never deleted (it is retired: no longer asked, still shown where a value exists), and its key and
kind never change. The tab needs at least one required field, as the seed file's check asks.

A label equal to the locale file's text is not stored, so the locale files stay the source of the
labels that ship with a release; one that differs (or a new field's) is kept with the data and read
by locales.translate through reference_data.stored_label.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import ApplicationSection
from db.reference import ASCII_NAME, SETTINGS_FIELD_KINDS, SettingsField
from locales import DEFAULT_LANGUAGE, LANGUAGES, catalog
from services.authz import ADMIN, Actor, require_role
from services.errors import FieldError, ValidationFailed
from services.reference_data import (
    ReferenceData,
    ReferenceKind,
    _err,
    _read,
    _replace,
    _require_token,
    _section_values,
)
from services.uow import UnitOfWork

KEY_MAX = 40
LABEL_MAX = 60
MAX_LEN_RANGE = (1, 1000)
# Labels are drawn as widget labels (Markdown): refuse the characters Markdown or HTML would read.
_LABEL_REFUSED = re.compile(r"[*_`\[\]<>#|\\~$]")
_OPTION_SPLIT = re.compile(r"[、,，\n]")


@dataclass(frozen=True)
class FieldRow:
    """One row of the fields table. `original` is the key as loaded (None: a new field)."""
    original: str | None
    name: str
    label_ja: str
    label_en: str
    kind: str
    required: bool = True
    max_len: int | float | None = 100  # a float as a number cell gives it
    options: tuple[str, ...] = ()
    retired: bool = False


def split_options(text: str) -> tuple[str, ...]:
    """The choices as the table's one cell holds them (「、」 or "," between them)."""
    return tuple(o.strip() for o in _OPTION_SPLIT.split(text or "") if o.strip())


def _label_key(section_key: str, name: str) -> str:
    return f"wizard.field.{section_key}.{name}"


def rows_of(data: ReferenceData, industry: str) -> list[FieldRow]:
    """The table as the page shows it: every field of the 業種's tab with its labels in force."""
    settings = data.industry_settings[industry]

    def label(name: str, lang: str) -> str:
        key = _label_key(settings.section_key, name)
        return data.labels.get(key, {}).get(lang) or catalog(lang).get(key) or catalog(DEFAULT_LANGUAGE).get(key) or ""

    return [FieldRow(f.name, f.name, label(f.name, "ja"), label(f.name, "en"), f.kind, f.required, f.max_len,
                     f.options, f.retired) for f in settings.fields]


def fields_in_use(session: Session, section_key: str) -> frozenset[str]:
    """The keys of the tab that some application holds a value in (read in batches, as rare as a save)."""
    found: set[str] = set()
    q = select(ApplicationSection.data).where(ApplicationSection.section_key == section_key)
    for data in session.scalars(q.execution_options(yield_per=1000)):
        found.update(k for k, v in (data or {}).items() if v not in (None, "", [], {}))
    return frozenset(found)


def _clean(row: FieldRow) -> FieldRow:
    max_len = row.max_len
    if isinstance(max_len, float) and max_len.is_integer():
        max_len = int(max_len)
    return FieldRow(row.original, (row.name or "").strip(), (row.label_ja or "").strip(),
                    (row.label_en or "").strip(), (row.kind or "").strip(), bool(row.required),
                    max_len, tuple(o.strip() for o in row.options if o and o.strip()), bool(row.retired))


def _check(rows: list[FieldRow], old: dict[str, SettingsField], in_use: frozenset[str],
           options_in_use: dict[str, frozenset[str]]) -> dict[str, FieldError]:
    errors: dict[str, FieldError] = {}
    seen: dict[str, int] = {}
    for n, row in enumerate(rows, start=1):
        was = old.get(row.original) if row.original is not None else None
        if row.original is not None and was is None:
            _err(errors, n, "name", "reference.error.stale")
        if not ASCII_NAME.match(row.name) or len(row.name) > KEY_MAX:
            _err(errors, n, "name", "reference.error.field_key", max=KEY_MAX)
        elif row.name in seen:
            _err(errors, n, "name", "reference.error.duplicate", name=row.name, first=seen[row.name])
        else:
            seen[row.name] = n
        if was is not None and row.original in in_use and row.name != was.name:
            _err(errors, n, "name", "reference.error.field_key_in_use", name=was.name)
        for lang in LANGUAGES:
            label = getattr(row, f"label_{lang}")
            if not label:
                _err(errors, n, f"label_{lang}", "reference.error.label_empty")
            elif len(label) > LABEL_MAX:
                _err(errors, n, f"label_{lang}", "reference.error.text_too_long", max=LABEL_MAX)
            elif _LABEL_REFUSED.search(label):
                _err(errors, n, f"label_{lang}", "reference.error.label_chars")
        if row.kind not in SETTINGS_FIELD_KINDS:
            _err(errors, n, "kind", "reference.error.field_kind")
        elif was is not None and row.original in in_use and row.kind != was.kind:
            _err(errors, n, "kind", "reference.error.field_kind_in_use", name=was.name)
        low, high = MAX_LEN_RANGE
        if not isinstance(row.max_len, int) or isinstance(row.max_len, bool) or not low <= row.max_len <= high:
            _err(errors, n, "max_len", "reference.error.max_len", min=low, max=high)
        if row.kind == "select":
            if not row.options:
                _err(errors, n, "options", "reference.error.options_required")
            elif len(set(row.options)) != len(row.options):
                _err(errors, n, "options", "reference.error.options_duplicate")
            elif isinstance(row.max_len, int) and any(len(o) > row.max_len for o in row.options):
                _err(errors, n, "options", "reference.error.text_too_long", max=row.max_len)
            gone = sorted(options_in_use.get(row.original or "", frozenset()) - set(row.options))
            if gone and was is not None and was.kind == "select":
                _err(errors, n, "options", "reference.error.in_use_delete", name="、".join(gone))
        elif row.options:
            _err(errors, n, "options", "reference.error.options_select_only")
    kept = {r.original for r in rows}
    for name in old:
        if name not in kept and name in in_use:
            errors[f"deleted.{name}"] = FieldError("reference.error.field_in_use_delete", {"name": name})
    if not any(r.required and not r.retired for r in rows):
        errors["offered."] = FieldError("reference.error.field_required_one")
    return errors


def _stored(section_key: str, row: FieldRow) -> dict[str, Any]:
    out: dict[str, Any] = {"name": row.name, "kind": row.kind, "max_len": row.max_len, "required": row.required,
                           "retired": row.retired}
    for lang in LANGUAGES:
        label = getattr(row, f"label_{lang}")
        if label != catalog(lang).get(_label_key(section_key, row.name)):
            out[f"label_{lang}"] = label
    return out


def save_fields(actor: Actor, industry: str, rows: list[FieldRow], expected_token: str | None,
                *, uow: UnitOfWork | None = None) -> bool:
    """Replaces the fields of one 業種's tab with the administrator's table, in one transaction, or
    saves nothing and raises ValidationFailed (keys "<row>.<column>", "deleted.<key>", "offered.").
    Returns False when the table equals what is stored."""
    require_role(actor, ADMIN)
    rows = [_clean(r) for r in rows]
    with (uow or UnitOfWork()) as u:
        data = _read(u.session)
        _require_token(data, expected_token)
        settings = data.industry_settings.get(industry)
        if settings is None:
            raise ValueError(industry)
        old = {f.name: f for f in settings.fields}
        in_use = fields_in_use(u.session, settings.section_key)
        options_in_use = {f.name: frozenset(_section_values(u.session, settings.section_key, None, f.name))
                          for f in settings.fields if f.kind == "select"}
        errors = _check(rows, old, in_use, options_in_use)
        if errors:
            raise ValidationFailed(errors)
        kind = ReferenceKind.INDUSTRY
        items = data.items[kind]
        fields = [_stored(settings.section_key, r) for r in rows]
        options = {r.name: list(r.options) for r in rows if r.kind == "select"}
        new = [replace(i, details={**i.details, "fields": fields, "options": options}) if i.name == industry else i
               for i in items]
        changed = _replace(u, actor, kind, items, new)
        u.commit()
        return changed
