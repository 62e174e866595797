"""A real SMTP server for the mail tests (aiosmtpd on 127.0.0.1, STARTTLS on a throw-away CA, AUTH),
servers that misbehave in the ways real ones do, and what a unit does with a tracker it received."""

from __future__ import annotations

import datetime as dt
import io
import socket
import ssl
import threading
import zipfile
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import openpyxl
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from openpyxl.writer.excel import ExcelWriter

USER, PASSWORD = "vanphong.stp", "mat-khau-thu"
SENDER = "Văn phòng Sở Tư pháp <vanphong.stp@stp.soctrang.example>"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """The aiosmtpd handler: keeps what it received; can refuse recipients or drop the connection."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []
        self.refuse: set[str] = set()
        self.drop_after: int | None = None  # close the connection on the DATA after this many messages

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.drop_after is not None and len(self.received) >= self.drop_after:
            server.transport.close()
            return "421 4.3.0 Closing"
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"

    def messages(self) -> list[EmailMessage]:
        return [message_from_bytes(data, policy=policy.default) for _, _, data in self.received]


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    ok = (data.login, data.password) == (USER.encode(), PASSWORD.encode())
    return AuthResult(success=ok, handled=False)  # not handled: aiosmtpd answers 535 itself


class SmtpServer:
    """``with SmtpServer(ca) as server``: STARTTLS required, AUTH required after it; ``server.inbox``."""

    def __init__(self, ca: trustme.CA, *, implicit_tls: bool = False, **smtp: Any) -> None:
        self.port = free_port()
        self.inbox = Inbox()
        self.tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1", "localhost").configure_cert(self.tls)  # a server certificate of the CA
        options = {"tls_context": self.tls, "require_starttls": True, "auth_required": True,
                   "auth_require_tls": True, "authenticator": _authenticate} | smtp
        if implicit_tls:  # SMTPS (port 465 style): TLS from the first byte, no STARTTLS
            # aiosmtpd counts only STARTTLS as TLS for AUTH: the whole connection is TLS here
            options |= {"tls_context": None, "require_starttls": False, "auth_require_tls": False}
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port,
                                     ssl_context=self.tls if implicit_tls else None, **options)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


class SilentServer:
    """Accepts connections and never says a word (a server that hangs: the client must time out)."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(8)
        self.port = self.socket.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        try:
            while True:
                self.accepted.append(self.socket.accept()[0])
        except OSError:
            return

    def __enter__(self) -> SilentServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.socket.close()
        for conn in self.accepted:
            conn.close()


def mail_toml(port: int, /, **overrides: Any) -> str:
    """kehoach.toml with a [mail] table for the test server (values given as TOML text)."""
    table = {"host": '"127.0.0.1"', "port": str(port), "security": '"starttls"', "from": f'"{SENDER}"',
             "user": f'"{USER}"', "cafile": '"ca.pem"', "timeout": "5"} | overrides
    lines = [f"{key} = {value}" for key, value in table.items() if value is not None]
    return 'province = "soc-trang"\n\n[mail]\n' + "\n".join(lines) + "\n"


def filled(tracker: bytes, cells: dict[str, object], modified: dt.datetime) -> bytes:
    """What a unit does with the tracker it received: type into cells, save (at a chosen time)."""
    book = openpyxl.load_workbook(io.BytesIO(tracker))
    for ref, value in cells.items():
        book["Theo dõi"][ref] = value
    book.properties.modified = modified
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()  # openpyxl's save() would stamp the current time
    return out.getvalue()


def reply(original: EmailMessage, sender: str, attachments: list[tuple[str, bytes]], body: str = "Gửi lại phiếu.",
          mime: str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") -> bytes:
    """A unit's reply with its attachments, as Outlook or Thunderbird saves it (.eml bytes)."""
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = sender
    message["To"] = original["From"] or "vanphong.stp@stp.soctrang.example"
    message["Subject"] = "Re: " + str(original["Subject"])
    message["In-Reply-To"] = original["Message-ID"]
    message["Message-ID"] = "<tra-loi-" + str(len(attachments)) + "@stp.soctrang.example>"
    message.set_content(body)
    for name, data in attachments:
        maintype, subtype = mime.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def attachment_bytes(message: EmailMessage) -> dict[str, bytes]:
    return {part.get_filename(): part.get_content() for part in message.iter_attachments()}


def write_ca(ca: trustme.CA, path: Path) -> Path:
    ca.cert_pem.write_to_path(str(path))
    return path


def body(message: EmailMessage) -> str:
    """The text of a message as a reader sees it (the wire's CRLF line ends as newlines)."""
    return message.get_body().get_content().replace("\r\n", "\n")
