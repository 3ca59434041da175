"""Input widgets for one 詳細入力画面, generated from its FieldSpecs, with the message for each
field right under it. Values come from the database (value=), widget keys carry the screen's
version so a save (or a newer version from another tab) redraws them from what was stored."""
from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from services.application.fieldspec import (
    BOOL,
    CONFIRM,
    DATE,
    MULTI,
    ROWS,
    SELECT,
    Context,
    FieldSpec,
)
from services.application.forms import get_section
from services.application.read import SectionView
from services.errors import FieldError
from ui.feedback import error_text
from ui.i18n import t
from ui.section_view import field_label

# {(screen, version): the version whose widget keys that version keeps}; see keep_widget_keys.
_KEY_VERSIONS = "wiz_key_versions"


def _key(section: SectionView, path: str) -> str:
    version = st.session_state.get(_KEY_VERSIONS, {}).get((section.key, section.version), section.version)
    return f"wiz_f_{section.key}_{version}_{path}"


def keep_widget_keys(section: SectionView, values: dict[str, Any], saved_version: int,
                     stored: dict[str, Any]) -> bool:
    """After this session saved the screen exactly as its widgets show it, the new version keeps
    the widgets' keys (issue 13 item 2). A save ends its run early (st.rerun) and the browser shows
    the screen as idle until the next run has drawn it; on a busy server that takes seconds, and a
    value typed and sent meanwhile belongs to the widgets drawn before the save. With new keys
    those widgets no longer exist in the next run, so the typed value was dropped and the click
    saved the old one. A version whose stored data differs from what the widgets show (a value
    normalised, another tab's save) still gets new keys: it is drawn from what is stored. True
    when the keys were kept: the widgets drawn in this run show the saved version as it is."""
    if any(stored.get(name) != value for name, value in values.items()):
        return False
    versions = st.session_state.setdefault(_KEY_VERSIONS, {})
    versions[(section.key, saved_version)] = versions.get((section.key, section.version), section.version)
    return True


def _error(errors: dict[str, FieldError], path: str) -> None:
    if path in errors:
        st.error(error_text(errors[path]), icon=":material/error:")


def _note(notes: dict[str, str], path: str) -> None:
    if path in notes:
        st.info(notes[path], icon=":material/auto_fix_high:")


def _widget(spec: FieldSpec, label: str, value: Any, key: str, ctx: Context) -> Any:
    if spec.kind == SELECT:
        options = list(spec.option_values(ctx))
        fmt = (lambda v: t(f"{spec.option_labels}.{v}")) if spec.option_labels else str
        index = options.index(value) if value in options else None
        return st.selectbox(label, options, index=index, format_func=fmt, key=key,
                            placeholder=t("wizard.form.choose"))
    if spec.kind == MULTI:
        options = list(spec.option_values(ctx))
        return st.multiselect(label, options, default=[v for v in (value or []) if v in options], key=key,
                              placeholder=t("wizard.form.choose"))
    if spec.kind in (BOOL, CONFIRM):
        return st.checkbox(label, value=value is True, key=key)
    if spec.kind == DATE:
        try:
            current = date.fromisoformat(value) if value else None
        except (TypeError, ValueError):
            current = None
        picked = st.date_input(label, value=current, key=key, format="YYYY-MM-DD")
        return picked.isoformat() if isinstance(picked, date) else ""
    text = "" if value is None else str(value)
    return st.text_input(label, value=text, key=key)


def _fields(section: SectionView, specs: tuple[FieldSpec, ...], stored: dict[str, Any], ctx: Context,
            errors: dict[str, FieldError], prefix: str = "", row_of: str | None = None,
            notes: dict[str, str] | None = None) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for spec in specs:
        path = prefix + spec.name
        if not spec.applies({**stored, **values}, ctx):
            if spec.name in stored:
                values[spec.name] = stored[spec.name]
            continue
        if spec.kind == ROWS:
            values[spec.name] = _rows(section, spec, stored.get(spec.name) or [], ctx, errors)
            _error(errors, path)
            continue
        if spec.kind == CONFIRM:
            st.info(t("wizard.msg.security_notice"), icon=":material/security:")
        label = field_label(section.key, spec, row_of) + ("" if not spec.required else " *")
        values[spec.name] = _widget(spec, label, stored.get(spec.name), _key(section, path), ctx)
        _error(errors, path)
        _note(notes or {}, path)
    return values


def _rows(section: SectionView, spec: FieldSpec, stored_rows: list[dict], ctx: Context,
          errors: dict[str, FieldError]) -> list[dict[str, Any]]:
    count_key = _key(section, f"{spec.name}__count")
    if count_key not in st.session_state:
        st.session_state[count_key] = max(len(stored_rows), spec.min_rows, 1)
    st.markdown(f"**{t(f'wizard.field.{section.key}.{spec.name}')}**")
    rows = []
    for i in range(st.session_state[count_key]):
        stored = stored_rows[i] if i < len(stored_rows) else {}
        with st.container(border=True):
            st.caption(f"#{i + 1}")
            rows.append(_fields(section, spec.row_fields, stored, ctx, errors,
                                prefix=f"{spec.name}.{i}.", row_of=spec.name))
    left, right = st.columns(2)
    if left.button(t("wizard.button.add_row"), key=_key(section, f"{spec.name}__add"),
                   disabled=st.session_state[count_key] >= spec.max_rows):
        st.session_state[count_key] += 1
        st.rerun()
    if right.button(t("wizard.button.remove_row"), key=_key(section, f"{spec.name}__remove"),
                    disabled=st.session_state[count_key] <= max(spec.min_rows, 1)):
        st.session_state[count_key] -= 1
        st.rerun()
    return rows


def section_form(section: SectionView, ctx: Context, errors: dict[str, FieldError],
                 notes: dict[str, str] | None = None) -> dict[str, Any]:
    """Draws the screen's widgets and returns what they hold now (to pass to save_section).
    `notes` (field → text) are drawn under their fields: what saving converted."""
    definition = get_section(section.key)
    return _fields(section, definition.fields, dict(section.data), ctx, errors, notes=notes)
