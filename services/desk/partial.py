"""Partial name/company matching on the indexes of migration 0021_short_search (and 0005's trigrams).

Both sides are db.search_text.search_key already (the stored *_search columns and the query).
PostgreSQL: a word of one or two characters is looked up in the GIN index of nss_short_grams (its
one- and two-character substrings, so the lookup is the exact answer), or found by walking the
newest rows when the index's statistics say it is common; from three characters the pg_trgm index
serves `LIKE '%word%'` (services/desk/search.py decides when). SQLite: the FTS5 table applicant_ngrams answers every
length exactly and hands the ids over newest first, so the capped search stops after COUNT_CAP.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, Select, Text, and_, cast, column, func, literal_column, or_, select, table, union
from sqlalchemy.dialects.postgresql import ARRAY, array
from sqlalchemy.sql.selectable import CompoundSelect

from db.models import Applicant

SHORT = 2  # longest word the short-gram index answers; pg_trgm takes over from three characters
LIKE_ESCAPE = "\\"
NGRAM_TABLE = "applicant_ngrams"  # SQLite only, kept by triggers on applicants
_NGRAMS = table(NGRAM_TABLE, column("rowid"))
_FTS_FIELD = {"name": Applicant.contact_name_search, "company": Applicant.company_name_search}


def escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains(column_, value: str, dialect: str) -> ColumnElement[bool]:
    """`column_` (a *_search column) holds `value`, written so the backend's index can answer it."""
    if dialect == "postgresql" and len(value) <= SHORT:
        # The index answers rare words exactly. For a common one (田) the planner, from the index's
        # statistics, walks the newest rows instead, and there `holds` (cheap) filters first: the
        # array is built only for the rows that hold the word (2-3 µs each).
        grams = func.nss_short_grams(column_, type_=ARRAY(Text))
        return and_(holds(column_, value), grams.contains(cast(array([value]), ARRAY(Text))))
    # Both sides are case-folded already, so a plain LIKE (PostgreSQL's ILIKE costs several times more).
    return column_.like("%" + escape_like(value) + "%", escape=LIKE_ESCAPE)


def holds(column_, value: str) -> ColumnElement[bool]:
    """The same test as `contains`, cheap per row and served by no index (PostgreSQL's planner takes
    the trigram index for a LIKE of any length, and reads all of it below three characters).
    `<> 0`, not `> 0`: the planner guesses 99.5% of rows pass an inequality it has no statistics
    for, and a third for `>`, which made a word of 2% look like 0.7% and read 20,000 rows through
    the index (100 ms) where a walk of the newest rows takes 20 ms."""
    return func.strpos(column_, value) != 0


def _hex(text: str) -> str:
    return text.encode().hex()   # as SQLite's hex() of the stored text (UTF-8); the tokenizer folds case


def fts_match(value: str, fields: tuple[str, ...]) -> str:
    """The FTS5 query for `value` in any of `fields` ("name", "company") of applicant_ngrams."""
    if len(value) == 1:
        return _columns(fields, "chars") + " : " + _hex(value)
    pairs = " ".join(_hex(value[i:i + 2]) for i in range(len(value) - 1))
    return _columns(fields, "bigrams") + f' : "{pairs}"'   # a phrase: the pairs one after another


def _columns(fields: tuple[str, ...], part: str) -> str:
    return "{" + " ".join(f"{f}_{part}" for f in fields) + "}"


def sqlite_ids(value: str, fields: tuple[str, ...], exact: tuple[ColumnElement[bool], ...],
               limit: int) -> Select | CompoundSelect:
    """Applicant ids, newest first, at most `limit`: a match of `value` in `fields`, or a row of
    one of the `exact` conditions. FTS5 walks its rowids backwards and stops at the limit; a UNION
    merges it with one ordered arm per exact condition (one arm holding an OR scans the table)."""
    matched = select(_NGRAMS.c.rowid.label("id")).where(
        literal_column(NGRAM_TABLE).op("MATCH")(fts_match(value, fields)))
    if not exact:
        return matched.order_by(_NGRAMS.c.rowid.desc()).limit(limit)
    arms = [select(Applicant.id).where(condition) for condition in exact]
    return union(matched, *arms).order_by(literal_column("id").desc()).limit(limit)


def any_field(value: str, dialect: str) -> ColumnElement[bool]:
    return or_(*(contains(c, value, dialect) for c in _FTS_FIELD.values()))
