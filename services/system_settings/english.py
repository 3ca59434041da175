"""English names of the システム設定申込 「名称」 tab (企業名, 営業所名, 責任者名, 営業所所在地 英).

NACCS takes these in half-width letters, digits, space and `.,-&'()/` only. What people type with
a Japanese input method is often full-width (「ＹＡＭＡＤＡ　Ｃｏ．」): that is converted, never
refused, and `changed` tells the screen to say so. Anything still not allowed after conversion
(kana, kanji, '@', '#', emoji) is named in `refused` for the message; nothing is dropped silently.

`suggest_english` pre-fills an English field from its Japanese twin (beyond NSS); its output
always passes `normalise_english` unchanged. The romanisation itself is in `romanise.py`.
"""
from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from services.fields import fold_spacing
from services.system_settings import romanise

ALLOWED_PUNCTUATION = ".,-&'()/"
# What the field accepts, for help texts (the same in every language).
ALLOWED = "A-Z a-z 0-9, space and . , - & ' ( ) /"
_ALLOWED_CHARS = frozenset(string.ascii_letters + string.digits + " " + ALLOWED_PUNCTUATION)

# Beyond NFKC's full-width → half-width: marks a Japanese keyboard or a word processor puts where
# an English name means the ASCII one (dashes, curly apostrophes, the Japanese comma and stop).
_MARKS = str.maketrans({
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\ufe63": "-", "\u2018": "'", "\u2019": "'", "\u2032": "'",
    "\u3001": ",", "\uff64": ",", "\u3002": ".", "\uff61": ".",
})
# 「1ー2ー3」: the katakana long mark typed for a hyphen between letters or digits.
_LONG_MARK_AS_HYPHEN = re.compile(r"(?<=[0-9A-Za-z])\u30fc(?=[0-9A-Za-z])")
_SPACES = re.compile(" {2,}")


@dataclass(frozen=True)
class EnglishResult:
    value: str                    # converted: half-width, spaces collapsed and trimmed
    changed: bool                 # the value reads differently from what was typed
    refused: tuple[str, ...] = ()  # distinct characters not allowed, in order of appearance

    @property
    def accepted(self) -> bool:
        return not self.refused


def is_allowed(ch: str) -> bool:
    return ch in _ALLOWED_CHARS


def normalise_english(text: str) -> EnglishResult:
    """Full-width letters, digits, symbols and the ideographic space become half-width (NFKC),
    runs of spaces one space, the ends trimmed; the characters still not allowed are refused.
    A change of spacing alone is no change (as in save.visible_conversions)."""
    value = unicodedata.normalize("NFKC", text).translate(_MARKS)
    value = _LONG_MARK_AS_HYPHEN.sub("-", value)
    value = "".join(" " if unicodedata.category(ch) == "Zs" else ch for ch in value)
    value = _SPACES.sub(" ", value).strip(" ")
    refused = tuple(dict.fromkeys(ch for ch in value if ch not in _ALLOWED_CHARS))
    return EnglishResult(value, fold_spacing(value) != fold_spacing(text), refused)


# Suggestions known in advance, given without the romaniser: the demo world's names
# (services.demo.system_settings), so that a cold start's demo seed does not load pykakasi's
# dictionaries (~1.5 s and ~100 MB, issue 9 items 3 and 6). A test checks each against romanise.
_KNOWN: dict[str, str] = {}


def remember_suggestions(pairs: Mapping[str, str]) -> None:
    """Adds suggestions known in advance (each exactly what the romaniser gives for its name)."""
    _KNOWN.update(pairs)


@lru_cache(maxsize=2048)
def suggest_english(japanese: str) -> str:
    """A romanised English name for a Japanese one (Hepburn, words capitalised, corporate forms and
    address parts in their usual English form; see romanise.py). Only allowed characters remain:
    whatever could not be romanised is dropped. A suggestion for the applicant to check."""
    known = _KNOWN.get(japanese)
    if known is not None:
        return known
    return romanised(japanese)


def romanised(japanese: str) -> str:
    """suggest_english through the romaniser, never from the names known in advance."""
    text = romanise.romanise(japanese)
    kept = "".join(ch if ch in _ALLOWED_CHARS else " " for ch in normalise_english(text).value)
    return normalise_english(kept).value


def warm_up() -> None:
    """Loads pykakasi's dictionaries now (about a second) rather than on the first suggestion."""
    romanise.warm_up()
