"""Romanising a Japanese company, office, person name or address: the English fields' suggestion.

pykakasi (Hepburn) reads the kanji; this module writes its output the way English names of
Japanese firms and places usually are, which is a choice, documented here:

- Long vowels are not marked (as on passports and in most company names): ou/oo → o, uu → u
  (Tokyo, Osaka, Sato, Butsuryu, Koen), except where the u starts the reading of the next kanji
  (_U_READINGS: 井上 Inoue, 丸の内 Marunouchi, 松浦 Matsuura). In katakana words the long mark ー
  is dropped (センター → senta, unless a glossary word). No apostrophe (Kenichi); n stays n
  before b/m/p (Shinbashi), as pykakasi's Hepburn gives it.
- pykakasi 2.3.0 cannot read a few name variants (髙, 﨑, 濵 ...; _VARIANTS maps them to the
  common kanji) and, after a kanji it cannot read, drops the next character too: such a kanji
  is cut out before conversion, so only it is lost.
- Words as pykakasi splits them, each capitalised; a one-character piece joins its neighbour.
  Person names keep the order typed (family name first: Yamada Taro).
- Corporate forms: 株式会社 / (株) → "Co., Ltd.", 有限会社 / (有) → "Ltd.", 合同会社 / (同) → "LLC",
  placed at the end when they were at the start or the end; elsewhere translated in place.
- A few words of office names and loanwords are translated (GLOSSARY: 営業所 → Office ...).
- An address (it starts with a prefecture, or has a 市/区 and block numbers) is written small to
  large: building, block numbers and town, ward, city, county, prefecture
  (東京都港区芝公園一丁目2番3号 → "1-2-3 Shibakoen, Minato-ku, Tokyo"); 都/道/府/県 are left out,
  市 区 郡 町 村 become -shi -ku -gun -machi/-cho -mura, 丁目 番(地) 号 become "1-2-3".

Deterministic. pykakasi is imported and its instance made once, on first use, under a lock (the
import alone takes a few tenths of a second, which every page importing the field specs would
pay at start-up); its convert() keeps no state between calls (dictionaries only, lru-cached
lookups), so threads share it.
"""
from __future__ import annotations

import re
import sys
import threading
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pykakasi

CORPORATE_FORMS: dict[str, str] = {"株式会社": "Co., Ltd.", "有限会社": "Ltd.", "合同会社": "LLC"}
_ABBREVIATED_FORMS = {"(株)": "株式会社", "(有)": "有限会社", "(同)": "合同会社"}  # after NFKC: ㈱ → (株)

GLOSSARY: dict[str, str] = {
    **CORPORATE_FORMS,
    "本社": "Head Office", "本店": "Head Office", "支社": "Branch", "支店": "Branch",
    "営業所": "Office", "事業所": "Office", "事務所": "Office", "出張所": "Office",
    "倉庫": "Warehouse", "空港": "Airport",
    "センター": "Center", "ロジスティクス": "Logistics", "トレーディング": "Trading",
    "エクスプレス": "Express", "サービス": "Service", "システムズ": "Systems", "システム": "System",
    "インターナショナル": "International", "ジャパン": "Japan", "グループ": "Group",
    "ホールディングス": "Holdings", "カーゴ": "Cargo", "シッピング": "Shipping",
    "トランスポート": "Transport", "ビルディング": "Building", "ビル": "Bldg.",
}

PREFECTURES: dict[str, str] = {
    "北海道": "Hokkaido", "青森県": "Aomori", "岩手県": "Iwate", "宮城県": "Miyagi", "秋田県": "Akita",
    "山形県": "Yamagata", "福島県": "Fukushima", "茨城県": "Ibaraki", "栃木県": "Tochigi", "群馬県": "Gunma",
    "埼玉県": "Saitama", "千葉県": "Chiba", "東京都": "Tokyo", "神奈川県": "Kanagawa", "新潟県": "Niigata",
    "富山県": "Toyama", "石川県": "Ishikawa", "福井県": "Fukui", "山梨県": "Yamanashi", "長野県": "Nagano",
    "岐阜県": "Gifu", "静岡県": "Shizuoka", "愛知県": "Aichi", "三重県": "Mie", "滋賀県": "Shiga",
    "京都府": "Kyoto", "大阪府": "Osaka", "兵庫県": "Hyogo", "奈良県": "Nara", "和歌山県": "Wakayama",
    "鳥取県": "Tottori", "島根県": "Shimane", "岡山県": "Okayama", "広島県": "Hiroshima", "山口県": "Yamaguchi",
    "徳島県": "Tokushima", "香川県": "Kagawa", "愛媛県": "Ehime", "高知県": "Kochi", "福岡県": "Fukuoka",
    "佐賀県": "Saga", "長崎県": "Nagasaki", "熊本県": "Kumamoto", "大分県": "Oita", "宮崎県": "Miyazaki",
    "鹿児島県": "Kagoshima", "沖縄県": "Okinawa",
}

# Hiragana, katakana (not the middle dot ・, a separator), kanji and their marks 々 〆 〇.
_JP = "\u3005-\u3007\u3031-\u3035\u3041-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_GLOSS = "|".join(sorted(map(re.escape, GLOSSARY), key=len, reverse=True))
_PIECE = re.compile(rf"(?P<space>[\s・]+)|(?P<gloss>{_GLOSS})|(?P<jp>(?:(?!{_GLOSS})[{_JP}])+)|(?P<other>[^\s・{_JP}]+)")
_LATIN_PARTS = re.compile(r"[A-Za-z0-9]+|[^A-Za-z0-9]+")
_KATAKANA = re.compile(r"[\u30a0-\u30ff]+")
_KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
# Kanji whose reading starts with u, so that "ou"/"uu" before it is two syllables, not a long vowel.
_U_READINGS = {"内": "uchi", "浦": "ura", "上": "ue", "植": "ue", "海": "umi", "梅": "ume", "牛": "ushi",
               "氏": "uji", "歌": "uta", "魚": "uo"}
_VARIANTS = str.maketrans({"髙": "高", "﨑": "崎", "濵": "浜", "𠮷": "吉", "栁": "柳", "德": "徳",
                           "淸": "清", "瀨": "瀬", "槗": "橋"})

_lock = threading.Lock()
_kakasi: pykakasi.Kakasi | None = None


def _converter() -> pykakasi.Kakasi:
    global _kakasi
    if _kakasi is None:
        with _lock:
            if _kakasi is None:
                import pykakasi  # late on purpose, see the module's notes

                _kakasi = pykakasi.Kakasi()  # loads its dictionaries: about a second, once
    return _kakasi


def warm_up() -> None:
    _converter()


def release() -> bool:
    """Drop the converter and its dictionaries (~100 MB of Python objects); the next use loads them
    again. For a process that used it once and goes on without it: the demo seed's system-settings
    suggestions in the set-up that `manage.py serve` runs in the server process. True if loaded."""
    global _kakasi
    with _lock:
        loaded, _kakasi = _kakasi is not None, None
        kanji = sys.modules.get("pykakasi.kanji")
        if kanji is not None:  # pykakasi 2.3 keeps its dictionaries in class-level (Borg) state
            kanji.Kanwa._shared_state["_jisyo_table"] = None
            kanji.JConv.convert.cache_clear()  # its entries hold the converter they were made by
    _readable.cache_clear()
    return loaded


def romanise(japanese: str) -> str:
    """The suggestion before the English field's own check (english.suggest_english applies it)."""
    text = " ".join(unicodedata.normalize("NFKC", japanese).split())
    for short, full in _ABBREVIATED_FORMS.items():
        text = text.replace(short, full)
    for form, english in CORPORATE_FORMS.items():
        if text.startswith(form) or text.endswith(form):
            name = text.removeprefix(form) if text.startswith(form) else text.removesuffix(form)
            return f"{words(name)} {english}".strip()
    address = romanise_address(text)
    return words(text) if address is None else address


def words(text: str) -> str:
    """Romanised words: Japanese through pykakasi, glossary words translated, Latin letters and
    digits kept as typed; a space between two words, marks kept where they were."""
    pieces: list[tuple[str, bool]] = []  # (text, is a word)
    for m in _PIECE.finditer(text):
        if m["space"]:
            pieces.append((" ", False))
        elif m["gloss"]:
            pieces.append((GLOSSARY[m["gloss"]], True))
        elif m["jp"]:
            pieces.extend((w, True) for w in _japanese_words(m["jp"]))
        else:
            pieces.extend((p, p[0].isalnum()) for p in _LATIN_PARTS.findall(_without_accents(m["other"])))
    out, previous_was_word = "", False
    for piece, is_word in pieces:
        out += (" " if is_word and previous_was_word else "") + piece
        previous_was_word = is_word
    out = re.sub(r"\)(?=[A-Za-z0-9])", ") ", re.sub(r"(?<=[A-Za-z0-9.])\(", " (", out))  # 山田(東京) → Yamada (Tokyo)
    return " ".join(out.split())


def _without_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def _japanese_words(run: str) -> list[str]:
    groups: list[list[tuple[str, str]]] = []
    for item in _convert(run):
        token = (item["orig"], _plain_hepburn(item["orig"], item["hepburn"]))
        if groups and (len(token[0]) == 1 or sum(len(o) for o, _ in groups[-1]) == 1):
            groups[-1].append(token)  # a lone character is rarely a word of its own: 三芳+町, 竹+間+沢
        else:
            groups.append([token])
    found = ("".join(r for _, r in group) for group in groups)
    return [w[0].upper() + w[1:] for w in found if w]


def _convert(text: str) -> list[dict[str, str]]:
    """pykakasi's tokens, with the kanji it cannot read cut out first (see the module's notes)."""
    items: list[dict[str, str]] = []
    piece = ""
    for ch in text.translate(_VARIANTS) + "\n":
        if ch != "\n" and (not _KANJI.match(ch) or _readable(ch)):
            piece += ch
            continue
        if piece:
            items.extend(_converter().convert(piece))
        piece = ""
    return items


@lru_cache(maxsize=8192)
def _readable(kanji: str) -> bool:
    return any(item["hepburn"] for item in _converter().convert(kanji))


def _plain_hepburn(orig: str, hepburn: str) -> str:
    if hepburn.startswith("("):
        return ""  # pykakasi names a mark it cannot read: 々 alone → "(kurikaesi)"
    roman = hepburn.lower()
    if _KATAKANA.fullmatch(orig):
        if "ー" in orig:
            roman = re.sub(r"([aeiou])\1+", r"\1", roman)
    else:
        for kanji, reading in _U_READINGS.items():
            if kanji in orig:
                roman = re.sub(rf"(?<=[ou])(?={reading})", "|", roman)
        roman = roman.replace("oo", "o").replace("ou", "o").replace("uu", "u")
    return "".join(ch for ch in roman if ch.isascii() and ch.isalnum())


# --- addresses ---------------------------------------------------------------------------------

_PREFECTURE = re.compile("^(" + "|".join(PREFECTURES) + ")")
_POSTAL = re.compile(r"^〒?\s*(\d{3})-?(\d{4})\s*")
_MUNICIPALITIES = re.compile(r"(?P<gun>[^\d\s区市郡]{1,4}?郡)?(?P<city>[^\d\s区市郡]{1,5}?[市町村])?"
                             r"(?P<ward>[^\d\s区市郡]{1,4}?区)?")
_PLACE_SUFFIXES = {"市": "shi", "区": "ku", "郡": "gun", "町": "machi", "村": "mura"}
_KANJI_NUMBER = re.compile(r"[〇一二三四五六七八九十百千]+(?=丁目|番地|番|号(?!室))")
_BLOCK_JOIN = re.compile(r"(?<=\d)\s*(?:丁目|番地の?|番の?|の|-|ー)\s*(?=\d)")
_BLOCK_END = re.compile(r"(?<=\d)(?:丁目|番地|番|号(?!室))")
_BLOCK = re.compile(r"\d+(?:-\d+)*")
_DIGITS = dict(zip("〇一二三四五六七八九", range(10), strict=True))
_UNITS = {"十": 10, "百": 100, "千": 1000}


def romanise_address(text: str) -> str | None:
    """The address written small to large, or None when the text does not read as an address."""
    postal = ""
    if m := _POSTAL.match(text):
        postal, text = f"{m[1]}-{m[2]}", text[m.end():]
    prefecture = ""
    if m := _PREFECTURE.match(text):
        prefecture, text = PREFECTURES[m[1]], text[m.end():]
    places = _MUNICIPALITIES.match(text)
    assert places is not None  # every group is optional
    rest = _blocks(text[places.end():])
    block = _BLOCK.search(rest)
    if not prefecture and not (block and (places["city"] or places["ward"])):
        return None
    town, numbers, building = (rest, "", "") if block is None else (
        rest[:block.start()], block[0], rest[block.end():])
    building = re.sub(r"(\d+)号室", r" Room \1 ", re.sub(r"(\d+)階", r" \1F ", building))
    parts = [words(building), f"{numbers} {words(town)}".strip(),
             *(_place(places[g]) for g in ("ward", "city", "gun") if places[g]),
             f"{prefecture} {postal}".strip()]
    return ", ".join(p for p in parts if p)


def _blocks(rest: str) -> str:
    """丁目・番地・号 (kanji numbers too) as "1-2-3"."""
    rest = _KANJI_NUMBER.sub(lambda m: str(_kanji_number(m[0])), rest)
    return _BLOCK_END.sub("", _BLOCK_JOIN.sub("-", rest))


def _kanji_number(text: str) -> int:
    if not any(ch in _UNITS for ch in text):
        return int("".join(str(_DIGITS[ch]) for ch in text))  # 一〇 → 10, digit by digit
    total, digit = 0, None
    for ch in text:
        if ch in _UNITS:
            total += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
        else:
            digit = _DIGITS[ch]
    return total + (digit or 0)


def _place(segment: str) -> str:
    """港区 → Minato-ku, 横浜市 → Yokohama-shi, 山下町 → Yamashita-cho (pykakasi's reading of the
    suffix when it can be told apart, else the usual one)."""
    stem = _flat(segment[:-1])
    whole = _flat(segment)
    suffix = whole[len(stem):] if whole.startswith(stem) and len(whole) > len(stem) else _PLACE_SUFFIXES[segment[-1]]
    return f"{stem.capitalize()}-{suffix}" if stem else suffix.capitalize()


def _flat(text: str) -> str:
    return "".join(_plain_hepburn(i["orig"], i["hepburn"]) for i in _convert(text))
