"""Who a mail about an application's decision goes to, and the values every such mail carries: the
reviewers' decisions (`review.actions`) and the cut-off's cancellation (`cutoff`) write the same."""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from db.models import Applicant, Application
from services.mail_text import neutral
from services.review.issuance import section_data
from services.system_settings import office as system_settings_office
from services.workflow import ApplicationKind

# Procedures of an office after its approval that carry no contacts of their own: mailed to its
# 新規利用申込's addresses, named by its 企業名. (A 変更申込 holds the whole contract, contacts too.)
OFFICE_PROCEDURES = (ApplicationKind.SYSTEM_SETTINGS, ApplicationKind.CANCELLATION)


def recipients(s: Session, app: Application, applicant: Applicant) -> list[str]:
    """The 申込事務担当者 and the 管理責任者 (SPEC §2.2), or the registered address if neither is known.
    OFFICE_PROCEDURES mail the addresses of the office's 新規利用申込."""
    if app.kind in OFFICE_PROCEDURES:
        return system_settings_office.mail_recipients(s, app.applicant_id, applicant.email)
    contact = section_data(s, app.id, "applicant_contact")
    found = [contact.get(k) for k in ("application_clerk_email", "admin_manager_email")]
    return [a for a in found if a] or [applicant.email]


def params(app: Application, applicant: Applicant, **extra) -> dict:
    # What the applicant typed goes into the mail as inert text (no link a mail program would make).
    values = {"company_name": neutral(applicant.company_name), "contact_name": neutral(applicant.contact_name),
              "ref_no": app.ref_no or "", **extra}
    if app.kind in OFFICE_PROCEDURES:
        values["company_name"] = neutral(app.company_name or applicant.company_name)
    return values


def day(value: date) -> str:
    """A date in a mail: 2026/12/01."""
    return value.strftime("%Y/%m/%d")
