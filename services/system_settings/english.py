"""English names of the システム設定申込 (SPEC §2.4): what an English field may hold, and a
romanised suggestion from the Japanese.

NOTE for the merge: h-english owns this module (the full version). This is the minimal version of
the same API (normalise_english, suggest_english, EnglishResult) that the システム設定申込 needs
to work on its own branch; take h-english's file at merge.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import jaconv

ALLOWED_PUNCTUATION = " .,-&'()/"
_ALLOWED = re.compile(r"[A-Za-z0-9 .,\-&'()/]")


@dataclass(frozen=True)
class EnglishResult:
    value: str                  # half-width, spaces folded
    changed: bool               # full-width input was converted
    refused: tuple[str, ...]    # characters an English field cannot hold, in typed order, once each


def normalise_english(text: str) -> EnglishResult:
    """Full-width letters, digits, symbols and spaces become half-width; anything else is named."""
    half = jaconv.z2h(text, kana=False, ascii=True, digit=True).replace("\u3000", " ")
    half = half.replace("\u2019", "'").replace("\u2010", "-").replace("\u2212", "-")
    value = " ".join(half.split())
    refused = tuple(dict.fromkeys(ch for ch in value if not _ALLOWED.fullmatch(ch)))
    return EnglishResult(value, value != " ".join(text.split()), refused)


@cache
def _kakasi():
    import pykakasi  # imported on first use: its dictionary takes a moment to load
    return pykakasi.kakasi()


_COMPANY_WORDS = (("株式会社", " Co., Ltd. "), ("有限会社", " Ltd. "), ("合同会社", " LLC "))


def suggest_english(japanese: str) -> str:
    """A Hepburn romanisation of the Japanese to check and correct (a suggestion, never a rule)."""
    text = unicodedata.normalize("NFKC", japanese or "").strip()
    if not text:
        return ""
    suffix = ""
    for word, english in _COMPANY_WORDS:
        if text.endswith(word):
            text, suffix = text[: -len(word)], english.strip()
        elif text.startswith(word):
            text, suffix = text[len(word):], english.strip()
    parts = [item["hepburn"] for item in _kakasi().convert(text)]
    words = " ".join(p.strip().capitalize() for p in parts if p.strip())
    value = " ".join(f"{words} {suffix}".split())
    result = normalise_english(value)
    return "".join(ch for ch in result.value if ch not in result.refused).strip()
