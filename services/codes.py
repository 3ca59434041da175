"""Generated codes: random, unique, never reused (every issued code is kept in issued_codes)."""
from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum

from sqlalchemy import select, union
from sqlalchemy.orm import InstrumentedAttribute, Session

from db.models import Applicant, Application, IssuedCode, UserCode
from db.reference import CODE_FORMATS
from services import clock

# Upper-case letters and digits without the look-alikes 0/O and 1/I (SPEC §5 warns of them).
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
DIGITS = "23456789"


class CodeKind(StrEnum):
    """What an issued code is (issued_codes.kind)."""
    TEMP_LOGIN = "TEMP_LOGIN"  # 仮ログイン ID
    OFFICE = "OFFICE"          # 事業所コード
    USER_CODE = "USER_CODE"    # 利用者コード
    ID_NUMBER = "USER_ID"      # 識別番号, kept as the whole 利用者ID (user_code + id_number)
    REF = "REF"                # 受付番号


def _random(length: int, alphabet: str = ALPHABET) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


# The column each kind ends up in. Rows not made through this module (imported data, a database
# generated for a benchmark) have no issued_codes row: a new code is checked against these too, or
# a demo seed on such a database collides on their unique keys (issue 9 item 5). 識別番号 live
# inside a JSON list and are checked in issued_codes only.
_OWNERS: dict[CodeKind, InstrumentedAttribute] = {
    CodeKind.TEMP_LOGIN: Applicant.temp_login_id, CodeKind.OFFICE: Applicant.office_code,
    CodeKind.USER_CODE: UserCode.user_code, CodeKind.REF: Application.ref_no}

_BATCH_KEY = "nss_codes_batch"  # Session.info: codes reserved in this batch, not flushed yet


@contextmanager
def batch(s: Session) -> Iterator[None]:
    """Reserve many codes without a query and a flush per code: for the demo seeding of an empty
    database at start-up (~1,000 codes in one transaction). The codes already issued are read once
    with the codes in the owning columns (few: the database is a fresh demo one); uniqueness then
    holds by checking that set, and the primary key still stops a concurrent twin at the caller's flush."""
    taken = union(select(IssuedCode.code), *(select(column).where(column.is_not(None)) for column in _OWNERS.values()))
    s.info[_BATCH_KEY] = set(s.scalars(select(taken.subquery().c[0])))
    try:
        yield
    finally:
        s.info.pop(_BATCH_KEY, None)


def _reserve(s: Session, kind: CodeKind, make) -> str:
    pending: set[str] | None = s.info.get(_BATCH_KEY)
    for _ in range(50):
        code = make()
        if pending is None:
            owner = _OWNERS.get(kind)
            if s.get(IssuedCode, code) is None and (
                    owner is None or s.scalar(select(owner).where(owner == code)) is None):
                s.add(IssuedCode(code=code, kind=kind, issued_at=clock.now()))
                s.flush()  # a concurrent twin fails here on the primary key, inside the caller's transaction
                return code
            continue
        if code not in pending:
            pending.add(code)
            s.add(IssuedCode(code=code, kind=kind, issued_at=clock.now()))
            return code
    raise RuntimeError(f"could not find a free {kind} code")


def new_temp_login_id(s: Session) -> str:
    f = CODE_FORMATS
    return _reserve(s, CodeKind.TEMP_LOGIN,
                    lambda: f["temp_login_prefix"] + _random(f["temp_login_length"] - 1, DIGITS))


def new_office_code(s: Session) -> str:
    # Offices never start with the temporary prefix, so the two kinds differ at a glance.
    def make() -> str:
        first = secrets.choice(ALPHABET.replace(CODE_FORMATS["temp_login_prefix"], ""))
        return first + _random(CODE_FORMATS["office_code_length"] - 1)
    return _reserve(s, CodeKind.OFFICE, make)


def new_user_code(s: Session) -> str:
    return _reserve(s, CodeKind.USER_CODE, lambda: _random(CODE_FORMATS["user_code_length"]))


def new_id_numbers(s: Session, user_code: str, count: int) -> list[str]:
    """識別番号 for one 利用者コード; the 8-character 利用者ID (user_code + id_number) is what is unique."""
    n = CODE_FORMATS["id_number_length"]
    return [_reserve(s, CodeKind.ID_NUMBER, lambda: user_code + _random(n))[len(user_code):] for _ in range(count)]


def new_reference_number(s: Session) -> str:
    year = clock.today_jst().year
    return _reserve(s, CodeKind.REF, lambda: f"NSS-{year}-{_random(6, DIGITS)}")


def is_issued(s: Session, code: str) -> bool:
    return s.scalar(select(IssuedCode.code).where(IssuedCode.code == code)) is not None
