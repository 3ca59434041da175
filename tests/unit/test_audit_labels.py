"""Every audit action the services record has a label for the histories (ja and en):
without one the history shows the raw action code (e.g. `desk.acting_started`)."""
import ast
import re
from pathlib import Path

from locales import catalog
from services.audit import AuditAction

SERVICES = Path(__file__).resolve().parents[2] / "services"
ACTION = re.compile(r"^[a-z_]+\.[a-z_]+$")
CALLS = {"record", "transition", "_move", "add_note"}  # audit.record(..., "x.y"), workflow.transition(..., action="x.y")


def _strings(node: ast.AST) -> list[str]:
    """Action literals ("x.y") and AuditAction members (AuditAction.X) in a call's arguments."""
    found = [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
             and ACTION.match(n.value)]
    found += [AuditAction[n.attr].value for n in ast.walk(node) if isinstance(n, ast.Attribute)
              and isinstance(n.value, ast.Name) and n.value.id == "AuditAction" and n.attr in AuditAction.__members__]
    return found


def recorded_actions() -> set[str]:
    found: set[str] = set()
    for path in SERVICES.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
                if name in CALLS:
                    for arg in [*node.args, *(k.value for k in node.keywords if k.arg in (None, "action"))]:
                        found.update(_strings(arg))
    return found


def test_the_scan_finds_the_actions_of_each_area():
    actions = recorded_actions()
    for expected in ("application.start", "review.approved", "desk.acting_started", "user.deactivated"):
        assert expected in actions


def test_every_recorded_action_has_a_history_label_in_both_languages():
    actions = recorded_actions()
    for lang in ("ja", "en"):
        labels = catalog(lang)
        missing = sorted(a for a in actions if f"audit.{a}" not in labels)
        assert missing == [], f"{lang}: {missing}"


def test_every_audit_action_has_one_label_and_no_label_is_left_over():
    for lang in ("ja", "en"):
        labelled = {k.removeprefix("audit.") for k in catalog(lang) if k.startswith("audit.")}
        assert labelled == {a.value for a in AuditAction}, lang
