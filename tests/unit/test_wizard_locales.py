"""The wizard's labels exist in Japanese and English with the same keys, for every field."""
import tomllib

from locales import LOCALES_DIR, catalog
from services.application.fieldspec import ROWS, Context
from services.application.sections import SECTIONS


def _keys(lang):
    with (LOCALES_DIR / lang / "wizard.toml").open("rb") as f:
        out = {}
        def walk(prefix, node):
            for k, v in node.items():
                walk(f"{prefix}.{k}", v) if isinstance(v, dict) else out.setdefault(f"{prefix}.{k}", v)
        walk("", tomllib.load(f))
        return set(out)


def test_same_keys_in_both_languages():
    assert _keys("ja") == _keys("en")


def test_every_section_and_field_has_a_label():
    for lang in ("ja", "en"):
        labels = catalog(lang)
        for section in SECTIONS:
            assert section.label_key in labels
            for spec in section.fields:
                assert f"wizard.field.{section.key}.{spec.name}" in labels, (lang, spec.name)
                if spec.kind == ROWS:
                    for sub in spec.row_fields:
                        assert f"wizard.row.{section.key}.{sub.name}" in labels, (lang, sub.name)
                if spec.option_labels:
                    # A 変更申込's context: the widest choice (接続形態 両方 too).
                    for value in spec.option_values(Context(chosen=frozenset())):
                        assert f"{spec.option_labels}.{value}" in labels


def test_every_error_code_in_the_services_has_words():
    import re
    from pathlib import Path
    root = Path(__file__).resolve().parents[2]
    codes = set()
    for path in list((root / "services" / "application").glob("*.py")):
        codes |= set(re.findall(r'"(wizard\.error\.[a-z_]+)"', path.read_text(encoding="utf-8")))
    assert codes
    for lang in ("ja", "en"):
        missing = {c for c in codes if c not in catalog(lang)}
        assert not missing, (lang, missing)
