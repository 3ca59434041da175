"""Every review text key and error code used in code has words in both languages."""
import re
from pathlib import Path

from locales import LANGUAGES, catalog

ROOT = Path(__file__).resolve().parents[2]
FILES = [*ROOT.glob("screens/review/*.py"), *ROOT.glob("ui/review_*.py"), *ROOT.glob("services/review/*.py")]
KEY = re.compile(r"""(?<![f\w])["'](review\.[a-z_]+(?:\.[a-z_A-Z]+)*)["']""")


def test_review_keys_exist_in_every_language():
    used = {m for f in FILES for m in KEY.findall(f.read_text(encoding="utf-8"))}
    assert len(used) > 60  # the scan found the page texts and the service error codes
    for lang in LANGUAGES:
        # Audit action names ("review.approved") are labelled under audit.<action>.
        missing = {k for k in used if k not in catalog(lang) and f"audit.{k}" not in catalog(lang)}
        assert not missing, f"{lang}: {sorted(missing)}"


def test_status_and_kind_labels_cover_the_workflow():
    from services.review.queue import KINDS
    from services.workflow import ApplicationStatus
    for lang in LANGUAGES:
        assert all(f"application_status.{s}" in catalog(lang) for s in tuple(ApplicationStatus))
        assert all(f"application_kind.{k}" in catalog(lang) for k in KINDS)
