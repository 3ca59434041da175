"""The desk's search conditions can use their indexes (EXPLAIN), as the service builds them.

PostgreSQL is told to avoid sequential scans, so a plan without the index means the index cannot
serve the condition (wrong operator class or collation), not that the tiny test table is cheaper
to scan. SQLite's planner uses a usable index for these ranges and equalities on its own; its
partial matches read the FTS5 n-gram table, newest first without sorting (0021_short_search).
"""
import pytest
from sqlalchemy import text

from db.engine import get_engine
from services.desk import query as q
from services.desk.search import ids_select

_FTS = "SCAN applicant_ngrams VIRTUAL TABLE"
CASES = {  # query, field → the index its condition must be able to use, per backend
    ("やまだ", q.AUTO): {"sqlite": "ix_applicants_kana", "postgresql": "ix_applicants_kana_prefix"},
    ("03-1234", q.AUTO): {"sqlite": "ix_applicants_phone", "postgresql": "ix_applicants_phone_prefix"},
    ("taro@exa", q.AUTO): {"sqlite": "ix_applicants_email", "postgresql": "ix_applicants_email_prefix"},
    ("7000012050002", q.AUTO): {"sqlite": "ix_applicants_corporate_number",
                                "postgresql": "ix_applicants_corporate_number"},
    ("t123456789", q.AUTO): {"sqlite": "sqlite_autoindex_applicants", "postgresql": "applicants_temp_login_id_key"},
    ("NSS-2026-482913", q.AUTO): {"sqlite": "sqlite_autoindex_applications", "postgresql": "applications_ref_no_key"},
    # Partial matches: pg_trgm from three characters, the short-gram index below.
    ("美智子", q.NAME): {"sqlite": _FTS, "postgresql": "ix_applicants_name_search_trgm"},
    ("pacific", q.COMPANY): {"sqlite": _FTS, "postgresql": "ix_applicants_company_search_trgm"},
    ("物流", q.COMPANY): {"sqlite": _FTS, "postgresql": "ix_applicants_company_short_grams"},
    ("通", q.NAME): {"sqlite": _FTS, "postgresql": "ix_applicants_name_short_grams"},
    ("通関", q.AUTO): {"sqlite": _FTS, "postgresql": "ix_applicants_name_short_grams"},
}
TEXT_SHORT = {"sqlite": "MERGE (UNION)", "postgresql": "ix_applicants_company_short_grams"}


@pytest.mark.parametrize("text_, field", list(CASES))
def test_search_condition_uses_its_index(db, text_, field):
    engine = get_engine(db)
    dialect = engine.dialect.name
    expected = CASES[(text_, field)][dialect]
    query = q.parse(text_, field)
    plan = _plan(engine, query, bitmap="trgm" in expected or "short_grams" in expected)
    assert expected in plan, plan
    if expected == _FTS:
        assert "TEMP B-TREE" not in plan  # no sort of every match before the limit


def test_short_free_text_reads_both_names_and_the_codes(db):
    engine = get_engine(db)
    plan = _plan(engine, q.parse("ab", q.AUTO), bitmap=True)  # could be a code as well
    assert TEXT_SHORT[engine.dialect.name] in plan, plan
    assert "SCAN applicants" not in plan and "Seq Scan" not in plan and "TEMP B-TREE" not in plan, plan


def _plan(engine, query, bitmap: bool) -> str:
    dialect = engine.dialect.name
    sql = str(ids_select(query, dialect).compile(engine, compile_kwargs={"literal_binds": True}))
    with engine.begin() as conn:
        if dialect == "postgresql":
            conn.execute(text("SET LOCAL enable_seqscan = off"))
            if bitmap:  # can the index serve it? (not: would the planner take it on a tiny table)
                conn.execute(text("SET LOCAL enable_indexscan = off"))
            return "\n".join(r[0] for r in conn.execute(text("EXPLAIN " + sql)))
        return "\n".join(str(r[-1]) for r in conn.execute(text("EXPLAIN QUERY PLAN " + sql)))
