"""What an applicant typed, put inside a mail we send: data, never a link or a line of our own.

Mail programs turn `http://…`, `www.…`, `mailto:` and bare domains (`phish.example`) into links,
and a line break in a name would start a line that looks like ours. `neutral()` keeps the text
readable but inert: `http://x.example/p` becomes `http[:]//x[.]example/p` (the usual way to quote
an address without making it a link), control and format characters become spaces. Templates put
such values after the fixed wording, each behind its label (templates/mail/).
"""
from __future__ import annotations

import re
import unicodedata

_SCHEME_SEPARATOR = re.compile(r":(?=\s*[/\\]{2})")                       # http://  ftp:\\  x : //
_BARE_SCHEME = re.compile(r"(?i)\b(javascript|vbscript|data|mailto|tel|sms|file|callto|news)\s*:")
_HOST_DOT = re.compile(r"(?<=[A-Za-z0-9\-_])\s*\.\s*(?=[A-Za-z0-9\-]*[A-Za-z])")  # phish.example, www.x
_AT = re.compile(r"(?<=[A-Za-z0-9._%+\-])@(?=[A-Za-z0-9\-])")                   # someone@host


def _visible(ch: str) -> str:
    return " " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch


def neutral(value: object) -> str:
    """`value` as inert text for a mail body: one line, no link a mail program would make."""
    text = unicodedata.normalize("NFKC", "" if value is None else str(value))  # ｈｔｔｐ：／／ is http:// too
    text = "".join(_visible(ch) for ch in text)
    text = _SCHEME_SEPARATOR.sub("[:]", text)
    text = _BARE_SCHEME.sub(lambda m: f"{m.group(1)}[:]", text)
    text = _HOST_DOT.sub("[.]", text)
    text = _AT.sub("[at]", text)
    return re.sub(r" {2,}", " ", text).strip()
