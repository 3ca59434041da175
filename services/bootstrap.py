"""Start-up: bring the schema to head, make sure reference rows exist, seed demo data if asked, and
start this process's periodic mail sender."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from config import settings
from db.engine import get_engine
from db.migrate import upgrade
from db.models import TermsVersion
from services import clock, mail
from services.uow import UnitOfWork

TERMS_FILE = Path(__file__).resolve().parent.parent / "templates" / "terms_v1.txt"


def ensure_terms(*, uow: UnitOfWork | None = None) -> None:
    with (uow or UnitOfWork()) as u:
        s = u.session
        if s.scalar(select(func.count()).select_from(TermsVersion)):
            return
        s.add(TermsVersion(version="1.0", body=TERMS_FILE.read_text(encoding="utf-8"), created_at=clock.now()))
        u.commit()


def bootstrap() -> None:
    upgrade(get_engine())
    ensure_terms()
    if settings().demo:
        from services.demo import seeding as demo
        demo.seed_if_empty()
    mail.start_periodic_sender()  # once per process: a second call finds it running
