"""codes.batch: the demo seeding reserves codes without a query and a flush per code, still unique."""
from sqlalchemy import event, func, select

from db.engine import get_engine
from db.models import IssuedCode
from services import clock, codes
from services.uow import UnitOfWork


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
