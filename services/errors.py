"""Domain errors carry a code and parameters; pages turn them into words with t()."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class DomainError(Exception):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class PermissionDenied(DomainError):
    def __init__(self, code: str = "error.permission_denied", **params: Any) -> None:
        super().__init__(code, **params)


class NotFound(DomainError):
    def __init__(self, code: str = "error.not_found", **params: Any) -> None:
        super().__init__(code, **params)


class StaleData(DomainError):
    """Someone else changed the record since it was shown; reload and try again."""

    def __init__(self, code: str = "error.stale", **params: Any) -> None:
        super().__init__(code, **params)


@dataclass(frozen=True)
class FieldError:
    code: str
    params: dict[str, Any] = field(default_factory=dict)


class ValidationFailed(DomainError):
    """One or more fields are wrong; `errors` maps field name -> FieldError."""

    def __init__(self, errors: dict[str, FieldError]) -> None:
        super().__init__("error.validation")
        self.errors = errors
