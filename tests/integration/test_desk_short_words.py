"""Partial words of one and two characters (issue 9 item 5), on both backends: exact answers from
the short-gram index (PostgreSQL) and the n-gram table (SQLite, every length), kept current by any
writer."""
from sqlalchemy import text

from db.engine import get_engine
from services.authz import DESK
from services.desk import query as q
from services.desk.search import find_callers
from tests.factories import make_caller, make_staff


def _found(desk, word, field=q.AUTO):
    return {h.contact_name for h in find_callers(desk, word, field).hits}


def test_one_and_two_character_words_anywhere_in_the_text(db):
    desk = make_staff("desk1", DESK)
    make_caller(name="山田 太郎", company="ABC物流")              # word at the end
    make_caller(name="物部 花子", company="物流センター株式会社")   # at the start
    make_caller(name="田中 通", company="大阪通関サービス")         # in the middle
    make_caller(name="佐藤 一", company="100%商事")
    assert _found(desk, "物流", q.COMPANY) == {"山田 太郎", "物部 花子"}
    assert _found(desk, "通関") == {"田中 通"}
    assert _found(desk, "物") == {"山田 太郎", "物部 花子"}               # name or company
    assert _found(desk, "物", q.NAME) == {"物部 花子"}
    assert _found(desk, "通", q.NAME) == {"田中 通"}
    assert _found(desk, "田太") == set()                              # both there, not side by side
    assert _found(desk, "田 太") == {"山田 太郎"}                        # a space is a character too
    assert _found(desk, "a", q.COMPANY) == {"山田 太郎"}                # folded: stored ABC
    assert _found(desk, "%") == {"佐藤 一"}                            # no wildcard
    assert _found(desk, "0%商") == {"佐藤 一"}
    assert _found(desk, "センター株式", q.COMPANY) == {"物部 花子"}      # longer words as before
    assert _found(desk, "流セ") == {"物部 花子"}


def test_many_matches_come_newest_first(db):
    desk = make_staff("desk1", DESK)
    ids = [make_caller(name=f"鈴木 {i}", company="港運輸") for i in range(5)]
    result = find_callers(desk, "運", q.COMPANY)
    assert [h.applicant_id for h in result.hits] == ids[::-1]
    assert result.total == 5


def test_rows_changed_outside_the_orm_are_found_as_they_are_now(db):
    desk = make_staff("desk1", DESK)
    caller = make_caller(name="山田 太郎", company="旧社名")
    engine = get_engine(db)
    with engine.begin() as conn:  # a Core/raw writer: SQLite's triggers keep the n-grams current
        conn.execute(text("UPDATE applicants SET company_name = '新通関', company_name_search = '新通関' "
                          "WHERE id = :id"), {"id": caller})
    assert _found(desk, "通関") == {"山田 太郎"}
    assert _found(desk, "旧社") == set()
    with engine.begin() as conn:
        conn.execute(text("UPDATE applicants SET contact_name_search = 'x' WHERE id = :id"), {"id": caller})
    assert _found(desk, "山", q.NAME) == set()
    assert _found(desk, "x", q.NAME) == {"山田 太郎"}


def test_a_common_long_word_and_a_rare_one_give_the_newest_matches(db, monkeypatch):
    """PostgreSQL looks for a long word in the newest rows first (then in more of them when those
    promise the cap cheaply) and takes the trigram index only when they do not fill the cap:
    either way the answer is the newest matches, capped."""
    from services.desk import search
    monkeypatch.setattr(search, "COUNT_CAP", 3)
    monkeypatch.setattr(search, "NEWEST_WINDOW", 2)   # the newest 2 rows: ids[5:], then 5: ids[2:]
    desk = make_staff("desk1", DESK)
    companies = ["共通社端", "共通社稀少", "共通社", "共通社", "共通社", "共通社端", "共通社端"]
    ids = [make_caller(name=f"鈴木 {i}", company=c) for i, c in enumerate(companies)]

    def hits(word):
        result = find_callers(desk, word, q.COMPANY)
        return [h.applicant_id for h in result.hits], result.total_capped
    assert hits("共通社") == ([ids[6], ids[5], ids[4]], True)    # the cap met in the newest rows
    assert hits("通社端") == ([ids[6], ids[5], ids[0]], True)    # two new, one older than them all
    assert hits("社稀少") == ([ids[1]], False)                   # only an old row
    assert hits("共通") == ([ids[6], ids[5], ids[4]], True)      # short words: capped alike
