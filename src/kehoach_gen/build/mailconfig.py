"""The ``[mail]`` table of kehoach.toml: how ``kehoach send`` and ``remind`` reach the office's mail server.

    [mail]
    host = "smtp.soctrang.gov.vn"
    port = 587                       # default: 587 (starttls), 465 (ssl), 25 (none)
    security = "starttls"            # starttls | ssl | none (none: only a server on this machine)
    from = "Văn phòng Sở Tư pháp <vanphong.stp@soctrang.gov.vn>"
    user = "vanphong.stp@soctrang.gov.vn"    # leave out when the server needs no login
    cafile = "chung-chi/ca-noi-bo.pem"       # more CA certificates to trust (an internal certificate)
    timeout = 30                     # seconds

Without a ``[mail]`` table (the shipped default) messages are written as .eml files to the outbox.
The server's certificate is always verified (system CAs, plus ``cafile``). The password is never
read from a file: it comes from the environment (``KEHOACH_SMTP_PASSWORD``) or is asked for.
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem
from ..spec.text import ADDRESS_HELP, mail_address
from ..workspace import CONFIG_NAME

PASSWORD_ENV = "KEHOACH_SMTP_PASSWORD"
SECURITY = ("starttls", "ssl", "none")
DEFAULT_PORT = {"starttls": 587, "ssl": 465, "none": 25}
KEYS = ("host", "port", "security", "from", "user", "cafile", "timeout")


@dataclass(frozen=True)
class MailConfig:
    host: str
    port: int
    security: str
    sender: str  # "Tên <địa chỉ>" or an address
    user: str | None
    cafile: Path | None
    timeout: float

    @property
    def server(self) -> str:
        return f"{self.host}:{self.port}"


def mail_config(root: Path) -> MailConfig | None:
    """The workspace's ``[mail]`` table, checked (every problem at once); None when there is none."""
    config = root / CONFIG_NAME
    try:
        table = tomllib.loads(config.read_text(encoding="utf-8")).get("mail")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError.single("không đọc được tệp cấu hình", file=str(config), found=str(exc)) from None
    if table is None:
        return None
    if not isinstance(table, dict):
        raise InputError.single("sai kiểu dữ liệu", file=CONFIG_NAME, field="mail", expected="một bảng [mail]")
    problems = _keys(table) + _server(table) + _account(table, root)
    if problems:
        raise InputError(problems)
    security = table.get("security", "starttls")
    cafile = table.get("cafile")
    return MailConfig(table["host"].strip(), table.get("port", DEFAULT_PORT[security]), security, table["from"],
                      table.get("user"), root / cafile if cafile else None, float(table.get("timeout", 30)))


def _problem(key: str, message: str, expected: str | None = None, found: Any = None) -> Problem:
    shown = None if found is None else f"\"{found}\"" if isinstance(found, str) else repr(found)
    return Problem(message, file=CONFIG_NAME, field=f"mail.{key}", expected=expected, found=shown)


def _keys(table: dict[str, Any]) -> list[Problem]:
    problems = []
    if "password" in table:
        problems.append(_problem("password", "không ghi mật khẩu trong tệp cấu hình", expected=(
            f"xóa dòng này; đặt biến môi trường {PASSWORD_ENV} hoặc nhập mật khẩu khi được hỏi")))
    return problems + [_problem(key, "khóa không có trong mẫu", expected="một trong: " + ", ".join(KEYS))
                       for key in sorted(set(table) - set(KEYS) - {"password"})]


def _server(table: dict[str, Any]) -> list[Problem]:
    problems = []
    host, security = table.get("host"), table.get("security", "starttls")
    if not isinstance(host, str) or not host.strip() or any(c.isspace() for c in host.strip()):
        problems.append(_problem("host", "thiếu hoặc sai tên máy chủ thư", expected="ví dụ host = \"smtp.soctrang.gov.vn\"",
                                 found=host))
    if security not in SECURITY:
        problems.append(_problem("security", "giá trị không hợp lệ", expected="một trong: " + ", ".join(SECURITY),
                                 found=security))
    elif security == "none" and isinstance(host, str) and not _loopback(host.strip()):
        problems.append(_problem("security", "không mã hóa (none) chỉ dùng với máy chủ thư trên chính máy này "
                                 "(127.0.0.1, localhost)", expected="security = \"starttls\" hoặc \"ssl\"", found=security))
    port = table.get("port", DEFAULT_PORT.get(security, 587))
    if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535:
        problems.append(_problem("port", "cổng không hợp lệ", expected="số nguyên từ 1 đến 65535", found=port))
    timeout = table.get("timeout", 30)
    if not isinstance(timeout, int | float) or isinstance(timeout, bool) or not 0 < timeout <= 600:
        problems.append(_problem("timeout", "thời gian chờ không hợp lệ", expected="số giây từ 1 đến 600", found=timeout))
    return problems


def _account(table: dict[str, Any], root: Path) -> list[Problem]:
    problems = []
    sender, user, cafile = table.get("from"), table.get("user"), table.get("cafile")
    if not isinstance(sender, str):
        problems.append(_problem("from", "thiếu địa chỉ gửi", expected=ADDRESS_HELP, found=sender))
    else:
        try:
            mail_address(sender)
        except ValueError as exc:
            problems.append(_problem("from", str(exc)))
    if user is not None and (not isinstance(user, str) or not user.strip()):
        problems.append(_problem("user", "sai tên đăng nhập", expected="một đoạn văn bản, ví dụ địa chỉ thư", found=user))
    if cafile is not None and (not isinstance(cafile, str) or not (root / cafile).is_file()):
        problems.append(_problem("cafile", "không tìm thấy tệp chứng chỉ", expected=(
            "đường dẫn tệp .pem (tính từ thư mục vùng làm việc)"), found=cafile))
    return problems


def _loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def smtp_password(config: MailConfig, ask: Callable[[str], str] | None) -> str | None:
    """The password of ``config.user``: from the environment, else asked for; None when no login is needed."""
    if not config.user:
        return None
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if ask is None:
        raise InputError.single(f"cần mật khẩu thư của {config.user}", field=PASSWORD_ENV, hint=(
            f"Đặt biến môi trường {PASSWORD_ENV} (không ghi mật khẩu vào tệp trong vùng làm việc), hoặc chạy lệnh "
            "trong cửa sổ dòng lệnh để nhập mật khẩu khi được hỏi."))
    return ask(f"Mật khẩu thư của {config.user}")
