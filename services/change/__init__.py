"""変更申込 (SPEC §2.6): an office changes parts of its contract from an effective month."""
