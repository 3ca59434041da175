"""The 詳細入力画面 a reviewer can comment on: the application's screens, without the 入力確認画面."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Application, ApplicationSection
from services.application.forms import NEW_USAGE, definition_for
from services.workflow import ApplicationKind


@dataclass(frozen=True)
class _Unchosen:
    """A 新規利用申込 before anything is chosen: its definition lists every screen anyway."""
    kind: str = ApplicationKind.NEW_USAGE
    shared_use: bool = False
    industries: str | None = None


# A 新規利用申込's screens (every one is listed, applicable or not).
SECTION_KEYS = NEW_USAGE.commentable_keys(NEW_USAGE.context({}, _Unchosen()))


def commentable_keys(s: Session, app: Application) -> tuple[str, ...]:
    """This application's screens as the reviewer sees them (a システム設定申込: its own tabs only)."""
    definition = definition_for(app.kind)
    data = {r.section_key: dict(r.data or {}) for r in s.scalars(
        select(ApplicationSection).where(ApplicationSection.application_id == app.id))}
    return definition.commentable_keys(definition.context(data, app))
