"""The one label of each closed set every role sees: application status, kind, connection type.

The sets are closed and the locale files are read once per process, so each language's labels are
built once (a queue page asks for ~150 of them per run)."""
from __future__ import annotations

from functools import cache

from locales import translate
from services.application.connection import ConnectionType
from services.workflow import ApplicationKind, ApplicationStatus
from ui.i18n import current_language


@cache
def _labels(lang: str) -> dict[str, str]:
    keys = [f"application_status.{s}" for s in ApplicationStatus]
    keys += [f"application_kind.{k}" for k in ApplicationKind] + ["application_kind.NEW_USAGE_SHARED"]
    keys += [f"connection_type.{c}" for c in ConnectionType]
    return {key: translate(lang, key) for key in keys}


def labels_in(lang: str) -> dict[str, str]:
    """Every label of the three sets in one language, for a table that needs many (one lookup each)."""
    return _labels(lang)


def status_label(status: ApplicationStatus | str | None) -> str:
    return _labels(current_language())[f"application_status.{ApplicationStatus(status)}"] if status else ""


def kind_label(kind: ApplicationKind | str, shared_use: bool = False) -> str:
    kind = ApplicationKind(kind)
    if kind == ApplicationKind.NEW_USAGE and shared_use:
        return _labels(current_language())["application_kind.NEW_USAGE_SHARED"]
    return _labels(current_language())[f"application_kind.{kind}"]


def connection_label(connection_type: ConnectionType | str | None) -> str:
    return _labels(current_language())[f"connection_type.{ConnectionType(connection_type)}"] if connection_type else ""
