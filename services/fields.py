"""Field rules shared by every screen (SPEC §5): normalise what people type, then validate.

Each `clean_*` returns the normalised value or raises FieldInvalid with a message code.
Full-width digits in a phone number and hiragana in a kana field are converted, not refused.
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


def _text(value: object) -> str:
    return "" if value is None else str(value)


def to_half_width_ascii(value: str) -> str:
    """Full-width letters, digits, symbols and spaces to half-width; kana untouched."""
    return jaconv.z2h(value, kana=False, ascii=True, digit=True).replace("\u3000", " ")


def clean_required_text(value: object, max_len: int, *, required: bool = True) -> str:
    text = _text(value).strip().replace("\u3000", " ") if value else ""
    text = unicodedata.normalize("NFC", text)
    if not text:
        if required:
            raise FieldInvalid("field.required")
        return ""
    if len(text) > max_len:
        raise FieldInvalid("field.too_long", max=max_len)
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


def clean_phone(value: object, *, required: bool = True) -> str:
    """Half-width digits with hyphens, 10 or 11 digits (Japanese numbers)."""
    text = to_half_width_ascii(_text(value)).strip()
    text = re.sub(r"[\s()（）]", "", text).replace("ー", "-").replace("－", "-").replace("‐", "-")
    if not text:
        if required:
            raise FieldInvalid("field.required")
        return ""
    digits = re.sub(r"-", "", text)
    if not digits.isdigit() or not (10 <= len(digits) <= 11) or not digits.startswith("0"):
        raise FieldInvalid("field.phone")
    return text


def phone_digits(value: str) -> str:
    return re.sub(r"\D", "", to_half_width_ascii(value or ""))


def clean_postal_code(value: object, *, required: bool = True) -> str:
    text = to_half_width_ascii(_text(value)).strip().replace("〒", "").replace("ー", "-").replace("－", "-")
    if not text:
        if required:
            raise FieldInvalid("field.required")
        return ""
    digits = text.replace("-", "")
    if not (digits.isdigit() and len(digits) == 7):
        raise FieldInvalid("field.postal_code")
    return f"{digits[:3]}-{digits[3:]}"


_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")


def clean_email(value: object, *, required: bool = True) -> str:
    text = to_half_width_ascii(_text(value)).strip()
    if not text:
        if required:
            raise FieldInvalid("field.required")
        return ""
    if len(text) > 254 or not _EMAIL.match(text) or ".." in text:
        raise FieldInvalid("field.email")
    return text


def corporate_number_check_digit(base12: str) -> int:
    """法人番号 check digit (国税庁): 9 - (Σ Pn×Qn mod 9), Qn = 1 for odd n, 2 for even n from the right."""
    total = sum(int(d) * (1 if i % 2 == 1 else 2) for i, d in enumerate(reversed(base12), start=1))
    return 9 - total % 9


def clean_corporate_number(value: object, *, required: bool = True) -> str:
    text = to_half_width_ascii(_text(value)).strip().replace("-", "").replace(" ", "")
    if not text:
        if required:
            raise FieldInvalid("field.required")
        return ""
    if not (text.isdigit() and len(text) == 13):
        raise FieldInvalid("field.corporate_number_format")
    if int(text[0]) != corporate_number_check_digit(text[1:]):
        raise FieldInvalid("field.corporate_number_check")
    return text


def clean_half_width_code(value: object, length: int, *, required: bool = True) -> str:
    text = to_half_width_ascii(_text(value)).strip().upper()
    if not text:
        if required:
            raise FieldInvalid("field.required")
        return ""
    if len(text) != length or not text.isalnum() or not text.isascii():
        raise FieldInvalid("field.code_format", length=length)
    return text
