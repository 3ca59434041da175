"""codes.batch: the demo seeding reserves codes without a query and a flush per code, still unique."""
from sqlalchemy import delete, event, func, select

from db.engine import get_engine
from db.models import IssuedCode
from services import clock, codes
from services.uow import UnitOfWork
from tests.factories import make_applicant


def test_batch_skips_issued_and_batch_codes_and_writes_all_at_the_callers_flush(db):
    with UnitOfWork() as u:
        s = u.session
        s.add(IssuedCode(code="AAA", kind="USER_CODE", issued_at=clock.now()))
        s.commit()
    offered = iter(["AAA", "BBB", "BBB", "CCC"])
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731 (conn, cursor, statement, ...)
    with UnitOfWork() as u, codes.batch(u.session):
        s = u.session
        event.listen(get_engine(), "before_cursor_execute", listener)
        try:
            got = [codes._reserve(s, "USER_CODE", lambda: next(offered)) for _ in range(2)]
        finally:
            event.remove(get_engine(), "before_cursor_execute", listener)
        s.commit()
    assert got == ["BBB", "CCC"]
    assert statements == []  # no query, no flush per code
    with UnitOfWork() as u:
        s = u.session
        assert s.scalar(select(func.count()).select_from(IssuedCode)) == 3


def test_outside_a_batch_each_code_is_flushed_at_once(db):
    with UnitOfWork() as u:
        s = u.session
        code = codes.new_user_code(s)
        with s.no_autoflush:  # so the query sees only what _reserve itself flushed
            assert s.scalar(select(IssuedCode.code).where(IssuedCode.code == code)) == code


def _applicant_row_without_issued_code(temp_login_id: str) -> None:
    """As imported data or the bench generator write it: the code is in applicants only."""
    make_applicant(temp_login_id)
    with UnitOfWork() as u:
        u.session.execute(delete(IssuedCode).where(IssuedCode.code == temp_login_id))
        u.session.commit()


def test_a_code_held_by_a_row_without_an_issued_codes_entry_is_not_offered_again(db):
    """issue 9 item 5: a demo seed on a database that already holds data collided on
    applicants.temp_login_id; both paths now check the owning column too."""
    _applicant_row_without_issued_code("T2222222")
    for batched in (False, True):
        make = iter(["T2222222", "T3333333" if batched else "T4444444"]).__next__
        with UnitOfWork() as u:
            s = u.session
            if batched:
                with codes.batch(s):
                    got = codes._reserve(s, codes.CodeKind.TEMP_LOGIN, make)
            else:
                got = codes._reserve(s, codes.CodeKind.TEMP_LOGIN, make)
            s.commit()
        assert got == ("T3333333" if batched else "T4444444")
