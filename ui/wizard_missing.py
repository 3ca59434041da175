"""Turns submit's ValidationFailed ("<section>.<field path>" → error) into lines the 入力確認画面
lists with a 「修正する」 per screen."""
from __future__ import annotations

from db.reference import SURVEY_FORMS
from services.application.fieldspec import ROWS
from services.application.forms import get_section
from services.errors import FieldError
from ui.i18n import t, t_error


def _field_name(section_key: str, path: list[str]) -> str:
    specs = get_section(section_key).fields
    spec = next((s for s in specs if s.name == path[0]), None)
    if spec is None and path[0] in SURVEY_FORMS:  # システム設定申込: a survey form to attach
        return t(f"system_settings.survey_form.{path[0]}")
    if spec is None:
        return t(f"wizard.field.{section_key}.{path[0]}")
    if spec.kind == ROWS and len(path) >= 3:
        sub = next((s for s in spec.row_fields if s.name == path[2]), None)
        row_label = t(f"wizard.row.{section_key}.{path[2]}") if sub else path[2]
        return f"{t(f'wizard.field.{section_key}.{spec.name}')} #{int(path[1]) + 1} {row_label}"
    return t(f"wizard.field.{section_key}.{spec.name}")


def describe_missing(errors: dict[str, FieldError]) -> list[tuple[str, str]]:
    """(section key, "画面：項目 — メッセージ") in screen order."""
    lines = []
    for key, error in errors.items():
        section_key, *path = key.split(".")
        lines.append((section_key, t("wizard.msg.missing_item", section=t(f"wizard.section.{section_key}"),
                                     field=_field_name(section_key, path), message=t_error(error))))
    return lines
