"""Support desk (窓口担当, SPEC §3.2): find a caller, the caller's record, call notes."""
