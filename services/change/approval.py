"""What approving a 変更申込 does (inside the approval's transaction, services.review.actions):

- a new contract version from the first day of the effective month: the newest version with the
  chosen parts' screens replaced (the other screens stay as contracted; history is kept);
- 利用者コード: a row without a code gets a new one (and its 識別番号), a code deleted (or left out)
  is retired from the effective day (its code stays in issued_codes: never issued again), a kept
  code takes the row's 業種 and number of 識別番号 (more are issued; fewer keep the first ones);
- a kept code that gained a 業種 shows × for it again, so the guidance asks for its system settings
  just as for a new code (services.system_settings.registrations).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Application, ContractVersion, SystemSettingsRegistration, UserCode
from services import clock, codes, contract
from services.application.sections import USER_CODE
from services.change.parts import chosen_sections, scope_of
from services.change.read import sections_of
from services.errors import DomainError
from services.system_settings.registrations import required_items


@dataclass(frozen=True)
class AppliedChange:
    effective_from: date
    new_user_ids: tuple[str, ...]      # 利用者ID issued now (new codes and added 識別番号)
    new_user_codes: tuple[str, ...]
    retired_user_codes: tuple[str, ...]


def _id_count(row: dict) -> int:
    try:
        return max(1, int(row.get("id_number_count") or 1))
    except (TypeError, ValueError):
        return 1


def _apply_user_codes(s: Session, app: Application, rows: list[dict], effective: date,
                      out_ids: list[str], new_codes: list[str], retired: list[str]) -> list[dict]:
    live = {c.user_code: c for c in s.scalars(select(UserCode).where(
        UserCode.applicant_id == app.applicant_id, UserCode.retired_on.is_(None), UserCode.retired_at.is_(None)))}
    kept_rows: list[dict] = []
    for row in (r for r in rows if isinstance(r, dict)):
        code = row.get("user_code")
        clean = {k: v for k, v in row.items() if k != "retire"}
        if code and code in live:
            uc = live[code]
            if row.get("retire"):
                continue
            numbers = list(uc.id_numbers or [])
            wanted = _id_count(row)
            if wanted > len(numbers):
                added = codes.new_id_numbers(s, code, wanted - len(numbers))
                out_ids.extend(code + n for n in added)
                numbers += added
            uc.id_numbers, uc.industries = numbers[:wanted], list(row.get("industries") or [])
            uc.system_category = row.get("system_category", uc.system_category)
            done = set(s.scalars(select(SystemSettingsRegistration.item)
                                 .where(SystemSettingsRegistration.user_code_id == uc.id)))
            if not set(required_items(uc)) <= done:
                uc.settings_completed_at = None  # a new 業種 needs its システム設定の申込
            kept_rows.append({**clean, "id_numbers": uc.id_numbers})
        elif not code:
            new = codes.new_user_code(s)
            numbers = codes.new_id_numbers(s, new, _id_count(row))
            s.add(UserCode(applicant_id=app.applicant_id, application_id=app.id, user_code=new,
                           system_category=row.get("system_category", ""), industries=list(row.get("industries") or []),
                           id_numbers=numbers, created_at=clock.now()))
            new_codes.append(new)
            out_ids.extend(new + n for n in numbers)
            kept_rows.append({**clean, "user_code": new, "id_numbers": numbers})
    for code, uc in live.items():
        if code not in {r.get("user_code") for r in kept_rows}:
            uc.retired_on = effective
            retired.append(code)
    return kept_rows


def apply_change(s: Session, app: Application) -> AppliedChange:
    proposed = sections_of(s, app.id)
    parts, effective = scope_of(proposed)
    latest = contract.latest(s, app.applicant_id)
    if effective is None or latest is None:
        raise DomainError("change.error.no_contract")
    if effective < clock.today_jst().replace(day=1):
        raise DomainError("change.error.effective_month_past")
    if latest.valid_from and effective < latest.valid_from.replace(day=1):
        raise DomainError("change.error.effective_before_current")
    chosen = chosen_sections(parts)
    snapshot = {k: dict(v) for k, v in latest.sections.items()}
    snapshot.update({k: dict(proposed.get(k) or {}) for k in contract.VERSION_SECTIONS if k in chosen})
    out_ids: list[str] = []
    new_codes: list[str] = []
    retired: list[str] = []
    if USER_CODE in chosen:
        rows = _apply_user_codes(s, app, list((proposed.get(USER_CODE) or {}).get("user_codes") or []),
                                 effective, out_ids, new_codes, retired)
        snapshot[USER_CODE] = {"user_codes": rows}
    s.add(ContractVersion(applicant_id=app.applicant_id, application_id=app.id, valid_from=effective,
                          data=snapshot, created_at=clock.now()))
    s.flush()
    return AppliedChange(effective, tuple(out_ids), tuple(new_codes), tuple(retired))
