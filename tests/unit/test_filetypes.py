"""Uploads are checked by parsing the container (issue 8, item 8): one test per hostile file that a
magic-number check accepted, the valid files made by the libraries that must still pass, and a
property test that no bytes make the check raise anything but its own refusal."""
from __future__ import annotations

import io
import re
import struct
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.application import filetypes as ft
from services.errors import DomainError
from tests import filesamples as fs


def _refusal(name: str, content: bytes) -> str:
    with pytest.raises(DomainError) as err:
        ft.check(name, content)
    return err.value.code


# ------------------------------------------------------------------ valid files still pass

@pytest.mark.parametrize(("name", "make", "expected"), [
    ("構成図 v1.pdf", fs.pdf, ft.PDF),
    ("three pages.PDF", lambda: fs.pdf(3), ft.PDF),
    ("図.png", fs.image, ft.PNG),
    ("図.jpg", lambda: fs.image("JPEG"), ft.JPEG),
    ("図.jpeg", lambda: fs.image("JPEG", (640, 480)), ft.JPEG),
    ("一覧.xlsx", lambda: fs.ooxml("xlsx"), ft.XLSX),
    ("説明.docx", lambda: fs.ooxml("docx"), ft.DOCX),
])
def test_valid_files_made_by_the_libraries_pass(name, make, expected):
    assert ft.check(name, make()) == expected


def _saved(mode: str, fmt: str, **options) -> bytes:
    from PIL import Image
    im = Image.radial_gradient("L").resize((400, 300)).convert(mode)
    buf = io.BytesIO()
    im.save(buf, format=fmt, **options)
    return buf.getvalue()


@pytest.mark.parametrize(("name", "make"), [
    ("progressive.jpg", lambda: _saved("RGB", "JPEG", progressive=True, optimize=True)),
    ("cmyk.jpg", lambda: _saved("CMYK", "JPEG")),
    ("restart-markers.jpg", lambda: _saved("RGB", "JPEG", restart_marker_blocks=4)),
    ("gray.jpeg", lambda: _saved("L", "JPEG", quality=10)),
    ("palette.png", lambda: _saved("P", "PNG", transparency=0)),
    ("rgba.png", lambda: _saved("RGBA", "PNG", optimize=True)),
])
def test_common_image_variants_pass(name, make):
    assert ft.check(name, make()) in (ft.PNG, ft.JPEG)


def test_pdf_with_an_incremental_update_passes():
    from pypdf import PdfWriter
    writer = PdfWriter(io.BytesIO(fs.pdf()), incremental=True)
    writer.add_blank_page(100, 100)
    buf = io.BytesIO()
    writer.write(buf)
    assert buf.getvalue().count(b"%%EOF") == 2
    assert ft.check("updated.pdf", buf.getvalue()) == ft.PDF


def test_trailing_whitespace_is_allowed():
    assert ft.check("a.pdf", fs.pdf() + b"\r\n  \n") == ft.PDF
    assert ft.check("a.png", fs.image() + b"\n") == ft.PNG
    assert ft.check("a.jpg", fs.image("JPEG") + b"\x00\x00") == ft.JPEG


def test_jpeg_with_an_exif_thumbnail_is_not_cut_at_the_thumbnail_end():
    from PIL import Image
    exif = Image.Exif()
    exif[0x010E] = "構成図"  # ImageDescription
    thumb = fs.image("JPEG", (16, 16))
    app1 = b"Exif\x00\x00" + exif.tobytes() + thumb  # an EOI inside a segment
    im = Image.open(io.BytesIO(fs.image("JPEG")))
    buf = io.BytesIO()
    im.save(buf, format="JPEG")
    plain = buf.getvalue()
    with_app1 = plain[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + plain[2:]
    assert ft.check("a.jpg", with_app1) == ft.JPEG


# ------------------------------------------------------------------ PDF

@pytest.mark.parametrize("tail", [fs.EXE, fs.HTML, b"PK\x03\x04", "zip"], ids=["exe", "html", "zip-header", "zip"])
def test_pdf_with_something_appended_is_refused(tail):
    appended = fs.ooxml("xlsx") if tail == "zip" else tail
    assert _refusal("diagram.pdf", fs.pdf() + appended) == ft.TRAILING_DATA


def test_pdf_with_something_appended_and_a_new_trailer_is_refused():
    pdf = fs.pdf()
    xref = int(re.findall(rb"startxref\s+(\d+)", pdf)[-1])
    for junk in (fs.EXE, fs.HTML, fs.ooxml("docx")):
        forged = pdf + junk + b"\nstartxref\n%d\n%%%%EOF\n" % xref
        assert _refusal("diagram.pdf", forged) == ft.TRAILING_DATA


def test_pdf_that_is_also_a_zip_is_refused():
    pdf = fs.pdf()
    zip_end = b"PK\x05\x06" + b"\x00" * 18  # where a zip reader looks for its archive
    body = pdf[:pdf.rindex(b"xref")] + b"% " + zip_end + b"\n"
    assert _refusal("diagram.pdf", body + pdf[pdf.rindex(b"xref"):]) == ft.TRAILING_DATA


@pytest.mark.parametrize("content", [
    b"%PDF-1.7\n%%EOF\n",                             # a header alone (accepted before)
    b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n",
    b"%PDF-1.4 test",
    fs.pdf()[:-40] + b"%%EOF\n",                      # cut short
], ids=["header", "no-catalog", "no-eof", "truncated"])
def test_pdf_that_does_not_parse_is_refused(content):
    assert _refusal("a.pdf", content) == ft.PDF_INVALID


def test_pdf_without_pages_is_refused():
    from pypdf import PdfWriter
    buf = io.BytesIO()
    PdfWriter().write(buf)
    assert _refusal("a.pdf", buf.getvalue()) == ft.PDF_INVALID


def test_encrypted_pdf_is_refused():
    assert _refusal("a.pdf", fs.encrypted_pdf()) == ft.PDF_ENCRYPTED


@pytest.mark.parametrize("action", ["/JavaScript", "/Launch"])
def test_pdf_with_an_active_open_action_is_refused(action):
    assert _refusal("a.pdf", fs.pdf_with_open_action(action)) == ft.PDF_ACTIVE


def test_pdf_with_an_embedded_file_is_refused():
    assert _refusal("a.pdf", fs.pdf_with_embedded_file()) == ft.PDF_ACTIVE


# ------------------------------------------------------------------ images

@pytest.mark.parametrize(("name", "fmt"), [("a.png", "PNG"), ("a.jpg", "JPEG")])
@pytest.mark.parametrize("tail", [fs.HTML, fs.EXE, "zip"], ids=["html", "exe", "zip"])
def test_image_with_something_appended_is_refused(name, fmt, tail):
    appended = fs.ooxml("docx") if tail == "zip" else tail
    assert _refusal(name, fs.image(fmt) + appended) == ft.TRAILING_DATA


def test_jpeg_with_data_and_a_second_end_marker_appended_is_refused():
    assert _refusal("a.jpg", fs.image("JPEG") + fs.HTML + b"\xff\xd9") == ft.TRAILING_DATA


def test_png_with_a_second_iend_appended_is_refused():
    png = fs.image()
    assert _refusal("a.png", png + fs.HTML + png[-12:]) == ft.TRAILING_DATA


def test_png_header_followed_by_html_is_refused():
    assert _refusal("a.png", b"\x89PNG\r\n\x1a\n" + fs.HTML) == ft.IMAGE_INVALID


@pytest.mark.parametrize("cut", [10, 30, 60])
def test_truncated_png_is_refused(cut):
    assert _refusal("a.png", fs.image()[:-cut]) == ft.IMAGE_INVALID


def test_png_with_a_broken_image_stream_is_refused():
    png = bytearray(fs.image("PNG"))
    start = png.index(b"IDAT") + 8
    png[start:start + 8] = b"\xff" * 8  # the chunk is still there; its data does not inflate
    assert _refusal("a.png", bytes(png)) == ft.IMAGE_INVALID


def test_truncated_jpeg_is_refused():
    assert _refusal("a.jpg", fs.image("JPEG")[:-50]) == ft.IMAGE_INVALID
    assert _refusal("a.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 16) == ft.IMAGE_INVALID  # accepted before


@pytest.mark.parametrize("size", [(100_000, 100_000), (10_000, 6_000)])
def test_pixel_bomb_header_is_refused_before_decoding(size):
    err = pytest.raises(DomainError, ft.check, "bomb.png", fs.png_header_only(*size)).value
    assert err.code == ft.IMAGE_TOO_LARGE and err.params == {"max_megapixels": 50}


# ------------------------------------------------------------------ Office

def test_xlsm_renamed_xlsx_is_refused():
    assert _refusal("一覧.xlsx", fs.ooxml("xlsm")) == ft.OFFICE_MACRO


def test_docm_renamed_docx_is_refused():
    assert _refusal("説明.docx", fs.ooxml("docm")) == ft.OFFICE_MACRO


@pytest.mark.parametrize("part", ["xl/vbaProject.bin", "word/VBAPROJECT.BIN", "customXml/vbaProject.bin"])
def test_vba_project_anywhere_is_refused_even_without_a_macro_type(part):
    assert _refusal("a.xlsx", fs.ooxml("xlsx", extra={part: b"\x00" * 10})) == ft.OFFICE_MACRO


def test_workbook_named_docx_and_other_zips_are_refused():
    assert _refusal("a.docx", fs.ooxml("xlsx")) == ft.FILE_TYPE
    assert _refusal("a.xlsx", fs.ooxml("docx")) == ft.FILE_TYPE
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "not an office file")
    assert _refusal("a.xlsx", buf.getvalue()) == ft.FILE_TYPE


def _with_entry(name: str, data: bytes = b"x") -> bytes:
    """A valid workbook plus one entry written under `name` exactly (ZipInfo would clean it)."""
    buf = io.BytesIO(fs.ooxml("xlsx"))
    with zipfile.ZipFile(buf, "a") as z:
        info = zipfile.ZipInfo("placeholder")
        info.filename = name
        z.writestr(info, data)
    return buf.getvalue()


@pytest.mark.parametrize("entry", ["../evil.sh", "xl/../../evil.sh", "../../home/user/.bashrc", "/etc/cron.d/x",
                                   "xl\\..\\evil.sh", "C:/Windows/evil.dll", "xl/a\x00.xml", ".."])
def test_unsafe_entry_names_are_refused(entry):
    assert _refusal("a.xlsx", _with_entry(entry)) == ft.ARCHIVE_UNSAFE


def test_duplicate_entry_names_are_refused():
    buf = io.BytesIO(fs.ooxml("xlsx"))
    with pytest.warns(UserWarning), zipfile.ZipFile(buf, "a") as z:
        z.writestr("xl/workbook.xml", "<other/>")
    assert _refusal("a.xlsx", buf.getvalue()) == ft.ARCHIVE_UNSAFE


def test_zip_bomb_is_refused_without_inflating_it():
    bomb = fs.zip_bomb("xlsx", unpacked_mb=200)
    assert len(bomb) < 1024 * 1024  # small on disk
    err = pytest.raises(DomainError, ft.check, "bomb.xlsx", bomb).value
    assert err.code == ft.ARCHIVE_TOO_LARGE
    assert err.params == {"max_entries": "1,000", "max_mb": 50, "max_ratio": 100}


def test_highly_compressed_entry_under_the_total_is_refused():
    # 20 MB of zeros: under the 50 MB total, but packed about 1000:1
    assert _refusal("bomb.docx", fs.zip_bomb("docx", unpacked_mb=20)) == ft.ARCHIVE_TOO_LARGE


def test_too_many_entries_are_refused():
    extra = {f"xl/part{i}.xml": b"<x/>" for i in range(ft.MAX_ENTRIES)}
    assert _refusal("a.xlsx", fs.ooxml("xlsx", extra=extra)) == ft.ARCHIVE_TOO_LARGE


def test_declared_size_that_lies_is_refused():
    """A central directory that claims a small size for a large entry: inflating stops at the
    declared size, and the CRC of what came out does not match."""
    content = bytearray(fs.ooxml("xlsx", extra={"xl/big.xml": b"<row/>" * 50_000}))
    for m in re.finditer(rb"PK\x01\x02", bytes(content)):
        (name_len,) = struct.unpack_from("<H", content, m.start() + 28)
        if content[m.start() + 46:m.start() + 46 + name_len] == b"xl/big.xml":
            struct.pack_into("<I", content, m.start() + 24, 1000)  # uncompressed size
    with zipfile.ZipFile(io.BytesIO(bytes(content))) as z:
        assert z.getinfo("xl/big.xml").file_size == 1000
    assert _refusal("a.xlsx", bytes(content)) == ft.OFFICE_INVALID


def test_data_after_the_zip_is_refused():
    assert _refusal("a.xlsx", fs.ooxml("xlsx") + fs.EXE) == ft.TRAILING_DATA


def test_content_types_with_a_dtd_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaa">]>'
                   '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">&a;</Types>')
        z.writestr("xl/workbook.xml", "<workbook/>")
    assert _refusal("a.xlsx", buf.getvalue()) == ft.OFFICE_INVALID


# ------------------------------------------------------------------ legacy Office, names

def _ole2(payload: bytes) -> bytes:
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[28:30] = b"\xfe\xff"
    header[30:32] = b"\x09\x00"
    return bytes(header) + payload


def test_legacy_office_with_a_vba_project_is_refused():
    assert ft.check("old.xls", _ole2(b"Workbook".decode().encode("utf-16-le"))) == ft.XLS
    assert _refusal("old.doc", _ole2("_VBA_PROJECT".encode("utf-16-le"))) == ft.OFFICE_MACRO
    assert _refusal("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32) == ft.OFFICE_INVALID


@pytest.mark.parametrize(("name", "content"), [
    ("diagram.exe", fs.EXE), ("diagram.pdf", fs.EXE), ("diagram.pdf", fs.image()),
    ("diagram.png", fs.pdf()), ("diagram.html", fs.HTML), ("pdf", fs.pdf()), ("diagram.pdf.exe", fs.pdf()),
    ("diagram.xls", fs.ooxml("xlsx")), ("diagram.docx", fs.image("JPEG")),
], ids=["exe", "exe-as-pdf", "png-as-pdf", "pdf-as-png", "html", "no-extension", "double-extension",
        "xlsx-as-xls", "jpeg-as-docx"])
def test_the_extension_must_be_allowed_and_match_the_content(name, content):
    assert _refusal(name, content) == ft.FILE_TYPE


# ------------------------------------------------------------------ property: nothing but refusals

_EXTENSIONS = [f"file.{e}" for e in ft.ALLOWED_EXTENSIONS] + ["FILE.PDF", "x.JPEG"]
_PREFIXES = [b"", b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"PK\x03\x04",
             b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]


def _assert_only_refusal(name: str, content: bytes) -> None:
    try:
        result = ft.check(name, content)
    except DomainError as err:
        assert err.code.startswith("wizard.error.file_")
    else:
        assert result in ft.EXTENSIONS


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(_EXTENSIONS), prefix=st.sampled_from(_PREFIXES), body=st.binary(max_size=2048))
def test_arbitrary_bytes_give_acceptance_or_the_own_refusal(name, prefix, body):
    _assert_only_refusal(name, prefix + body)


_VALID = {"a.pdf": fs.pdf(), "a.png": fs.image(), "a.jpg": fs.image("JPEG"),
          "a.xlsx": fs.ooxml("xlsx"), "a.docx": fs.ooxml("docx")}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(_VALID)), data=st.data())
def test_mutated_valid_files_give_acceptance_or_the_own_refusal(name, data):
    """Valid files with bytes flipped, cut or inserted: the parsers see nearly-right structure."""
    content = bytearray(_VALID[name])
    for _ in range(data.draw(st.integers(1, 6))):
        pos = data.draw(st.integers(0, len(content) - 1))
        op = data.draw(st.sampled_from(["flip", "cut", "insert"]))
        if op == "flip":
            content[pos] = data.draw(st.integers(0, 255))
        elif op == "cut":
            del content[pos:pos + data.draw(st.integers(1, 64))]
        else:
            content[pos:pos] = data.draw(st.binary(min_size=1, max_size=32))
        if not content:
            content = bytearray(b"\x00")
    _assert_only_refusal(name, bytes(content))


def test_pdf_with_too_many_objects_is_refused_before_walking_them(monkeypatch):
    monkeypatch.setattr(ft, "MAX_PDF_OBJECTS", 10)
    assert ft.check("eight.pdf", fs.pdf(7)) == ft.PDF  # 7 pages, catalog, page tree, info: 10
    err = pytest.raises(DomainError, ft.check, "many.pdf", fs.pdf(20)).value
    assert err.code == ft.PDF_TOO_COMPLEX and err.params == {"max_objects": "10"}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stem=st.text(max_size=300), ext=st.sampled_from(_EXTENSIONS + ["x.exe", "", "x."]),
       prefix=st.sampled_from(_PREFIXES), body=st.binary(max_size=512))
def test_check_file_gives_acceptance_or_the_own_refusal_for_any_name(stem, ext, prefix, body):
    """The service's whole file check (name, size, content): any name, any bytes."""
    from services.application.attachments import check_file
    name = stem + ext.removeprefix("file").removeprefix("FILE").removeprefix("x")
    try:
        result = check_file(name, prefix + body)
    except DomainError as err:
        assert err.code.startswith("wizard.error.file")
    else:
        assert result in ft.EXTENSIONS
