"""One SMTP session through the standard library (smtplib): connect, secure, log in, send one by one.

The server's certificate is verified (the system's CAs, plus ``cafile`` from ``[mail]``); nothing here
can turn verification off. Every fault becomes a Vietnamese :class:`OutputError` (exit status 3):
a fault of the session (refused, timeout, TLS, login, a connection dropped mid-send) ends it, and
the caller records what went before; a refusal of one message (a recipient, the data) is a
:class:`Refused`, and the session goes on with the next.
"""

from __future__ import annotations

import contextlib
import smtplib
import socket
import ssl
from email.message import EmailMessage
from types import TracebackType

from ..errors import InputError, OutputError
from .mailconfig import PASSWORD_ENV, MailConfig

CONFIG_HINT = "Kiểm tra bảng [mail] trong kehoach.toml (host, port, security) và kết nối mạng, rồi chạy lại lệnh."


class Refused(Exception):
    """The server would not take one message; the session can go on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def tls_context(config: MailConfig) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if config.cafile:
        try:
            context.load_verify_locations(cafile=str(config.cafile))
        except (ssl.SSLError, OSError):
            raise InputError.single("tệp chứng chỉ không đọc được", file="kehoach.toml", field="mail.cafile",
                                    expected="tệp chứng chỉ dạng PEM", found=str(config.cafile)) from None
    return context


class Session:
    """``with Session(config, password) as session: session.send(message, to)``."""

    def __init__(self, config: MailConfig, password: str | None) -> None:
        self.config, self.password = config, password
        self.client: smtplib.SMTP | None = None

    def __enter__(self) -> Session:
        config = self.config
        context = tls_context(config)
        try:
            if config.security == "ssl":
                self.client = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout, context=context)
            else:
                self.client = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
            self.client.ehlo()
            if config.security == "starttls":
                self.client.starttls(context=context)
                self.client.ehlo()
            if config.user:
                self.client.login(config.user, self.password or "")
        except BaseException as exc:
            self._close()
            if isinstance(exc, Exception):
                raise self.fault(exc) from None
            raise
        return self

    def send(self, message: EmailMessage, sender: str, to: str) -> None:
        """Hand one message to the server; :class:`Refused` for this message, OutputError for the session."""
        assert self.client is not None
        try:
            self.client.send_message(message, from_addr=sender, to_addrs=[to])
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()))
            raise Refused(f"máy chủ thư từ chối người nhận {to} ({_reply(code, reply)})") from None
        except smtplib.SMTPSenderRefused as exc:
            raise Refused(f"máy chủ thư từ chối địa chỉ gửi {sender} ({_reply(exc.smtp_code, exc.smtp_error)})") from None
        except smtplib.SMTPDataError as exc:
            raise Refused(f"máy chủ thư không nhận thư ({_reply(exc.smtp_code, exc.smtp_error)})") from None
        except Exception as exc:
            self._close()
            raise self.fault(exc) from None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self.client is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.client.quit()
            self._close()

    def _close(self) -> None:
        if self.client is not None:
            try:
                self.client.close()
            finally:
                self.client = None

    def fault(self, exc: Exception) -> OutputError:
        """The Vietnamese message of a fault of the session."""
        where, config = self.config.server, self.config
        message, found, hint = _fault_text(exc, config)
        return OutputError.single(message, file=where, found=found, hint=hint or CONFIG_HINT, exit_code=3)


def _fault_text(exc: Exception, config: MailConfig) -> tuple[str, str | None, str | None]:
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return ("máy chủ thư từ chối đăng nhập", _reply(exc.smtp_code, exc.smtp_error),
                f"Kiểm tra user trong [mail] và mật khẩu ({PASSWORD_ENV} hoặc mật khẩu đã nhập), rồi chạy lại lệnh.")
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        what = "STARTTLS" if config.security == "starttls" and "STARTTLS" in str(exc) else "đăng nhập (AUTH)"
        return (f"máy chủ thư không hỗ trợ {what}", str(exc) or None,
                "Dùng security = \"ssl\" (thường cổng 465) hoặc \"starttls\" (cổng 587) theo hướng dẫn của nhà cung cấp "
                "thư; bỏ user nếu máy chủ không cần đăng nhập.")
    if isinstance(exc, smtplib.SMTPServerDisconnected) and not isinstance(exc.__context__, TimeoutError):
        return "máy chủ thư ngắt kết nối giữa chừng", str(exc) or None, None
    if isinstance(exc, ssl.SSLCertVerificationError):
        return ("chứng chỉ của máy chủ thư không hợp lệ hoặc không được tin cậy", exc.verify_message or str(exc),
                "Kiểm tra host (phải đúng tên ghi trong chứng chỉ); máy chủ dùng chứng chỉ nội bộ thì ghi tệp chứng chỉ "
                "gốc vào cafile trong [mail].")
    if isinstance(exc, ssl.SSLError):
        return ("lỗi kết nối bảo mật (TLS) với máy chủ thư", exc.reason or str(exc),
                "Kiểm tra security và port trong [mail]: ssl thường dùng cổng 465, starttls cổng 587.")
    if isinstance(exc, TimeoutError | smtplib.SMTPServerDisconnected):  # smtplib wraps a read that timed out
        return f"máy chủ thư không trả lời sau {config.timeout:g} giây", None, None
    if isinstance(exc, ConnectionRefusedError):
        return "máy chủ thư từ chối kết nối (sai địa chỉ, cổng, hoặc máy chủ chưa chạy)", None, None
    if isinstance(exc, socket.gaierror):
        return "không tìm thấy máy chủ thư (sai tên máy chủ hoặc không có mạng)", None, None
    if isinstance(exc, smtplib.SMTPResponseException):
        return "máy chủ thư báo lỗi", _reply(exc.smtp_code, exc.smtp_error), None
    if isinstance(exc, smtplib.SMTPException | OSError):
        return "mất kết nối với máy chủ thư", str(exc) or type(exc).__name__, None
    raise exc


def _reply(code: int, text: bytes | str) -> str:
    reply = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(reply.split())}"[:200]
