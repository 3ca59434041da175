"""short search: indexes for one- and two-character partial words (PostgreSQL), n-grams (SQLite)

Revision ID: 0021_short_search
Revises: 0020_perf_indexes
Create Date: 2026-12-01 23:20:00

Issue 9 item 5: pg_trgm cannot serve a pattern shorter than three characters, so 物流 or 通関 scanned
the table (859 ms at 1M applicants); SQLite scanned for every partial word (~330 ms at 1M).

PostgreSQL: nss_short_grams(text) is every one- and two-character substring of the text, as an
array (empty text: an empty array); a GIN index on it per searched column answers `nss_short_grams(col) @> ARRAY[word]` for
a word of one or two characters exactly. Longer words keep the trigram indexes of 0005.

SQLite: an FTS5 table applicant_ngrams holds, per applicant, the hex-encoded two-character
substrings of each searched column in text order and the single characters. A word of two or more
characters is the phrase of its own consecutive pairs (so it matches exactly where the word
occurs), one character a single token. Hex keeps every token one ASCII word for FTS5's `ascii`
tokenizer whatever the characters (spaces, punctuation). It is contentless and kept by triggers,
so every writer (the ORM, Core bulk inserts, raw SQL) keeps it current.
"""
from alembic import op

revision = '0021_short_search'
down_revision = '0020_perf_indexes'
branch_labels = None
depends_on = None

SEARCHED = {"name": "contact_name_search", "company": "company_name_search"}
PG_INDEXES = {f"ix_applicants_{field}_short_grams": column for field, column in SEARCHED.items()}

# PL/pgSQL: 2-3 µs a name against 12 µs for the same in SQL (generate_series and array_agg), and
# a walk of the newest rows computes it for each row that holds the word. Repeats stay in the
# array (GIN keeps each key once).
PG_FUNCTION = """
CREATE OR REPLACE FUNCTION nss_short_grams(t text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  grams text[] := string_to_array(t, NULL);
BEGIN
  FOR i IN 1 .. length(t) - 1 LOOP
    grams := grams || substr(t, i, 2);
  END LOOP;
  RETURN grams;
END $$"""

FTS_COLUMNS = [f"{field}_{part}" for part in ("bigrams", "chars") for field in SEARCHED]
TRIGGERS = ("applicants_ngrams_insert", "applicants_ngrams_delete", "applicants_ngrams_update")


def _grams(column: str, size: int) -> str:
    """SQL: the hex of each `size`-character substring of `column`, space-separated, in text order.
    json_each over an array of as many zeros as there are substrings counts the positions (a
    trigger body cannot hold a recursive CTE)."""
    count = f"length({column})" + (" - 1" if size == 2 else "")
    return (f"(SELECT group_concat(hex(substr({column}, j.key + 1, {size})), ' ') FROM "
            f"json_each('[' || substr(replace(hex(zeroblob({count})), '00', ',0'), 2) || ']') AS j)")


def _values(row: str) -> str:
    return ", ".join(_grams(f"{row}.{SEARCHED[col.split('_')[0]]}", 2 if col.endswith("bigrams") else 1)
                     for col in FTS_COLUMNS)


def _insert(row: str, delete: bool) -> str:
    command = "applicant_ngrams, " if delete else ""
    first = "'delete', " if delete else ""
    return (f"INSERT INTO applicant_ngrams ({command}rowid, {', '.join(FTS_COLUMNS)}) "
            f"SELECT {first}{row}.id, {_values(row)}")


def _upgrade_sqlite() -> None:
    op.execute(f"CREATE VIRTUAL TABLE applicant_ngrams USING fts5({', '.join(FTS_COLUMNS)}, "
               "content='', tokenize='ascii')")
    op.execute(f"CREATE TRIGGER applicants_ngrams_insert AFTER INSERT ON applicants BEGIN "
               f"{_insert('new', False)}; END")
    op.execute(f"CREATE TRIGGER applicants_ngrams_delete AFTER DELETE ON applicants BEGIN "
               f"{_insert('old', True)}; END")
    op.execute(f"CREATE TRIGGER applicants_ngrams_update AFTER UPDATE OF {', '.join(SEARCHED.values())} "
               f"ON applicants BEGIN {_insert('old', True)}; {_insert('new', False)}; END")
    op.execute(_insert("applicants", False) + " FROM applicants")  # the rows already stored


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        _upgrade_sqlite()
        return
    op.execute(PG_FUNCTION)
    for name, column in PG_INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON applicants USING gin (nss_short_grams({column}))")
    # An expression index has no statistics until the table is analysed, and autovacuum analyses
    # only after enough writes: without them the planner takes every word for a rare one and reads
    # the index even for 田 (measured 180-370 ms at 1M instead of a walk of the newest rows).
    op.execute("ANALYZE applicants")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        for trigger in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS applicant_ngrams")
        return
    for name in PG_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    op.execute("DROP FUNCTION IF EXISTS nss_short_grams(text)")
