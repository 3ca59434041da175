"""t(): the label for the current session's language (Japanese unless switched)."""
from __future__ import annotations

from typing import Any

import streamlit as st

from locales import DEFAULT_LANGUAGE, LANGUAGES, translate, use_stored_labels
from services import reference_data
from services.errors import DomainError, FieldError

use_stored_labels(reference_data.stored_label)

LANG_KEY = "nss_lang"


def current_language() -> str:
    lang = st.session_state.get(LANG_KEY, DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, **params: Any) -> str:
    return translate(current_language(), key, **params)


def t_error(error: DomainError | FieldError) -> str:
    return t(error.code, **error.params)


def language_switch() -> None:
    labels = {"ja": "日本語", "en": "English"}
    st.sidebar.radio("Language / 言語", LANGUAGES, format_func=labels.get, key=LANG_KEY, horizontal=True)
