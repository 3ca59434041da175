"""接続形態: how an office connects to NACCS, and the rules that hang on it."""
from __future__ import annotations

from enum import StrEnum


class ConnectionType(StrEnum):
    NET = "NET"            # netNACCS (internet)
    GENERAL = "GENERAL"    # 一般 NACCS (leased line or VPN)


def requires_system_diagram(connection_type: str | None) -> bool:
    """一般 NACCS applications must attach a システム構成図 (SPEC §2.3)."""
    return connection_type == ConnectionType.GENERAL


def requires_line_work(connection_type: str | None) -> bool:
    """回線工事 is asked only for 一般 NACCS."""
    return connection_type == ConnectionType.GENERAL
