"""What an uploaded file really is, from its bytes (SPEC §5: allowed types checked by content).

The browser's file_uploader only looks at the extension; a program renamed to .pdf is refused
here because its bytes are not a PDF.
"""
from __future__ import annotations

import io
import zipfile

PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLS, DOC = "application/vnd.ms-excel", "application/msword"

EXTENSIONS = {
    PDF: (".pdf",), PNG: (".png",), JPEG: (".jpg", ".jpeg"), XLSX: (".xlsx",), DOCX: (".docx",),
    XLS: (".xls",), DOC: (".doc",),
}
ALLOWED_EXTENSIONS = tuple(e.lstrip(".") for exts in EXTENSIONS.values() for e in exts)

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of legacy .xls and .doc


def _extension(file_name: str) -> str:
    dot = file_name.rfind(".")
    return file_name[dot:].lower() if dot >= 0 else ""


def _office_zip(content: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(n.startswith("xl/") for n in names):
        return XLSX
    if any(n.startswith("word/") for n in names):
        return DOCX
    return None


def detect(file_name: str, content: bytes) -> str | None:
    """The content type the bytes prove, when it is allowed and matches the name; else None."""
    ext = _extension(file_name)
    found: str | None
    if content.startswith(b"%PDF-"):
        found = PDF
    elif content.startswith(b"\x89PNG\r\n\x1a\n"):
        found = PNG
    elif content.startswith(b"\xff\xd8\xff"):
        found = JPEG
    elif content.startswith(b"PK\x03\x04"):
        found = _office_zip(content)
    elif content.startswith(_OLE2):
        # Both legacy formats share one container; the name tells which of the two it claims.
        found = XLS if ext == ".xls" else DOC if ext == ".doc" else None
    else:
        found = None
    if found is None or ext not in EXTENSIONS[found]:
        return None
    return found
