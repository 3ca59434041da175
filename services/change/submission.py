"""What stops a 変更申込 from being submitted: the new usage application's own checks (passed in by
services.application.submit) on the chosen parts' screens, 利用者コード rows that name a code the
contract does not have, and a change that changes nothing; the システム構成図 only when the change
adds 一般 NACCS (read.adds_general)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from db.models import Application
from services import contract
from services.application.sections import OFFICE, USER_CODE
from services.change.parts import CHANGE_SCOPE, chosen_sections, scope_of
from services.change.read import adds_general, base_version, changes_of
from services.errors import FieldError


def missing_items(s: Session, app: Application, sections: dict[str, dict],
                  new_usage_errors: dict[str, FieldError]) -> dict[str, FieldError]:
    parts, effective = scope_of(sections)
    chosen = chosen_sections(parts)
    errors = {k: e for k, e in new_usage_errors.items() if k.split(".", 1)[0] in chosen}
    if not parts or effective is None:
        errors[f"{CHANGE_SCOPE}.parts"] = FieldError("change.error.parts_required")
    base = base_version(s, app)
    if not adds_general(contract.connection_of(base.sections) if base else None, contract.connection_of(sections)):
        errors.pop(f"{OFFICE}.system_diagram", None)
    if USER_CODE in chosen:
        known = set(base.user_codes()) if base else set()
        rows = (sections.get(USER_CODE) or {}).get("user_codes") or []
        seen: set[str] = set()
        for i, row in enumerate(rows):
            code = row.get("user_code") if isinstance(row, dict) else None
            if code and (code not in known or code in seen):
                errors[f"{USER_CODE}.user_codes.{i}.user_code"] = FieldError("change.error.unknown_user_code")
            seen.add(code or "")
        if rows and all(isinstance(r, dict) and r.get("retire") for r in rows):
            errors[f"{USER_CODE}.user_codes"] = FieldError("change.error.no_user_code_left")
    if base is not None and base.valid_from and effective and effective < base.valid_from.replace(day=1):
        errors[f"{CHANGE_SCOPE}.effective_month"] = FieldError("change.error.effective_before_current")
    if not errors and not changes_of(s, app).changes:
        errors[f"{CHANGE_SCOPE}.parts"] = FieldError("change.error.nothing_changed")
    return errors
