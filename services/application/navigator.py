"""Moving through the wizard: which screen is open, which version of it this browser tab showed,
the field errors of the last save, and when leaving a screen must save it first.

Plain data in and out (no Streamlit): the page keeps `state()` in its session between runs and
builds a navigator from it and the freshly read ApplicationView on each run.

The shown version is what makes a second tab's older save be refused instead of applied: a screen
keeps the version it was first drawn with until it is saved, refused as stale, or left.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from services.application.read import ApplicationView, SectionView
from services.application.save import SaveResult
from services.application.sections import COMPLETE, REVIEW_SCREEN
from services.errors import FieldError


@dataclass
class WizardState:
    current: str | None = None
    shown: dict[str, int] = field(default_factory=dict)                       # screen → version shown
    errors: dict[str, dict[str, FieldError]] = field(default_factory=dict)    # screen → its last errors
    confirm_draft: bool = False                                               # 一時保存 asked, not yet confirmed
    missing: dict[str, FieldError] = field(default_factory=dict)              # what stopped 「申込む」


class WizardNavigator:
    def __init__(self, view: ApplicationView, state: WizardState | None = None) -> None:
        state = state or WizardState()
        self.view = view
        self.screens = [s.key for s in view.applicable()]
        self.current = state.current if state.current in self.screens else self.opening_screen()
        self.shown = dict(state.shown)
        self.errors = {key: dict(errs) for key, errs in state.errors.items()}
        self.confirm_draft = state.confirm_draft
        self.missing = dict(state.missing)
        self.shown.setdefault(self.current, self._stored_version(self.current))

    def opening_screen(self) -> str:
        """Where the wizard opens when this tab has no place yet (resume after 一時保存, a returned
        application, the desk starting to act for a caller): the first screen the reviewer asked to
        correct, else the first one not yet 入力済, else the 入力確認画面."""
        sections = [self.view.section(key) for key in self.screens if key != REVIEW_SCREEN]
        for wanted in (lambda s: s.needs_correction, lambda s: s.status != COMPLETE):
            found = next((s.key for s in sections if wanted(s)), None)
            if found is not None:
                return found
        return REVIEW_SCREEN if REVIEW_SCREEN in self.screens else self.screens[0]

    def state(self) -> WizardState:
        return WizardState(self.current, dict(self.shown), {k: dict(v) for k, v in self.errors.items()},
                           self.confirm_draft, dict(self.missing))

    def _stored_version(self, key: str) -> int:
        return self.view.version if key == REVIEW_SCREEN else self.view.section(key).version

    # ------------------------------------------------------------------ where we are

    @property
    def on_review_screen(self) -> bool:
        return self.current == REVIEW_SCREEN

    @property
    def expected_version(self) -> int:
        """Pass to save (the screen's version) or submit (the application's, on the 入力確認画面)."""
        return self.shown[self.current]

    @property
    def section(self) -> SectionView:
        """The open screen, carrying the version this tab showed (widgets are keyed by it)."""
        section = self.view.section(self.current)
        return section if self.on_review_screen else replace(section, version=self.expected_version)

    @property
    def current_errors(self) -> dict[str, FieldError]:
        return self.errors.get(self.current, {})

    @property
    def previous(self) -> str | None:
        position = self.screens.index(self.current)
        return self.screens[position - 1] if position > 0 else None

    @property
    def next(self) -> str | None:
        position = self.screens.index(self.current)
        return self.screens[position + 1] if position + 1 < len(self.screens) else None

    # ------------------------------------------------------------------ leaving a screen

    def is_dirty(self, values: dict[str, Any]) -> bool:
        """True when the widgets hold something other than what is stored for this screen."""
        if self.on_review_screen:
            return False
        stored = self.view.section(self.current).data
        return values != {k: stored.get(k) for k in values}

    @property
    def back_saves(self) -> bool:
        """「戻る」 saves the screen first (whatever it holds); the 入力確認画面 has nothing to save."""
        return not self.on_review_screen

    def jump_saves(self, values: dict[str, Any]) -> bool:
        """Free movement from the side list keeps what was typed: a changed screen is saved first."""
        return self.is_dirty(values)

    def after_next(self, result: SaveResult) -> str | None:
        """「次へ」 moves on only when the screen saved without errors; None: stay."""
        return None if result.errors else self.next

    def go(self, key: str) -> None:
        """Open `key`. A screen opened anew shows what is stored now."""
        self.shown.pop(key, None)
        self.shown.pop(self.current, None)
        self.current = key
        self.confirm_draft = False
        self.missing = {}

    # ------------------------------------------------------------------ outcomes of service calls

    def saved(self, result: SaveResult) -> None:
        if self.on_review_screen:  # 一時保存 from the 入力確認画面 saves no screen of its own
            return
        self.shown[self.current] = result.version
        self.errors[self.current] = dict(result.errors)

    def refused_as_stale(self) -> None:
        """Another tab saved first: the screen is shown again from what is stored (nothing was
        overwritten), without the errors of this tab's older input."""
        self.shown.pop(self.current, None)
        self.errors.pop(self.current, None)

    def submit_refused(self, missing: dict[str, FieldError]) -> None:
        self.missing = dict(missing)

    def submitted(self) -> None:
        self.missing = {}
