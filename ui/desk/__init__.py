"""Support-desk screen parts (SPEC §3.2): search, caller record, new caller, 代理入力中 banner."""
from __future__ import annotations

OPEN_CALLER_KEY = "desk_open_caller"   # applicant id whose record the desk page shows
