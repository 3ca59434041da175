"""The one screen of a 解約申込: what is cancelled (the whole contract or one 利用者コード), from
which date (解約日), and why. A section of the wizard's machinery (services.application.forms), so it
is saved, checked, commented on and shown read-only like every other screen."""
from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from services.application.fieldspec import CODE, DATE, SELECT, TEXT, Context, FieldSpec
from services.application.sections import REVIEW_SCREEN, SECTION_BY_KEY, Section

REQUEST = "cx_request"
REASON_MAX = 200   # the 解約理由: one line, as long as a reviewer reads at a glance
USER_CODE_MAX = 16


class Scope(StrEnum):
    CONTRACT = "CONTRACT"     # the whole contract: every login of the office stops
    USER_CODE = "USER_CODE"   # one 利用者コード: retired, the office keeps the others


def _one_code(data: dict[str, Any], _ctx: Context) -> bool:
    return data.get("scope") == Scope.USER_CODE


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("scope", SELECT, options=tuple(Scope), option_labels="cancellation.scope"),
    FieldSpec("user_code", CODE, max_len=USER_CODE_MAX, when=_one_code),
    FieldSpec("cancel_date", DATE),
    FieldSpec("reason", TEXT, max_len=REASON_MAX),
)

SECTIONS: tuple[Section, ...] = (
    Section(REQUEST, FIELDS, draft_save_in_shared_use=True),
    SECTION_BY_KEY[REVIEW_SCREEN],
)
assert REQUEST not in SECTION_BY_KEY, "section keys are unique across every kind"


def context_of(_sections_data: Mapping[str, Mapping[str, Any] | None]) -> Context:
    """Nothing on the screen changes what else it offers."""
    return Context()
