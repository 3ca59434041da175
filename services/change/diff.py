"""現在 → 変更後 of a 変更申込: per changed item of the chosen parts' screens, and nothing else.

Compared field by field with the new usage application's field specs. A value that does not apply
(a 請求先 field once 「事業所と同じ」 is ticked) counts as blank; blanks of any type are equal. Rows
of 利用者コード are matched by their issued code (a row without one is added; a code missing or
marked 「削除する」 is removed); other rows (論理端末, メールボックス) by position.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from services.application.fieldspec import ROWS, Context, FieldSpec, is_blank
from services.application.sections import INPUT_SECTIONS, USER_CODE

IDENTITY_FIELDS = ("user_code", "retire")  # which issued code a row is, not a contracted value

Sections = Mapping[str, Mapping[str, Any] | None]


class ChangeKind(StrEnum):
    CHANGED = "changed"    # one field: before → after
    ADDED = "added"        # a whole row added (after: the row)
    REMOVED = "removed"    # a whole row removed (before: the row)


@dataclass(frozen=True)
class Change:
    section_key: str
    field: str                  # the field, or for ADDED / REMOVED the ROWS field
    kind: ChangeKind = ChangeKind.CHANGED
    row_of: str | None = None   # the ROWS field of a row's field
    row: str | None = None      # which row: its 利用者コード, else "#n" (1-based)
    before: Any = None
    after: Any = None


def _value(spec: FieldSpec, data: Mapping[str, Any], ctx: Context) -> Any:
    value = data.get(spec.name)
    return None if is_blank(value) or not spec.applies(dict(data), ctx) else value


def _fields(key: str, specs: tuple[FieldSpec, ...], before: Mapping[str, Any], after: Mapping[str, Any],
            ctx_before: Context, ctx_after: Context, row_of: str | None = None,
            row: str | None = None) -> list[Change]:
    out: list[Change] = []
    for spec in specs:
        if spec.hidden_in_view or spec.name in IDENTITY_FIELDS:
            continue
        if spec.kind == ROWS:
            out += _rows(key, spec, before.get(spec.name) or [], after.get(spec.name) or [], ctx_before, ctx_after)
            continue
        old, new = _value(spec, before, ctx_before), _value(spec, after, ctx_after)
        if old != new:
            out.append(Change(key, spec.name, row_of=row_of, row=row, before=old, after=new))
    return out


def _rows(key: str, spec: FieldSpec, before: list, after: list, ctx_before: Context,
          ctx_after: Context) -> list[Change]:
    before = [r for r in before if isinstance(r, dict)]
    after = [r for r in after if isinstance(r, dict)]
    out: list[Change] = []
    if key == USER_CODE:  # matched by issued code
        kept = {r["user_code"]: r for r in after if r.get("user_code") and not r.get("retire")}
        for old in before:
            code = old.get("user_code")
            if code in kept:
                out += _fields(key, spec.row_fields, old, kept[code], ctx_before, ctx_after, spec.name, str(code))
            else:
                out.append(Change(key, spec.name, ChangeKind.REMOVED, row=str(code or ""), before=old))
        added = [r for r in after if not r.get("user_code")]
        out += [Change(key, spec.name, ChangeKind.ADDED, row=f"#{i}", after=r) for i, r in enumerate(added, 1)]
        return out
    for i in range(max(len(before), len(after))):
        label = f"#{i + 1}"
        if i >= len(before):
            out.append(Change(key, spec.name, ChangeKind.ADDED, row=label, after=after[i]))
        elif i >= len(after):
            out.append(Change(key, spec.name, ChangeKind.REMOVED, row=label, before=before[i]))
        else:
            out += _fields(key, spec.row_fields, before[i], after[i], ctx_before, ctx_after, spec.name, label)
    return out


def diff(current: Sections, proposed: Sections, chosen: frozenset[str], ctx_before: Context,
         ctx_after: Context) -> list[Change]:
    """Every change of the chosen screens, in screen and field order."""
    out: list[Change] = []
    for section in INPUT_SECTIONS:
        if section.key in chosen:
            out += _fields(section.key, section.fields, current.get(section.key) or {},
                           proposed.get(section.key) or {}, ctx_before, ctx_after)
    return out
