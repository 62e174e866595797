"""Annotated text types shared by every model: NFC, no control characters, lines.

Text from specs is data. It is normalised to NFC on the way in, control characters are
refused (they would corrupt XML or be interpreted by docxtpl), and multi-line values are
kept as tuples of lines so that renderers never see embedded newlines.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, StringConstraints

# C0/C1 controls and the Unicode line/paragraph separators; tab and newline are handled
# separately (a newline splits lines, a tab is replaced by a space).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
# Bidirectional embeddings, overrides and isolates: invisible, they make Word print the text after them
# in another order than it is stored (a "Trojan Source" trick); Vietnamese never needs them.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")

MAX_TEXT = 20_000


def clean_line(value: str) -> str:
    """NFC, trimmed, one line, no control characters; raise ValueError otherwise."""
    value = unicodedata.normalize("NFC", value).replace("\t", " ")
    bad = _CONTROL.search(value)
    if bad:
        raise ValueError(f"ký tự điều khiển U+{ord(bad.group()):04X} không được phép trong văn bản")
    if bidi := _BIDI.search(value):
        raise ValueError(f"ký tự định hướng chữ U+{ord(bidi.group()):04X} (không thấy được, làm chữ in ra bị đảo "
                         f"thứ tự) không được phép trong văn bản: xóa ký tự này")
    if "\n" in value or "\r" in value:
        raise ValueError("chỉ được một dòng (không xuống dòng)")
    if len(value) > MAX_TEXT:
        raise ValueError(f"văn bản quá dài ({len(value)} ký tự, tối đa {MAX_TEXT})")
    return value.strip()


def split_lines(value: Any) -> Any:
    """Accept a string (split on newlines) or a list of strings; other shapes pass to pydantic."""
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        return [line for line in (part.strip() for part in value.split("\n")) if line]
    return value


def _non_empty(value: str) -> str:
    if not value:
        raise ValueError("không được để trống")
    return value


# One mailbox as a person writes it: ``ten@co-quan.gov.vn`` or ``Tên người nhận <ten@co-quan.gov.vn>``.
# ASCII addresses only (what every office mail server accepts); the display name may be Vietnamese.
_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                      r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
_NAMED = re.compile(r"^(?P<name>[^<>]*?)\s*<(?P<address>[^<>]*)>$")
ADDRESS_HELP = "dạng ten@co-quan.gov.vn hoặc Tên người nhận <ten@co-quan.gov.vn>"


def mail_address(value: str) -> tuple[str, str]:
    """(display name, address) of one mailbox; ValueError (Vietnamese) when it is not one.

    The display name may hold any printable text (it is encoded when a header is written); the
    address is checked strictly, so a name, a title or two addresses are never taken for one.
    """
    named = _NAMED.match(value.strip())
    name, address = (named["name"].strip().strip('"').strip(), named["address"].strip()) if named else ("", value.strip())
    if not _ADDRESS.match(address) or ".." in address or address.startswith(".") or "@." in address:
        raise ValueError(f"không phải một địa chỉ thư điện tử (cần {ADDRESS_HELP}, gặp \"{value}\")")
    if "@" in name or _CONTROL.search(name):
        raise ValueError(f"tên người nhận không được chứa @ hay ký tự điều khiển (cần {ADDRESS_HELP}, gặp \"{value}\")")
    return name, address


def _mailbox(value: str) -> str:
    mail_address(value)
    return value


Text = Annotated[str, AfterValidator(clean_line)]
"""One line of text, possibly empty."""

Name = Annotated[str, AfterValidator(clean_line), AfterValidator(_non_empty)]
"""One non-empty line of text."""

Lines = Annotated[tuple[Name, ...], BeforeValidator(split_lines)]

Mailbox = Annotated[str, AfterValidator(clean_line), AfterValidator(_non_empty), AfterValidator(_mailbox)]
"""One e-mail address, optionally with a display name: one line, checked by :func:`mail_address`."""
"""Zero or more lines: a YAML string (one line per line) or a list of strings."""

Code = Annotated[str, StringConstraints(pattern=r"^[A-ZĐ][A-ZĐ0-9_]{0,19}$")]
"""An agency or unit code: upper-case letters (Đ allowed), digits, underscore; safe in paths."""

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")]
"""A lower-case identifier for provinces: letters, digits, hyphens; safe in paths."""

Ident = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*$", max_length=80)]
"""A stable id for groups and tasks, e.g. ``cong-bo.quy-trinh-noi-bo``."""
