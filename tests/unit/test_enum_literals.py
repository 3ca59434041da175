"""Closed sets are spelled once, in their enum: no module writes a status, kind, user kind, connection
type or notice kind as a bare string (a typo there would compare unequal forever, silently)."""
from __future__ import annotations

import ast
from enum import StrEnum
from pathlib import Path

from services.application.connection import ConnectionType
from services.authz import UserKind
from services.codes import CodeKind
from services.mail import MailStatus
from services.notices import NoticeKind
from services.survey_forms import SurveyForm
from services.temp_accounts import ApplicantStatus, Channel
from services.workflow import ApplicationKind, ApplicationStatus

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("services", "ui", "screens", "db", "app.py", "manage.py")
SKIPPED = (
    "db/migrations/versions",  # frozen history: migrations keep the literals they were written with
    "db/reference.py",         # reference data, keyed by stored values (it becomes database rows later)
)
ENUMS: tuple[type[StrEnum], ...] = (ApplicationStatus, ApplicationKind, UserKind, ConnectionType, NoticeKind,
                                    ApplicantStatus, Channel, CodeKind, MailStatus, SurveyForm)
VALUES: dict[str, str] = {}
for _enum in ENUMS:
    for _member in _enum:
        VALUES[_member.value] = " or ".join(filter(None, (VALUES.get(_member.value), _enum.__name__)))


def _python_files() -> list[Path]:
    files: list[Path] = []
    for name in SCANNED:
        path = ROOT / name
        files.extend([path] if path.is_file() else sorted(path.rglob("*.py")))
    return [f for f in files if not any(str(f.relative_to(ROOT)).startswith(s) for s in SKIPPED)]


def _is_enum_class(node: ast.ClassDef) -> bool:
    return any(isinstance(b, ast.Name) and b.id.endswith("Enum") for b in node.bases)


def _literals(tree: ast.AST) -> list[tuple[int, str]]:
    """String constants equal to an enum value, outside the enum classes themselves and docstrings."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.ClassDef) and _is_enum_class(node):
            return
        body = getattr(node, "body", None)
        docstring = None
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant):
            docstring = body[0].value
        for child in ast.iter_child_nodes(node):
            if child is not None and isinstance(child, ast.Expr) and child.value is docstring:
                continue
            if isinstance(child, ast.Constant) and isinstance(child.value, str) and child.value in VALUES:
                found.append((child.lineno, child.value))
            visit(child)

    visit(tree)
    return found


def test_no_enum_value_is_written_as_a_bare_string():
    offences = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        offences += [f"{path.relative_to(ROOT)}:{line}: {value!r} (use {VALUES[value]})"
                     for line, value in _literals(tree)]
    assert not offences, "bare strings of closed sets:\n" + "\n".join(offences)


def test_the_scan_finds_a_bare_status():
    tree = ast.parse('def f(app):\n    return app.status == "APPROVED"\n')
    assert _literals(tree) == [(2, "APPROVED")]
    tree = ast.parse('class S(StrEnum):\n    APPROVED = "APPROVED"\n')
    assert _literals(tree) == []
