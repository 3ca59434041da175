from locales import LANGUAGES, catalog


def test_every_language_has_the_same_keys():
    reference = set(catalog("ja"))
    for lang in LANGUAGES:
        assert set(catalog(lang)) == reference, f"{lang}: {set(catalog(lang)) ^ reference}"


def test_japanese_texts_are_japanese():
    texts = catalog("ja")
    assert texts["login.title"] == "ログイン"
    assert texts["nav.change_password"] == "パスワード変更"
