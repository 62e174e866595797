"""Amendments keep everyone's work (issue 13, point 3), played as the year happens through the CLI.

STP 2025 is built; in April VP and HCTP fill their trackers and the office collects them. In May the
office amends the plan (one task reworded, one removed, one added) and builds again: the new trackers
hold every value already accepted, and mark the new and changed tasks. Then VP's tracker saved in
early May, from the plan before the amendment, arrives: it is taken row by row, with a word on each
task the amendment touched.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.writer.excel import ExcelWriter

from conftest import REPO, SPEC, copy_workspace
from kehoach_gen.build import pipeline
from kehoach_gen.errors import InputError
from kehoach_gen.excel import render_xlsx
from kehoach_gen.excel.collect import Submission, read_return
from kehoach_gen.excel.returned_rows import RowNote
from kehoach_gen.excel.revisions import Amended
from kehoach_gen.excel.trackers import Identity, tracker_paths
from kehoach_gen.followup import progress
from kehoach_gen.followup.office import live_facts
from kehoach_gen.spec.inputs import Target, resolve
from kehoach_gen.workspace import Workspace
from test_trackers import APRIL, HINT_FILE, HINT_LOCKED, snapshot

KEHOACH = str(Path(sys.executable).parent / "kehoach")
TARGET = ("--agency", "STP", "--year", "2025")
TRACKERS = "output/2025/STP/theo-doi"
STORE = "output/2025/STP/tien-do"

KE_HOACH, DVC, PAKN = "chi-dao.ke-hoach#1", "dien-tu.dich-vu-cong#1", "pakn.cong-khai#1"
LIEN_THONG, NEW = "dien-tu.lien-thong-khai-sinh-khai-tu#1", "bao-cao.so-lieu-sap-nhap#1"
DVC_BEFORE = "Rà soát, công bố danh mục TTHC đủ điều kiện cung cấp dịch vụ công trực tuyến toàn trình, một phần."
DVC_AFTER = ("Rà soát, công bố danh mục TTHC đủ điều kiện cung cấp dịch vụ công trực tuyến toàn trình, một phần; "
             "đề xuất bổ sung danh mục năm 2025.")
NEW_CONTENT = "Tổng hợp số liệu TTHC sau sắp xếp đơn vị hành chính cấp xã."
INPUTS = ("Tình trạng", "Tiến độ (%)", "Ngày hoàn thành", "Kết quả thực hiện", "Văn bản / minh chứng",
          "Khó khăn, vướng mắc", "Ghi chú")
STORED = ("status", "percent", "done_date", "result", "evidence", "difficulties", "note")
EMPTY = dict.fromkeys(STORED)

VP_APRIL = {
    KE_HOACH: {"Tình trạng": "Hoàn thành", "Tiến độ (%)": 100, "Ngày hoàn thành": dt.datetime(2025, 4, 2),
               "Kết quả thực hiện": "Đã ban hành Kế hoạch kiểm soát TTHC năm 2025 và Kế hoạch rà soát",
               "Văn bản / minh chứng": "Quyết định số 15/QĐ-STP ngày 02/4/2025"},
    DVC: {"Tình trạng": "Đang thực hiện", "Tiến độ (%)": 60, "Kết quả thực hiện": "Đã rà soát 45 TTHC",
          "Khó khăn, vướng mắc": "Thiếu công chức có chuyên môn công nghệ thông tin"},
    PAKN: {"Tình trạng": "Hoàn thành", "Tiến độ (%)": 100, "Kết quả thực hiện": "Đã niêm yết tại trụ sở Sở"},
}
HCTP_APRIL = {
    KE_HOACH: {"Tình trạng": "Hoàn thành", "Tiến độ (%)": 100},
    LIEN_THONG: {"Tình trạng": "Đang thực hiện", "Tiến độ (%)": 50, "Kết quả thực hiện": "Liên thông 120 hồ sơ",
                 "Văn bản / minh chứng": "'=HYPERLINK(\"x\")", "Khó khăn, vướng mắc": "Phần mềm liên thông hay lỗi"},
}
VP_MAY = {DVC: {"Tiến độ (%)": 80, "Kết quả thực hiện": "Đã rà soát 60 TTHC"},
          PAKN: {"Ghi chú": "Cập nhật nội dung niêm yết"}}


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([KEHOACH, *args], cwd=root, capture_output=True, text=True, check=False)


def keys_of(path: Path) -> list[str]:
    """The row keys in the tracker's identity record, in row order."""
    sheet = openpyxl.load_workbook(path)["_dinh_danh"]
    return [b.value for a, b in sheet.iter_rows(max_col=2) if a.value == "nhiem_vu"]


def fill(source: Path, target: Path, rows: dict[str, dict[str, object]], saved: dt.datetime) -> Path:
    """What a unit does: type values under the named headers in the row of each task, save at ``saved`` (UTC)."""
    keys = keys_of(source)
    book = openpyxl.load_workbook(source)
    sheet = book["Theo dõi"]
    header = [c.value for c in sheet[4]]
    for key, values in rows.items():
        for name, value in values.items():
            cell = sheet.cell(5 + keys.index(key), header.index(name) + 1)
            if isinstance(value, str) and value.startswith("'"):  # Excel's leading apostrophe: text as typed
                cell.value, cell.data_type = value[1:], "s"
            else:
                cell.value = value
    book.properties.modified = saved
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()  # openpyxl's save() would stamp the current time
    return target


def stored(values: dict[str, object]) -> dict[str, object]:
    """Typed values as the history keeps them."""
    out = dict(EMPTY)
    for name, value in values.items():
        value = value[1:] if isinstance(value, str) and value.startswith("'") else value
        out[STORED[INPUTS.index(name)]] = value.date().isoformat() if isinstance(value, dt.datetime) else value
    return out


def amend_spec(root: Path) -> None:
    """The office's May amendment: DVC reworded, PAKN dropped, a new task for VP."""
    spec = root / "plan_specs/soc-trang/STP/2025.yaml"
    text = spec.read_text(encoding="utf-8")
    edits = [("  - id: dien-tu.dich-vu-cong\n", f"  - id: dien-tu.dich-vu-cong\n    content: \"{DVC_AFTER}\"\n"),
             ("  - id: pakn.cong-khai\n    lead: [VP]\n", ""),
             ("drop:\n", "drop:\n  - id: pakn.cong-khai\n    reason: Đã thực hiện xong trong năm 2024.\n"),
             ("  - id: bao-cao.he-thong\n    lead: [VP]\n",
              "  - id: bao-cao.he-thong\n    lead: [VP]\n  - id: bao-cao.so-lieu-sap-nhap\n    group: bao-cao\n"
              f"    content: {NEW_CONTENT}\n    results: Báo cáo số liệu gửi Văn phòng UBND tỉnh.\n    lead: [VP]\n"
              "    deadline: Trước ngày 30/6/2025\n")]
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    spec.write_text(text, encoding="utf-8")


def records(root: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (root / STORE / "phien-ban").glob("*.json")}


def inputs_of(path: Path) -> dict[str, list[tuple[object, str, str]]]:
    """Row key -> each input cell as (value, data type, number format)."""
    sheet = openpyxl.load_workbook(path)["Theo dõi"]
    return {key: [(c.value, c.data_type, c.number_format) for c in sheet[5 + i][7:14]]
            for i, key in enumerate(keys_of(path))}


def typed(values: dict[str, object]) -> list[tuple[object, str, str]]:
    """The input cells a row holding these accepted values shows."""
    formats = {"Tiến độ (%)": "0", "Ngày hoàn thành": "dd/mm/yyyy"}
    out = []
    for name in INPUTS:
        value = values.get(name)
        value = value[1:] if isinstance(value, str) and value.startswith("'") else value
        kind = "n" if value is None else "d" if isinstance(value, dt.datetime) else "n" if isinstance(value, int) else "s"
        out.append((value, kind, formats.get(name, "General")))
    return out


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The year up to the amendment's build: what each step printed, and the files units sent."""
    root = copy_workspace(tmp_path_factory.mktemp("nam"))
    mail = root / "thu-den"
    mail.mkdir()
    steps: dict[str, object] = {"root": root, "build": run(root, "build", *TARGET)}
    steps["rev1"] = set(records(root))
    vp = fill(root / TRACKERS / "STP-2025-VP.xlsx", mail / "VP-thang-4.xlsx", VP_APRIL, dt.datetime(2025, 4, 10, 8))
    hctp = fill(root / TRACKERS / "STP-2025-HCTP.xlsx", mail / "HCTP-thang-4.xlsx", HCTP_APRIL,
                dt.datetime(2025, 4, 11, 2, 30))
    steps["april"] = run(root, "collect", *TARGET, str(vp), str(hctp))
    steps["vp_may"] = fill(vp, mail / "VP-thang-5.xlsx", VP_MAY, dt.datetime(2025, 5, 5, 3))  # the old tracker
    steps["hctp_may"] = fill(hctp, mail / "HCTP-thang-5.xlsx", {LIEN_THONG: {"Tiến độ (%)": 70}},
                             dt.datetime(2025, 5, 6, 1))
    steps["vp_april"] = vp
    amend_spec(root)
    steps["amended"] = run(root, "build", *TARGET)
    return steps


def test_april_returns_are_collected(year):
    root = year["root"]
    assert year["build"].returncode == 0, year["build"].stderr
    assert year["april"].returncode == 0, year["april"].stderr
    assert year["april"].stdout.splitlines() == [
        f"{year['vp_april']}: VP, lưu lúc 15:00 ngày 10/04/2025: đã nhận (số liệu mới nhất của đơn vị)",
        f"{root / 'thu-den/HCTP-thang-4.xlsx'}: HCTP, lưu lúc 09:30 ngày 11/04/2025: đã nhận (số liệu mới nhất của đơn vị)",
        f"Đã cập nhật {TRACKERS}/STP-2025-VP.xlsx",  # the units' trackers now hold what they sent
        f"Đã cập nhật {TRACKERS}/STP-2025-HCTP.xlsx",
        f"Đã cập nhật {TRACKERS}/STP-2025-tong-hop.xlsx"]


def test_the_amended_trackers_keep_every_accepted_value(year):
    root = year["root"]
    assert year["amended"].returncode == 0, year["amended"].stderr
    lines = year["amended"].stdout.splitlines()
    assert f"Đã cập nhật {TRACKERS}/STP-2025-VP.xlsx: 1 nhiệm vụ bổ sung, 1 nhiệm vụ sửa đổi (tô nền vàng); gửi lại " \
           "phiếu này cho đơn vị" in lines
    assert f"Đã cập nhật {TRACKERS}/STP-2025-HCTP.xlsx: 1 nhiệm vụ sửa đổi (tô nền vàng); gửi lại phiếu này cho đơn " \
           "vị" in lines  # HCTP coordinates the reworded task
    assert f"Đã cập nhật {TRACKERS}/STP-2025-TTR.xlsx" in lines  # nothing of TTR's changed: its old tracker holds
    vp = root / TRACKERS / "STP-2025-VP.xlsx"
    got = inputs_of(vp)
    assert PAKN not in got and NEW in got and len(got) == 22  # one removed, one added
    assert got[KE_HOACH] == typed(VP_APRIL[KE_HOACH])  # text as text, percent a number, the date a date cell
    assert got[DVC] == typed(VP_APRIL[DVC])  # reworded: the unit's values stay with the task
    assert got[KE_HOACH][2][0] == dt.datetime(2025, 4, 2)
    assert all(cells == typed({}) for key, cells in got.items() if key not in VP_APRIL)
    hctp = inputs_of(root / TRACKERS / "STP-2025-HCTP.xlsx")
    assert hctp[LIEN_THONG] == typed(HCTP_APRIL[LIEN_THONG])  # '=HYPERLINK("x")' typed as text stays text
    assert hctp[KE_HOACH] == typed(HCTP_APRIL[KE_HOACH])


def test_new_and_changed_tasks_are_marked(year):
    root = year["root"]
    [rev2] = set(records(root)) - year["rev1"]
    record = records(root)[rev2]
    day = dt.datetime.fromisoformat(record["written"]).strftime("%d/%m/%Y")
    vp = root / TRACKERS / "STP-2025-VP.xlsx"
    book = openpyxl.load_workbook(vp)
    sheet, keys = book["Theo dõi"], keys_of(vp)
    row = {key: 5 + i for i, key in enumerate(keys)}
    assert sheet.cell(row[DVC], 3).value == f"{DVC_AFTER}\n(Sửa đổi ngày {day}: nội dung)"
    assert sheet.cell(row[NEW], 3).value == f"{NEW_CONTENT}\n(Bổ sung ngày {day})"
    for key in keys:
        fills = {sheet.cell(row[key], c).fill.fgColor.rgb for c in range(1, 8)}
        assert fills == ({"FFFFF2CC"} if key in (DVC, NEW) else {"FFE7E6E6"}), key
        assert all(sheet.cell(row[key], c).protection.locked for c in range(1, 8))
    assert not any("Công khai thông tin về tiếp nhận" in str(c.value) for c in sheet["C"])
    assert [c.value for c in book["Hướng dẫn"]["A"]][-2:] == [
        "6. Dòng nền vàng là nhiệm vụ bổ sung hoặc sửa đổi sau khi Kế hoạch được ban hành; ngày bổ sung, sửa đổi "
        "ghi ở cuối ô Nội dung công việc.",
        "7. Các cột nền trắng đã điền sẵn số liệu đơn vị đã báo cáo (Văn phòng đã nhận); kiểm tra, cập nhật số liệu "
        "mới rồi gửi lại."]
    unit = record["units"]["VP"]
    assert [r["key"] for r in unit["rows"]] == keys and unit["header"][:3] == ["STT", "Nhóm nhiệm vụ", "Nội dung công việc"]
    assert {r["key"]: r["mark"] for r in unit["rows"] if r["mark"]} == {
        DVC: {"kind": "sua-doi", "date": record["written"][:10], "fields": ["content"],
              "text": f"(Sửa đổi ngày {day}: nội dung)"},
        NEW: {"kind": "bo-sung", "date": record["written"][:10], "fields": [], "text": f"(Bổ sung ngày {day})"}}
    [old] = [records(root)[r] for r in year["rev1"]]
    assert old["written"] < record["written"] and not any(r["mark"] for u in old["units"].values() for r in u["rows"])


def test_the_old_tracker_is_taken_row_by_row(year):
    root = year["root"]
    [rev1] = year["rev1"]
    [rev2] = set(records(root)) - {rev1}
    day = dt.datetime.fromisoformat(records(root)[rev2]["written"]).strftime("%d/%m/%Y")
    may, april, hctp = year["vp_may"], year["vp_april"], year["hctp_may"]
    result = run(root, "collect", *TARGET, str(may), str(april), str(hctp))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{may}: VP, lưu lúc 10:00 ngày 05/05/2025: đã nhận (số liệu mới nhất của đơn vị)",
        f"  kế hoạch đã sửa ngày {day}: nhiệm vụ \"Công khai thông tin về tiếp nhận, xử lý phản ánh, kiến nghị …\" "
        "không còn trong kế hoạch: không nhận, vẫn lưu trong lịch sử",
        f"  kế hoạch đã sửa ngày {day}: nhiệm vụ \"Rà soát, công bố danh mục TTHC đủ điều kiện cung cấp dịch …\" "
        "đổi nội dung; đã nhận kết quả của đơn vị, đề nghị kiểm tra lại",
        f"  kế hoạch đã sửa ngày {day}: nhiệm vụ mới \"{NEW_CONTENT}\" chưa có trong phiếu này; gửi đơn vị phiếu theo "
        "dõi mới để điền",
        f"{april}: VP, lưu lúc 15:00 ngày 10/04/2025: đã nhận trước đó, bỏ qua",
        # HCTP's row of the reworded task is empty: recorded as changed, nothing to check
        f"{hctp}: HCTP, lưu lúc 08:00 ngày 06/05/2025: đã nhận (số liệu mới nhất của đơn vị)",
        f"Đã cập nhật {TRACKERS}/STP-2025-VP.xlsx",
        f"Đã cập nhật {TRACKERS}/STP-2025-HCTP.xlsx",
        f"Đã cập nhật {TRACKERS}/STP-2025-tong-hop.xlsx"]  # its "Tình hình gửi phiếu" names the new files
    [kept] = (root / STORE / "lich-su").glob("HCTP-20250506T010000Z-*.json")
    record = json.loads(kept.read_text(encoding="utf-8"))
    assert (record["changed"], record["removed"], record["rows"][DVC]) == ({DVC: ["content"]}, [], EMPTY)
    [kept] = (root / STORE / "lich-su").glob("VP-20250505T030000Z-*.json")
    record = json.loads(kept.read_text(encoding="utf-8"))
    rev1_keys = keys_of(april)
    assert (record["format"], record["revision"], record["plan"]) == ("kehoach-tien-do/2", rev1, rev2)
    assert record["taken"] == [k for k in rev1_keys if k != PAKN]
    assert (record["changed"], record["removed"]) == ({DVC: ["content"]}, [PAKN])
    assert sorted(record["rows"]) == sorted(rev1_keys)  # every row of the file is kept, the removed task's too
    assert record["rows"][PAKN] == stored({**VP_APRIL[PAKN], **VP_MAY[PAKN]})
    assert record["rows"][DVC] == stored({**VP_APRIL[DVC], **VP_MAY[DVC]})
    got = inputs_of(root / TRACKERS / "STP-2025-VP.xlsx")
    assert got[DVC] == typed({**VP_APRIL[DVC], **VP_MAY[DVC]}) and PAKN not in got
    report = run(root, "report", *TARGET, "--period", "Q2")
    assert report.returncode == 0, report.stderr
    assert report.stdout.splitlines()[0] == "Đã tạo output/2025/STP/BC-STP-2025-Q2.docx"


def test_a_build_with_nothing_new_touches_nothing(year):
    root = year["root"]
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted((root / "output").rglob("*")) if p.is_file()}
    result = run(root, "build", *TARGET)
    assert result.returncode == 0, result.stderr
    assert all(line.startswith("Không đổi: ") for line in result.stdout.splitlines())
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted((root / "output").rglob("*")) if p.is_file()}
    assert after == before


# ---------------------------------------------------------------- in process, on a small workspace

SMALL = Target("tinh-a", "STP", 2025)
FIRST, SECOND, THIRD = dt.datetime(2025, 1, 27, 8), dt.datetime(2025, 5, 12, 9, 30), dt.datetime(2025, 8, 1, 14)
VP_TASK = "    lead: [VP]\n    coordinate: [ALL]\n"


def small_paths(ws: Workspace) -> dict[str, Path]:
    return tracker_paths(ws.output, "STP", 2025, ["VP", "BTTP"])


def write_at(ws: Workspace, when: dt.datetime, monkeypatch: pytest.MonkeyPatch, spec: str | None = None) -> list:
    """Write the trackers as ``kehoach trackers`` does, with the spec (if given) and the clock at ``when``."""
    if spec is not None:
        ws.spec_file("tinh-a", "STP", 2025).write_text(spec, encoding="utf-8")
    if not (ws.root / "templates").is_dir():  # the build's inputs include the Word template
        shutil.copytree(REPO / "templates", ws.root / "templates")
    monkeypatch.setattr(pipeline, "now", lambda: when)
    return pipeline.trackers_only(ws, SMALL)


REWORDED = SPEC.replace(VP_TASK, VP_TASK + "    content: Ban hành kế hoạch kiểm soát TTHC năm 2025 (sửa đổi)\n")
BTTP_REWORDED = REWORDED.replace("    lead: [BTTP]\n", "    lead: [BTTP]\n    content: Văn bản triển khai mới\n")


@pytest.fixture
def old_vp(small_ws: Workspace, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """VP's tracker of January, kept aside; then the plan is reworded in May and written again."""
    write_at(small_ws, FIRST, monkeypatch)
    kept = tmp_path / "VP-thang-1.xlsx"
    kept.write_bytes(small_paths(small_ws)["VP"].read_bytes())
    write_at(small_ws, SECOND, monkeypatch, REWORDED)
    return kept


def amended_now(ws: Workspace) -> Amended:
    merged = resolve(ws, SMALL)
    return pipeline.amended_trackers(merged, progress.store_dir(ws.output, "STP", 2025))


def read_old(ws: Workspace, path: Path) -> Submission:
    return read_return(path, resolve(ws, SMALL), amended=amended_now(ws))


def forget_revisions(ws: Workspace) -> None:
    """As if the trackers were made before revisions were recorded."""
    for record in (progress.store_dir(ws.output, "STP", 2025) / "phien-ban").glob("*.json"):
        record.unlink()


ZERO, STRAY = "0" * 64, "Nội dung khác"
# (case, edits to the old tracker: {sheet!cell: value}, records kept, the exact message; {f} = the file)
OLD_REFUSALS = [
    ("locked cell edited", {"Theo dõi!C5": STRAY, "Theo dõi!H5": "Hoàn thành"}, True,
     "{f}: Theo dõi!C5: ô thuộc phần kế hoạch (nền xám) đã bị sửa (cần \"Ban hành kế hoạch kiểm soát TTHC năm "
     "2025\", gặp \"Nội dung khác\")\n" + HINT_LOCKED),
    ("title edited", {"Theo dõi!A3": "Đơn vị: Văn phòng"}, True,
     "{f}: Theo dõi!A3: ô thuộc phần kế hoạch (nền xám) đã bị sửa (cần \"Đơn vị: Văn phòng Sở (Sở Tư pháp)\", gặp "
     "\"Đơn vị: Văn phòng\")\n" + HINT_LOCKED),
    ("identity checksum replaced", {"_dinh_danh!B7": ZERO}, True,
     "{f}: _dinh_danh: phần định danh của phiếu bị sửa\n" + HINT_FILE),
    ("identity checksum damaged", {"_dinh_danh!B7": "abc"}, True,
     "{f}: _dinh_danh: phần định danh của phiếu bị hỏng\n" + HINT_FILE),
    ("identity keys edited", {"_dinh_danh!B8": "chi-dao.van-ban#1"}, True,
     "{f}: _dinh_danh: phần định danh của phiếu bị sửa\n" + HINT_FILE),
    ("locked cell edited, revision never recorded", {"Theo dõi!G5": dt.datetime(2025, 2, 28)}, False,
     "{f}: Theo dõi: ô thuộc phần kế hoạch (nền xám) đã bị sửa: mã kiểm tra của phiếu không khớp (phiếu tạo từ "
     "phiên bản kế hoạch trước, không đủ dữ liệu để chỉ ra đúng ô) (gặp các ô khác kế hoạch hiện hành: C5, G5)\n"
     + HINT_LOCKED),
    ("identity checksum replaced, revision never recorded", {"_dinh_danh!B7": ZERO}, False,
     "{f}: Theo dõi: ô thuộc phần kế hoạch (nền xám) đã bị sửa: mã kiểm tra của phiếu không khớp (phiếu tạo từ "
     "phiên bản kế hoạch trước, không đủ dữ liệu để chỉ ra đúng ô) (gặp các ô khác kế hoạch hiện hành: C5)\n"
     + HINT_LOCKED),
]


def edited(source: Path, target: Path, edits: dict[str, object]) -> Path:
    book = openpyxl.load_workbook(source)
    for where, value in edits.items():
        sheet, ref = where.split("!")
        book[sheet][ref] = value
    book.properties.modified = APRIL
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    return target


@pytest.mark.parametrize(("case", "edits", "recorded", "message"), OLD_REFUSALS, ids=[r[0] for r in OLD_REFUSALS])
def test_an_old_tracker_edited_is_refused_by_name(case, edits, recorded, message, small_ws, old_vp, tmp_path):
    if not recorded:
        forget_revisions(small_ws)
    store = progress.store_dir(small_ws.output, "STP", 2025)
    before = snapshot(store / "lich-su")
    sent = edited(old_vp, tmp_path / "gui-lai.xlsx", edits)
    with pytest.raises(InputError) as caught:
        read_old(small_ws, sent)
    assert str(caught.value) == message.format(f=sent)
    assert snapshot(store / "lich-su") == before


@pytest.mark.parametrize("recorded", [True, False], ids=["recorded", "never recorded"])
def test_an_old_tracker_intact_is_taken_with_a_word_on_the_change(recorded, small_ws, old_vp, tmp_path):
    if not recorded:
        forget_revisions(small_ws)
    sent = edited(old_vp, tmp_path / "gui-lai.xlsx", {"Theo dõi!H5": "Hoàn thành", "Theo dõi!K5": "Đã ban hành"})
    submission = read_old(small_ws, sent)
    key = "chi-dao.ke-hoach#1"
    assert submission.rows[key]["status"] == "Hoàn thành" and submission.taken == (key,)
    # never recorded: the current revision is dated when it is written next (the clock stays at SECOND here)
    assert submission.notes == (RowNote("changed", key, "Ban hành kế hoạch kiểm soát TTHC năm 2025", SECOND.date(),
                                        ("content",)),)
    assert submission.changed == {key: ("content",)} and submission.removed == ()


def test_marks_stay_until_the_row_changes_and_a_revision_comes_back_whole(small_ws, monkeypatch):
    paths = small_paths(small_ws)
    write_at(small_ws, FIRST, monkeypatch)
    january = {unit: path.read_bytes() for unit, path in paths.items()}
    write_at(small_ws, SECOND, monkeypatch, REWORDED)
    content = lambda unit: openpyxl.load_workbook(paths[unit])["Theo dõi"]["C5"].value  # noqa: E731
    assert content("VP") == "Ban hành kế hoạch kiểm soát TTHC năm 2025 (sửa đổi)\n(Sửa đổi ngày 12/05/2025: nội dung)"
    may_vp = paths["VP"].read_bytes()
    write_at(small_ws, THIRD, monkeypatch, BTTP_REWORDED)  # only BTTP's own task changes in August
    assert paths["VP"].read_bytes() != may_vp  # the revision named in its identity changed ...
    assert content("VP").endswith("\n(Sửa đổi ngày 12/05/2025: nội dung)")  # ... its rows and marks did not
    assert content("BTTP").endswith("(sửa đổi)\n(Sửa đổi ngày 12/05/2025: nội dung)")
    sheet = openpyxl.load_workbook(paths["BTTP"])["Theo dõi"]
    assert sheet["C6"].value == "Văn bản triển khai mới\n(Sửa đổi ngày 01/08/2025: nội dung)"
    assert amended_now(small_ws).trackers.units[0].identity.checksum == \
        Identity.from_items([(a, b) for a, b in openpyxl.load_workbook(paths["VP"])["_dinh_danh"].iter_rows(
            max_col=2, values_only=True)]).checksum
    write_at(small_ws, THIRD + dt.timedelta(days=1), monkeypatch, SPEC)  # back to January's plan: its record
    assert {unit: path.read_bytes() for unit, path in paths.items()} == january
    assert len(list((progress.store_dir(small_ws.output, "STP", 2025) / "phien-ban").glob("*.json"))) == 3


def test_accepted_values_rewrite_only_that_units_tracker(small_ws, old_vp, tmp_path, monkeypatch):
    store = progress.store_dir(small_ws.output, "STP", 2025)
    current = small_paths(small_ws)["VP"]
    sent = fill(current, tmp_path / "VP.xlsx", {"chi-dao.ke-hoach#1": {"Tình trạng": "Hoàn thành",
                                                                       "Tiến độ (%)": 100}}, dt.datetime(2025, 6, 1))
    assert progress.accept(store, read_old(small_ws, sent)) == "mới"  # kept, as a collect stopped before writing
    outcomes = {o.path.name: o.action for o in write_at(small_ws, THIRD, monkeypatch)}
    assert outcomes == {"STP-2025-VP.xlsx": "updated", "STP-2025-BTTP.xlsx": "unchanged",
                        "STP-2025-tong-hop.xlsx": "updated"}
    assert {o.action for o in write_at(small_ws, THIRD, monkeypatch)} == {"unchanged"}
    values = inputs_of(current)["chi-dao.ke-hoach#1"]
    assert values[:2] == [("Hoàn thành", "s", "General"), (100, "n", "0")]
    again = tmp_path / "again"
    facts = live_facts(resolve(small_ws, SMALL), progress.history(store))
    render_xlsx.write_trackers(amended_now(small_ws).trackers, again, facts,
                               {u: d["rows"] for u, d in progress.current(store)["units"].items()})
    assert tracker_paths(again, "STP", 2025, ["VP"])["VP"].read_bytes() == current.read_bytes()  # same bytes


def test_a_kill_after_the_history_is_written_loses_nothing(small_ws, old_vp, tmp_path, monkeypatch):
    from kehoach_gen.build import tracking

    store = progress.store_dir(small_ws.output, "STP", 2025)
    sent = edited(old_vp, tmp_path / "VP-thang-1.xlsx", {"Theo dõi!H5": "Hoàn thành", "Theo dõi!I5": 100})

    def killed(*args: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(progress, "_write_current", killed)
        with pytest.raises(KeyboardInterrupt):
            tracking.collect(small_ws, SMALL, [sent])
    [kept] = (store / "lich-su").iterdir()
    assert json.loads(kept.read_text(encoding="utf-8"))["changed"] == {"chi-dao.ke-hoach#1": ["content"]}
    assert not (store / "current.json").exists()
    write_at(small_ws, THIRD, monkeypatch)  # the next build carries the values all the same
    assert inputs_of(small_paths(small_ws)["VP"])["chi-dao.ke-hoach#1"][:2] == [("Hoàn thành", "s", "General"),
                                                                              (100, "n", "0")]
    [again] = tracking.collect(small_ws, SMALL, [sent])[0]
    assert (again.status, again.notes) == ("trùng", [])
    assert progress.statuses(store) == {"VP": {"chi-dao.ke-hoach#1": "Hoàn thành"}}
    assert (store / "current.json").is_file()


def test_a_damaged_revision_record_is_named(small_ws, old_vp):
    folder = progress.store_dir(small_ws.output, "STP", 2025) / "phien-ban"
    [record] = [p for p in folder.glob("*.json") if FIRST.isoformat() in p.read_text(encoding="utf-8")]
    record.write_text(record.read_text(encoding="utf-8").replace("Ban hành", "Ban  hành", 1), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        amended_now(small_ws)
    assert str(caught.value) == (
        f"{record}: tệp phiên bản kế hoạch bị hỏng (gặp nội dung không đúng mẫu)\nKhôi phục tệp từ bản sao lưu; nếu không còn, xóa "
        "tệp này: phiếu của phiên bản đó sẽ được kiểm tra theo mã kiểm tra của chính phiếu.")


def test_history_records_of_format_1_took_every_row(tmp_path):
    """Records kept before revisions were compared: every row was taken, and they still count."""
    store = tmp_path / "tien-do"
    (store / "lich-su").mkdir(parents=True)
    row = {**EMPTY, "status": "Hoàn thành"}
    old = {"format": "kehoach-tien-do/1", "agency": "STP", "year": 2025, "unit": "VP", "revision": "a" * 64,
           "saved": "2025-03-10T08:00:00Z", "source": "VP.xlsx", "hash": "b" * 64, "rows": {KE_HOACH: row}}
    (store / "lich-su/VP-20250310T080000Z-bbbbbbbbbbbbbbbb.json").write_text(json.dumps(old), encoding="utf-8")
    assert progress.taken_rows(old) == {KE_HOACH: row}
    assert progress.current(store)["units"]["VP"]["rows"] == {KE_HOACH: row}
    assert progress.statuses(store) == {"VP": {KE_HOACH: "Hoàn thành"}}
    newer = {**old, "format": "kehoach-tien-do/2", "saved": "2025-05-05T03:00:00Z", "hash": "c" * 64,
             "rows": {KE_HOACH: {**row, "status": "Đang thực hiện"}, PAKN: row}, "taken": [KE_HOACH],
             "changed": {}, "removed": [PAKN], "plan": "d" * 64}
    (store / "lich-su/VP-20250505T030000Z-cccccccccccccccc.json").write_text(json.dumps(newer), encoding="utf-8")
    assert progress.current(store)["units"]["VP"]["rows"] == {KE_HOACH: {**row, "status": "Đang thực hiện"}}
