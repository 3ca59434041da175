"""What approving a システム設定申込 registers (SPEC §2.4): 名称 and the 業種 of the tabs it carried,
through registrations.record_approval (the one place that decides ○/×)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Application, ApplicationSection, UserCode
from services.system_settings.registrations import NAME_ITEM, record_approval
from services.system_settings.sections import NAME, screens
from services.system_settings.submission import carried_sections, is_first
from services.uow import get_or_raise


def items_of(s: Session, app: Application) -> list[str]:
    """名称 and the 業種 this application carried, as registrations names them."""
    sections = {r.section_key: dict(r.data or {}) for r in s.scalars(
        select(ApplicationSection).where(ApplicationSection.application_id == app.id))}
    carried = carried_sections(sections, app.industries, is_first(s, app))
    industry_of = screens().section_industry
    return [NAME_ITEM if key == NAME else industry_of[key] for key in carried]


def register_approval(s: Session, app: Application) -> tuple[str, list[str]]:
    """Marks the carried items ○; returns the 利用者コード and the items newly registered."""
    code = get_or_raise(s, UserCode, app.user_code_id)
    return code.user_code, record_approval(s, code, app.id, items_of(s, app))
