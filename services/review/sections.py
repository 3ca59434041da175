"""The 詳細入力画面 a reviewer can comment on: the wizard's screens, without the 入力確認画面."""
from __future__ import annotations

from services.application.sections import REVIEW_SCREEN, SECTIONS

SECTION_KEYS = tuple(s.key for s in SECTIONS if s.key != REVIEW_SCREEN)
