"""Shared pieces of the review pages: labels and error text. Screens are shown read-only with the
wizard's renderer (ui/section_view.py), so reviewers see exactly what the applicant entered."""
from __future__ import annotations

from datetime import date

from services.errors import DomainError
from ui.i18n import t


def status_label(status: str) -> str:
    return t(f"review.status.{status}")


def kind_label(kind: str, shared_use: bool = False) -> str:
    return t("review.kind.NEW_USAGE_SHARED") if kind == "NEW_USAGE" and shared_use else t(f"review.kind.{kind}")


def connection_label(connection_type: str | None) -> str:
    return t(f"review.connection.{connection_type}") if connection_type else ""


def fmt_date(day: date | None) -> str:
    return day.strftime("%Y/%m/%d") if day else ""


def error_text(err: DomainError) -> str:
    """Words for a service error code; codes from the workflow map to the review wording."""
    if err.code == "workflow.invalid_transition":
        return t("review.invalid_transition")
    if err.code == "error.stale":
        return t("review.stale")
    return t(err.code, **err.params)
