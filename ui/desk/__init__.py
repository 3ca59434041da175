"""Support-desk screen parts (SPEC §3.2): search, caller record, new caller, 代理入力中 banner."""
from __future__ import annotations

from services.clock import JST

OPEN_CALLER_KEY = "desk_open_caller"   # applicant id whose record the desk page shows
FLASH_KEY = "desk_flash"               # one-off success message after a rerun


def jst(moment) -> str:
    return moment.astimezone(JST).strftime("%Y-%m-%d %H:%M")
