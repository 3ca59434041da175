"""Per application kind, which screens it has and what decides whether each applies: one
FormDefinition per kind, read by start, save, read, submit, the review and the shared UI pieces.

- 新規利用申込 (NEW_USAGE): the ten 詳細入力画面 of services.application.sections; the 接続形態 and
  処理方式 chosen on its screens decide which apply; screens that do not apply are still listed
  (「入力不要」).
- システム設定申込 (SYSTEM_SETTINGS): services.system_settings.sections; the 業種 of its 利用者コード
  (Application.industries) decide which 「業種」 tabs apply, and only those are listed. Only an
  office login (事業所コード) enters it.
- 変更申込 (CHANGE): the 新規利用申込's screens over a copy of the contract; the parts chosen at the
  start (services.change.parts) decide which are listed and editable. Only an office login enters it.
- 解約申込 (CANCELLATION): services.cancellation.sections, one screen; an office login only.

Section keys are unique across every kind, so `get_section(key)` finds any screen.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol

from services.application import sections as new_usage
from services.application.fieldspec import Context
from services.application.sections import REVIEW_SCREEN, Section
from services.cancellation import sections as cancellation
from services.change import parts as change_parts
from services.errors import NotFound
from services.system_settings import sections as system_settings
from services.workflow import ApplicationKind

SectionsData = Mapping[str, Mapping[str, Any] | None]


class ApplicationFacts(Protocol):
    """What a definition reads from the application row (Application and ApplicationView both have it)."""
    @property
    def kind(self) -> str: ...
    @property
    def shared_use(self) -> bool: ...
    @property
    def industries(self) -> str | None: ...


@dataclass(frozen=True)
class FormDefinition:
    kind: ApplicationKind
    # In screen order, the 入力確認画面 last; a function when the reference data in force defines
    # them (the システム設定申込's 業種 tabs), read on every use.
    screens: tuple[Section, ...] | Callable[[], tuple[Section, ...]]
    context: Callable[[SectionsData, ApplicationFacts], Context]
    lists_unapplicable: bool                      # False: a screen that does not apply is not shown at all
    office_only: bool                             # True: only an office login (事業所コード) enters it

    @property
    def sections(self) -> tuple[Section, ...]:
        return self.screens() if callable(self.screens) else self.screens

    @property
    def input_sections(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.key != REVIEW_SCREEN)

    def has(self, key: str) -> bool:
        return any(s.key == key for s in self.sections)

    def section(self, key: str) -> Section:
        """A screen of this kind (NotFound for another kind's key: it cannot be saved here)."""
        found = next((s for s in self.sections if s.key == key), None)
        if found is None:
            raise NotFound("wizard.error.unknown_section")
        return found

    def listed(self, ctx: Context) -> tuple[Section, ...]:
        """The screens shown; a 変更申込 only shows those of its chosen parts (ctx.chosen)."""
        return tuple(s for s in self.sections if (self.lists_unapplicable or s.applies(ctx))
                     and (ctx.chosen is None or s.key in ctx.chosen))

    def commentable_keys(self, ctx: Context) -> tuple[str, ...]:
        """The screens a reviewer may comment on for a 差戻し: every listed one but the 入力確認画面."""
        return tuple(s.key for s in self.listed(ctx) if s.key != REVIEW_SCREEN)


NEW_USAGE = FormDefinition(
    ApplicationKind.NEW_USAGE, new_usage.SECTIONS,
    lambda data, app: new_usage.context_of(data, app.shared_use),
    lists_unapplicable=True, office_only=False)
SYSTEM_SETTINGS = FormDefinition(
    ApplicationKind.SYSTEM_SETTINGS, lambda: system_settings.screens().sections,
    lambda data, app: system_settings.context_of(data, app.industries),
    lists_unapplicable=False, office_only=True)

# 変更申込: the new usage application's own screens (the same Section objects, so the same rules),
# with the hidden change_scope screen first; only the chosen parts' screens are listed.
CHANGE = FormDefinition(
    ApplicationKind.CHANGE, (change_parts.SCOPE_SECTION, *new_usage.SECTIONS),
    lambda data, app: replace(new_usage.context_of(data, app.shared_use),
                              chosen=change_parts.chosen_sections(change_parts.scope_of(data)[0])),
    lists_unapplicable=False, office_only=True)

CANCELLATION = FormDefinition(
    ApplicationKind.CANCELLATION, cancellation.SECTIONS, lambda data, _app: cancellation.context_of(data),
    lists_unapplicable=False, office_only=True)

DEFINITIONS: dict[str, FormDefinition] = {d.kind: d for d in (NEW_USAGE, SYSTEM_SETTINGS, CHANGE, CANCELLATION)}
# The screens whose definition never changes while the app runs; the システム設定申込's are looked up
# in the reference data in force (get_section).
FIXED_SECTIONS: dict[str, Section] = {s.key: s for d in DEFINITIONS.values() if not callable(d.screens)
                                      for s in d.sections}


def definition_for(kind: str) -> FormDefinition:
    """The definition of an application kind; kinds not built yet (解約申込) read as 新規利用申込's
    screens, as their rows were made before (tests/factories.raw_review_application)."""
    return DEFINITIONS.get(kind, NEW_USAGE)


def get_section(key: str) -> Section:
    found = FIXED_SECTIONS.get(key) or next((s for s in SYSTEM_SETTINGS.sections if s.key == key), None)
    if found is None:
        raise NotFound("wizard.error.unknown_section")
    return found
