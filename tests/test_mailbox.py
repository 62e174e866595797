"""`kehoach collect` on mail: .eml files, folders, Maildir, mbox; the sender check; attachments as untrusted bytes
(names only shown, never paths); every message the reader can print, pinned."""

from __future__ import annotations

import base64
import datetime as dt
import io
import mailbox
import shutil
import subprocess
import sys
import zipfile
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from conftest import REGISTRY, REPO, write_tree
from kehoach_gen.build import pipeline, tracking
from kehoach_gen.cli.show import collected_lines
from kehoach_gen.errors import InputError
from kehoach_gen.excel.collect import read_attachment, read_return
from kehoach_gen.excel.trackers import tracker_paths
from kehoach_gen.followup.mailbox import MSG_HINT, SENDER_HINT
from kehoach_gen.spec.inputs import resolve
from kehoach_gen.workspace import Target, Workspace
from mail_helpers import filled
from test_trackers import REFUSALS

KEHOACH = str(Path(sys.executable).parent / "kehoach")
TARGET = Target("tinh-a", "STP", 2025)
VP = "vp@stp.tinh-a.example"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SAVED = dt.datetime(2025, 3, 12, 9, 0)
ACCEPTED = "VP, lưu lúc 16:00 ngày 12/03/2025: đã nhận (số liệu mới nhất của đơn vị)"
HINT_FILE = "Chỉ nhận phiếu theo dõi gốc (.xlsx) đã gửi cho đơn vị; không chép nội dung sang tệp khác."
BROKEN_HINT = "Lưu lại thư từ chương trình thư (Lưu thành… / Save as… dạng .eml) rồi nhận lại."


@pytest.fixture
def ws(small_ws: Workspace) -> Workspace:
    """The small workspace with an address for VP (BTTP has none), its trackers written."""
    registry = REGISTRY.replace("- {code: VP, name: Văn phòng Sở}\n      - {code: BTTP",
                                f"- {{code: VP, name: Văn phòng Sở, contact: Chánh Văn phòng <{VP}>}}\n      - {{code: BTTP")
    write_tree(small_ws.root, {"plan_specs/tinh-a/registry.yaml": registry})
    shutil.copytree(REPO / "templates", small_ws.root / "templates")
    pipeline.trackers_only(small_ws, TARGET)
    return small_ws


def tracker(ws: Workspace, unit: str = "VP", cells: dict | None = None) -> bytes:
    path = tracker_paths(ws.output, "STP", 2025, [unit])[unit]
    return filled(path.read_bytes(), cells or {"H5": "Hoàn thành", "K5": "Đã ban hành"}, SAVED)


def letter(sender: str | None, parts: list[tuple[str, bytes, str]], text: str = "Gửi lại phiếu.") -> bytes:
    message = EmailMessage(policy=policy.SMTP)
    if sender:
        message["From"] = sender
    message["To"] = "vanphong@stp.tinh-a.example"
    message["Subject"] = "Re: Phiếu theo dõi"
    message.set_content(text)
    for name, data, mime in parts:
        maintype, subtype = mime.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def saved(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def collect_lines(ws: Workspace, paths: list[Path], any_sender: bool = False) -> list[str]:
    results, _ = tracking.collect(ws, TARGET, paths, any_sender=any_sender)
    return [line for line, _ in collected_lines(results)]


def raw_named(name_header: bytes, data: bytes) -> bytes:
    """A message whose attachment's name is written exactly as given (encoded words, raw 8-bit bytes)."""
    encoded = base64.encodebytes(data)
    return (b"From: " + VP.encode() + b"\r\nTo: vanphong@stp.tinh-a.example\r\nSubject: phieu\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: multipart/mixed; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nphieu\r\n--B\r\n"
            b"Content-Type: " + XLSX.encode() + b"\r\nContent-Transfer-Encoding: base64\r\n"
            b"Content-Disposition: attachment; " + name_header + b"\r\n\r\n" + encoded + b"--B--\r\n")


def forwarded(inner: bytes) -> bytes:
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = VP
    message["Subject"] = "Fwd: phieu"
    message.set_content("Chuyển tiếp.")
    message.add_attachment(inner, maintype="message", subtype="rfc822")
    return message.as_bytes()


def bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    return out.getvalue()


# (case, how the message is made, the lines collect prints; {f} is the saved file)
CASES = [
    ("accepted", lambda ws: letter(f"Chánh Văn phòng <{VP}>", [("STP-2025-VP.xlsx", tracker(ws), XLSX)]),
     ['{f}, tệp đính kèm "STP-2025-VP.xlsx": ' + ACCEPTED]),
    ("sender in capitals", lambda ws: letter("VP@STP.Tinh-A.example", [("a.xlsx", tracker(ws), "application/octet-stream")]),
     ['{f}, tệp đính kèm "a.xlsx": ' + ACCEPTED]),
    ("sender mismatch", lambda ws: letter("Ai đó <khac@gmail.com>", [("STP-2025-VP.xlsx", tracker(ws), XLSX)]),
     ['{f}, tệp đính kèm "STP-2025-VP.xlsx": không nhận:',
      '  {f}, tệp đính kèm "STP-2025-VP.xlsx": người gửi không phải địa chỉ của đơn vị VP trong danh mục (cần '
      f'{VP}, gặp khac@gmail.com)', f"  {SENDER_HINT}"]),
    ("unit without contact", lambda ws: letter("bttp@x.vn", [("b.xlsx", tracker(ws, "BTTP"), XLSX)]),
     ['{f}, tệp đính kèm "b.xlsx": không nhận:',
      '  {f}, tệp đính kèm "b.xlsx": đơn vị BTTP chưa có địa chỉ thư (contact) trong danh mục để đối chiếu người gửi '
      "(gặp bttp@x.vn)", f"  {SENDER_HINT}"]),
    ("no sender", lambda ws: letter(None, [("v.xlsx", tracker(ws), XLSX)]),
     ['{f}, tệp đính kèm "v.xlsx": không nhận:',
      f'  {{f}}, tệp đính kèm "v.xlsx": thư không ghi rõ một địa chỉ người gửi (From) (cần {VP})', f"  {SENDER_HINT}"]),
    ("not a message", lambda ws: b"\x00\x01PK garbage \xff\xfe",
     ["{f}: không nhận:", "  {f}: không phải thư điện tử hoặc thư bị hỏng (gặp không có phần đầu thư)",
      f"  {BROKEN_HINT}"]),
    ("broken MIME", lambda ws: b"From: " + VP.encode() + b"\nContent-Type: multipart/mixed; boundary=\"XX\"\n\nno parts\n",
     ["{f}: không nhận:", "  {f}: không phải thư điện tử hoặc thư bị hỏng (gặp cấu trúc MIME hỏng, không tách được "
      "các phần của thư)", f"  {BROKEN_HINT}"]),
    ("zip bomb", lambda ws: letter(VP, [("bom.xlsx", bomb(), XLSX)]),
     ['{f}, tệp đính kèm "bom.xlsx": không nhận:',
      '  {f}, tệp đính kèm "bom.xlsx": xl/worksheets/sheet1.xml: tệp .xlsx có thành phần bất thường (quá lớn hoặc nén '
      "quá mức); không đọc (cần tỷ lệ nén tối đa 100)"]),
    ("oversized attachment", lambda ws: letter(VP, [("lon.xlsx", b"\0" * (10 * 1024 * 1024 + 1), XLSX)]),
     ['{f}, tệp đính kèm "lon.xlsx": không nhận:',
      '  {f}, tệp đính kèm "lon.xlsx": tệp quá lớn, không phải phiếu theo dõi (cần tối đa 10 MB, gặp 10,0 MB)']),
    ("not a workbook", lambda ws: letter(VP, [("STP-2025-VP.xlsx", "không phải bảng tính".encode(), XLSX)]),
     ['{f}, tệp đính kèm "STP-2025-VP.xlsx": không nhận:',
      '  {f}, tệp đính kèm "STP-2025-VP.xlsx": tệp không phải bảng tính Excel (.xlsx) (gặp tệp hỏng hoặc khác định dạng)',
      f"  {HINT_FILE}"]),
    ("RFC 2047 name", lambda ws: raw_named(b'filename="=?utf-8?B?' + base64.b64encode("Phiếu VP quý I.xlsx".encode())
                                           + b'?="', tracker(ws)),
     ['{f}, tệp đính kèm "Phiếu VP quý I.xlsx": ' + ACCEPTED]),
    ("RFC 2231 name", lambda ws: letter(VP, [("Phiếu theo dõi VP.xlsx", tracker(ws), XLSX)]),
     ['{f}, tệp đính kèm "Phiếu theo dõi VP.xlsx": ' + ACCEPTED]),
    ("non-UTF-8 name", lambda ws: raw_named(b'filename="Phi\xea\xfau VP.xlsx"', tracker(ws)),
     ['{f}, tệp đính kèm "Phi\ufffd\ufffdu VP.xlsx": ' + ACCEPTED]),
    ("name with a path", lambda ws: letter(VP, [("../../ngoai/..\\x.xlsx", tracker(ws), XLSX)]),
     ['{f}, tệp đính kèm "../../ngoai/..\\x.xlsx": ' + ACCEPTED]),
    ("no attachment", lambda ws: letter(VP, []), ["{f}: bỏ qua: không có phiếu theo dõi (.xlsx) đính kèm"]),
    ("only other files", lambda ws: letter(VP, [("bao-cao.pdf", b"%PDF", "application/pdf")]),
     ['{f}: bỏ qua: không có phiếu theo dõi (.xlsx) đính kèm (có: "bao-cao.pdf")']),
    ("tracker and other files", lambda ws: letter(VP, [("anh.png", b"\x89PNG", "image/png"),
                                                       ("STP-2025-VP.xlsx", tracker(ws), XLSX)]),
     ['{f}, tệp đính kèm "anh.png": bỏ qua: không phải phiếu theo dõi (.xlsx)',
      '{f}, tệp đính kèm "STP-2025-VP.xlsx": ' + ACCEPTED]),
    ("forwarded message", lambda ws: forwarded(letter(VP, [("STP-2025-VP.xlsx", tracker(ws), XLSX)])),
     ["{f}: bỏ qua: không có phiếu theo dõi (.xlsx) đính kèm; 1 thư chuyển tiếp đính kèm không được mở"]),
]


@pytest.mark.parametrize(("case", "make", "lines"), CASES, ids=[c[0] for c in CASES])
def test_collect_a_saved_message(ws, tmp_path, case, make, lines):
    eml = saved(tmp_path / "thu", "tra-loi.eml", make(ws))
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert collect_lines(ws, [eml]) == [line.format(f=eml) for line in lines]
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    new = [p for p in after if p not in before]
    assert all(p.parts[0] == "output" for p in new), new  # nothing written anywhere else, whatever names came
    history = ws.output / "2025/STP/tien-do/lich-su"
    kept = [p.name for p in history.iterdir()] if history.is_dir() else []
    assert len(kept) == (1 if lines[-1].endswith(ACCEPTED) else 0)
    assert all(name.startswith("VP-20250312T090000Z-") for name in kept)


def test_any_sender_accepts_a_tracker_from_another_address(ws, tmp_path):
    eml = saved(tmp_path, "a.eml", letter("khac@gmail.com", [("STP-2025-VP.xlsx", tracker(ws), XLSX)]))
    assert collect_lines(ws, [eml], any_sender=True) == [f'{eml}, tệp đính kèm "STP-2025-VP.xlsx": ' + ACCEPTED]


def test_oversized_message_outlook_msg_and_missing_files(ws, tmp_path):
    big = saved(tmp_path, "lon.eml", b"From: " + VP.encode() + b"\n\n" + b"x" * (35 * 1024 * 1024))
    msg = saved(tmp_path, "thu.msg", b"\xd0\xcf\x11\xe0")
    missing = [tmp_path / "khong-co.eml", tmp_path / "khong-co.mbox", tmp_path / "khong-co"]
    assert collect_lines(ws, [big, msg, *missing]) == [
        f"{big}: không nhận:", f"  {big}: thư quá lớn, không đọc (cần tối đa 35 MB, gặp trên 35 MB)",
        f"{msg}: không nhận:", f"  {msg}: thư Outlook dạng .msg", f"  {MSG_HINT}",
        *(line for path in missing for line in (f"{path}: không nhận:", f"  {path}: không tìm thấy tệp"))]


def test_folder_maildir_and_mbox(ws, tmp_path):
    first = letter(VP, [("STP-2025-VP.xlsx", tracker(ws), XLSX)])
    newer = letter(VP, [("STP-2025-VP.xlsx", filled(tracker_paths(ws.output, "STP", 2025, ["VP"])["VP"].read_bytes(),
                                                     {"H5": "Đang thực hiện"}, SAVED + dt.timedelta(days=1)), XLSX)])
    folder = tmp_path / "thu-da-luu"
    saved(folder, "1.eml", first)
    saved(folder, "ghi-chu.txt", b"x")
    saved(folder, ".DS_Store", b"x")
    (folder / "cu").mkdir()
    maildir = mailbox.Maildir(tmp_path / "Maildir", create=True)
    key = maildir.add(newer)
    saved(tmp_path / "Maildir/tmp", "dang-ghi", b"not yet delivered")  # a message still being written: not read
    box = mailbox.mbox(tmp_path / "Inbox")  # Thunderbird's local folder: an mbox without a suffix
    box.add(first)
    box.add(letter(VP, []))
    box.flush()
    box.close()
    result = subprocess.run([KEHOACH, "collect", "--agency", "STP", "--year", "2025", str(folder),
                             str(tmp_path / "Maildir"), str(tmp_path / "Inbox")], cwd=ws.root, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f'{folder}/1.eml, tệp đính kèm "STP-2025-VP.xlsx": ' + ACCEPTED,
        f"{folder}/cu: bỏ qua: thư mục con, không đọc (chỉ định riêng nếu cần)",
        f"{folder}/ghi-chu.txt: bỏ qua: không phải thư (.eml), hộp thư (.mbox) hay phiếu theo dõi (.xlsx)",
        f'{tmp_path}/Maildir/new/{key}, tệp đính kèm "STP-2025-VP.xlsx": VP, lưu lúc 16:00 ngày 13/03/2025: đã nhận '
        "(số liệu mới nhất của đơn vị)",
        f'{tmp_path}/Inbox#1, tệp đính kèm "STP-2025-VP.xlsx": VP, lưu lúc 16:00 ngày 12/03/2025: đã nhận trước đó, bỏ qua',
        f"{tmp_path}/Inbox#2: bỏ qua: không có phiếu theo dõi (.xlsx) đính kèm",
        "Đã cập nhật output/2025/STP/theo-doi/STP-2025-VP.xlsx",  # now holding what VP sent
        "Đã cập nhật output/2025/STP/theo-doi/STP-2025-tong-hop.xlsx"]


def test_refused_attachments_exit_2_and_go_to_stderr(ws, tmp_path):
    eml = saved(tmp_path, "a.eml", letter("khac@gmail.com", [("STP-2025-VP.xlsx", tracker(ws), XLSX)]))
    result = subprocess.run([KEHOACH, "collect", "--agency", "STP", "--year", "2025", str(eml)], cwd=ws.root,
                            capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines()[0] == f'{eml}, tệp đính kèm "STP-2025-VP.xlsx": không nhận:'
    again = subprocess.run([KEHOACH, "collect", "--agency", "STP", "--year", "2025", "--any-sender", str(eml)],
                           cwd=ws.root, capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stderr


@pytest.mark.parametrize(("case", "make", "message"), [r for r in REFUSALS if r[0] != "missing"],
                         ids=[r[0] for r in REFUSALS if r[0] != "missing"])
def test_attachment_bytes_meet_the_same_checks_as_files(tmp_path, small_ws, case, make, message):
    """Every refusal of a returned file is also the refusal of the same bytes received by mail."""
    from kehoach_gen.excel.render_xlsx import write_trackers
    from kehoach_gen.excel.trackers import build_trackers
    from kehoach_gen.followup.office import live_facts

    merged = resolve(small_ws, TARGET)
    write_trackers(build_trackers(merged), tmp_path / "output", live_facts(merged, []))
    sent = make(tracker_paths(tmp_path / "output", "STP", 2025, ["VP", "BTTP"]), tmp_path)
    with pytest.raises(InputError) as by_file:
        read_return(sent, merged)
    with pytest.raises(InputError) as by_mail:
        read_attachment(sent.read_bytes(), merged, str(sent), sent.name)
    assert str(by_mail.value) == str(by_file.value) == message.format(f=sent)
