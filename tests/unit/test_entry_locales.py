"""The applicant-entry label files have the same keys in Japanese and English, and every code the
services raise has a label."""
from __future__ import annotations

import tomllib
from pathlib import Path

from locales import catalog

ROOT = Path(__file__).resolve().parents[2]


def _keys(node, prefix=""):
    for key, value in node.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            yield from _keys(value, full)
        else:
            yield full


def test_same_keys_in_both_languages():
    ja = set(_keys(tomllib.loads((ROOT / "locales/ja/applicant_entry.toml").read_text(encoding="utf-8"))))
    en = set(_keys(tomllib.loads((ROOT / "locales/en/applicant_entry.toml").read_text(encoding="utf-8"))))
    assert ja == en and len(ja) > 50


def test_service_codes_and_notice_kinds_have_labels():
    import services.guidance
    import services.notices
    import services.reissue
    import services.temp_accounts  # noqa: F401 - they import cleanly
    codes = ["temp_account.must_agree", "temp_account.terms_changed", "temp_account.bad_channel",
             "reissue.code_format", "field.email_mismatch"]
    codes += [f"notices.kind.{k}" for k in ("RECEIPT", "APPROVED", "RETURNED", "REJECTED", "ID_NOTICE")]
    codes += [f"guidance.deadline.{k}" for k in ("temp_account", "system_settings", "id_notice", "certificate")]
    for lang in ("ja", "en"):
        missing = [c for c in codes if c not in catalog(lang)]
        assert not missing, (lang, missing)
