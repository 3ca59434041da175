"""Field rules shared by every screen (SPEC §5): normalise what people type, then validate.

Each `clean_*` returns the normalised value or raises FieldInvalid with a message code.
Full-width digits in a phone number and hiragana in a kana field are converted, not refused.

This module is also the one normaliser at the service boundary for anything typed (issue 8):
every text (field, login ID, search query, file name, note, comment) is refused when it holds
NUL, control or Unicode format characters (Cc/Cf, the RTL override U+202E included) or lone
surrogates, and beyond a hard cap of a few times its maximum length (`hard_cap`) it is refused
outright, never kept as typed. Digits are NFKC-normalised and then must be ASCII [0-9] (never
`str.isdigit()`, which is true for '¹' and '①'); numbers have at most MAX_DIGITS digits.
"""
from __future__ import annotations

import re
import unicodedata

import jaconv

from services.errors import FieldError


class FieldInvalid(ValueError):
    def __init__(self, code: str, **params) -> None:
        super().__init__(code)
        self.error = FieldError(code, params)


class FieldRefused(FieldInvalid):
    """A value that cannot even be kept as typed: beyond the hard cap, or with characters no
    database should store. A screen holding one is not saved at all."""


INVALID_CHARS = "field.invalid_chars"
INVALID_VALUE = "field.invalid_value"
TOO_LONG = "field.too_long"
TOO_MANY_DIGITS = "field.too_many_digits"
HARD_CAP_FACTOR = 4
HARD_CAP_FLOOR = 200
MAX_DIGITS = 15  # more digits than any count or amount of yen this portal deals with
_ASCII_DIGITS = re.compile(r"[0-9]+")
_ASCII_INT = re.compile(r"-?[0-9]+")
_MULTILINE_ALLOWED = frozenset("\n\r\t")
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def hard_cap(max_len: int) -> int:
    """Beyond this many characters a value is refused, not kept as typed for correction."""
    return max(HARD_CAP_FACTOR * max_len, HARD_CAP_FLOOR)


def has_refused_characters(text: str, *, multiline: bool = False) -> bool:
    """NUL, control, format (U+202E, U+200B, U+FEFF ...), lone surrogates, line separators.
    Multi-line inputs (notes, comments) may hold newlines and tabs."""
    for ch in text:
        if ch < " " or ch >= "\x7f":
            if multiline and ch in _MULTILINE_ALLOWED:
                continue
            if unicodedata.category(ch) in _REFUSED_CATEGORIES:
                return True
    return False


def check_text(value: object, max_len: int, *, multiline: bool = False, code: str | None = None,
               **params) -> str:
    """The boundary check every typed text passes first: the text, or FieldRefused. Beyond the
    hard cap the message is the field's own `code` (e.g. the 法人番号 format) or "too long"."""
    text = _text(value)
    if len(text) > hard_cap(max_len):
        raise FieldRefused(code, **params) if code else FieldRefused(TOO_LONG, max=max_len)
    if has_refused_characters(text, multiline=multiline):
        raise FieldRefused(INVALID_CHARS)
    return text


def safe_text_or_empty(value: object, max_len: int) -> str:
    """For lookups that must answer "not found" rather than fail (login ID): the text, or ""
    when check_text would refuse it. "" matches nothing and reaches no database as NUL."""
    try:
        return check_text(value, max_len)
    except FieldRefused:
        return ""


def nfkc(value: object) -> str:
    """NFKC: full-width, superscript and circled digits become ASCII digits (①→1, ¹→1, ５→5)."""
    return unicodedata.normalize("NFKC", _text(value))


def is_ascii_digits(text: str) -> bool:
    return _ASCII_DIGITS.fullmatch(text) is not None


def parse_int(value: object, *, max_digits: int = MAX_DIGITS) -> int:
    """An integer as typed (full-width, with thousands commas, NFKC-folded), or FieldInvalid:
    "wizard.error.integer" for anything that is not one, "field.too_many_digits" beyond
    `max_digits` digits (never an int too large for a float, OverflowError)."""
    if isinstance(value, bool):
        raise FieldInvalid("wizard.error.integer")
    if isinstance(value, int):
        text = str(value) if abs(value) < 10 ** (max_digits + 1) else "9" * (max_digits + 1)
    else:
        text = check_text(value, max_digits * 2, code=TOO_MANY_DIGITS, max_digits=max_digits)
        text = nfkc(text).strip().replace(",", "").replace(" ", "")
    if not _ASCII_INT.fullmatch(text):
        raise FieldInvalid("wizard.error.integer")
    if len(text.lstrip("-")) > max_digits:
        raise FieldInvalid(TOO_MANY_DIGITS, max_digits=max_digits)
    return int(text)


def int_or_none(value: object, *, max_digits: int = MAX_DIGITS) -> int | None:
    """parse_int, or None for anything that is not a sane integer (estimates of unchecked input)."""
    try:
        return parse_int(value, max_digits=max_digits)
    except FieldInvalid:
        return None


def _text(value: object) -> str:
    if isinstance(value, int) and abs(value) >= 10 ** (2 * MAX_DIGITS):
        raise FieldRefused(TOO_MANY_DIGITS, max_digits=MAX_DIGITS)  # str() gives up at 4300 digits
    return "" if value is None else str(value)


def fold_spacing(text: str) -> str:
    """The text as read: any run of spaces (half- or full-width, or none at the ends) as one space.
    Two texts that differ only here show no conversion worth a note."""
    return " ".join(text.split())


def to_half_width_ascii(value: str) -> str:
    """Full-width letters, digits, symbols and spaces to half-width; kana untouched."""
    return jaconv.z2h(value, kana=False, ascii=True, digit=True).replace("\u3000", " ")


def clean_required_text(value: object, max_len: int, *, required: bool = True,
                        multiline: bool = False) -> str:
    text = check_text(value, max_len, multiline=multiline).strip().replace("\u3000", " ") if value else ""
    text = unicodedata.normalize("NFC", text)
    if not text:
        if required:
            raise FieldInvalid("field.required")
        return ""
    if len(text) > max_len:
        raise FieldInvalid(TOO_LONG, max=max_len)
    return text


_CODE = re.compile(r"^[A-Z0-9]+$")


def clean_code(value: object, max_len: int, *, required: bool = True) -> str:
    """A code of half-width letters and digits (SPEC §2.4): full-width converted, upper-cased."""
    text = clean_required_text(value, max_len * 2, required=required)
    if not text:
        return text
    text = unicodedata.normalize("NFKC", text).upper().replace(" ", "")
    if not _CODE.match(text):
        raise FieldInvalid("field.code")
    if len(text) > max_len:
        raise FieldInvalid(TOO_LONG, max=max_len)
    return text


_KATAKANA = re.compile(r"^[\u30A0-\u30FF\u30FC\s・ー－‐]+$")


def clean_kana(value: object, max_len: int = 100, *, required: bool = True) -> str:
    """Katakana, full-width; hiragana and half-width katakana are converted."""
    text = clean_required_text(value, max_len, required=required)
    if not text:
        return text
    text = jaconv.h2z(text, kana=True, ascii=False, digit=False)
    text = jaconv.hira2kata(text).replace(" ", "\u3000")
    if not _KATAKANA.match(text):
        raise FieldInvalid("field.kana")
    return text


PHONE_MAX = 30
POSTAL_MAX = 10
CORPORATE_NUMBER_MAX = 20
EMAIL_MAX = 254


def clean_phone(value: object, *, required: bool = True) -> str:
    """Half-width digits with hyphens, 10 or 11 digits (Japanese numbers)."""
    text = to_half_width_ascii(nfkc(check_text(value, PHONE_MAX, code="field.phone"))).strip()
    text = re.sub(r"[\s()（）]", "", text).replace("ー", "-").replace("－", "-").replace("‐", "-")
    if not text:
        if required:
            raise FieldInvalid("field.required")
        return ""
    digits = re.sub(r"-", "", text)
    if not is_ascii_digits(digits) or not (10 <= len(digits) <= 11) or not digits.startswith("0"):
        raise FieldInvalid("field.phone")
    return text


def phone_digits(value: str) -> str:
    return re.sub(r"[^0-9]", "", nfkc(value or ""))


def clean_postal_code(value: object, *, required: bool = True) -> str:
    text = to_half_width_ascii(nfkc(check_text(value, POSTAL_MAX, code="field.postal_code"))).strip().replace("〒", "").replace("ー", "-").replace("－", "-")
    if not text:
        if required:
            raise FieldInvalid("field.required")
        return ""
    digits = text.replace("-", "")
    if not (is_ascii_digits(digits) and len(digits) == 7):
        raise FieldInvalid("field.postal_code")
    return f"{digits[:3]}-{digits[3:]}"


_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")


def clean_email(value: object, *, required: bool = True) -> str:
    text = to_half_width_ascii(check_text(value, EMAIL_MAX, code="field.email")).strip()
    if not text:
        if required:
            raise FieldInvalid("field.required")
        return ""
    if len(text) > EMAIL_MAX or not _EMAIL.match(text) or ".." in text:
        raise FieldInvalid("field.email")
    return text


def corporate_number_check_digit(base12: str) -> int:
    """法人番号 check digit (国税庁): 9 - (Σ Pn×Qn mod 9), Qn = 1 for odd n, 2 for even n from the right."""
    total = sum(int(d) * (1 if i % 2 == 1 else 2) for i, d in enumerate(reversed(base12), start=1))
    return 9 - total % 9


def clean_corporate_number(value: object, *, required: bool = True) -> str:
    text = nfkc(check_text(value, CORPORATE_NUMBER_MAX, code="field.corporate_number_format")).strip().replace("-", "").replace(" ", "")
    if not text:
        if required:
            raise FieldInvalid("field.required")
        return ""
    if not (is_ascii_digits(text) and len(text) == 13):
        raise FieldInvalid("field.corporate_number_format")
    if int(text[0]) != corporate_number_check_digit(text[1:]):
        raise FieldInvalid("field.corporate_number_check")
    return text


def clean_half_width_code(value: object, length: int, *, required: bool = True) -> str:
    text = to_half_width_ascii(check_text(value, length, code="field.code_format", length=length)).strip().upper()
    if not text:
        if required:
            raise FieldInvalid("field.required")
        return ""
    if len(text) != length or not text.isalnum() or not text.isascii():
        raise FieldInvalid("field.code_format", length=length)
    return text


LOGIN_ID_MAX = 64


def login_id_text(value: object) -> str:
    """A typed login ID as lookups may use it: "" (matches no user) when it is over-long or holds
    NUL/control/format characters, which would otherwise fail inside the database driver."""
    return safe_text_or_empty(value, LOGIN_ID_MAX)

