"""接続形態: how an office connects to NACCS, and the rules that hang on it.

A 新規利用申込 chooses one (SPEC §2.2: netNACCS or 一般 NACCS); an office adds the other by a
変更申込 and then holds both (BOTH). Every rule asks `uses_net` / `uses_general` here, never
compares with a value, so BOTH follows the rules of each kind it holds.
"""
from __future__ import annotations

from enum import StrEnum


class ConnectionType(StrEnum):
    NET = "NET"            # netNACCS (internet)
    GENERAL = "GENERAL"    # 一般 NACCS (leased line or VPN)
    BOTH = "BOTH"          # netNACCS と 一般 NACCS の両方 (the other one added by a 変更申込)


# The kinds of connection a value stands for (the reference data's 処理方式 are grouped by these).
_KINDS: dict[str, tuple[ConnectionType, ...]] = {
    ConnectionType.NET: (ConnectionType.NET,),
    ConnectionType.GENERAL: (ConnectionType.GENERAL,),
    ConnectionType.BOTH: (ConnectionType.NET, ConnectionType.GENERAL),
}
# What a 新規利用申込 offers: one kind only; both is a later 変更申込 (SPEC §2.2 table, screen 2).
SINGLE = (ConnectionType.NET, ConnectionType.GENERAL)


def kinds_of(connection_type: str | None) -> tuple[ConnectionType, ...]:
    return _KINDS.get(connection_type or "", ())


def uses_net(connection_type: str | None) -> bool:
    return ConnectionType.NET in kinds_of(connection_type)


def uses_general(connection_type: str | None) -> bool:
    return ConnectionType.GENERAL in kinds_of(connection_type)


def choices(*, change: bool) -> tuple[ConnectionType, ...]:
    """The values offered: a 変更申込 may also choose both (or give one of two up)."""
    return tuple(ConnectionType) if change else SINGLE


def stored_values_using(connection_type: str) -> tuple[str, ...]:
    """The stored values whose office uses what `connection_type` names: the queue's netNACCS filter
    finds the offices that hold both too (BOTH alone: only those)."""
    if connection_type == ConnectionType.BOTH:
        return (ConnectionType.BOTH.value,)
    return tuple(c.value for c in ConnectionType if connection_type in kinds_of(c))


def requires_system_diagram(connection_type: str | None) -> bool:
    """一般 NACCS applications must attach a システム構成図 (SPEC §2.3)."""
    return uses_general(connection_type)


def requires_line_work(connection_type: str | None) -> bool:
    """回線工事 is asked only for 一般 NACCS."""
    return uses_general(connection_type)


def requires_certificate(connection_type: str | None) -> bool:
    """netNACCS terminals get an electronic certificate (and its deadline)."""
    return uses_net(connection_type)
