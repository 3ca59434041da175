"""A small field-spec structure for the 詳細入力画面: one FieldSpec per input, and the rules that
normalise and check a value of that kind (services.fields does the Japanese-specific work).

A spec drives three things with one definition: server-side validation, the generic form widgets
of the wizard page, and the read-only rendering the reviewer and 入力確認画面 share.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from services import fields as f
from services.errors import FieldError
from services.system_settings.english import normalise_english

# Field kinds
TEXT, KANA, PHONE, POSTAL, EMAIL, CORP_NO = "text", "kana", "phone", "postal", "email", "corp_no"
SELECT, MULTI, INT, BOOL, CONFIRM, DATE, ROWS = "select", "multi", "int", "bool", "confirm", "date", "rows"
ENGLISH = "english"  # the 英 names of システム設定申込: half-width letters, digits, space and .,-&'()/
ENGLISH_CHARS = "field.english_chars"
CODE = "code"  # システム設定申込 codes: half-width letters and digits (fields.clean_code)


@dataclass(frozen=True)
class Context:
    """What other screens decided, which changes what this screen offers."""
    connection_type: str | None = None
    processing_methods: tuple[str, ...] = ()
    shared_use: bool = False
    industries: tuple[str, ...] = ()   # システム設定申込: the 業種 of its 利用者コード (which tabs apply)
    # 変更申込: the screens of the chosen parts (the only ones listed and saved); None: no such limit.
    chosen: frozenset[str] | None = None


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str
    required: bool = True
    max_len: int = 100
    # SELECT / MULTI: a fixed tuple, or a function of the context (processing methods per 接続形態).
    options: tuple[str, ...] | Callable[[Context], tuple[str, ...]] = ()
    # Translation prefix for option values that are codes ("NET" → t(prefix + ".NET")); None = show as is.
    option_labels: str | None = None
    min_value: int | None = None
    max_value: int | None = None
    # ROWS: the fields of one row, and how many rows are allowed.
    row_fields: tuple[FieldSpec, ...] = ()
    min_rows: int = 0
    max_rows: int = 50
    # The field must equal another field of the same screen (mail entered twice).
    same_as: str | None = None
    # Asked for only when this returns True for the screen's data and context (else ignored).
    when: Callable[[dict[str, Any], Context], bool] | None = None
    # Not shown in the read-only rendering (the repeated mail address).
    hidden_in_view: bool = False

    def option_values(self, ctx: Context) -> tuple[str, ...]:
        return self.options(ctx) if callable(self.options) else self.options

    def applies(self, data: dict[str, Any], ctx: Context) -> bool:
        return self.when is None or self.when(data, ctx)


def is_blank(value: Any) -> bool:
    if value is None or value is False:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict)):
        return len(value) == 0
    return False


def _clean_int(spec: FieldSpec, value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not f.nfkc(value).strip()):
        if spec.required:
            raise f.FieldInvalid("field.required")
        return None
    try:
        number = f.parse_int(value)
    except f.FieldInvalid as exc:
        if exc.error.code != f.TOO_MANY_DIGITS:
            raise
        negative = f.nfkc(value).strip().startswith("-")
        if negative and spec.min_value is not None:
            raise f.FieldInvalid("wizard.error.min_value", min=spec.min_value) from None
        if not negative and spec.max_value is not None:
            raise f.FieldInvalid("wizard.error.max_value", max=spec.max_value) from None
        raise
    if spec.min_value is not None and number < spec.min_value:
        raise f.FieldInvalid("wizard.error.min_value", min=spec.min_value)
    if spec.max_value is not None and number > spec.max_value:
        raise f.FieldInvalid("wizard.error.max_value", max=spec.max_value)
    return number


def _clean_date(spec: FieldSpec, value: Any) -> str:
    text = f.nfkc(value or "").strip()
    if not text:
        if spec.required:
            raise f.FieldInvalid("field.required")
        return ""
    try:
        return date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        raise f.FieldInvalid("wizard.error.date") from None


def _clean_english(spec: FieldSpec, value: Any) -> str:
    """Full-width input converted (the save's conversion note says so); what is still not allowed
    is named in the message; the length counts after conversion."""
    result = normalise_english(f.check_text(value, spec.max_len) if value else "")
    if not result.value:
        if spec.required:
            raise f.FieldInvalid("field.required")
        return ""
    if result.refused:
        raise f.FieldInvalid(ENGLISH_CHARS, chars="".join(f"「{ch}」" for ch in result.refused))
    if len(result.value) > spec.max_len:
        raise f.FieldInvalid(f.TOO_LONG, max=spec.max_len)
    return result.value


def _clean_choice(spec: FieldSpec, value: Any, ctx: Context) -> str:
    text = str(value or "").strip()
    if not text:
        if spec.required:
            raise f.FieldInvalid("field.required")
        return ""
    if text not in spec.option_values(ctx):
        raise f.FieldInvalid("wizard.error.choice")
    return text


def _clean_multi(spec: FieldSpec, value: Any, ctx: Context) -> list[str]:
    if value is not None and value != "" and not isinstance(value, (list, tuple)):
        raise f.FieldInvalid("wizard.error.choice")  # one value where a list belongs (not from a screen)
    chosen = [str(v) for v in (value or [])]
    if not chosen:
        if spec.required:
            raise f.FieldInvalid("wizard.error.choose_one")
        return []
    allowed = spec.option_values(ctx)
    if any(v not in allowed for v in chosen):
        raise f.FieldInvalid("wizard.error.choice")
    return [v for v in allowed if v in chosen]  # reference order, no duplicates


def clean_value(spec: FieldSpec, value: Any, ctx: Context) -> Any:
    """The normalised value, or FieldInvalid. ROWS are handled by validate_fields."""
    req = spec.required
    if spec.kind == TEXT:
        return f.clean_required_text(value, spec.max_len, required=req)
    if spec.kind == KANA:
        return f.clean_kana(value, spec.max_len, required=req)
    if spec.kind == ENGLISH:
        return _clean_english(spec, value)
    if spec.kind == PHONE:
        return f.clean_phone(value, required=req)
    if spec.kind == POSTAL:
        return f.clean_postal_code(value, required=req)
    if spec.kind == EMAIL:
        return f.clean_email(value, required=req)
    if spec.kind == CORP_NO:
        return f.clean_corporate_number(value, required=req)
    if spec.kind == SELECT:
        return _clean_choice(spec, value, ctx)
    if spec.kind == MULTI:
        return _clean_multi(spec, value, ctx)
    if spec.kind == INT:
        return _clean_int(spec, value)
    if spec.kind == BOOL:
        return bool(value)
    if spec.kind == CONFIRM:
        if value is not True:
            raise f.FieldInvalid("wizard.error.confirm_required")
        return True
    if spec.kind == DATE:
        return _clean_date(spec, value)
    if spec.kind == CODE:
        return f.clean_code(value, spec.max_len, required=req)
    raise ValueError(f"unknown field kind {spec.kind}")


@dataclass
class Checked:
    """The outcome of checking one screen: what to store, and what is wrong. `refused` are the
    errors of values that cannot even be kept as typed (fields.FieldRefused): a screen with any
    is not saved at all."""
    data: dict[str, Any]
    errors: dict[str, FieldError] = field(default_factory=dict)
    refused: dict[str, FieldError] = field(default_factory=dict)


MAX_CHOICES = 100  # MULTI: more values than any option list has


# Per kind: the maximum length of what may be typed (the hard cap's base) and the field's own
# message beyond the hard cap; TEXT and KANA use their max_len and "too long".
_TYPED_LIMITS: dict[str, tuple[int, str, dict[str, Any]]] = {
    PHONE: (f.PHONE_MAX, "field.phone", {}), POSTAL: (f.POSTAL_MAX, "field.postal_code", {}),
    EMAIL: (f.EMAIL_MAX, "field.email", {}),
    CORP_NO: (f.CORPORATE_NUMBER_MAX, "field.corporate_number_format", {}),
    INT: (f.MAX_DIGITS * 2, f.TOO_MANY_DIGITS, {"max_digits": f.MAX_DIGITS}),
    DATE: (10, "wizard.error.date", {}), SELECT: (50, "wizard.error.choice", {}),
    MULTI: (50, "wizard.error.choice", {}),
}


def _check_typed(spec: FieldSpec, text: str) -> None:
    if spec.kind not in _TYPED_LIMITS:
        f.check_text(text, spec.max_len)
        return
    limit, code, params = _TYPED_LIMITS[spec.kind]
    f.check_text(text, limit, code=code, **params)


def refusal(spec: FieldSpec, value: Any) -> FieldError | None:
    """Why `value` cannot be kept as typed in this field (the hard caps of issue 8), or None.

    Texts: beyond fields.hard_cap of the field's maximum, or with NUL/control/format characters;
    numbers: finite and below 10**30; choices: at most MAX_CHOICES short texts; ROWS: at most max_rows rows, each
    a mapping whose fields pass this check. A value of no type a screen sends is refused too."""
    if spec.kind == ROWS and value is not None and not isinstance(value, (list, tuple)):
        return FieldError(f.INVALID_VALUE)  # rows are a list (True or 1 here once raised TypeError)
    if value is None or isinstance(value, (bool, date)):
        return None
    if isinstance(value, int):  # kept as typed it must still be writable (str() stops at 4300 digits)
        return None if abs(value) < 10 ** (2 * f.MAX_DIGITS) else FieldError(f.TOO_MANY_DIGITS,
                                                                             {"max_digits": f.MAX_DIGITS})
    if isinstance(value, float):
        return None if math.isfinite(value) else FieldError(f.INVALID_VALUE)
    if isinstance(value, str):
        try:
            _check_typed(spec, value)
        except f.FieldRefused as exc:
            return exc.error
        return None
    if spec.kind == MULTI and isinstance(value, (list, tuple)):
        if len(value) > MAX_CHOICES or not all(isinstance(v, str) for v in value):
            return FieldError("wizard.error.choice")
        return next((err for v in value if (err := refusal(replace(spec, kind=SELECT), v))), None)
    if spec.kind == ROWS and isinstance(value, (list, tuple)):
        if len(value) > spec.max_rows:
            return FieldError("wizard.error.max_rows", {"max": spec.max_rows})
        for row in value:
            if not isinstance(row, dict):
                return FieldError(f.INVALID_VALUE)
            for row_spec in spec.row_fields:
                if (err := refusal(row_spec, row.get(row_spec.name))) is not None:
                    return err
        return None
    return FieldError(f.INVALID_VALUE)


def validate_fields(specs: tuple[FieldSpec, ...], raw: dict[str, Any], ctx: Context,
                    prefix: str = "") -> Checked:
    """Normalise every field; a wrong value is kept as typed (nothing lost) and reported.

    Error keys are dotted paths: "office_phone", "user_codes.0.industries".
    """
    out = Checked(data={})
    for spec in specs:
        value = raw.get(spec.name)
        key = prefix + spec.name
        refused = refusal(spec, value)
        if refused is not None and spec.kind == ROWS and spec.applies(raw, ctx) and _rows_shaped(spec, value):
            refused = None  # a refused value inside a row: reported on the row's field below
        if refused is not None:
            out.data[spec.name] = None
            out.errors[key] = out.refused[key] = refused
            continue
        if not spec.applies(raw, ctx):
            if value is not None:
                out.data[spec.name] = value  # kept, e.g. if the 接続形態 is switched back later
            continue
        if spec.kind == ROWS:
            out.data[spec.name] = _validate_rows(spec, value, ctx, key, out)
            continue
        try:
            out.data[spec.name] = clean_value(spec, value, ctx)
        except f.FieldRefused as exc:
            out.data[spec.name] = None
            out.errors[key] = out.refused[key] = exc.error
        except f.FieldInvalid as exc:
            out.data[spec.name] = value
            out.errors[key] = exc.error
    for spec in specs:
        if (spec.same_as and spec.applies(raw, ctx) and prefix + spec.name not in out.errors
                and str(out.data.get(spec.name) or "").lower() != str(out.data.get(spec.same_as) or "").lower()):
            out.errors[prefix + spec.name] = FieldError("field.email_mismatch")
    return out


def _rows_shaped(spec: FieldSpec, value: Any) -> bool:
    return (isinstance(value, (list, tuple)) and len(value) <= spec.max_rows
            and all(isinstance(row, dict) for row in value))


def _validate_rows(spec: FieldSpec, value: Any, ctx: Context, key: str, out: Checked) -> list[dict]:
    rows = [r for r in (value or []) if isinstance(r, dict)]
    if len(rows) < spec.min_rows:
        out.errors[key] = FieldError("wizard.error.min_rows", {"min": spec.min_rows})
    elif len(rows) > spec.max_rows:
        out.errors[key] = FieldError("wizard.error.max_rows", {"max": spec.max_rows})
    cleaned = []
    for i, row in enumerate(rows):
        checked = validate_fields(spec.row_fields, row, ctx, prefix=f"{key}.{i}.")
        cleaned.append(checked.data)
        out.errors.update(checked.errors)
        out.refused.update(checked.refused)
    return cleaned
