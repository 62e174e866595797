"""`kehoach send` and `remind` against a real SMTP server on 127.0.0.1 (aiosmtpd, STARTTLS on a throw-away CA,
AUTH), the outbox of .eml files, the record, faults of the server and of the configuration, and the whole loop:
messages sent, replied with filled trackers, collected from .eml, a Maildir and an mbox, in the Q1 report."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import mailbox
import os
import shutil
import subprocess
import sys
from email import message_from_bytes, policy
from email.utils import parsedate_to_datetime
from pathlib import Path

import openpyxl
import pytest
import trustme
from docx import Document

from conftest import copy_workspace
from kehoach_gen.build import sending
from kehoach_gen.errors import InputError, KehoachError, OutputError
from kehoach_gen.workspace import Target, Workspace
from mail_helpers import (
    PASSWORD,
    SENDER,
    SilentServer,
    SmtpServer,
    attachment_bytes,
    body,
    filled,
    free_port,
    mail_toml,
    reply,
    write_ca,
)

# aiosmtpd sets its own deprecated attribute on every successful login (in its server thread), and warns of AUTH
# without STARTTLS even when the whole connection is TLS (SMTPS)
pytestmark = [pytest.mark.filterwarnings("ignore:Session.login_data is deprecated:DeprecationWarning"),
              pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")]

KEHOACH = str(Path(sys.executable).parent / "kehoach")
TARGET = Target("soc-trang", "STP", 2025)
NOW = dt.datetime(2025, 3, 16, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
UNITS = [("VP", "Văn phòng Sở", "Chánh Văn phòng Sở"), ("XDKTVB", "Phòng Xây dựng và kiểm tra văn bản QPPL", "Trưởng phòng"),
         ("HCTP", "Phòng Hành chính tư pháp", "Trưởng phòng"), ("BTTP", "Phòng Bổ trợ tư pháp", "Trưởng phòng"),
         ("PBGDPL", "Phòng Phổ biến, giáo dục pháp luật", "Trưởng phòng"), ("TTR", "Thanh tra Sở", "Chánh Thanh tra Sở"),
         ("TTTGPL", "Trung tâm Trợ giúp pháp lý nhà nước", "Giám đốc Trung tâm")]
CODES = [code for code, _, _ in UNITS]
NO_CONTACT = "  TTDVDG (Trung tâm Dịch vụ đấu giá tài sản): chưa có địa chỉ thư (contact) trong danh mục, không gửi"
VP_BODY = """\
Kính gửi: Văn phòng Sở.

Thực hiện Kế hoạch (dự thảo, chưa có số) của Sở Tư pháp về kiểm soát thủ tục hành chính năm 2025 tại Sở Tư pháp \
tỉnh Sóc Trăng, Văn phòng Sở gửi Văn phòng Sở phiếu theo dõi thực hiện Kế hoạch (tệp STP-2025-VP.xlsx đính kèm), gồm \
22 nhiệm vụ đơn vị chủ trì hoặc phối hợp thực hiện.

Đề nghị Văn phòng Sở cập nhật tình hình, kết quả thực hiện quý I năm 2025 (số liệu từ ngày 15/12/2024 đến ngày \
14/03/2025) vào phiếu và gửi lại trước ngày 19/03/2025. Nếu đã điền phiếu ở kỳ trước, đơn vị cập nhật tiếp trên tệp đã \
điền.

Cách gửi lại: mở tệp đính kèm bằng Excel, điền vào các cột nền trắng (không sửa các cột nền xám), lưu tệp (.xlsx, có \
thể đổi tên tệp), rồi trả lời thư này và đính kèm tệp đã điền.

Trân trọng./.
Văn phòng Sở, Sở Tư pháp
"""
AGAIN = "Tổng cộng: đã gửi trước đó 7, chưa có địa chỉ 1."
ADD_CONTACT = "Để gửi cho đơn vị chưa có địa chỉ: thêm contact của đơn vị trong plan_specs/soc-trang/registry.yaml."


def address(code: str) -> str:
    return f"{code.lower()}@stp.soctrang.example"


def run(root: Path, *args: str, password: str | None = PASSWORD) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", **({"KEHOACH_SMTP_PASSWORD": password} if password else {})}
    return subprocess.run([KEHOACH, *args], cwd=root, capture_output=True, text=True, check=False, env=env,
                          stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_workspace(tmp_path_factory.mktemp("mail") / "ws")
    result = run(root, "build", "--agency", "STP", "--year", "2025")
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def root(built: Path, tmp_path: Path, ca: trustme.CA) -> Path:
    """A fresh copy of the built sample workspace, the test CA beside it."""
    copy = tmp_path / "ws"
    shutil.copytree(built, copy)
    write_ca(ca, copy / "ca.pem")
    return copy


@pytest.fixture
def server(ca: trustme.CA):
    with SmtpServer(ca) as running:
        yield running


@pytest.fixture
def password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEHOACH_SMTP_PASSWORD", PASSWORD)


def configure(root: Path, port: int, /, **overrides: str | None) -> Workspace:
    (root / "kehoach.toml").write_text(mail_toml(port, **overrides), encoding="utf-8")
    return Workspace(root, "soc-trang")


def record(root: Path) -> list[dict]:
    return json.loads((root / "output/2025/STP/gui-di/so-gui.json").read_text(encoding="utf-8"))["messages"]


def tracker(root: Path, code: str) -> bytes:
    return (root / f"output/2025/STP/theo-doi/STP-2025-{code}.xlsx").read_bytes()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------- send by SMTP

def test_send_delivers_one_message_per_unit_with_its_own_tracker_then_nothing_new(root, server):
    configure(root, server.port)
    result = run(root, "send", "--agency", "STP", "--year", "2025", "--period", "Q1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"Gửi phiếu theo dõi STP 2025, quý I năm 2025 (hạn báo cáo 19/03/2025), qua máy chủ thư 127.0.0.1:{server.port}:",
        *(f"  {code} ({name}): đã gửi tới {address(code)}, đính kèm STP-2025-{code}.xlsx" for code, name, _ in UNITS),
        NO_CONTACT, "Tổng cộng: đã gửi 7, chưa có địa chỉ 1.", ADD_CONTACT, "Sổ gửi: output/2025/STP/gui-di/so-gui.json"]
    received = server.inbox.messages()
    assert [rcpt for _, rcpt, _ in server.inbox.received] == [[address(code)] for code in CODES]
    assert {mail_from for mail_from, _, _ in server.inbox.received} == {"vanphong.stp@stp.soctrang.example"}
    entries = record(root)
    for (code, name, title), message, entry in zip(UNITS, received, entries, strict=True):
        assert str(message["From"]) == SENDER
        assert str(message["To"]) == f"{title} <{address(code)}>"
        assert str(message["Subject"]) == (f"[Sở Tư pháp] Phiếu theo dõi thực hiện Kế hoạch năm 2025, báo cáo quý I "
                                           f"năm 2025: {name}")
        assert message["Message-ID"] == entry["message_id"] and message["Message-ID"].endswith("@stp.soctrang.example>")
        assert abs(parsedate_to_datetime(message["Date"]) - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
        assert message["X-Unsent"] is None
        assert body(message).startswith(f"Kính gửi: {name}.\n")
        assert attachment_bytes(message) == {f"STP-2025-{code}.xlsx": tracker(root, code)}
        assert (entry["unit"], entry["to"], entry["channel"], entry["result"]) == (code, address(code), "smtp", "delivered")
        assert entry["attachments"][0]["sha256"] == hashlib.sha256(tracker(root, code)).hexdigest()
    assert body(received[0]) == VP_BODY
    again = run(root, "send", "--agency", "STP", "--year", "2025", "--period", "Q1")
    assert again.returncode == 0, again.stderr
    lines = again.stdout.splitlines()
    assert len(server.inbox.received) == 7 and len(record(root)) == 7
    at = dt.datetime.fromisoformat(entries[0]["at"])
    assert lines[1] == (f"  VP (Văn phòng Sở): đã gửi lúc {at:%H:%M} ngày {at:%d/%m/%Y} tới vp@stp.soctrang.example, "
                        "không gửi lại")
    assert lines[-3:] == [AGAIN, ADD_CONTACT, "Không có thư mới để gửi. Gửi lại cho các đơn vị đã nhận: thêm --resend."]


def test_units_resend_and_the_plans_pdf(root, server, password):
    ws = configure(root, server.port)
    pdf = root / "output/2025/STP/KH-STP-2025.pdf"
    pdf.write_bytes(b"%PDF-1.4 ban in")
    result = sending.send(ws, TARGET, units=["HCTP", "VP"], now=NOW)
    assert [(u.unit, u.action, u.files) for u in result.units] == [
        ("VP", "delivered", ("STP-2025-VP.xlsx", "KH-STP-2025.pdf")),
        ("HCTP", "delivered", ("STP-2025-HCTP.xlsx", "KH-STP-2025.pdf"))]
    vp = server.inbox.messages()[0]
    assert attachment_bytes(vp) == {"STP-2025-VP.xlsx": tracker(root, "VP"), "KH-STP-2025.pdf": b"%PDF-1.4 ban in"}
    assert "\nKế hoạch đính kèm trong tệp KH-STP-2025.pdf.\n" in body(vp)
    assert str(vp["Subject"]).endswith("Kế hoạch năm 2025: Văn phòng Sở")  # no period named
    assert [e["period"] for e in record(root)] == [None, None]
    assert [u.action for u in sending.send(ws, TARGET, units=["VP"], now=NOW).units] == ["gone"]
    assert [u.action for u in sending.send(ws, TARGET, units=["VP"], period_code="Q1", now=NOW).units] == ["delivered"]
    assert [u.action for u in sending.send(ws, TARGET, units=["VP"], resend=True, now=NOW).units] == ["delivered"]
    document = root / "output/2025/STP/KH-STP-2025.docx"
    os.utime(pdf, (document.stat().st_mtime - 60,) * 2)  # the document is now newer than its PDF
    newer = sending.send(ws, TARGET, units=["VP"], resend=True, now=NOW)
    assert (newer.units[0].files, newer.stale_pdf) == (("STP-2025-VP.xlsx",), pdf)
    assert len(server.inbox.received) == 5
    with pytest.raises(InputError) as caught:
        sending.send(ws, TARGET, units=["VPS", "TTDVDG", "VP"])
    assert str(caught.value) == (
        "--units: không có đơn vị này (cần một trong: BTTP, HCTP, PBGDPL, TTDVDG, TTR, TTTGPL, VP, XDKTVB, gặp \"VPS\")")


def test_a_changed_tracker_is_named_and_resent_on_request(root, server, password):
    ws = configure(root, server.port)
    sending.send(ws, TARGET, units=["VP"], period_code="Q1", now=NOW)
    spec = root / "plan_specs/soc-trang/STP/2025.yaml"
    text = spec.read_text(encoding="utf-8").replace("title:", "number: 12\ntitle:", 1)
    spec.write_text(text.replace("  - tại Sở Tư pháp tỉnh Sóc Trăng", "  - tại Sở Tư pháp"), encoding="utf-8")
    again = sending.send(ws, TARGET, units=["VP"], period_code="Q1", now=NOW)
    assert [(u.action, u.changed) for u in again.units] == [("gone", True)]
    assert [o.path.name for o in again.trackers if o.action == "updated"][:1] == ["STP-2025-VP.xlsx"]
    resent = sending.send(ws, TARGET, units=["VP"], period_code="Q1", resend=True, now=NOW)
    assert resent.units[0].action == "delivered"
    assert "Thực hiện Kế hoạch số 12/KH-STP tháng 01/2025 của Sở Tư pháp" in body(server.inbox.messages()[-1])


def test_a_tracker_edited_by_hand_is_not_sent_and_a_missing_one_is_made(root, server, password):
    ws = configure(root, server.port)
    edited = root / "output/2025/STP/theo-doi/STP-2025-HCTP.xlsx"
    edited.write_bytes(edited.read_bytes() + b"sua tay")
    (root / "output/2025/STP/theo-doi/STP-2025-BTTP.xlsx").unlink()
    result = sending.send(ws, TARGET, units=["HCTP", "BTTP"], period_code="Q1", now=NOW)
    assert [(u.unit, u.action) for u in result.units] == [("HCTP", "kept"), ("BTTP", "delivered")]
    assert [(o.path.name, o.action) for o in result.trackers if o.action != "unchanged"] == [
        ("STP-2025-HCTP.xlsx", "kept"), ("STP-2025-BTTP.xlsx", "created")]
    assert attachment_bytes(server.inbox.messages()[0]) == {"STP-2025-BTTP.xlsx": tracker(root, "BTTP")}
    from kehoach_gen.cli.mail import mail_lines

    assert mail_lines(ws, result, False)[1] == ("  HCTP (Phòng Hành chính tư pháp): phiếu theo dõi đã bị sửa tay sau lần "
                                                "xuất, không gửi (xuất lại bằng kehoach trackers … --force)")


def test_dry_run_sends_and_writes_nothing(root, server):
    configure(root, server.port)
    before = snapshot(root)
    result = run(root, "send", "--agency", "STP", "--year", "2025", "--period", "Q1", "--dry-run", password=None)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == [
        f"Chạy thử (không gửi, không ghi gì): Gửi phiếu theo dõi STP 2025, quý I năm 2025 (hạn báo cáo 19/03/2025), "
        f"qua máy chủ thư 127.0.0.1:{server.port}:",
        "  VP (Văn phòng Sở): sẽ gửi tới vp@stp.soctrang.example, đính kèm STP-2025-VP.xlsx"]
    assert result.stdout.splitlines()[-2:] == ["Tổng cộng: sẽ gửi 7, chưa có địa chỉ 1.", ADD_CONTACT]
    assert snapshot(root) == before and server.inbox.received == []


# ---------------------------------------------------------------- the outbox

def test_outbox_without_mail_config_then_smtp_when_configured(root, server, password):
    ws = Workspace(root, "soc-trang")  # the shipped kehoach.toml: no [mail]
    result = run(root, "send", "--agency", "STP", "--year", "2025", "--period", "Q1", password=None)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == ("Gửi phiếu theo dõi STP 2025, quý I năm 2025 (hạn báo cáo 19/03/2025), ghi thư vào "
                        "output/2025/STP/gui-di/:")
    assert lines[1] == ("  VP (Văn phòng Sở): đã ghi output/2025/STP/gui-di/phieu-Q1-VP.eml, gửi tới vp@stp.soctrang.example, "
                        "đính kèm STP-2025-VP.xlsx")
    assert lines[-3:] == [ADD_CONTACT, "Tiếp theo: mở từng tệp .eml trong output/2025/STP/gui-di/ bằng Outlook (thư mở "
                          "sẵn để gửi) hoặc Thunderbird (Ctrl+E: sửa thành thư mới) rồi bấm Gửi; hoặc cấu hình [mail] "
                          "trong kehoach.toml để gửi thẳng.", "Sổ gửi: output/2025/STP/gui-di/so-gui.json"]
    outbox = root / "output/2025/STP/gui-di"
    assert sorted(p.name for p in outbox.iterdir()) == sorted([f"phieu-Q1-{c}.eml" for c in CODES] + ["so-gui.json"])
    for code, name, title in UNITS:
        data = (outbox / f"phieu-Q1-{code}.eml").read_bytes()
        assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")  # CRLF, as mail clients expect
        message = message_from_bytes(data, policy=policy.default)
        assert (message["X-Unsent"], message["From"], str(message["To"])) == ("1", None, f"{title} <{address(code)}>")
        assert attachment_bytes(message) == {f"STP-2025-{code}.xlsx": tracker(root, code)}
        assert str(message["Subject"]).endswith(f"quý I năm 2025: {name}")
    assert run(root, "send", "--agency", "STP", "--year", "2025", "--period", "Q1").stdout.splitlines()[-2:] == [
        ADD_CONTACT, "Không có thư mới để gửi. Gửi lại cho các đơn vị đã nhận: thêm --resend."]
    ws = configure(root, server.port)
    by_smtp = sending.send(ws, TARGET, period_code="Q1", now=NOW)  # written to the outbox is not delivered yet
    assert [u.action for u in by_smtp.units] == ["delivered"] * 7 + ["no-contact"]
    assert len(server.inbox.received) == 7
    assert [(e["channel"], e["result"]) for e in record(root)] == [("outbox", "written")] * 7 + [("smtp", "delivered")] * 7
    assert [u.action for u in sending.send(ws, TARGET, period_code="Q1", now=NOW).units][:7] == ["gone"] * 7


def test_a_broken_record_stops_send_but_not_collect(root, server, password):
    from kehoach_gen.build.tracking import collect

    ws = configure(root, server.port)
    book = root / "output/2025/STP/gui-di/so-gui.json"
    book.parent.mkdir(parents=True)
    book.write_text('{"format": "kehoach-gui-di/1", "messages": [{"unit": "VP"}]}', encoding="utf-8")
    with pytest.raises(OutputError) as caught:
        sending.send(ws, TARGET, period_code="Q1")
    assert (str(caught.value), caught.value.exit_code) == (
        f"{book}: sổ gửi thư bị hỏng\nKhôi phục tệp từ bản sao lưu; nếu xóa tệp, lần gửi sau sẽ gửi lại cho mọi đơn vị.", 3)
    assert server.inbox.received == []
    returned = root / "VP.xlsx"
    returned.write_bytes(filled(tracker(root, "VP"), {"H5": "Hoàn thành"}, dt.datetime(2025, 3, 12, 9, 0)))
    assert collect(ws, TARGET, [returned])[0][0].status == "mới"


# ---------------------------------------------------------------- faults of the server

def _unfinished(sent: list[str], rest: list[str]) -> str:
    done = f"Đã gửi {len(sent)} thư" + (f" ({', '.join(sent)})" if sent else "")
    return f"{done}; chưa gửi {len(rest)} ({', '.join(rest)}). Sửa lỗi rồi chạy lại lệnh: chỉ các đơn vị chưa gửi được gửi lại."


CHECK = "Kiểm tra bảng [mail] trong kehoach.toml (host, port, security) và kết nối mạng, rồi chạy lại lệnh."


def test_refused_connection_exit_3_and_nothing_recorded(root):
    port = free_port()  # nothing listens there
    configure(root, port)
    result = run(root, "send", "--agency", "STP", "--year", "2025", "--period", "Q1")
    assert result.returncode == 3
    assert result.stdout.splitlines()[1] == "  VP (Văn phòng Sở): chưa gửi (đã dừng vì lỗi bên dưới)"
    assert result.stderr.splitlines() == [
        "Lỗi:", f"  127.0.0.1:{port}: máy chủ thư từ chối kết nối (sai địa chỉ, cổng, hoặc máy chủ chưa chạy)",
        CHECK, _unfinished([], CODES)]
    assert not (root / "output/2025/STP/gui-di/so-gui.json").exists()


def test_wrong_password_and_missing_password(root, server):
    configure(root, server.port)
    result = run(root, "send", "--agency", "STP", "--year", "2025", "--period", "Q1", password="sai-mat-khau")
    assert result.returncode == 3
    assert result.stderr.splitlines() == [
        "Lỗi:", f"  127.0.0.1:{server.port}: máy chủ thư từ chối đăng nhập (gặp 535 5.7.8 Authentication credentials "
        "invalid)", "Kiểm tra user trong [mail] và mật khẩu (KEHOACH_SMTP_PASSWORD hoặc mật khẩu đã nhập), rồi chạy lại lệnh.",
        _unfinished([], CODES)]
    missing = run(root, "send", "--agency", "STP", "--year", "2025", "--period", "Q1", password=None)
    assert missing.returncode == 2
    assert missing.stderr.splitlines() == [
        "Lỗi:", "  KEHOACH_SMTP_PASSWORD: cần mật khẩu thư của vanphong.stp",
        "Đặt biến môi trường KEHOACH_SMTP_PASSWORD (không ghi mật khẩu vào tệp trong vùng làm việc), hoặc chạy lệnh "
        "trong cửa sổ dòng lệnh để nhập mật khẩu khi được hỏi.", "Chưa ghi tệp nào."]
    assert server.inbox.received == []


def test_the_password_is_asked_for_when_not_in_the_environment(root, server, monkeypatch):
    monkeypatch.delenv("KEHOACH_SMTP_PASSWORD", raising=False)
    ws = configure(root, server.port)
    asked: list[str] = []
    result = sending.send(ws, TARGET, units=["VP"], period_code="Q1", now=NOW,
                          ask_password=lambda prompt: asked.append(prompt) or PASSWORD)
    assert (asked, [u.action for u in result.units]) == (["Mật khẩu thư của vanphong.stp"], ["delivered"])
    assert sending.send(ws, TARGET, units=["VP"], period_code="Q1", ask_password=asked.append).units[0].action == "gone"
    assert asked == ["Mật khẩu thư của vanphong.stp"]  # nothing to send: nothing asked


def test_a_refused_recipient_is_recorded_and_the_rerun_sends_only_it(root, server, password):
    ws = configure(root, server.port)
    server.inbox.refuse = {address("HCTP")}
    result = sending.send(ws, TARGET, period_code="Q1", now=NOW)
    assert [(u.unit, u.action) for u in result.units if u.action != "delivered"] == [("HCTP", "failed"),
                                                                                     ("TTDVDG", "no-contact")]
    assert result.units[2].reason == "máy chủ thư từ chối người nhận hctp@stp.soctrang.example (550 5.1.1 Mailbox unavailable)"
    assert result.error is not None and result.error.exit_code == 3
    assert str(result.error) == (f"127.0.0.1:{server.port}: 1 thư bị máy chủ thư từ chối\n"
                                 + _unfinished([c for c in CODES if c != "HCTP"], ["HCTP"]))
    assert [(e["unit"], e["result"]) for e in record(root)][2] == ("HCTP", "failed")
    server.inbox.refuse = set()
    rerun = sending.send(ws, TARGET, period_code="Q1", now=NOW)
    assert [(u.unit, u.action) for u in rerun.units if u.action not in ("gone", "no-contact")] == [("HCTP", "delivered")]
    assert sorted(rcpt[0] for _, rcpt, _ in server.inbox.received) == sorted(address(c) for c in CODES)


def test_a_server_that_drops_mid_send(root, server, password):
    ws = configure(root, server.port)
    server.inbox.drop_after = 3
    result = sending.send(ws, TARGET, period_code="Q1", now=NOW)
    assert [u.action for u in result.units] == ["delivered"] * 3 + ["failed"] + ["not-sent"] * 3 + ["no-contact"]
    assert str(result.error) == (f"127.0.0.1:{server.port}: máy chủ thư ngắt kết nối giữa chừng (gặp Connection "
                                 f"unexpectedly closed)\n{CHECK}\n" + _unfinished(CODES[:3], CODES[3:]))
    assert [(e["unit"], e["result"]) for e in record(root)] == [(c, "delivered") for c in CODES[:3]] + [("BTTP", "failed")]
    server.inbox.drop_after = None
    rerun = sending.send(ws, TARGET, period_code="Q1", now=NOW)
    assert rerun.error is None
    assert [u.unit for u in rerun.units if u.action == "delivered"] == CODES[3:]
    assert [rcpt[0] for _, rcpt, _ in server.inbox.received] == [address(c) for c in CODES]


def test_a_server_that_never_answers_times_out(root, password):
    with SilentServer() as silent:
        ws = configure(root, silent.port, timeout="1")
        result = sending.send(ws, TARGET, period_code="Q1", now=NOW)
    assert str(result.error) == (f"127.0.0.1:{silent.port}: máy chủ thư không trả lời sau 1 giây\n{CHECK}\n"
                                 + _unfinished([], CODES))


def test_an_untrusted_certificate_is_refused(root, server, password):
    ws = configure(root, server.port, cafile=None)  # the throw-away CA is not trusted
    result = sending.send(ws, TARGET, period_code="Q1", now=NOW)
    assert str(result.error).splitlines()[:2] == [
        f"127.0.0.1:{server.port}: chứng chỉ của máy chủ thư không hợp lệ hoặc không được tin cậy (gặp unable to get "
        "local issuer certificate)",
        "Kiểm tra host (phải đúng tên ghi trong chứng chỉ); máy chủ dùng chứng chỉ nội bộ thì ghi tệp chứng chỉ gốc vào "
        "cafile trong [mail]."]
    assert server.inbox.received == []


def test_server_without_starttls_implicit_tls_and_plain_loopback(root, ca, password):
    with SmtpServer(ca, tls_context=None, require_starttls=False, auth_required=False) as plain:
        ws = configure(root, plain.port)
        result = sending.send(ws, TARGET, units=["VP"], period_code="Q1", now=NOW)
        assert str(result.error).splitlines()[0] == (
            f"127.0.0.1:{plain.port}: máy chủ thư không hỗ trợ STARTTLS (gặp STARTTLS extension not supported by server.)")
        ws = configure(root, plain.port, security='"none"', user=None, cafile=None)  # loopback: allowed
        assert [u.action for u in sending.send(ws, TARGET, units=["VP"], period_code="Q1", now=NOW).units] == ["delivered"]
        assert len(plain.inbox.received) == 1
    with SmtpServer(ca, implicit_tls=True) as implicit:
        ws = configure(root, implicit.port, security='"ssl"')
        result = sending.send(ws, TARGET, units=["HCTP"], period_code="Q1", now=NOW)
        assert ([u.action for u in result.units], str(result.error)) == (["delivered"], "None")
        assert attachment_bytes(implicit.inbox.messages()[0]) == {"STP-2025-HCTP.xlsx": tracker(root, "HCTP")}


# ---------------------------------------------------------------- bad configuration, templates, registry

MAIL_REFUSALS = [
    ({"host": '"smtp.soctrang.gov.vn"', "security": '"none"'},
     'kehoach.toml: mail.security: không mã hóa (none) chỉ dùng với máy chủ thư trên chính máy này (127.0.0.1, localhost) '
     '(cần security = "starttls" hoặc "ssl", gặp "none")'),
    ({"password": '"123456"'},
     "kehoach.toml: mail.password: không ghi mật khẩu trong tệp cấu hình (cần xóa dòng này; đặt biến môi trường "
     "KEHOACH_SMTP_PASSWORD hoặc nhập mật khẩu khi được hỏi)"),
    ({"host": None, "hots": '"smtp.soctrang.gov.vn"'},
     "kehoach.toml: mail.hots: khóa không có trong mẫu (cần một trong: host, port, security, from, user, cafile, timeout)\n"
     'kehoach.toml: mail.host: thiếu hoặc sai tên máy chủ thư (cần ví dụ host = "smtp.soctrang.gov.vn")'),
    ({"from": '"Văn phòng Sở"'},
     'kehoach.toml: mail.from: không phải một địa chỉ thư điện tử (cần dạng ten@co-quan.gov.vn hoặc Tên người nhận '
     '<ten@co-quan.gov.vn>, gặp "Văn phòng Sở")'),
    ({"port": '"587"', "security": '"tls"'},
     'kehoach.toml: mail.security: giá trị không hợp lệ (cần một trong: starttls, ssl, none, gặp "tls")\n'
     'kehoach.toml: mail.port: cổng không hợp lệ (cần số nguyên từ 1 đến 65535, gặp "587")'),
    ({"cafile": '"khong-co.pem"', "timeout": "0"},
     "kehoach.toml: mail.timeout: thời gian chờ không hợp lệ (cần số giây từ 1 đến 600, gặp 0)\nkehoach.toml: "
     'mail.cafile: không tìm thấy tệp chứng chỉ (cần đường dẫn tệp .pem (tính từ thư mục vùng làm việc), gặp "khong-co.pem")'),
]


@pytest.mark.parametrize(("overrides", "message"), MAIL_REFUSALS, ids=[m[1].split(":")[1].strip() for m in MAIL_REFUSALS])
def test_bad_mail_configuration(root, overrides, message):
    ws = configure(root, 2525, **overrides)
    before = snapshot(root)
    with pytest.raises(InputError) as caught:
        sending.send(ws, TARGET, period_code="Q1")
    assert (str(caught.value), caught.value.exit_code) == (message, 2)
    assert snapshot(root) == before


TEMPLATE_HINT = "Sửa mẫu thư rồi chạy lại; mẫu gốc có trong vùng làm việc mới (kehoach init THƯ_MỤC)."
TEMPLATE_REFUSALS = [
    ("Tiêu đề: {{ co_quan }\n", "templates/thu-gui-phieu.txt:1: lỗi cú pháp trong mẫu thư (gặp unexpected '}')"),
    ("Tiêu đề: {{ ten_co_quan }}\n", "templates/thu-gui-phieu.txt: mẫu thư dùng giá trị không có: ten_co_quan (cần một "
     "trong: co_quan, don_vi, don_vi_dau_moi, han_bao_cao, han_hang_quy, ke_hoach, ky, ma_don_vi, nam, so_lieu_den, "
     "so_lieu_tu, so_nhiem_vu, tep_ke_hoach, tep_phieu, trich_yeu)"),
    ("Kính gửi: {{ don_vi }}.\n", "templates/thu-gui-phieu.txt: mẫu thư phải bắt đầu bằng dòng \"Tiêu đề: …\" "
     "(gặp \"Kính gửi: Văn phòng Sở.\")"),
    ("Tiêu đề: {{ ''.__class__.__mro__ }}\n", "templates/thu-gui-phieu.txt: không dùng được mẫu thư (gặp access to "
     "attribute '__class__' of 'str' object is unsafe.)"),
    (b"Ti\xeau \xf0\xe8: x\n", "templates/thu-gui-phieu.txt: mẫu thư không phải văn bản UTF-8"),
]


@pytest.mark.parametrize(("text", "message"), TEMPLATE_REFUSALS, ids=["syntax", "unknown", "subject", "sandbox", "utf8"])
def test_bad_template_stops_before_anything_goes(root, server, password, text, message):
    ws = configure(root, server.port)
    template = root / "templates/thu-gui-phieu.txt"
    template.write_bytes(text if isinstance(text, bytes) else text.encode())
    spec = root / "plan_specs/soc-trang/STP/2025.yaml"  # the trackers are stale: still not written on a bad template
    spec.write_text(spec.read_text(encoding="utf-8").replace("  - tại Sở Tư pháp tỉnh Sóc Trăng", "  - tại Sở Tư pháp"),
                    encoding="utf-8")
    before = snapshot(root / "output")
    with pytest.raises(KehoachError) as caught:
        sending.send(ws, TARGET, period_code="Q1", now=NOW)
    assert str(caught.value).splitlines()[0] == message
    assert server.inbox.received == [] and snapshot(root / "output") == before


def test_values_are_never_evaluated_and_the_template_is_the_offices(root, server, password):
    ws = configure(root, server.port)
    registry = root / "plan_specs/soc-trang/registry.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace("name: Văn phòng Sở\n", "name: Văn phòng Sở {{ 7*7 }}\n",
                                                                     1), encoding="utf-8")
    (root / "templates/thu-gui-phieu.txt").write_text("\ufeffTiêu đề:   Gửi  {{ don_vi }} \n\n{{ don_vi }}: {{ so_nhiem_vu }}\n",
                                                      encoding="utf-8")  # as Notepad saves it, with a BOM
    sending.send(ws, TARGET, units=["VP"], now=NOW)
    message = server.inbox.messages()[0]
    assert str(message["Subject"]) == "Gửi Văn phòng Sở {{ 7*7 }}"
    assert body(message) == "Văn phòng Sở {{ 7*7 }}: 22\n"


def test_a_missing_template_points_to_init(root):
    (root / "templates/thu-gui-phieu.txt").unlink()
    result = run(root, "send", "--agency", "STP", "--year", "2025")
    assert result.returncode == 3
    assert result.stderr.splitlines()[1:] == [
        "  templates/thu-gui-phieu.txt: không tìm thấy mẫu thư",
        "Chép tệp templates/thu-gui-phieu.txt từ một vùng làm việc mới (kehoach init THƯ_MỤC)."]


REGISTRY_REFUSALS = [
    ("contact: Chánh Văn phòng Sở <vp@stp.soctrang.example>", 'contact: "vp@stp.soctrang.example\\nBcc: ai@x.vn"',
     "plan_specs/soc-trang/registry.yaml:50: agencies.STP.units.VP.contact: chỉ được một dòng (không xuống dòng)"),
    ("contact: Chánh Văn phòng Sở <vp@stp.soctrang.example>", 'contact: "vp@stp.soctrang.example\\r\\nBcc: ai@x.vn"',
     "plan_specs/soc-trang/registry.yaml:50: agencies.STP.units.VP.contact: ký tự điều khiển U+000D không được phép "
     "trong văn bản"),
    ("name: Văn phòng Sở\n", 'name: "Văn phòng Sở\\nBcc: ai@x.vn"\n',
     "plan_specs/soc-trang/registry.yaml:49: agencies.STP.units.VP.name: chỉ được một dòng (không xuống dòng)"),
    ("contact: Chánh Văn phòng Sở <vp@stp.soctrang.example>", "contact: Chánh Văn phòng Sở",
     'plan_specs/soc-trang/registry.yaml:50: agencies.STP.units.VP.contact: không phải một địa chỉ thư điện tử (cần dạng '
     'ten@co-quan.gov.vn hoặc Tên người nhận <ten@co-quan.gov.vn>, gặp "Chánh Văn phòng Sở")'),
    ("contact: Chánh Văn phòng Sở <vp@stp.soctrang.example>", "contact: vp@stp.soctrang.example, ttr@stp.soctrang.example",
     'plan_specs/soc-trang/registry.yaml:50: agencies.STP.units.VP.contact: không phải một địa chỉ thư điện tử (cần dạng '
     'ten@co-quan.gov.vn hoặc Tên người nhận <ten@co-quan.gov.vn>, gặp "vp@stp.soctrang.example, ttr@stp.soctrang.example")'),
    ("contact: Chánh Văn phòng Sở <vp@stp.soctrang.example>", "contact: Chánh VP <vp@stp..example>",
     'plan_specs/soc-trang/registry.yaml:50: agencies.STP.units.VP.contact: không phải một địa chỉ thư điện tử (cần dạng '
     'ten@co-quan.gov.vn hoặc Tên người nhận <ten@co-quan.gov.vn>, gặp "Chánh VP <vp@stp..example>")'),
]


@pytest.mark.parametrize(("old", "new", "message"), REGISTRY_REFUSALS,
                         ids=["contact-newline", "contact-crlf", "name-newline", "title-only", "two-addresses", "bad-domain"])
def test_header_injection_and_bad_contacts_are_refused_in_the_registry(root, server, password, old, new, message):
    registry = root / "plan_specs/soc-trang/registry.yaml"
    text = registry.read_text(encoding="utf-8")
    assert old in text
    registry.write_text(text.replace(old, new, 1), encoding="utf-8")
    before = snapshot(root)
    with pytest.raises(InputError) as caught:
        sending.send(configure(root, server.port), TARGET, period_code="Q1")
    assert str(caught.value) == message
    assert server.inbox.received == []
    (root / "kehoach.toml").write_text(before["kehoach.toml"].decode(), encoding="utf-8")
    assert snapshot(root) == before


def test_a_registry_error_through_the_command(root):
    registry = root / "plan_specs/soc-trang/registry.yaml"
    old, new, message = REGISTRY_REFUSALS[0]
    registry.write_text(registry.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    result = run(root, "send", "--agency", "STP", "--year", "2025", "--period", "Q1")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == ["Lỗi:", f"  {message}", "Chưa ghi tệp nào."]


# ---------------------------------------------------------------- remind

def test_remind_lists_what_each_unit_owes(root, server, password):
    from kehoach_gen.build.tracking import collect

    ws = configure(root, server.port)
    vp = root / "output/2025/STP/theo-doi/STP-2025-VP.xlsx"
    rows = {f"H{r}": "Đang thực hiện" for r in range(5, 27) if r not in (7, 8, 9)}  # three not reported
    rows["H11"] = "Hoàn thành"  # due 31/01/2025 like H5, but done: not overdue
    returned = root / "VP-quy-1.xlsx"
    returned.write_bytes(filled(vp.read_bytes(), rows, dt.datetime(2025, 3, 12, 9, 0)))
    assert collect(ws, TARGET, [returned])[0][0].status == "mới"
    result = run(root, "remind", "--agency", "STP", "--year", "2025", "--period", "Q1", "--date", "16/03/2025")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == [
        f"Nhắc báo cáo STP 2025, quý I năm 2025 (hạn báo cáo 19/03/2025), tính đến ngày 16/03/2025, qua máy chủ thư "
        f"127.0.0.1:{server.port}:", "  VP (Văn phòng Sở): đã gửi tới vp@stp.soctrang.example, đính kèm STP-2025-VP.xlsx"]
    assert result.stdout.splitlines()[-3:] == ["Tổng cộng: đã gửi 7, chưa có địa chỉ 1.", ADD_CONTACT,
                                               "Sổ gửi: output/2025/STP/gui-di/so-gui.json"]
    messages = {str(m["To"]).split("<")[1][:-1]: m for m in server.inbox.messages()}
    assert sorted(messages) == sorted(address(c) for c in CODES)
    text = body(messages[address("VP")])
    assert str(messages[address("VP")]["Subject"]) == "[Sở Tư pháp] Nhắc gửi phiếu theo dõi, báo cáo quý I năm 2025: Văn phòng Sở"
    assert text.splitlines()[2:8] == [
        "Để tổng hợp báo cáo quý I năm 2025 về kết quả thực hiện Kế hoạch (dự thảo, chưa có số) của Sở Tư pháp, Văn phòng "
        "Sở đề nghị Văn phòng Sở:",
        "- Báo cáo tình trạng các nhiệm vụ sau (phiếu đơn vị đã gửi chưa ghi):",  # rows 7 and 8: VP only coordinates
        "  + Thực hiện công khai TTHC (phần 2) (thời hạn: Thường xuyên)",
        "- Khẩn trương thực hiện, báo cáo các nhiệm vụ đã quá hạn:",
        "  + Xây dựng, ban hành và tổ chức thực hiện các văn bản triển khai thực hiện nhiệm vụ kiểm soát TTHC năm 2025 "
        "(hạn 31/01/2025)",
        ""]
    hctp = body(messages[address("HCTP")])
    assert "- Cập nhật và gửi lại phiếu theo dõi của kỳ: đến ngày 16/03/2025 chưa nhận được phiếu của đơn vị.\n" in hctp
    assert attachment_bytes(messages[address("HCTP")]) == {"STP-2025-HCTP.xlsx": tracker(root, "HCTP")}
    again = run(root, "remind", "--agency", "STP", "--year", "2025", "--period", "Q1", "--date", "16/03/2025")
    assert again.stdout.splitlines()[-1] == "Không có thư mới để gửi. Gửi lại cho các đơn vị đã nhận: thêm --resend."
    later = sending.remind(ws, TARGET, period_code="Q1", day=dt.date(2025, 3, 18), units=["VP"], now=NOW)
    assert [u.action for u in later.units] == ["delivered"]  # a reminder of another day is another reminder
    bad = run(root, "remind", "--agency", "STP", "--year", "2025", "--period", "Q1", "--date", "31/02/2025")
    assert (bad.returncode, bad.stderr.splitlines()[1]) == (
        2, '  --date: ngày 31/02/2025 không có thật: tháng 2 năm 2025 có 28 ngày')


def test_remind_nobody_owes(root, server, password):
    from kehoach_gen.build.tracking import collect

    ws = configure(root, server.port)
    returned = []
    for code in [*CODES, "TTDVDG"]:
        path = root / f"output/2025/STP/theo-doi/STP-2025-{code}.xlsx"
        last = openpyxl.load_workbook(path, read_only=True)["Theo dõi"].max_row
        cells = {f"H{r}": "Hoàn thành" for r in range(5, last + 1)}
        returned.append(root / f"{code}.xlsx")
        returned[-1].write_bytes(filled(path.read_bytes(), cells, dt.datetime(2025, 3, 12, 9, 0)))
    collect(ws, TARGET, returned)
    result = sending.remind(ws, TARGET, period_code="Q1", day=dt.date(2025, 3, 16), now=NOW)
    assert result.units == [] and server.inbox.received == []


def test_what_a_unit_owes_by_period_and_day(root):
    """The reminder's facts are the report's: the lead unit owes, a coordinator does not; settled parts are not
    owed; a row sent again unchanged in the period counts; a file saved after the day is not known yet."""
    from kehoach_gen.excel.trackers import build_trackers
    from kehoach_gen.followup.owing import owed
    from kehoach_gen.followup.periods import period
    from kehoach_gen.spec.inputs import resolve

    merged = resolve(Workspace(root, "soc-trang"), TARGET)
    cal = merged.master.reporting
    rows = next(u for u in build_trackers(merged).units if u.unit == "VP").rows
    vp = [r.key for r in rows]
    leads = [r.key for r in rows if r.cells[4] == "Chủ trì"]

    def sub(unit: str, saved: str, rows: dict[str, str]) -> dict:
        return {"unit": unit, "saved": saved, "hash": saved, "source": f"{unit}.xlsx",
                "rows": {k: {"status": v} for k, v in rows.items()}}

    history = [sub("VP", "2025-03-10T08:00:00Z", dict.fromkeys(vp, "Đang thực hiện")),
               sub("VP", "2025-06-10T08:00:00Z", {vp[0]: "Không thực hiện (nêu lý do)",
                                                  **dict.fromkeys(vp[1:], "Đang thực hiện")}),
               sub("VP", "2025-06-20T08:00:00Z", dict.fromkeys(vp, "Hoàn thành"))]  # after the day: not counted
    q1 = owed(merged, period("Q1", 2025, cal), history, dt.date(2025, 3, 16))["VP"]
    # due 31/01 and still under way: overdue; the parts VP only coordinates are never its debt
    assert (q1.returned, q1.unreported, [p.key for p in q1.overdue]) == (
        True, (), ["chi-dao.ke-hoach#1", "ra-soat.ke-hoach#1"])
    # Q2 with only March's file: nothing counts for Q2, every part VP leads is owed; one more is overdue by then
    half = owed(merged, period("Q2", 2025, cal), history[:1], dt.date(2025, 6, 16))["VP"]
    assert (half.returned, [p.key for p in half.unreported]) == (False, leads)
    assert [p.key for p in half.overdue] == ["chi-dao.ke-hoach#1", "chi-dao.dau-moi#1", "ra-soat.ke-hoach#1"]
    # June's file counts for Q2; "Không thực hiện" is settled, not overdue
    june = owed(merged, period("Q2", 2025, cal), history, dt.date(2025, 6, 16))["VP"]
    assert (june.returned, june.unreported, [p.key for p in june.overdue]) == (
        True, (), ["chi-dao.dau-moi#1", "ra-soat.ke-hoach#1"])
    assert "VP" not in owed(merged, period("Q2", 2025, cal), history, dt.date(2025, 6, 21))
    # a unit that only coordinates owes no report of its own, but is reminded to send its tracker
    ttr = owed(merged, period("Q1", 2025, cal), history, dt.date(2025, 3, 16))["TTR"]
    assert (ttr.returned, ttr.unreported, ttr.overdue) == (False, (), ())


# ---------------------------------------------------------------- the whole loop

def test_sent_replied_collected_from_eml_maildir_mbox_and_reported(root, server, tmp_path):
    configure(root, server.port)
    assert run(root, "send", "--agency", "STP", "--year", "2025", "--period", "Q1").returncode == 0
    received = {code: m for code, m in zip(CODES, server.inbox.messages(), strict=True)}
    results = {"VP": "Đã ban hành Kế hoạch số 12/KH-STP ngày 20/01/2025", "HCTP": "Đã kiện toàn công chức đầu mối",
               "BTTP": "Đã rà soát quy trình nội bộ"}

    def answer(code: str) -> bytes:
        original = received[code]
        [(name, data)] = attachment_bytes(original).items()
        cells = {"H5": "Hoàn thành", "I5": 100, "J5": dt.datetime(2025, 1, 20), "K5": results[code]}
        return reply(original, f"{UNITS[CODES.index(code)][2]} <{address(code)}>",
                     [(name, filled(data, cells, dt.datetime(2025, 3, 12, 9, 0)))])

    eml = tmp_path / "Tra loi VP.eml"
    eml.write_bytes(answer("VP"))
    maildir = mailbox.Maildir(tmp_path / "Maildir", create=True)
    key = maildir.add(answer("HCTP"))
    box = mailbox.mbox(tmp_path / "hop-thu.mbox")
    box.add(answer("BTTP"))
    box.flush()
    box.close()
    sent = tmp_path / "da-gui.eml"  # the office's own message, saved from its Sent folder by mistake
    sent.write_bytes(server.inbox.received[0][2])
    collected = run(root, "collect", "--agency", "STP", "--year", "2025", str(eml), str(tmp_path / "Maildir"),
                    str(tmp_path / "hop-thu.mbox"), str(sent))
    assert collected.returncode == 0, collected.stderr
    new = ": {}, lưu lúc 16:00 ngày 12/03/2025: đã nhận (số liệu mới nhất của đơn vị)"
    assert collected.stdout.splitlines() == [
        f'{eml}, tệp đính kèm "STP-2025-VP.xlsx"' + new.format("VP"),
        f'{tmp_path}/Maildir/new/{key}, tệp đính kèm "STP-2025-HCTP.xlsx"' + new.format("HCTP"),
        f'{tmp_path}/hop-thu.mbox#1, tệp đính kèm "STP-2025-BTTP.xlsx"' + new.format("BTTP"),
        f"{sent}: bỏ qua: thư do kehoach send/remind gửi đi (phiếu gốc), không phải thư đơn vị gửi lại",
        "Đã cập nhật output/2025/STP/theo-doi/STP-2025-VP.xlsx",  # each now holding what its unit sent
        "Đã cập nhật output/2025/STP/theo-doi/STP-2025-HCTP.xlsx",
        "Đã cập nhật output/2025/STP/theo-doi/STP-2025-BTTP.xlsx",
        "Đã cập nhật output/2025/STP/theo-doi/STP-2025-tong-hop.xlsx"]
    report = run(root, "report", "--agency", "STP", "--year", "2025", "--period", "Q1")
    assert report.returncode == 0, report.stderr
    texts = [p.text for p in Document(str(root / "output/2025/STP/BC-STP-2025-Q1.docx")).paragraphs]
    first = next(i for i, t in enumerate(texts) if t.startswith("a) Xây dựng, ban hành và tổ chức thực hiện"))
    assert texts[first + 1:first + 5] == [
        "Tình trạng: đã hoàn thành ngày 20/01/2025.",
        "- Văn phòng Sở: Đã ban hành Kế hoạch số 12/KH-STP ngày 20/01/2025; hoàn thành ngày 20/01/2025.",
        "- Phòng Hành chính tư pháp: Đã kiện toàn công chức đầu mối; hoàn thành ngày 20/01/2025.",
        "- Phòng Bổ trợ tư pháp: Đã rà soát quy trình nội bộ; hoàn thành ngày 20/01/2025."]
