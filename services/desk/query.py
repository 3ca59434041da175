"""What the desk typed into the one search box: which field it means, normalised for the SQL.

Detection order matters: 13 digits is a 法人番号 before it could be a phone number, `T` + digits is a
仮ログイン ID, `NSS-` + year is the 受付番号 of the 受付完了 mail, `@` is mail, digits with hyphens/brackets is a phone, kana is a 氏名カナ prefix, and
anything else is a name / company / code.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import jaconv

from db.reference import CODE_FORMATS
from db.search_text import search_key
from services.errors import DomainError
from services.fields import has_refused_characters, nfkc, phone_digits, to_half_width_ascii

MAX_QUERY_LENGTH = 100

AUTO = "auto"
NAME, KANA, PHONE, EMAIL, COMPANY = "name", "kana", "phone", "email", "company"
CORPORATE_NUMBER, TEMP_LOGIN_ID, OFFICE_CODE = "corporate_number", "temp_login_id", "office_code"
REF_NO = "ref_no"  # 受付番号 of an application, quoted from the 受付完了 mail
TEXT = "text"  # auto-detected free text: name or company (partial) or an exact code
FIELDS = (AUTO, NAME, KANA, PHONE, EMAIL, COMPANY, CORPORATE_NUMBER, TEMP_LOGIN_ID, OFFICE_CODE, REF_NO)

_TEMP_ID = re.compile(re.escape(CODE_FORMATS["temp_login_prefix"]) + r"\d+", re.IGNORECASE)
_REF_NO = re.compile(r"NSS-\d{4}-\d+", re.IGNORECASE)
_PHONE_LIKE = re.compile(r"[\d\-‐ー－()（）+\s]+")
_KANA_LIKE = re.compile(r"[\u3041-\u3096\u30A1-\u30FA\u30FC\uFF66-\uFF9F・\s]+")
_CODE_LIKE = re.compile(r"[A-Za-z0-9]+")


@dataclass(frozen=True)
class SearchQuery:
    kind: str   # one of FIELDS without AUTO, or TEXT
    value: str  # normalised for comparison with the stored column


def _kana(text: str) -> str:
    """Hiragana and half-width kana to full-width katakana, spaces as stored by fields.clean_kana."""
    text = jaconv.h2z(text, kana=True, ascii=False, digit=False)
    return re.sub(r"\s+", "\u3000", jaconv.hira2kata(text))


def _normalise(kind: str, text: str) -> str:
    half = to_half_width_ascii(text).strip()
    if kind == PHONE:
        value = phone_digits(half)
    elif kind == KANA:
        value = _kana(text) if _KANA_LIKE.fullmatch(text) else ""
    elif kind == EMAIL:
        value = half.lower()
    elif kind == CORPORATE_NUMBER:
        value = re.sub(r"[^0-9]", "", nfkc(half))
    elif kind in (TEMP_LOGIN_ID, OFFICE_CODE, REF_NO):
        value = half.upper().replace(" ", "")
    else:  # name / company / free text: compared with the stored names' search_key (NFKC + casefold)
        value = search_key(text).strip()
    if not value:
        raise DomainError("desk.search.invalid_for_field", field=kind)
    return value


def _detect(text: str) -> str:
    half = to_half_width_ascii(text).strip()
    digits_only = re.sub(r"[\s\-]", "", nfkc(half))
    if re.fullmatch(r"[0-9]{13}", digits_only):
        return CORPORATE_NUMBER
    if _TEMP_ID.fullmatch(half):
        return TEMP_LOGIN_ID
    if _REF_NO.fullmatch(half):
        return REF_NO
    if "@" in half:
        return EMAIL
    if _PHONE_LIKE.fullmatch(half) and len(phone_digits(half)) >= 2:
        return PHONE
    if _KANA_LIKE.fullmatch(text):
        return KANA
    return TEXT


def parse(raw: str | None, field: str = AUTO) -> SearchQuery:
    text = (raw or "").strip().strip("\u3000")
    if not text:
        raise DomainError("desk.search.empty")
    if len(text) > MAX_QUERY_LENGTH:
        raise DomainError("desk.search.too_long", max=MAX_QUERY_LENGTH)
    if has_refused_characters(text):  # NUL would fail in PostgreSQL; control/format ones match nothing
        raise DomainError("desk.search.invalid_chars")
    if field not in FIELDS:
        raise DomainError("desk.search.invalid_for_field", field=field)
    kind = _detect(text) if field == AUTO else field
    return SearchQuery(kind, _normalise(kind, text))


def as_code(value: str) -> str | None:
    """The text as a 事業所コード / 仮ログイン ID would be stored (upper-case, half-width), if it can be one."""
    code = to_half_width_ascii(value).strip().upper()
    return code if _CODE_LIKE.fullmatch(code) else None
