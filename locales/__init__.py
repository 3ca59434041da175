"""Screen texts: locales/<lang>/*.toml, merged into flat dotted keys ("login.title").

Each area of the app owns its own file, so parallel work does not collide.
"""
from __future__ import annotations

import tomllib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

LOCALES_DIR = Path(__file__).resolve().parent
LANGUAGES = ("ja", "en")
DEFAULT_LANGUAGE = "ja"


def _flatten(prefix: str, node: dict[str, Any], out: dict[str, str]) -> None:
    for key, value in node.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            _flatten(full, value, out)
        else:
            out[full] = str(value)


@cache
def catalog(lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / lang).glob("*.toml")):
        with path.open("rb") as f:
            _flatten("", tomllib.load(f), out)
    return out


# Labels an administrator keeps with the reference data (services.reference_data.stored_label): looked
# up first, and only for the keys of the システム設定申込 tabs, so other labels cost nothing more.
STORED_LABEL_PREFIXES = ("wizard.field.ss_", "wizard.section.ss_")
_stored_labels: Callable[[str, str], str | None] | None = None


def use_stored_labels(lookup: Callable[[str, str], str | None]) -> None:
    global _stored_labels
    _stored_labels = lookup


def translate(lang: str, key: str, **params: Any) -> str:
    stored = _stored_labels(lang, key) if _stored_labels and key.startswith(STORED_LABEL_PREFIXES) else None
    text = stored or catalog(lang).get(key) or catalog(DEFAULT_LANGUAGE).get(key) or key
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text
