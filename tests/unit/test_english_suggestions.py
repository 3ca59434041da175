"""The English suggestion romanised from the Japanese name (issue 10 item 2, beyond NSS): realistic
company, office, person and address names, and the one pykakasi instance shared by threads."""
from __future__ import annotations

import threading
import time

import pykakasi
import pytest

from services.system_settings import english, romanise
from services.system_settings.english import normalise_english, suggest_english

EXPECTED = [
    # companies: the corporate form at the end, whichever end it was typed at
    ("株式会社山田物流", "Yamada Butsuryu Co., Ltd."),
    ("山田物流株式会社", "Yamada Butsuryu Co., Ltd."),
    ("㈱山田物流", "Yamada Butsuryu Co., Ltd."),
    ("（株）山田物流", "Yamada Butsuryu Co., Ltd."),
    ("有限会社鈴木運輸", "Suzuki Unyu Ltd."),
    ("合同会社ＡＢＣトレーディング", "ABC Trading LLC"),
    ("山田株式会社東京支店", "Yamada Co., Ltd. Tokyo Branch"),  # in the middle: translated in place
    # offices
    ("横浜営業所", "Yokohama Office"),
    ("成田空港営業所", "Narita Airport Office"),
    ("羽田物流センター", "Haneda Butsuryu Center"),
    ("大阪支店", "Osaka Branch"),
    ("第２営業所", "Dai 2 Office"),
    # people: the order as typed, long vowels not marked, no apostrophe
    ("山田　太郎", "Yamada Taro"),
    ("佐藤一郎", "Sato Ichiro"),
    ("加藤 健一", "Kato Kenichi"),
    ("井上 順子", "Inoue Junko"),
    ("髙橋 一郎", "Takahashi Ichiro"),
    ("山﨑 花子", "Yamazaki Hanako"),
    # addresses: small to large, block numbers as 1-2-3
    ("東京都港区芝公園一丁目2番3号", "1-2-3 Shibakoen, Minato-ku, Tokyo"),
    ("東京都千代田区丸の内１－２－３　丸の内ビル５階", "Marunouchi Bldg. 5F, 1-2-3 Marunouchi, Chiyoda-ku, Tokyo"),
    ("大阪府大阪市北区梅田３丁目１番３号", "3-1-3 Umeda, Kita-ku, Osaka-shi, Osaka"),
    ("神奈川県横浜市中区山下町1番地", "1 Yamashitacho, Naka-ku, Yokohama-shi, Kanagawa"),
    ("〒100-0001 東京都千代田区千代田1-1", "1-1 Chiyoda, Chiyoda-ku, Tokyo 100-0001"),
    ("埼玉県入間郡三芳町竹間沢1-1", "1-1 Takekansawa, Miyoshi-machi, Iruma-gun, Saitama"),
    ("東京都中央区日本橋本町二丁目3番4号 日本橋ビル10階1001号室",
     "Nihonbashi Bldg. 10F Room 1001, 2-3-4 Nihonbashi Honcho, Chuo-ku, Tokyo"),
]


@pytest.mark.parametrize("japanese, expected", EXPECTED)
def test_realistic_names(japanese, expected):
    assert suggest_english(japanese) == expected
    assert normalise_english(expected).accepted


@pytest.mark.parametrize("japanese", ["", "   ", "々", "〆", "😀", "＠＃"])
def test_nothing_romanisable_gives_an_empty_suggestion(japanese):
    assert suggest_english(japanese) == ""


def test_unromanisable_characters_are_dropped_not_kept():
    assert suggest_english("😀山田＃物流") == "Yamada Butsuryu"
    assert suggest_english("「山田」物流") == "Yamada Butsuryu"


def test_latin_letters_are_kept_as_typed_and_accents_dropped():
    assert suggest_english("NACCSサービス") == "NACCS Service"
    assert suggest_english("Café山田") == "Cafe Yamada"


def test_a_name_with_a_ward_but_no_block_numbers_is_no_address():
    assert suggest_english("北区運送") == "Kitaku Unso"
    assert suggest_english("山田(東京)") == "Yamada (Tokyo)"


def test_kanji_numbers_of_blocks():
    assert romanise._kanji_number("二十三") == 23
    assert romanise._kanji_number("十") == 10
    assert romanise._kanji_number("百五") == 105
    assert romanise._kanji_number("一〇") == 10


def test_one_pykakasi_instance_made_lazily_once_for_many_threads(monkeypatch):
    made = []

    class SlowKakasi(pykakasi.Kakasi):
        def __init__(self):
            made.append(1)
            time.sleep(0.05)  # widens the window in which a second thread could make another one
            super().__init__()

    monkeypatch.setattr(romanise, "_kakasi", None)
    monkeypatch.setattr(pykakasi, "Kakasi", SlowKakasi)
    english.suggest_english.cache_clear()
    results: list[str] = []
    start = threading.Barrier(8)

    def work():
        start.wait()
        results.append(suggest_english("株式会社山田物流"))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 1
    assert results == ["Yamada Butsuryu Co., Ltd."] * 8
    english.suggest_english.cache_clear()
