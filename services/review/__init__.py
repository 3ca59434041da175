"""The reviewers' side (SPEC §3.1): queue, dashboard figures, detail, decisions, CSV export."""
