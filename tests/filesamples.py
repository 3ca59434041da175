"""Real files for upload tests, made with the libraries (pypdf, Pillow, zipfile), and hostile ones.

Valid samples must pass `services.application.filetypes.check`; the hostile builders each make one
kind of file that a magic-number check accepted.
"""
from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, TextStringObject

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 64
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>\n"


def pdf(pages: int = 1, *, padding: int = 0) -> bytes:
    """A PDF with blank pages; `padding` random bytes in an unused stream make it as large as a
    test needs."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if padding:
        stream = DecodedStreamObject()
        stream.set_data(os.urandom(padding))
        writer._root_object[NameObject("/PieceInfo")] = writer._add_object(stream)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def pdf_with_open_action(action: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if action == "/JavaScript":
        act = {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    else:
        act = {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")}
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(DictionaryObject(act))
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def pdf_with_embedded_file() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_attachment("setup.exe", EXE)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("secret")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def image(fmt: str = "PNG", size: tuple[int, int] = (64, 48)) -> bytes:
    im = Image.new("RGB", size, (200, 30, 30))
    for x in range(0, size[0], 4):
        im.putpixel((x, x % size[1]), (0, 0, 255))
    buf = io.BytesIO()
    im.save(buf, format=fmt)
    return buf.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose IHDR claims width × height pixels, with one tiny IDAT and IEND (a pixel bomb
    needs no more: the decoder would allocate for the header's size)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
            + chunk(b"IEND", b""))


# ------------------------------------------------------------------ OOXML by hand

_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="{main}"/></Relationships>')
_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>{extra_default}'
          '<Override PartName="/{main}" ContentType="{main_type}"/></Types>')
_WORKBOOK = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>')
_DOCUMENT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
             '<w:body><w:p><w:r><w:t>システム構成図</w:t></w:r></w:p></w:body></w:document>')
_KINDS = {
    # kind: (main part, main content type, body)
    "xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
             _WORKBOOK),
    "docx": ("word/document.xml",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", _DOCUMENT),
    "xlsm": ("xl/workbook.xml", "application/vnd.ms-excel.sheet.macroEnabled.main+xml", _WORKBOOK),
    "docm": ("word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml", _DOCUMENT),
}


def ooxml(kind: str, *, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal valid package of `kind` (xlsx, docx, or the macro-enabled xlsm, docm with a
    vbaProject.bin as Office writes them)."""
    main, main_type, body = _KINDS[kind]
    macro = kind in ("xlsm", "docm")
    extra_default = ('<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                     if macro else "")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        def put(name: str, data: str | bytes) -> None:
            # A fixed timestamp: the same bytes on every call, so a test parametrized with a package
            # collects under the same id on every pytest-xdist worker (they compare their lists).
            z.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data,
                       compress_type=zipfile.ZIP_DEFLATED)
        put("[Content_Types].xml", _TYPES.format(main=main, main_type=main_type, extra_default=extra_default))
        put("_rels/.rels", _RELS.format(main=main))
        put(main, body)
        if macro:
            put(main.split("/")[0] + "/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"Attribute VB_Name" * 8)
        for name, data in (extra or {}).items():
            put(name, data)
    return buf.getvalue()


def zip_bomb(kind: str = "xlsx", unpacked_mb: int = 200) -> bytes:
    """A valid package plus one entry of `unpacked_mb` MB of zeros, deflated while streaming
    (about 1 KB packed per MB; nothing large is ever held in memory)."""
    buf = io.BytesIO(ooxml(kind))
    folder = _KINDS[kind][0].split("/")[0]
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as z, z.open(f"{folder}/media/zeros.bin", "w",
                                                                      force_zip64=True) as f:
        chunk = b"\x00" * (1024 * 1024)
        for _ in range(unpacked_mb):
            f.write(chunk)
    return buf.getvalue()
