"""What an uploaded file really is, from its bytes (SPEC §5: allowed types checked by content).

The browser's file_uploader only looks at the extension, and a magic number proves little: a PDF
header followed by a program, a PNG header followed by HTML, a macro workbook renamed .xlsx and a
zip bomb all start with the right bytes. `check()` therefore parses the whole container, without
writing anything to disk, and refuses with its own code (`wizard.error.file_*`) what it cannot
prove harmless:

- PDF: opened by pypdf with strict reading; not encrypted; at most `MAX_PDF_OBJECTS` objects
  (parsing time); no JavaScript, launch/import/submit action, embedded file, rich media or XFA form
  anywhere reachable from the trailer; at least one page. Rule for appended data: the bytes after
  the last ``%%EOF`` are whitespace only; an earlier ``%%EOF`` is followed only by an incremental
  update (objects, ``xref`` or a comment); and no zip end record in the last 64 KiB (a PDF that is
  also an archive). So a program, archive or page appended to a valid PDF is refused, with or
  without a forged trailer after it.
- PNG / JPEG: decoded in full by Pillow (``verify()``, then reopened and ``load()``), at most
  `MAX_PIXELS` pixels (decompression bombs), and nothing but whitespace after the image's end
  (PNG: after the IEND chunk; JPEG: after the EOI marker that ends the scan data).
- xlsx / docx: a zip read with zipfile, never extracted: no data after the archive's end, at most
  `MAX_ENTRIES` entries, `MAX_UNPACKED_BYTES` in all once unpacked (each entry read through to check
  its size and CRC), no entry above 64 KiB packed more than `MAX_RATIO`:1, only stored or deflated,
  unencrypted entries, safe names (no absolute path, ``..``, backslash, drive, NUL or duplicate);
  `[Content_Types].xml` names the main part of the extension's type, and no macro-enabled type or
  ``vbaProject.bin`` anywhere.
- xls / doc (the legacy OLE2 container): the container header, and no VBA project stream.

Only `DomainError` leaves `check()`: a parser's own exception on hostile bytes is a refusal.
"""
from __future__ import annotations

import io
import re
import struct
import xml.etree.ElementTree as ET
import zipfile
from typing import Any

from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from services.errors import DomainError

PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLS, DOC = "application/vnd.ms-excel", "application/msword"

EXTENSIONS = {
    PDF: (".pdf",), PNG: (".png",), JPEG: (".jpg", ".jpeg"), XLSX: (".xlsx",), DOCX: (".docx",),
    XLS: (".xls",), DOC: (".doc",),
}
ALLOWED_EXTENSIONS = tuple(e.lstrip(".") for exts in EXTENSIONS.values() for e in exts)

# Limits (a システム構成図 is a drawing or a short document; these leave room for large ones).
MAX_PIXELS = 50_000_000          # A3 at 600 dpi is about 70 % of this
MAX_ENTRIES = 1000               # entries in an Office zip
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_RATIO = 100                  # unpacked : packed, per entry above RATIO_FLOOR unpacked bytes
RATIO_FLOOR = 64 * 1024
MAX_PDF_OBJECTS = 10_000         # pypdf parses about 3 000 objects a second: a bound on CPU time
MAX_XML_BYTES = 1024 * 1024      # [Content_Types].xml

# Pillow refuses images above twice this with DecompressionBombError; check() refuses above it.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

FILE_TYPE = "wizard.error.file_type"                    # not an allowed type, or not the extension's type
PDF_INVALID = "wizard.error.file_pdf_invalid"           # a PDF that does not parse, or has no page
PDF_ENCRYPTED = "wizard.error.file_pdf_encrypted"
PDF_ACTIVE = "wizard.error.file_pdf_active"             # JavaScript, launch action, embedded file, XFA
PDF_TOO_COMPLEX = "wizard.error.file_pdf_too_complex"   # more objects than MAX_PDF_OBJECTS
TRAILING_DATA = "wizard.error.file_trailing_data"       # bytes after the file's end
IMAGE_INVALID = "wizard.error.file_image_invalid"       # does not decode in full
IMAGE_TOO_LARGE = "wizard.error.file_image_too_large"   # too many pixels
OFFICE_INVALID = "wizard.error.file_office_invalid"     # not a readable Excel/Word file
OFFICE_MACRO = "wizard.error.file_office_macro"
ARCHIVE_UNSAFE = "wizard.error.file_archive_unsafe"     # entry names that could leave a folder
ARCHIVE_TOO_LARGE = "wizard.error.file_archive_too_large"  # entries, unpacked size or ratio

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of legacy .xls and .doc
_WHITESPACE = b" \t\r\n\f\x00"

_MAIN_PART_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
}
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_PDF_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/GoToE", "/RichMediaExecute"}
# /EF: a file specification carrying the file itself (attachment annotations, /EmbeddedFiles)
_PDF_ACTIVE_KEYS = {"/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/XFA", "/RichMedia"}
_DRIVE = re.compile(r"^[A-Za-z]:")


def _extension(file_name: str) -> str:
    dot = file_name.rfind(".")
    return file_name[dot:].lower() if dot >= 0 else ""


def _claimed(content: bytes, ext: str) -> str | None:
    """The type the first bytes claim (a magic number proves nothing by itself)."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(_PNG_SIGNATURE):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"PK\x03\x04"):
        return XLSX if ext == ".xlsx" else DOCX if ext == ".docx" else None
    if content.startswith(_OLE2):
        # Both legacy formats share one container; the name tells which of the two it claims.
        return XLS if ext == ".xls" else DOC if ext == ".doc" else None
    return None


def check(file_name: str, content: bytes) -> str:
    """The content type the bytes prove, when it is allowed and matches the name's extension.

    Raises DomainError with one of the codes above otherwise, and nothing else."""
    ext = _extension(file_name)
    found = _claimed(content, ext)
    if found is None or ext not in EXTENSIONS[found]:
        raise DomainError(FILE_TYPE)
    if found == PDF:
        _check_pdf(content)
    elif found in (PNG, JPEG):
        _check_image(content, found)
    elif found in (XLSX, DOCX):
        _check_ooxml(content, found)
    else:
        _check_ole2(content)
    return found


def detect(file_name: str, content: bytes) -> str | None:
    """`check()` as a yes/no: the proven content type, or None."""
    try:
        return check(file_name, content)
    except DomainError:
        return None


def _only_whitespace(tail: bytes) -> bool:
    return not tail.strip(_WHITESPACE)


# ------------------------------------------------------------------ PDF

_AFTER_EOF = re.compile(rb"[ \t\r\n\f\x00]*(?:\Z|\d+\s+\d+\s+obj\b|xref\b|%)")
_ZIP_END = b"PK\x05\x06"
_ZIP_END_WINDOW = 65_535 + 22  # a zip reader looks for its end record this far from the end


def _check_pdf(content: bytes) -> None:
    end = content.rfind(b"%%EOF")
    if end < 0:
        raise DomainError(PDF_INVALID)
    if not _only_whitespace(content[end + len(b"%%EOF"):]):
        raise DomainError(TRAILING_DATA)
    # An earlier %%EOF may only be followed by an update (objects, xref, comment), not by
    # arbitrary bytes with a new trailer; and the file must not also read as a zip archive.
    for match in re.finditer(rb"%%EOF", content[:end]):
        if not _AFTER_EOF.match(content, match.end()):
            raise DomainError(TRAILING_DATA)
    if _ZIP_END in content[-_ZIP_END_WINDOW:]:
        raise DomainError(TRAILING_DATA)
    try:
        reader = PdfReader(io.BytesIO(content), strict=True)
        if reader.is_encrypted:
            raise DomainError(PDF_ENCRYPTED)
        objects = sum(len(ids) for ids in reader.xref.values()) + len(reader.xref_objStm)
        if objects > MAX_PDF_OBJECTS:
            raise _too_complex()
        active = _pdf_has_active_content(reader.trailer)
        if len(reader.pages) < 1:
            raise DomainError(PDF_INVALID)
    except DomainError:
        raise
    except Exception as exc:  # any parser failure on hostile bytes is a refusal
        raise DomainError(PDF_INVALID) from exc
    if active:
        raise DomainError(PDF_ACTIVE)


def _too_complex() -> DomainError:
    return DomainError(PDF_TOO_COMPLEX, max_objects=f"{MAX_PDF_OBJECTS:,}")


def _pdf_has_active_content(trailer: Any) -> bool:
    """Walk every object reachable from the trailer (streams' dictionaries, not their data)."""
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [trailer]
    walked = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            ref = (obj.idnum, obj.generation)
            if ref in seen:
                continue
            seen.add(ref)
            obj = obj.get_object()
        walked += 1
        if walked > 50 * MAX_PDF_OBJECTS:  # direct objects (numbers, names) inside them included
            raise _too_complex()
        if isinstance(obj, DictionaryObject):  # streams too (their dictionary, not their data)
            if any(key in _PDF_ACTIVE_KEYS for key in obj):
                return True
            action = dict.get(obj, "/S")
            if isinstance(action, NameObject) and action in _PDF_ACTIVE_ACTIONS:
                return True
            # raw values (references unresolved, so each object is walked once); a page's parent
            # is reached from the catalog anyway
            stack.extend(value for key, value in dict.items(obj) if key != "/Parent")
        elif isinstance(obj, ArrayObject):
            stack.extend(list.__iter__(obj))
    return False


# ------------------------------------------------------------------ images

def _check_image(content: bytes, claimed: str) -> None:
    end = _png_end(content) if claimed == PNG else _jpeg_end(content)
    if not _only_whitespace(content[end:]):
        raise DomainError(TRAILING_DATA)
    fmt = "PNG" if claimed == PNG else "JPEG"
    # No warnings.catch_warnings() here: it is process-wide and Streamlit runs sessions in threads.
    # The size is checked before any pixel is decoded, so Pillow's bomb warning never matters.
    try:
        with Image.open(io.BytesIO(content), formats=[fmt]) as im:
            width, height = im.size
            if width * height > MAX_PIXELS:
                raise _too_many_pixels()
            im.verify()
        with Image.open(io.BytesIO(content), formats=[fmt]) as im:
            im.load()
    except DomainError:
        raise
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels() from exc
    except Exception as exc:  # any decoder failure on hostile bytes is a refusal
        raise DomainError(IMAGE_INVALID) from exc


def _too_many_pixels() -> DomainError:
    return DomainError(IMAGE_TOO_LARGE, max_megapixels=MAX_PIXELS // 1_000_000)


def _png_end(content: bytes) -> int:
    """The offset just after the IEND chunk (chunks: length, type, data, CRC)."""
    pos = len(_PNG_SIGNATURE)
    while pos + 8 <= len(content):
        (length,) = struct.unpack(">I", content[pos:pos + 4])
        kind = content[pos + 4:pos + 8]
        pos += 12 + length
        if pos > len(content):
            break
        if kind == b"IEND":
            return pos
    raise DomainError(IMAGE_INVALID)  # truncated: no IEND chunk


def _jpeg_end(content: bytes) -> int:
    """The offset just after the EOI marker: segments skipped by their length, scan data to the
    next marker (so an EOI inside an EXIF thumbnail or appended data is not taken for the end)."""
    pos, size = 2, len(content)
    while pos + 2 <= size:
        if content[pos] != 0xFF:
            raise DomainError(IMAGE_INVALID)
        marker = content[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xD9:  # EOI
            return pos + 2
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # no length
            pos += 2
            continue
        if pos + 4 > size:
            break
        (length,) = struct.unpack(">H", content[pos + 2:pos + 4])
        if length < 2:
            raise DomainError(IMAGE_INVALID)
        pos += 2 + length
        if marker == 0xDA:  # start of scan: entropy-coded data up to the next real marker
            while pos + 1 < size:
                if content[pos] == 0xFF and content[pos + 1] != 0x00 and not 0xD0 <= content[pos + 1] <= 0xD7:
                    break
                pos += 1
            else:
                break
    raise DomainError(IMAGE_INVALID)  # truncated: no EOI marker


# ------------------------------------------------------------------ Office (OOXML)

def _safe_entry_name(name: str) -> bool:
    if not name or "\x00" in name or "\\" in name or name.startswith("/") or _DRIVE.match(name):
        return False
    return ".." not in name.split("/")


def _check_ooxml(content: bytes, claimed: str) -> None:
    if len(content) < 22 or content[-22:-18] != b"PK\x05\x06":
        # the end-of-archive record must be the last bytes: no comment, nothing appended
        raise DomainError(TRAILING_DATA)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            infos = z.infolist()
            _check_entries(infos)
            types = _content_types(z)
            _read_all(z, infos)
    except DomainError:
        raise
    except Exception as exc:  # any zip/XML failure on hostile bytes is a refusal
        raise DomainError(OFFICE_INVALID) from exc
    names = {i.filename for i in infos}
    overrides, defaults = types
    all_types = [t.lower() for t in list(overrides.values()) + list(defaults.values())]
    if any("macroenabled" in t or "vbaproject" in t for t in all_types):
        raise DomainError(OFFICE_MACRO)
    expected = _MAIN_PART_TYPES[claimed]
    mains = [part for part, kind in overrides.items() if kind == expected]
    if len(mains) != 1:
        raise DomainError(FILE_TYPE)  # e.g. a workbook named .docx, or a zip that is no Office file
    if mains[0].lstrip("/") not in names:
        raise DomainError(OFFICE_INVALID)


def _check_entries(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_ENTRIES:
        raise _too_large()
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        if not _safe_entry_name(name) or not _safe_entry_name(info.orig_filename):
            raise DomainError(ARCHIVE_UNSAFE)
        if name.lower() in seen:
            raise DomainError(ARCHIVE_UNSAFE)
        seen.add(name.lower())
        if name.rsplit("/", 1)[-1].lower() == "vbaproject.bin":
            raise DomainError(OFFICE_MACRO)
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise DomainError(OFFICE_INVALID)
        total += info.file_size
        if total > MAX_UNPACKED_BYTES:
            raise _too_large()
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _too_large()


def _too_large() -> DomainError:
    return DomainError(ARCHIVE_TOO_LARGE, max_entries=f"{MAX_ENTRIES:,}",
                       max_mb=MAX_UNPACKED_BYTES // (1024 * 1024), max_ratio=MAX_RATIO)


def _content_types(z: zipfile.ZipFile) -> tuple[dict[str, str], dict[str, str]]:
    """[Content_Types].xml as (part name -> type, extension -> type)."""
    try:
        info = z.getinfo("[Content_Types].xml")
    except KeyError:
        raise DomainError(FILE_TYPE) from None
    if info.file_size > MAX_XML_BYTES:
        raise DomainError(OFFICE_INVALID)
    with z.open(info) as f:
        data = f.read(MAX_XML_BYTES + 1)
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise DomainError(OFFICE_INVALID)  # no DTD, so no entity expansion
    root = ET.fromstring(data)
    if root.tag != f"{_CT_NS}Types":
        raise DomainError(OFFICE_INVALID)
    overrides = {e.get("PartName", ""): e.get("ContentType", "") for e in root.iter(f"{_CT_NS}Override")}
    defaults = {e.get("Extension", ""): e.get("ContentType", "") for e in root.iter(f"{_CT_NS}Default")}
    return overrides, defaults


def _read_all(z: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Inflate every entry into nothing: zipfile stops at the declared size and checks the CRC,
    so a size that lies is a BadZipFile, and at most MAX_UNPACKED_BYTES are ever produced."""
    for info in infos:
        with z.open(info) as f:
            while f.read(1024 * 1024):
                pass


# ------------------------------------------------------------------ legacy Office (OLE2)

_VBA_STREAM = "_VBA_PROJECT".encode("utf-16-le")


def _check_ole2(content: bytes) -> None:
    if len(content) < 512 or content[28:30] != b"\xfe\xff" or content[30:32] not in (b"\x09\x00", b"\x0c\x00"):
        raise DomainError(OFFICE_INVALID)
    # Directory entries name their streams in UTF-16; a VBA project has a _VBA_PROJECT stream.
    if _VBA_STREAM in content.upper():
        raise DomainError(OFFICE_MACRO)
