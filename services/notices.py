"""新着情報: notices for an applicant, written in the same transaction as the event."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from db.models import Notice
from services import clock

RECEIPT, APPROVED, RETURNED, REJECTED, ID_NOTICE = "RECEIPT", "APPROVED", "RETURNED", "REJECTED", "ID_NOTICE"


def add_notice(s: Session, applicant_id: int, kind: str, params: dict[str, Any] | None = None, *,
               application_id: int | None = None, secret: str | None = None) -> Notice:
    """`secret` is already encrypted by the caller (services.secrets.encrypt)."""
    notice = Notice(applicant_id=applicant_id, application_id=application_id, kind=kind,
                    params=params or {}, secret=secret, created_at=clock.now())
    s.add(notice)
    return notice
