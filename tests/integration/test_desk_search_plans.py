"""The desk's search conditions can use their indexes (EXPLAIN), as the service builds them.

PostgreSQL is told to avoid sequential scans, so a plan without the index means the index cannot
serve the condition (wrong operator class or collation), not that the tiny test table is cheaper
to scan. SQLite's planner uses a usable index for these ranges and equalities on its own.
"""
import pytest
from sqlalchemy import select, text

from db.engine import get_engine
from db.models import Applicant
from services.desk import query as q
from services.desk.search import _condition, _order

CASES = {  # query, field → the index its condition must be able to use, per backend
    ("やまだ", q.AUTO): {"sqlite": "ix_applicants_kana", "postgresql": "ix_applicants_kana_prefix"},
    ("03-1234", q.AUTO): {"sqlite": "ix_applicants_phone", "postgresql": "ix_applicants_phone_prefix"},
    ("taro@exa", q.AUTO): {"sqlite": "ix_applicants_email", "postgresql": "ix_applicants_email_prefix"},
    ("7000012050002", q.AUTO): {"sqlite": "ix_applicants_corporate_number",
                                "postgresql": "ix_applicants_corporate_number"},
    ("t123456789", q.AUTO): {"sqlite": "sqlite_autoindex_applicants", "postgresql": "applicants_temp_login_id_key"},
    ("NSS-2026-482913", q.AUTO): {"sqlite": "sqlite_autoindex_applications", "postgresql": "applications_ref_no_key"},
    # Partial matches scan on SQLite by design (measured by the bench).
    ("美智子", q.NAME): {"sqlite": "SCAN", "postgresql": "ix_applicants_name_search_trgm"},
    ("pacific", q.COMPANY): {"sqlite": "SCAN", "postgresql": "ix_applicants_company_search_trgm"},
}


@pytest.mark.parametrize("text_, field", list(CASES))
def test_search_condition_uses_its_index(db, text_, field):
    engine = get_engine(db)
    dialect = engine.dialect.name
    expected = CASES[(text_, field)][dialect]
    query = q.parse(text_, field)
    stmt = select(Applicant.id).where(_condition(query, dialect)).order_by(*_order(query.kind, dialect)).limit(50)
    sql = str(stmt.compile(engine, compile_kwargs={"literal_binds": True}))
    with engine.begin() as conn:
        if dialect == "postgresql":
            conn.execute(text("SET LOCAL enable_seqscan = off"))
            if "trgm" in expected:  # as find_callers does for partial matches
                conn.execute(text("SET LOCAL enable_indexscan = off"))
            plan = "\n".join(r[0] for r in conn.execute(text("EXPLAIN " + sql)))
        else:
            plan = "\n".join(str(r[-1]) for r in conn.execute(text("EXPLAIN QUERY PLAN " + sql)))
    assert expected in plan, plan
