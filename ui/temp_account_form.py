"""The 申込担当者 inputs of a temporary account, drawn from the service's field specs
(services.temp_accounts.FIELDS): the public page and the desk's new-caller tab draw the same form,
each with its own labels and widget keys, and each wrong field's message right under it."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from services import temp_accounts
from services.errors import FieldError
from ui.feedback import error_text
from ui.i18n import t

SOLE_PROPRIETOR = "sole_proprietor"


@dataclass(frozen=True)
class FormStyle:
    key_prefix: str                  # widget keys: key_prefix + field name (or its entry in `keys`)
    label_prefix: str                # labels: label_prefix + field name
    help_prefix: str | None = None   # a help text where help_prefix + field name has words
    keys: Mapping[str, str] = field(default_factory=dict)


def field_error(errors: Mapping[str, FieldError], name: str) -> None:
    if name in errors:
        st.error(error_text(errors[name]), icon=":material/error:")


def _help(style: FormStyle, name: str) -> str | None:
    if style.help_prefix is None:
        return None
    text = t(style.help_prefix + name)
    return None if text == style.help_prefix + name else text


def temp_account_inputs(style: FormStyle, values: Mapping[str, Any],
                        errors: Mapping[str, FieldError]) -> dict[str, Any]:
    """Draws the inputs (inside the caller's st.form) and returns what was typed, by field name."""
    def key(name: str) -> str:
        return style.key_prefix + style.keys.get(name, name)

    typed: dict[str, Any] = {}
    for spec in temp_accounts.FIELDS:
        if spec.name == temp_accounts.CORPORATE_NUMBER:
            typed[SOLE_PROPRIETOR] = st.checkbox(t(style.label_prefix + SOLE_PROPRIETOR),
                                                 value=bool(values.get(SOLE_PROPRIETOR, False)),
                                                 key=key(SOLE_PROPRIETOR))
        typed[spec.name] = st.text_input(t(style.label_prefix + spec.name), value=values.get(spec.name, ""),
                                         key=key(spec.name), help=_help(style, spec.name))
        field_error(errors, spec.name)
    return typed
