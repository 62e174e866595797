"""Untrusted .xlsx files, checked before any spreadsheet code reads them.

Size cap; a real zip with sane members (count, unpacked size, compression ratio, no
encryption); every XML part parsed with DTDs and entity declarations forbidden (defusedxml),
since openpyxl parses most parts with lxml when it is installed. Returns the file's own saved
time, read from docProps/core.xml (openpyxl would put "now" in place of a missing one).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from ..errors import InputError

MAX_BYTES = 10 * 1024 * 1024
MAX_MEMBERS = 200
MAX_UNPACKED = 100 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, for members above 1 MB
CORE, DCTERMS = "docProps/core.xml", "{http://purl.org/dc/terms/}"
FILE_HINT = "Chỉ nhận phiếu theo dõi gốc (.xlsx) đã gửi cho đơn vị; không chép nội dung sang tệp khác."


def check_archive(source: Path | bytes, shown: str) -> dt.datetime | None:
    """Refuse what is not a plain, reasonably sized .xlsx before any spreadsheet code sees it.

    ``source`` is a file, or the bytes of one (a mail attachment: the same checks, nothing
    written to disk). Returns the time the file was last saved (UTC), read from
    docProps/core.xml here because openpyxl puts the current time in place of a missing one.
    """
    if isinstance(source, bytes):
        size, opened = len(source), io.BytesIO(source)
    elif not source.is_file():
        raise InputError.single("không tìm thấy tệp", file=shown)
    else:
        size, opened = source.stat().st_size, source
    if size > MAX_BYTES:
        raise InputError.single("tệp quá lớn, không phải phiếu theo dõi", file=shown, expected="tối đa 10 MB",
                                found=f"{size / 1024 / 1024:.1f} MB".replace(".", ","))
    not_xlsx = InputError.single("tệp không phải bảng tính Excel (.xlsx)", file=shown,
                                 found="tệp hỏng hoặc khác định dạng", hint=FILE_HINT)
    try:
        with zipfile.ZipFile(opened) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise not_xlsx
            _sane_members(infos, shown)
            stamps: dict[str, str] = {}
            for info in infos:
                if info.filename.endswith((".xml", ".rels", ".vml")):
                    with archive.open(info) as member:
                        found = _scan(member, info.filename, shown)
                    stamps.update(found if info.filename == CORE else {})
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError):
        raise not_xlsx from None
    return _utc(stamps.get("modified") or stamps.get("created"))


def _utc(text: str | None) -> dt.datetime | None:
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None
    except ValueError:
        return None
    if when is not None and when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return when.replace(microsecond=0) if when else None


def _sane_members(infos: list[zipfile.ZipInfo], shown: str) -> None:
    odd = "tệp .xlsx có thành phần bất thường (quá lớn hoặc nén quá mức); không đọc"
    if len(infos) > MAX_MEMBERS:
        raise InputError.single(odd, file=shown, expected=f"tối đa {MAX_MEMBERS} thành phần", found=str(len(infos)))
    if sum(i.file_size for i in infos) > MAX_UNPACKED:
        raise InputError.single(odd, file=shown, expected="tổng dung lượng giải nén tối đa 100 MB")
    for info in infos:
        if info.flag_bits & 0x1:
            raise InputError.single("tệp .xlsx được đặt mật khẩu hoặc mã hóa; không đọc được", file=shown,
                                    hint="Đề nghị đơn vị gỡ mật khẩu của tệp rồi gửi lại.")
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise InputError.single(odd, file=shown, field=info.filename, expected=f"tỷ lệ nén tối đa {MAX_RATIO}")


def _scan(member: Any, name: str, shown: str) -> dict[str, str]:
    """Parse one XML part with DTDs and entities forbidden; return its dcterms created/modified texts."""
    stamps = {}
    try:
        for _, element in iterparse(member, forbid_dtd=True, forbid_entities=True, forbid_external=True):
            if element.tag in (DCTERMS + "created", DCTERMS + "modified") and element.text:
                stamps[element.tag.removeprefix(DCTERMS)] = element.text.strip()
            element.clear()
    except DefusedXmlException:
        raise InputError.single("tệp .xlsx chứa khai báo DTD/thực thể XML (tệp Excel thật không có); không đọc",
                                file=shown, field=name) from None
    except ParseError:
        raise InputError.single("tệp .xlsx bị hỏng (XML không đọc được)", file=shown, field=name) from None
    return stamps
