"""Returned trackers that come back by mail: saved messages, folders of them, a Maildir, an mbox.

Read only, and untrusted all the way. Each message is size-capped before it is parsed (the
standard library's parser, ``policy.default``); a message whose headers or MIME structure are
broken is refused with a message, never guessed at. Each attachment is taken as bytes; its name
(RFC 2231 or RFC 2047 encoded, or raw bytes of another charset) is decoded for display only and
is never used as a path. Messages forwarded inside a message are not opened. The sender is the
one address in ``From``, compared with the unit's registry contact by :func:`sender_problem`
(a check against mistakes, not an authentication: a ``From`` header is easy to forge).
"""

from __future__ import annotations

import mailbox
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from email import errors, message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem, broken
from ..spec.agencies import AgencyProfile
from ..spec.text import mail_address

MAX_MESSAGE = 35 * 1024 * 1024  # 25 MB of attachments, base64-encoded
MAX_PARTS, MAX_DEPTH = 100, 10
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MESSAGE_SUFFIXES, MBOX_SUFFIXES = (".eml",), (".mbox", ".mbx")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_BROKEN = (errors.MissingHeaderBodySeparatorDefect, errors.NoBoundaryInMultipartDefect,
           errors.StartBoundaryNotFoundDefect, errors.MultipartInvariantViolationDefect)
SENDER_HINT = ("Nếu đúng là đơn vị gửi từ địa chỉ khác: chạy lại lệnh với --any-sender, hoặc sửa contact của đơn vị "
               "trong registry.yaml.")
MSG_HINT = ("Tệp .msg của Outlook chưa đọc được: lưu thư dưới dạng .eml (Outlook mới, Thunderbird), "
            "hoặc lưu riêng tệp .xlsx đính kèm rồi nhận tệp đó.")


@dataclass(frozen=True)
class Item:
    """One thing named on the command line, or found in a folder or mailbox."""

    shown: str
    path: Path | None = None  # a tracker file, read as before
    data: bytes | None = None  # a message's bytes (size-capped)
    skipped: str | None = None  # not a return: why
    error: InputError | None = None  # could not be read at all


@dataclass(frozen=True)
class Attachment:
    shown: str  # the message and the decoded name, for messages only
    name: str
    tracker: bool
    data: bytes


@dataclass(frozen=True)
class Received:
    """A parsed message: its one sender address (lower case) and its attachments."""

    shown: str
    sender: str | None
    message_id: str | None
    attachments: tuple[Attachment, ...]
    nested: int  # forwarded messages inside it, not opened


def expand(paths: list[Path]) -> Iterator[Item]:
    """Every item the paths name: tracker files, messages (.eml, Maildir, mbox), things skipped."""
    for path in paths:
        if path.is_dir() and (path / "cur").is_dir() and (path / "new").is_dir():  # a Maildir
            for sub in ("new", "cur"):
                yield from (_message_file(p) for p in sorted((path / sub).iterdir())
                            if p.is_file() and not p.name.startswith("."))
        elif path.is_dir():
            for child in sorted(path.iterdir()):
                if child.name.startswith("."):
                    continue
                if child.is_dir():
                    yield Item(str(child), skipped="thư mục con, không đọc (chỉ định riêng nếu cần)")
                elif child.suffix.lower() in (*MESSAGE_SUFFIXES, *MBOX_SUFFIXES, ".msg", ".xlsx"):
                    yield from _named(child)
                else:
                    yield Item(str(child), skipped="không phải thư (.eml), hộp thư (.mbox) hay phiếu theo dõi (.xlsx)")
        else:
            yield from _named(path)


def _named(path: Path) -> Iterator[Item]:
    suffix = path.suffix.lower()
    if not path.is_file():
        yield Item(str(path), error=InputError.single("không tìm thấy tệp", file=str(path)))
    elif suffix in MESSAGE_SUFFIXES:
        yield _message_file(path)
    elif suffix == ".msg":
        yield Item(str(path), error=InputError.single("thư Outlook dạng .msg", file=str(path), hint=MSG_HINT))
    elif suffix in MBOX_SUFFIXES or (suffix != ".xlsx" and path.is_file() and _starts(path, b"From ")):
        yield from _mbox(path)
    else:
        yield Item(str(path), path=path)  # a tracker, as collect always read: the untrusted reader decides


def _starts(path: Path, prefix: bytes) -> bool:
    try:
        with path.open("rb") as file:
            return file.read(len(prefix)) == prefix
    except OSError:
        return False


def _message_file(path: Path) -> Item:
    try:
        with path.open("rb") as file:
            return _capped(str(path), file.read(MAX_MESSAGE + 1))
    except OSError as exc:
        return Item(str(path), error=_unreadable("không đọc được tệp thư", path, exc))


def _mbox(path: Path) -> Iterator[Item]:
    try:
        box = mailbox.mbox(path, create=False)
        keys = list(box.keys())
    except (OSError, mailbox.Error) as exc:
        yield Item(str(path), error=_unreadable("không đọc được hộp thư mbox", path, exc))
        return
    try:
        for number, key in enumerate(keys, start=1):
            with box.get_file(key) as file:
                yield _capped(f"{path}#{number}", file.read(MAX_MESSAGE + 1))
    finally:
        box.close()


def _unreadable(message: str, path: Path, exc: Exception) -> InputError:
    why = "không có quyền đọc" if isinstance(exc, PermissionError) else broken(exc)
    return InputError.single(message, file=str(path), found=why, hint="Kiểm tra tệp (có đang mở, có bị khóa) rồi chạy lại.")


def _capped(shown: str, data: bytes) -> Item:
    if len(data) > MAX_MESSAGE:
        return Item(shown, error=InputError.single("thư quá lớn, không đọc", file=shown,
                                                   expected=f"tối đa {MAX_MESSAGE // 1024 // 1024} MB",
                                                   found=f"trên {MAX_MESSAGE // 1024 // 1024} MB"))
    return Item(shown, data=data)


def parse_message(data: bytes, shown: str) -> Received:
    """The sender and attachments of one message; InputError when it is not a readable message."""
    message = message_from_bytes(data, policy=policy.default)
    broken = [d for d in message.defects if isinstance(d, _BROKEN)]
    if not message.keys() or broken:
        headless = not message.keys() or isinstance(broken[0], errors.MissingHeaderBodySeparatorDefect)
        raise InputError.single("không phải thư điện tử hoặc thư bị hỏng", file=shown,
                                found="không có phần đầu thư" if headless else
                                "cấu trúc MIME hỏng, không tách được các phần của thư",
                                hint="Lưu lại thư từ chương trình thư (Lưu thành… / Save as… dạng .eml) rồi nhận lại.")
    leaves: list[Any] = []
    nested = _leaves(message, leaves, 0, shown)
    attachments = []
    for part in leaves:
        name = display_name(part)
        if name is None and part.get_content_maintype() == "text":
            continue  # the body of the message
        name = name or "(không tên)"
        tracker = name.lower().endswith(".xlsx") or part.get_content_type() == XLSX
        payload = part.get_payload(decode=True)
        attachments.append(Attachment(f"{shown}, tệp đính kèm \"{name}\"", name, tracker,
                                      payload if isinstance(payload, bytes) else b""))
    return Received(shown, _sender(message), _message_id(message), tuple(attachments), nested)


def _leaves(part: EmailMessage, out: list[Any], depth: int, shown: str) -> int:
    """Collect the leaf parts of ``part`` into ``out``; return how many forwarded messages were left closed."""
    if part.get_content_type() == "message/rfc822":
        return 1
    if not part.is_multipart():
        out.append(part)
        if len(out) > MAX_PARTS:
            raise InputError.single("thư có quá nhiều phần đính kèm, không đọc", file=shown,
                                    expected=f"tối đa {MAX_PARTS} phần")
        return 0
    if depth >= MAX_DEPTH:
        raise InputError.single("thư lồng nhau quá sâu, không đọc", file=shown, expected=f"tối đa {MAX_DEPTH} tầng")
    return sum(_leaves(child, out, depth + 1, shown) for child in part.iter_parts())


def display_name(part: Any) -> str | None:
    """An attachment's name, decoded (RFC 2231 or 2047) and made safe to print; None when it has none."""
    try:
        raw = part.get_filename() or part.get_param("name")
    except (errors.HeaderParseError, ValueError, IndexError, TypeError):
        return "(tên không đọc được)"
    if not raw:
        return None
    text = str(raw).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text)).strip()
    return (text[:100] + "…" if len(text) > 100 else text) or "(không tên)"


def _message_id(message: EmailMessage) -> str | None:
    try:
        return str(message["Message-ID"]).strip() if message["Message-ID"] is not None else None
    except (errors.HeaderParseError, ValueError, IndexError, TypeError):
        return None


def _sender(message: EmailMessage) -> str | None:
    try:
        addresses = message["From"].addresses if message["From"] is not None else ()
    except (errors.HeaderParseError, ValueError, IndexError, TypeError, AttributeError):
        return None
    if len(addresses) != 1 or not addresses[0].addr_spec or "@" not in addresses[0].addr_spec:
        return None
    return addresses[0].addr_spec.lower()


def sender_problem(sender: str | None, unit: str, agency: AgencyProfile, shown: str) -> Problem | None:
    """Why the sender of a unit's tracker is not that unit's registry address (None when it is)."""
    contact = next((u.contact for u in agency.units if u.code == unit), None)
    if contact is None:
        return Problem(f"đơn vị {unit} chưa có địa chỉ thư (contact) trong danh mục để đối chiếu người gửi", file=shown,
                       found=sender or "thư không ghi người gửi")
    expected = mail_address(contact)[1]
    if sender is None:
        return Problem("thư không ghi rõ một địa chỉ người gửi (From)", file=shown, expected=expected)
    if sender != expected.lower():
        return Problem(f"người gửi không phải địa chỉ của đơn vị {unit} trong danh mục", file=shown,
                       expected=expected, found=sender)
    return None
