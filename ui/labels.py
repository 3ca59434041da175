"""The one label of each closed set every role sees: application status, kind, connection type."""
from __future__ import annotations

from services.application.connection import ConnectionType
from services.workflow import ApplicationKind, ApplicationStatus
from ui.i18n import t


def status_label(status: ApplicationStatus | str | None) -> str:
    return t(f"application_status.{ApplicationStatus(status)}") if status else ""


def kind_label(kind: ApplicationKind | str, shared_use: bool = False) -> str:
    kind = ApplicationKind(kind)
    if kind == ApplicationKind.NEW_USAGE and shared_use:
        return t("application_kind.NEW_USAGE_SHARED")
    return t(f"application_kind.{kind}")


def connection_label(connection_type: ConnectionType | str | None) -> str:
    return t(f"connection_type.{ConnectionType(connection_type)}") if connection_type else ""
