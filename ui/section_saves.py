"""Saving several screens of one application drawn at once (tabs): the システム設定申込 and 変更申込
pages. Each screen whose widgets differ from what is stored is saved on its own; its field errors
and what normalising changed are kept for the next run."""
from __future__ import annotations

from typing import Any

from services.application import save
from services.application.read import ApplicationView
from services.authz import Actor
from services.errors import FieldError
from ui.feedback import run_action
from ui.format import plain
from ui.i18n import t
from ui.section_form import keep_widget_keys


def save_changed(actor: Actor, view: ApplicationView, values: dict[str, dict[str, Any]],
                 errors: dict[str, dict[str, FieldError]], converted: dict[str, dict[str, str]], *,
                 draft_key: str | None = None) -> tuple[bool, bool]:
    """(all saved without errors, one was refused and not saved at all). `draft_key`: that screen is
    saved as a 一時保存 even when unchanged."""
    clean, refused_any = True, False
    for key, typed in values.items():
        section = view.section(key)
        if key != draft_key and typed == {k: section.data.get(k) for k in typed}:
            continue
        fn = save.save_draft if key == draft_key else save.save_section
        refused: dict[str, FieldError] = {}
        result = run_action(lambda fn=fn, key=key, typed=typed, version=section.version:
                            fn(actor, view.id, key, typed, version), errors_into=refused)
        if result is None:
            errors[key] = refused
            clean, refused_any = False, True
            continue
        keep_widget_keys(section, typed, result.version, result.data)
        errors[key] = dict(result.errors)
        converted[key] = {name: t("wizard.msg.converted", before=plain(before), after=plain(after))
                          for name, (before, after) in result.changes.items()}
        clean = clean and not result.errors
    return clean, refused_any
