"""Starting (or reopening) the システム設定申込 of one 利用者コード (SPEC §2.4).

Only the office itself, logged in with its 事業所コード (authz.require_office). One open システム設定申込
per 利用者コード at a time: starting again opens the one in progress (入力中 / 差戻し, or the one
waiting for review, which the page shows read-only). A second click waits for the first on the
利用者コード's row and then finds its application.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from db.models import Applicant, Application, UserCode
from services.application.create import create_draft, open_procedure
from services.authz import Actor, require_office
from services.errors import NotFound
from services.system_settings import office
from services.system_settings.english import suggest_english
from services.system_settings.registrations import is_live
from services.system_settings.sections import CONTACT, NAME, NAME_PAIRS, SUGGESTED, context_of
from services.system_settings.sections import screens as current_screens
from services.uow import UnitOfWork, get_or_raise, rows_matched
from services.workflow import ApplicationKind


@dataclass(frozen=True)
class UserCodeChoice:
    """One line of the 利用者コード list (申請コード選択), as the seed's screen shows it."""
    user_code: str
    system_category: str
    industries: tuple[str, ...]
    processing_methods: tuple[str, ...]
    settings_completed: bool
    open_application_id: int | None
    open_status: str | None


def _open_application(s, user_code_id: int) -> Application | None:
    return open_procedure(s, ApplicationKind.SYSTEM_SETTINGS, Application.user_code_id == user_code_id)


def user_code_choices(actor: Actor, applicant_id: int, *, uow: UnitOfWork | None = None) -> list[UserCodeChoice]:
    require_office(actor, applicant_id)
    with (uow or UnitOfWork()) as u:
        s = u.session
        methods = tuple(office.new_usage_screens(s, applicant_id).get(office.LINE, {}).get("processing_methods") or ())
        out = []
        for code in s.scalars(select(UserCode).where(UserCode.applicant_id == applicant_id,
                                                     is_live())  # not a cancelled one
                              .order_by(UserCode.user_code)):
            app = _open_application(s, code.id)
            out.append(UserCodeChoice(code.user_code, code.system_category, tuple(code.industries or ()), methods,
                                      code.settings_completed_at is not None,
                                      app.id if app else None, app.status if app else None))
        return out


def start_system_settings(actor: Actor, applicant_id: int, user_code: str, *,
                          uow: UnitOfWork | None = None) -> int:
    """The id of the 利用者コード's open システム設定申込, started now (入力中) if there is none."""
    require_office(actor, applicant_id)
    with (uow or UnitOfWork()) as u:
        s = u.session
        code = s.scalar(select(UserCode).where(UserCode.user_code == str(user_code or "").strip().upper(),
                                               UserCode.applicant_id == applicant_id, is_live()))
        if code is None:
            raise NotFound("system_settings.error.unknown_user_code")
        # The write lock on the 利用者コード's row first (a no-op UPDATE, as create.lock_applicant does):
        # a second click waits here, then finds the first one's application.
        rows_matched(s, update(UserCode).where(UserCode.id == code.id).values(user_code=UserCode.user_code))
        existing = _open_application(s, code.id)
        if existing is not None:
            return existing.id
        applicant = get_or_raise(s, Applicant, applicant_id)
        screens = office.new_usage_screens(s, applicant_id)
        new_usage = office.approved_new_usage(s, applicant_id)
        industries = "|" + "|".join(code.industries or []) + "|" if code.industries else None
        prefill = _prefill(screens, applicant)
        ctx = context_of(prefill, industries)
        app_id = create_draft(
            s, actor, ApplicationKind.SYSTEM_SETTINGS, applicant_id, data=prefill,
            # the tabs of this 利用者コード's 業種 only (they never change)
            screens=[section for section in current_screens().sections if section.applies(ctx)],
            user_code_id=code.id, industries=industries, company_name=office.company_name(screens, applicant),
            connection_type=new_usage.connection_type if new_usage else None,
            audit_after={"user_code": code.user_code})
        u.commit()
        return app_id


def _prefill(screens: dict[str, dict], applicant: Applicant) -> dict[str, dict]:
    """申込担当者 from the 新規利用申込's 申込事務担当者; 「名称」 (和) from its 事業所・企業 and 管理責任者,
    each 英 a romanised suggestion marked as such (SUGGESTED) until the tab is saved."""
    contact = screens.get(office.APPLICANT_CONTACT, {})
    office_data = screens.get(office.OFFICE, {})
    ss_contact = {
        "contact_name": contact.get("application_clerk_name") or applicant.contact_name,
        "contact_kana": contact.get("application_clerk_kana") or applicant.contact_kana,
        "contact_department": contact.get("application_clerk_department") or applicant.department or "",
        "contact_phone": contact.get("application_clerk_phone") or applicant.phone,
        "contact_email": contact.get("application_clerk_email") or applicant.email,
    }
    japanese = {
        "company_name_ja": office_data.get("company_name") or applicant.company_name,
        "office_name_ja": office_data.get("office_name") or "",
        "manager_name_ja": contact.get("admin_manager_name") or "",
        "office_address_ja": office_data.get("office_address") or "",
    }
    name: dict = dict(japanese)
    suggested = []
    for ja, en in NAME_PAIRS:
        suggestion = suggest_english(japanese[ja]) if japanese[ja] else ""
        if suggestion:
            name[en] = suggestion
            suggested.append(en)
    name[SUGGESTED] = suggested
    return {CONTACT: ss_contact, NAME: name}
