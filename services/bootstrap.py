"""Start-up: bring the schema to head, make sure reference rows exist, seed demo data if asked, and
start this process's periodic mail sender and background jobs (services/jobs.py).

`prepare()` is the set-up (`manage.py prepare`, run by `dev.py run` before the server starts, or
`python -m services.bootstrap`); it starts nothing. `bootstrap()` is what the server process calls
once (app.py): one query says whether the database is already prepared (schema at head, terms,
demo staff in demo mode); only when it is not — `streamlit run app.py` on an empty data folder —
it prepares first. Then it starts the periodic mail sender, which belongs to the server process.
"""
from __future__ import annotations

import gc
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from config import settings
from db.engine import get_engine
from db.migrate import upgrade
from db.models import TermsVersion
from services import bulletin_board, clock, jobs, mail
from services.uow import UnitOfWork

TERMS_FILE = Path(__file__).resolve().parent.parent / "templates" / "terms_v1.txt"
FIRST_TERMS_EFFECTIVE = datetime(2020, 1, 1, tzinfo=clock.JST)  # before any account could exist


def ensure_terms(*, uow: UnitOfWork | None = None) -> None:
    with (uow or UnitOfWork()) as u:
        s = u.session
        if s.scalar(select(func.count()).select_from(TermsVersion)):
            return
        # The first version has always been in force: an account backdated by demo data or a test
        # agrees to it too.
        s.add(TermsVersion(version="1.0", body=TERMS_FILE.read_text(encoding="utf-8"), created_at=clock.now(),
                           effective_from=FIRST_TERMS_EFFECTIVE))
        u.commit()


@lru_cache(maxsize=1)
def schema_heads() -> frozenset[str]:
    """The migration heads of this code (read from the scripts once per process)."""
    from alembic.script import ScriptDirectory

    from db.migrate import MIGRATIONS_DIR, alembic_config
    cfg = alembic_config("sqlite://")
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return frozenset(ScriptDirectory.from_config(cfg).get_heads())


def _demo_marker_login_key() -> str:
    from services.auth import login_key
    from services.demo.accounts import DEMO_STAFF
    return login_key(DEMO_STAFF[0][0])


def is_prepared() -> bool:
    """One query: the schema's version rows are this code's heads, the terms exist, and in demo mode
    the demo world is there (its first staff user, which seeding adds in the same transaction)."""
    demo = settings().demo
    query = text(
        "SELECT (SELECT count(*) FROM terms_versions),"
        + (" (SELECT count(*) FROM users WHERE login_key = :demo_key)," if demo else "")
        + " version_num FROM alembic_version")
    try:
        with get_engine().connect() as conn:
            rows = conn.execute(query, {"demo_key": _demo_marker_login_key()} if demo else {}).all()
    except SQLAlchemyError:  # an empty database: no alembic_version table yet
        return False
    if not rows or {row[-1] for row in rows} != schema_heads():
        return False
    return all(value > 0 for value in rows[0][:-1])


def prepare() -> None:
    """Migrations, reference rows and, in demo mode, the demo data. Idempotent; starts nothing
    that outlives it."""
    hashes = None
    if settings().demo and not is_prepared():
        # bcrypt releases the GIL: every hash the seeding needs (~0.25 s each at cost 12) is made on
        # the other core while the migrations and the seeding run, instead of one after another.
        from services.demo import accounts
        hashes = accounts.HashesAhead()
    upgrade(get_engine())
    ensure_terms()
    bulletin_board.ensure_survey_forms()  # every deployment offers the survey forms on the 掲示板
    if settings().demo:
        from services.demo import seeding as demo
        demo.seed_if_empty(hashes=hashes)
        # The seed's システム設定 suggestions loaded pykakasi's dictionaries (~100 MB, issue 9 item 6);
        # `manage.py serve` becomes the server after this, which needs them only when an office
        # starts a システム設定申込: let them go (gc frees them; loaded again on that first use).
        from services.system_settings import romanise
        if romanise.release():
            gc.collect()


def bootstrap() -> bool:
    """The server's start-up; True when the database was prepared already (the fast path)."""
    prepared = is_prepared()
    if not prepared:
        prepare()
    mail.start_periodic_sender()  # once per process: a second call finds it running
    jobs.start_periodic_jobs()    # the cut-off and any other due job (NSS_JOBS_BACKGROUND=0: none)
    return prepared


if __name__ == "__main__":
    prepare()
