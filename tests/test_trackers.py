"""Excel trackers: what each unit gets, how the workbook is protected, and reading returns safely."""

from __future__ import annotations

import datetime as dt
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl.writer.excel import ExcelWriter

from conftest import SPEC
from kehoach_gen.followup import progress
from kehoach_gen.followup.office import live_facts
from kehoach_gen.excel.collect import read_return
from kehoach_gen.excel.returned_rows import RowNote
from kehoach_gen.excel.revisions import amend
from kehoach_gen.errors import InputError
from kehoach_gen.spec.inputs import Target, resolve
from kehoach_gen.spec.merge import Merged
from kehoach_gen.excel.render_xlsx import write_trackers
from kehoach_gen.excel.trackers import STATUSES, Identity, build_trackers, tracker_paths
from kehoach_gen.workspace import Workspace

TARGET = Target("tinh-a", "STP", 2025)
HEADERS = ["STT", "Nhóm nhiệm vụ", "Nội dung công việc", "Kết quả dự kiến", "Vai trò", "Thời hạn", "Hạn chót",
           "Tình trạng", "Tiến độ (%)", "Ngày hoàn thành", "Kết quả thực hiện", "Văn bản / minh chứng",
           "Khó khăn, vướng mắc", "Ghi chú"]
FORMULA_TASKS = """\
  - id: them.cong-thuc
    group: chi-dao
    content: "=1+1"
    results: "+SUM(A1)"
    lead: [VP]
    deadline: {text: "-x", kind: on_demand}
  - id: them.a-cong
    group: chi-dao
    content: "@x"
    lead: [VP]
    deadline: Khi có phát sinh
"""
HINT_LOCKED = "Đề nghị đơn vị điền vào phiếu gốc, chỉ điền các cột nền trắng, không sửa các cột nền xám."
HINT_FILE = "Chỉ nhận phiếu theo dõi gốc (.xlsx) đã gửi cho đơn vị; không chép nội dung sang tệp khác."


def set_spec(ws: Workspace, text: str) -> Merged:
    (ws.root / "plan_specs/tinh-a/STP/2025.yaml").write_text(text, encoding="utf-8")
    return resolve(ws, TARGET)


@pytest.fixture
def merged(small_ws: Workspace) -> Merged:
    return resolve(small_ws, TARGET)


def nothing_yet(merged: Merged):  # noqa: ANN201
    """The consolidated workbook's facts before any return."""
    return live_facts(merged, [])


@pytest.fixture
def out(tmp_path: Path, merged: Merged) -> dict[str, Path]:
    write_trackers(build_trackers(merged), tmp_path / "output", nothing_yet(merged))
    return tracker_paths(tmp_path / "output", "STP", 2025, ["VP", "BTTP"])


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return progress.store_dir(tmp_path / "output", "STP", 2025)


def fill(source: Path, target: Path, cells: dict[str, object], modified: dt.datetime,
         sheet: str = "Theo dõi") -> Path:
    """What a unit does: open the tracker, type into cells, save (with a chosen save time)."""
    book = openpyxl.load_workbook(source)
    for ref, value in cells.items():
        book[sheet][ref] = value
    book.properties.modified = modified
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()  # openpyxl's save() would stamp the current time
    return target


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()} \
        if folder.exists() else {}


MARCH, APRIL = dt.datetime(2025, 3, 10, 8, 0, 0), dt.datetime(2025, 4, 10, 8, 0, 0)


# ---------------------------------------------------------------- tracker data

def test_each_unit_gets_exactly_its_tasks_with_its_role(merged: Merged) -> None:
    trackers = build_trackers(merged)
    got = {u.unit: [(r.key, r.cells[4], r.cells[6]) for r in u.rows] for u in trackers.units}
    assert got == {
        "VP": [("chi-dao.ke-hoach#1", "Chủ trì", dt.date(2025, 1, 31))],
        "BTTP": [("chi-dao.ke-hoach#1", "Phối hợp", dt.date(2025, 1, 31)), ("chi-dao.van-ban#1", "Chủ trì", None)],
    }
    assert [r.key for r in trackers.office.rows] == ["chi-dao.ke-hoach#1", "chi-dao.van-ban#1"]
    assert trackers.office.roles == ({"VP": "Chủ trì", "BTTP": "Phối hợp"}, {"BTTP": "Chủ trì"})
    vp = trackers.units[0]
    assert vp.rows[0].cells == (1, "I. Công tác chỉ đạo điều hành", "Ban hành kế hoạch kiểm soát TTHC năm 2025",
                                "Kế hoạch kiểm soát TTHC", "Chủ trì", "Trước ngày 31/01/2025", dt.date(2025, 1, 31))
    assert vp.identity.keys == ("chi-dao.ke-hoach#1",) and vp.identity.revision == trackers.revision
    assert build_trackers(merged) == trackers  # deterministic hashes


def test_person_of_a_unit_counts_for_the_unit(small_ws: Workspace) -> None:
    spec = SPEC.replace("    lead: [BTTP]", "    lead: [{person: Trần Văn C, unit: BTTP}]")
    trackers = build_trackers(set_spec(small_ws, spec))
    assert [r.key for r in trackers.units[1].rows] == ["chi-dao.ke-hoach#1", "chi-dao.van-ban#1"]


def test_paths(tmp_path: Path) -> None:
    paths = tracker_paths(tmp_path, "STP", 2025, ["VP"])
    assert paths == {"VP": tmp_path / "2025/STP/theo-doi/STP-2025-VP.xlsx",
                     "tong-hop": tmp_path / "2025/STP/theo-doi/STP-2025-tong-hop.xlsx"}


# ---------------------------------------------------------------- the unit workbook

def test_unit_workbook_layout(out: dict[str, Path]) -> None:
    book = openpyxl.load_workbook(out["BTTP"])
    assert book.sheetnames == ["Theo dõi", "Hướng dẫn", "_dinh_danh"]
    sheet = book["Theo dõi"]
    assert [c.value for c in sheet[4]] == HEADERS
    assert sheet["A1"].value == "PHIẾU THEO DÕI THỰC HIỆN KẾ HOẠCH NĂM 2025"
    assert sheet["A3"].value == "Đơn vị: Phòng Bổ trợ tư pháp (Sở Tư pháp)"
    assert [c.value for c in sheet[6]][:7] == [2, "I. Công tác chỉ đạo điều hành", "Ban hành văn bản triển khai",
                                                None, "Chủ trì", "Thường xuyên", None]
    assert sheet.max_row == 6  # header, then exactly the unit's two rows
    assert sheet["G5"].value == dt.datetime(2025, 1, 31) and sheet["G5"].number_format == "dd/mm/yyyy"
    assert sheet.freeze_panes == "D5"
    assert sheet.print_title_rows == "$4:$4"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert (sheet.page_setup.fitToWidth or 1) == 1 and sheet.page_setup.fitToHeight == 0  # 1 is the default
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.column_dimensions["C"].width > 30 and sheet["C5"].alignment.wrap_text is True
    guide = book["Hướng dẫn"]
    assert guide["A1"].value == "HƯỚNG DẪN ĐIỀN PHIẾU THEO DÕI"
    assert guide["A12"].value == ("5. Lưu tệp ở dạng Excel (.xlsx; có thể đổi tên tệp) và gửi lại cho Văn phòng Sở "
                                  "(Sở Tư pháp). Không chép nội dung sang tệp khác: phần mềm nhận biết phiếu qua "
                                  "chính tệp này.")
    assert guide.protection.sheet is True


def test_plan_columns_locked_inputs_unlocked(out: dict[str, Path]) -> None:
    sheet = openpyxl.load_workbook(out["BTTP"])["Theo dõi"]
    assert sheet.protection.sheet is True and not sheet.protection.password
    for row in (5, 6):
        assert [sheet.cell(row, c).protection.locked for c in range(1, 15)] == [True] * 7 + [False] * 7
    assert all(c.protection.locked for c in sheet[4])  # header
    assert sheet.cell(7, 8).protection.locked  # below the table nothing can be typed


def test_validations_and_overdue_highlight(out: dict[str, Path]) -> None:
    sheet = openpyxl.load_workbook(out["BTTP"])["Theo dõi"]
    rules = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert set(rules) == {"H5:H6", "I5:I6", "J5:J6"}
    status = rules["H5:H6"]
    assert status.type == "list" and status.formula1 == '"' + ",".join(STATUSES) + '"'
    assert status.showErrorMessage and status.error.startswith("Chỉ chọn một trong: Chưa thực hiện;")
    assert status.errorTitle == "Tình trạng không hợp lệ"
    percent = rules["I5:I6"]
    assert (percent.type, percent.operator or "between", percent.formula1, percent.formula2) == ("whole", "between", "0",
                                                                                               "100")
    assert percent.error == "Tiến độ là số nguyên từ 0 đến 100 (không ghi dấu %)."
    done = rules["J5:J6"]
    assert (done.type, done.formula1, done.formula2) == ("date", "45292", "46387")  # 01/01/2024, 31/12/2026
    formats = sheet.conditional_formatting
    [rule] = [r for cf in formats for r in cf.rules]
    assert [str(cf.sqref) for cf in formats] == ["A5:N6"]
    assert rule.formula == ['AND(ISNUMBER($G5),$G5<TODAY(),LEFT($H5,10)<>"Hoàn thành",LEFT($H5,5)<>"Không")']


def test_identity_sheet_is_very_hidden_and_protected(merged: Merged, out: dict[str, Path]) -> None:
    book = openpyxl.load_workbook(out["VP"])
    sheet = book["_dinh_danh"]
    assert sheet.sheet_state == "veryHidden" and sheet.protection.sheet is True
    rows = [(a.value, b.value) for a, b in sheet.iter_rows(max_col=2)]
    assert rows[:5] == [("dinh_dang", "kehoach-theo-doi/1"), ("loai", "don-vi"), ("co_quan", "STP"), ("nam", "2025"),
                        ("don_vi", "VP")]
    assert Identity.from_items(rows) == build_trackers(merged).units[0].identity
    assert book.active.title == "Theo dõi"


def test_formula_like_text_stays_text(small_ws: Workspace, tmp_path: Path) -> None:
    merged = set_spec(small_ws, SPEC.replace("drop:", FORMULA_TASKS + "drop:"))
    write_trackers(build_trackers(merged), tmp_path / "o", nothing_yet(merged))
    sheet = openpyxl.load_workbook(tracker_paths(tmp_path / "o", "STP", 2025, ["VP"])["VP"])["Theo dõi"]
    cells = [sheet["C6"], sheet["D6"], sheet["F6"], sheet["C7"]]
    assert [c.value for c in cells] == ["=1+1", "+SUM(A1)", "-x", "@x"]
    assert [c.data_type for c in cells] == ["s"] * 4


def returned(merged: Merged, out: dict[str, Path], store: Path, tmp_path: Path) -> list[dict]:
    """VP reports its task done on 20/01; BTTP its coordinated part under way and its own task done late."""
    vp = fill(out["VP"], tmp_path / "vp.xlsx", {"H5": "Hoàn thành", "I5": 100, "J5": dt.datetime(2025, 1, 20),
                                                "K5": "Đã ban hành Kế hoạch số 2/KH-STP"}, MARCH)
    bttp = fill(out["BTTP"], tmp_path / "bttp.xlsx", {"H5": "Đang thực hiện", "H6": "Hoàn thành trễ hạn",
                                                      "K6": "Đã ban hành 03 văn bản", "M6": "Thiếu kinh phí"}, APRIL)
    for sent in (vp, bttp):
        progress.accept(store, read_return(sent, merged))
    return progress.history(store)


def test_same_input_same_bytes(merged: Merged, out: dict[str, Path], store: Path, tmp_path: Path) -> None:
    facts = live_facts(merged, returned(merged, out, store, tmp_path))
    first = write_trackers(build_trackers(merged), tmp_path / "a", facts)
    second = write_trackers(build_trackers(merged), tmp_path / "b", facts)
    assert [p.name for p in first] == ["STP-2025-VP.xlsx", "STP-2025-BTTP.xlsx", "STP-2025-tong-hop.xlsx"]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert openpyxl.load_workbook(first[0]).properties.created == dt.datetime(2025, 1, 26)


def test_every_font_is_times_new_roman_not_the_theme_font(merged: Merged, tmp_path: Path) -> None:
    """A font tagged <scheme val="minor"/> is shown by Excel in the theme's font (Calibri): none may be,
    in the first workbook a process writes or any later one."""
    import re
    import zipfile

    for folder in ("a", "b"):
        for path in write_trackers(build_trackers(merged), tmp_path / folder, nothing_yet(merged)):
            styles = zipfile.ZipFile(path).read("xl/styles.xml").decode()
            fonts = re.findall(r"<font>(.*?)</font>", styles.split("</fonts>")[0])  # not the highlight's (dxf)
            assert fonts and all('<name val="Times New Roman"/>' in font for font in fonts), path
            assert "<scheme " not in styles, path


def rows(sheet, first: int) -> list[list[object]]:  # noqa: ANN001
    return [[c.value for c in row] for row in sheet.iter_rows(min_row=first)]


def test_consolidated_workbook(merged: Merged, out: dict[str, Path], store: Path, tmp_path: Path) -> None:
    facts = live_facts(merged, returned(merged, out, store, tmp_path))
    path = write_trackers(build_trackers(merged), tmp_path / "o", facts)[-1]
    book = openpyxl.load_workbook(path, data_only=True)
    assert book.sheetnames == ["Tổng hợp", "Theo đơn vị", "Tình hình gửi phiếu", "Thống kê", "_dinh_danh"]
    sheet = book["Tổng hợp"]
    assert [sheet.cell(r, 1).value for r in range(1, 6)] == [
        "TỔNG HỢP THEO DÕI THỰC HIỆN KẾ HOẠCH NĂM 2025", "Kế hoạch kiểm soát thủ tục hành chính năm 2025 tại Sở Tư pháp tỉnh A",
        "Cơ quan: Sở Tư pháp", "Số liệu đến ngày 10/4/2025, theo các phiếu theo dõi các đơn vị đã gửi.",
        "Tổng số 2 nhiệm vụ: hoàn thành 1; đang thực hiện 1; quá hạn 0; chưa triển khai 0; không thực hiện 0; "
        "chưa báo cáo 0."]
    assert rows(sheet, 6) == [
        ["STT", "Nội dung công việc", "Chủ trì", "Thời hạn", "Hạn chót", "Tình trạng", "Tiến độ (%)", "Kết quả mới nhất"],
        ["I. Công tác chỉ đạo điều hành", None, None, None, None, None, None, None],
        [1, "Ban hành kế hoạch kiểm soát TTHC năm 2025", "Văn phòng Sở", "Trước ngày 31/01/2025",
         dt.datetime(2025, 1, 31), "Hoàn thành", 100, "Văn phòng Sở: Đã ban hành Kế hoạch số 2/KH-STP"],
        [2, "Ban hành văn bản triển khai", "Phòng Bổ trợ tư pháp", "Thường xuyên", None, "Đang thực hiện", None,
         "Phòng Bổ trợ tư pháp: Đã ban hành 03 văn bản"]]
    assert sheet.print_title_rows == "$6:$6" and sheet.protection.sheet
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    matrix = book["Theo đơn vị"]
    assert rows(matrix, 5) == [["STT", "Nội dung công việc", "Văn phòng Sở", "Phòng Bổ trợ tư pháp"],
                               [1, "Ban hành kế hoạch kiểm soát TTHC năm 2025", "Chủ trì\nHoàn thành",
                                "Phối hợp\nĐang thực hiện"],
                               [2, "Ban hành văn bản triển khai", None, "Chủ trì\nHoàn thành trễ hạn"]]
    sent = book["Tình hình gửi phiếu"]
    assert rows(sent, 5) == [
        ["Đơn vị", "Phiếu nhận gần nhất", "Thời điểm lưu", "Số phần việc", "Đã báo cáo", "Còn nợ báo cáo"],
        ["Văn phòng Sở", "vp.xlsx", dt.datetime(2025, 3, 10, 15, 0), 1, 1, "Không còn"],
        ["Phòng Bổ trợ tư pháp", "bttp.xlsx", dt.datetime(2025, 4, 10, 15, 0), 2, 2, "Không còn"]]
    stats = book["Thống kê"]
    assert [[c.value for c in row] for row in stats.iter_rows(max_col=4)] == [
        ["Đơn vị", "Số nhiệm vụ", "Hoàn thành", "Tỷ lệ hoàn thành (%)"],
        ["Văn phòng Sở", 1, 1, 100], ["Phòng Bổ trợ tư pháp", 2, 1, 50]]
    with zipfile.ZipFile(path) as archive:
        chart = archive.read("xl/charts/chart1.xml").decode()
    assert "<c:barChart>" in chart and "'Thống kê'!$A$2:$A$3" in chart


def test_consolidated_workbook_before_any_return(merged: Merged, tmp_path: Path) -> None:
    path = write_trackers(build_trackers(merged), tmp_path / "o", nothing_yet(merged))[-1]
    book = openpyxl.load_workbook(path, data_only=True)
    assert book["Tổng hợp"]["A4"].value == "Chưa nhận phiếu theo dõi nào của các đơn vị."
    assert [row[5] for row in rows(book["Tổng hợp"], 8)] == ["Chưa báo cáo", "Chưa báo cáo"]
    assert rows(book["Tình hình gửi phiếu"], 6) == [
        ["Văn phòng Sở", "Chưa gửi phiếu", None, 1, 0, "1. Ban hành kế hoạch kiểm soát TTHC năm 2025"],
        ["Phòng Bổ trợ tư pháp", "Chưa gửi phiếu", None, 2, 0, "2. Ban hành văn bản triển khai"]]


# ---------------------------------------------------------------- returns and the progress store

def test_filled_tracker_is_accepted_and_recorded(merged: Merged, out: dict[str, Path], store: Path,
                                                 tmp_path: Path) -> None:
    sent = fill(out["VP"], tmp_path / "VP-da-dien.xlsx",
                {"H5": "Hoàn thành", "I5": 100, "J5": dt.datetime(2025, 1, 20), "K5": " Đã ban hành\r\nKH số 2 ",
                 "L5": 2025}, MARCH)
    submission = read_return(sent, merged)
    assert (submission.unit, submission.saved, submission.source) == ("VP", MARCH, "VP-da-dien.xlsx")
    assert submission.rows == {"chi-dao.ke-hoach#1": {
        "status": "Hoàn thành", "percent": 100, "done_date": "2025-01-20", "result": "Đã ban hành\nKH số 2",
        "evidence": "2025", "difficulties": None, "note": None}}
    assert progress.accept(store, submission) == "mới"
    state = progress.current(store)
    assert state["agency"] == "STP" and state["units"]["VP"]["saved"] == "2025-03-10T08:00:00Z"
    assert progress.statuses(store) == {"VP": {"chi-dao.ke-hoach#1": "Hoàn thành"}}
    [kept] = (store / "lich-su").iterdir()
    assert kept.name == f"VP-20250310T080000Z-{submission.content_hash[:16]}.json"


def test_renamed_duplicate_and_older_files(merged: Merged, out: dict[str, Path], store: Path, tmp_path: Path) -> None:
    newer = fill(out["VP"], tmp_path / "a.xlsx", {"H5": "Hoàn thành"}, APRIL)
    older = fill(out["VP"], tmp_path / "b.xlsx", {"H5": "Đang thực hiện"}, MARCH)
    assert progress.accept(store, read_return(newer, merged)) == "mới"
    renamed = newer.rename(tmp_path / "bao-cao-thang-4.xlsx")  # identified by content, not name
    assert progress.accept(store, read_return(renamed, merged)) == "trùng"
    assert progress.accept(store, read_return(older, merged)) == "cũ hơn"
    assert progress.statuses(store) == {"VP": {"chi-dao.ke-hoach#1": "Hoàn thành"}}
    assert len(list((store / "lich-su").iterdir())) == 2
    assert progress.accept(store, read_return(older, merged)) == "trùng"


def test_crash_between_history_and_current_loses_nothing(merged: Merged, out: dict[str, Path], store: Path,
                                                        tmp_path: Path) -> None:
    sent = fill(out["VP"], tmp_path / "a.xlsx", {"H5": "Hoàn thành"}, APRIL)
    progress.accept(store, read_return(sent, merged))
    (store / "current.json").unlink()  # as if the collect stopped right after writing the history
    assert progress.statuses(store) == {"VP": {"chi-dao.ke-hoach#1": "Hoàn thành"}}
    assert progress.accept(store, read_return(sent, merged)) == "trùng"
    assert (store / "current.json").is_file()


def test_other_units_changes_do_not_invalidate_a_tracker(small_ws: Workspace, out: dict[str, Path],
                                                          tmp_path: Path) -> None:
    sent = fill(out["VP"], tmp_path / "a.xlsx", {"H5": "Hoàn thành"}, APRIL)
    changed = set_spec(small_ws, SPEC.replace("    lead: [BTTP]", "    lead: [BTTP]\n    content: Văn bản mới"))
    submission = read_return(sent, changed)
    assert submission.revision != build_trackers(changed).revision


def refusal(path: Path, merged: Merged) -> str:
    with pytest.raises(InputError) as caught:
        read_return(path, merged)
    assert caught.value.exit_code == 2
    return str(caught.value)


def rezip(source: Path, target: Path, replace: dict[str, bytes | None]) -> Path:
    """A copy of a workbook with some parts replaced (None: removed)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = replace.get(info.filename, old.read(info))
            if data is not None:
                new.writestr(info, data)
    return target


def encrypted(source: Path, target: Path) -> Path:
    """A copy whose first part is flagged as encrypted (general purpose bit 0 of its central directory entry)."""
    data = bytearray(source.read_bytes())
    data[data.find(b"PK\x01\x02") + 8] |= 0x1
    return written(target, bytes(data))


def bomb(target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    return target


def crowd(target: Path) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(200):
            archive.writestr(f"xl/media/{i}.bin", b"")
    return target


def written(target: Path, data: bytes) -> Path:
    target.write_bytes(data)
    return target


def plain(target: Path) -> Path:
    openpyxl.Workbook().save(target)
    return target


def renamed_sheet(source: Path, target: Path) -> Path:
    book = openpyxl.load_workbook(source)
    book["Theo dõi"].title = "Khác"
    book.save(target)
    return target


LAUGHS = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><x>&b;</x>'
NO_TIME = (b'<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
           b'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>x</dc:title>'
           b"</cp:coreProperties>")
STATUS_LIST = "Chưa thực hiện; Đang thực hiện; Hoàn thành; Hoàn thành trễ hạn; Không thực hiện (nêu lý do)"
IDENTITY = "_dinh_danh"

# (case, how the file is made from the written trackers and a folder, the exact message; {f} = the file)
REFUSALS = [
    ("locked cell edited", lambda o, t: fill(o["VP"], t / "a.xlsx", {"C5": "Nội dung khác", "H5": "Hoàn thành"}, APRIL),
     "{f}: Theo dõi!C5: ô thuộc phần kế hoạch (nền xám) đã bị sửa (cần \"Ban hành kế hoạch kiểm soát TTHC năm "
     "2025\", gặp \"Nội dung khác\")\n" + HINT_LOCKED),
    ("header emptied", lambda o, t: fill(o["VP"], t / "a.xlsx", {"H4": None}, APRIL),
     "{f}: Theo dõi!H4: ô thuộc phần kế hoạch (nền xám) đã bị sửa (cần \"Tình trạng\", gặp ô trống)\n" + HINT_LOCKED),
    ("bad inputs", lambda o, t: fill(o["BTTP"], t / "a.xlsx", {"H5": "Xong", "I6": 150, "J6": "31/02/2025", "I5": 7.5},
                                     APRIL),
     "{f}: Theo dõi!H5: tình trạng không có trong danh sách (cần một trong: " + STATUS_LIST + ", gặp \"Xong\")\n"
     "{f}: Theo dõi!I5: tiến độ phải là số nguyên từ 0 đến 100 (cần số nguyên 0–100, gặp \"7.5\")\n"
     "{f}: Theo dõi!I6: tiến độ phải là số nguyên từ 0 đến 100 (cần số nguyên 0–100, gặp \"150\")\n"
     "{f}: Theo dõi!J6: ngày hoàn thành không hợp lệ (cần ngày từ 01/01/2024 đến 31/12/2026, gặp \"31/02/2025\")"),
    ("date out of range", lambda o, t: fill(o["VP"], t / "a.xlsx", {"J5": dt.datetime(2030, 1, 1)}, APRIL),
     "{f}: Theo dõi!J5: ngày hoàn thành không hợp lệ (cần ngày từ 01/01/2024 đến 31/12/2026, gặp \"01/01/2030\")"),
    ("not a workbook", lambda o, t: written(t / "a.xlsx", "đây không phải bảng tính".encode()),
     "{f}: tệp không phải bảng tính Excel (.xlsx) (gặp tệp hỏng hoặc khác định dạng)\n" + HINT_FILE),
    ("missing", lambda o, t: t / "khong-co.xlsx", "{f}: không tìm thấy tệp"),
    ("too big", lambda o, t: written(t / "a.xlsx", b"\0" * (10 * 1024 * 1024 + 1)),
     "{f}: tệp quá lớn, không phải phiếu theo dõi (cần tối đa 10 MB, gặp 10,0 MB)"),
    ("zip bomb", lambda o, t: bomb(t / "a.xlsx"),
     "{f}: xl/worksheets/sheet1.xml: tệp .xlsx có thành phần bất thường (quá lớn hoặc nén quá mức); không đọc "
     "(cần tỷ lệ nén tối đa 100)"),
    ("too many parts", lambda o, t: crowd(t / "a.xlsx"),
     "{f}: tệp .xlsx có thành phần bất thường (quá lớn hoặc nén quá mức); không đọc (cần tối đa 200 thành phần, gặp 202)"),
    ("encrypted part", lambda o, t: encrypted(o["VP"], t / "a.xlsx"),
     "{f}: tệp .xlsx được đặt mật khẩu hoặc mã hóa; không đọc được\nĐề nghị đơn vị gỡ mật khẩu của tệp rồi gửi lại."),
    ("entity expansion", lambda o, t: rezip(o["VP"], t / "a.xlsx", {"docProps/core.xml": LAUGHS}),
     "{f}: docProps/core.xml: tệp .xlsx chứa khai báo DTD/thực thể XML (tệp Excel thật không có); không đọc"),
    ("broken xml", lambda o, t: rezip(o["VP"], t / "a.xlsx", {"xl/styles.xml": b"<styleSheet"}),
     "{f}: xl/styles.xml: tệp .xlsx bị hỏng (XML không đọc được)"),
    ("unreadable", lambda o, t: rezip(o["VP"], t / "a.xlsx", {"xl/_rels/workbook.xml.rels": None}),
     "{f}: không đọc được bảng tính: tệp hỏng hoặc không phải tệp Excel (.xlsx)\n" + HINT_FILE),
    ("no save time", lambda o, t: rezip(o["VP"], t / "a.xlsx", {"docProps/core.xml": NO_TIME}),
     "{f}: docProps/core.xml: tệp không ghi thời điểm lưu\n" + HINT_FILE),
    ("not a tracker", lambda o, t: plain(t / "a.xlsx"),
     "{f}: không phải phiếu theo dõi do kehoach tạo (thiếu phần định danh)\n" + HINT_FILE),
    ("identity broken", lambda o, t: fill(o["VP"], t / "a.xlsx", {"B1": "khac"}, APRIL, sheet=IDENTITY),
     "{f}: _dinh_danh: phần định danh của phiếu bị hỏng\n" + HINT_FILE),
    ("identity keys edited", lambda o, t: fill(o["VP"], t / "a.xlsx", {"B8": "khac#1"}, APRIL, sheet=IDENTITY),
     "{f}: _dinh_danh: phần định danh của phiếu bị sửa\n" + HINT_FILE),
    ("consolidated", lambda o, t: o["tong-hop"],
     "{f}: đây là bảng tổng hợp của Văn phòng, không phải phiếu của một đơn vị"),
    ("other agency", lambda o, t: fill(o["VP"], t / "a.xlsx", {"B3": "SNV"}, APRIL, sheet=IDENTITY),
     "{f}: phiếu của cơ quan khác (cần \"STP\", gặp \"SNV\")"),
    ("other year", lambda o, t: fill(o["VP"], t / "a.xlsx", {"B4": "2024"}, APRIL, sheet=IDENTITY),
     "{f}: phiếu của năm khác (cần 2025, gặp 2024)"),
    ("unknown unit", lambda o, t: fill(o["VP"], t / "a.xlsx", {"B5": "XX"}, APRIL, sheet=IDENTITY),
     "{f}: đơn vị không có phiếu theo dõi trong kế hoạch (cần một trong: VP, BTTP, gặp \"XX\")"),
    ("sheet renamed", lambda o, t: renamed_sheet(o["VP"], t / "a.xlsx"),
     "{f}: không có trang tính \"Theo dõi\"\n" + HINT_FILE),
]


@pytest.mark.parametrize(("case", "make", "message"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusal_names_the_place_and_changes_nothing(case: str, make, message: str, merged: Merged,
                                                      out: dict[str, Path], store: Path, tmp_path: Path) -> None:
    progress.accept(store, read_return(fill(out["VP"], tmp_path / "ok.xlsx", {"H5": "Hoàn thành"}, MARCH), merged))
    before = snapshot(store)
    sent = make(out, tmp_path)
    assert refusal(sent, merged) == message.format(f=sent)
    assert snapshot(store) == before


def test_tracker_of_an_earlier_revision_is_taken_with_a_note(small_ws: Workspace, merged: Merged,
                                                              out: dict[str, Path], tmp_path: Path) -> None:
    """Made before revisions were recorded: checked against its own checksum, then row by row with the plan."""
    sent = fill(out["VP"], tmp_path / "cu.xlsx", {"H5": "Hoàn thành", "I5": 100}, APRIL)
    changed = set_spec(small_ws, SPEC.replace("    lead: [VP]", "    lead: [VP]\n    content: Nội dung mới"))
    when = dt.datetime(2025, 5, 12, 9, 30)
    submission = read_return(sent, changed, amended=amend(build_trackers(changed), (), when))
    key = "chi-dao.ke-hoach#1"
    assert submission.rows == {key: {"status": "Hoàn thành", "percent": 100, "done_date": None, "result": None,
                                     "evidence": None, "difficulties": None, "note": None}}
    assert (submission.taken, submission.changed, submission.removed) == ((key,), {key: ("content",)}, ())
    assert submission.notes == (RowNote("changed", key, "Ban hành kế hoạch kiểm soát TTHC năm 2025",
                                        dt.date(2025, 5, 12), ("content",)),)
    assert submission.revision == build_trackers(merged).revision != submission.plan


def test_many_problems_are_capped(merged: Merged, out: dict[str, Path], tmp_path: Path) -> None:
    cells = {"A1": "x", "A2": "x", "A3": "x"} | {f"{col}4": "x" for col in "ABCDEFGHIJKLMN"}
    cells |= {f"{col}{row}": "x" for row in (5, 6) for col in "ABCDEFG"}
    message = refusal(fill(out["BTTP"], tmp_path / "a.xlsx", cells, APRIL), merged).splitlines()
    assert len(message) == 32 and message[-2] == f"{tmp_path / 'a.xlsx'}: … và 1 lỗi khác"
    assert message[-1] == HINT_LOCKED


def _sheets_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as book:
        return {name: book.read(name) for name in book.namelist()}


def _sample_book(path: Path, fast: bool) -> None:
    """Every kind of cell and row the trackers write, and those left to xlsxwriter (formula, boolean,
    comment, a row format, an outline level, a column format), in sheets of more than 16 rows."""
    import xlsxwriter

    from kehoach_gen.excel.xlsx_book import OPTIONS
    from kehoach_gen.excel.xlsx_strings import FastBook

    book = (FastBook if fast else xlsxwriter.Workbook)(str(path), {**OPTIONS})
    book.set_properties({"created": dt.datetime(2025, 1, 20)})  # else the clock's time: two books would differ
    bold, date = book.add_format({"bold": True}), book.add_format({"num_format": "dd/mm/yyyy"})
    plain = book.add_worksheet("Một")
    plain.set_column(3, 3, 20, book.add_format({"italic": True}))
    for row in range(40):
        plain.write_string(row, 0, f"Dòng {row} & <{row}> \"x\"\n_x0041_", bold if row % 3 else None)
        plain.write_number(row, 1, row * 1.5 + 1e-9 if row % 2 else row)
        if row % 5:
            plain.write_datetime(row, 2, dt.datetime(2025, 1, 1 + row % 28), date)
        plain.write_blank(row, 3, None, bold if row % 2 else None)
        plain.write_blank(row, 4, None)  # no format: xlsxwriter keeps no such cell
        if row % 7 == 0:
            plain.write_rich_string(row, 5, "đậm ", bold, "nghiêng", " hết")
        if row % 11 == 0:
            plain.set_row(row + 1, 30)  # an empty row with a height of its own
        if row % 9 == 0:
            plain.write_formula(row, 6, "=A1&B1", None, "x")
            plain.write_boolean(row, 7, True)
    plain.set_row(3, 20, bold)  # a row format
    plain.set_row(4, None, None, {"level": 1})
    plain.merge_range(45, 0, 45, 5, "", bold)
    plain.write_string(45, 0, "tiêu đề")
    from kehoach_gen.excel.xlsx_book import write_cells as put

    def write_cells(sheet, row, first, pairs):  # noqa: ANN001, ANN202 (value, format) pairs, as they read best here
        put(sheet, row, first, [v for v, _ in pairs], tuple(f for _, f in pairs))

    for row in range(50, 70):  # a row at once: FastSheet.put_cells, else write_cell one by one
        write_cells(plain, row, 1 + row % 2, [(None, bold), (None, None), (f"ô {row} & <b>", date if row % 3 else None),
                                              (dt.date(2025, 3, 1 + row % 9), None), (dt.datetime(2025, 3, 2, 7, 30), bold),
                                              (row * 0.5, bold), (True, None), ("x" * (20_000 if row == 60 else 3), bold)])
    write_cells(plain, 71, 0, [(None, None), (None, None)])
    write_cells(plain, 72, 0, [("mới, trước một chữ dài", None), ("y" * 17_000, bold)])  # left to xlsxwriter
    for row in range(80, 120):  # rows stored in runs, then mixed with xlsxwriter's own writes in every order
        write_cells(plain, row, 0, [(row, None), (f"chữ {row % 4}", bold), (None, date), (None, None),
                                    ("cột định dạng", None)])
        if row % 5 == 0:
            write_cells(plain, row, 6, [(dt.date(2025, 4, row % 28 + 1), date), (row / 7, None)])  # a second run
        if row % 6 == 0:
            plain.write_string(row, 1, "viết sau, thắng")  # over a cell of the run
        if row % 7 == 0:
            plain.write_number(row, 9, 99, bold)  # beside the run
        if row % 8 == 0:
            write_cells(plain, row, 2, [("chồng lên", None), (1.25, bold)])  # a run over a run
        if row % 9 == 0:
            plain.set_row(row, 40, bold)  # a row format over a run
        if row % 10 == 0:
            plain.set_row(row, 33)
        if row % 11 == 0:
            write_cells(plain, row, 10, [(True, None), (2**60, bold)])  # a boolean: left to xlsxwriter
    plain.write_string(121, 0, "trước")
    write_cells(plain, 121, 1, [("sau", bold), (3, None)])  # a run after xlsxwriter's own cell
    charted = book.add_worksheet("Biểu đồ")
    for row in range(5):
        write_cells(charted, row, 0, [(f"đơn vị {row}", None), (row * 2, bold)])
    chart = book.add_chart({"type": "column"})
    chart.add_series({"categories": ["Biểu đồ", 0, 0, 4, 0], "values": ["Biểu đồ", 0, 1, 4, 1]})
    charted.insert_chart(7, 0, chart)  # its cached values come from the cells
    texts = book.add_worksheet("Chữ")  # the shared strings' special cases, each beside a plain text
    for row, text in enumerate([" đầu", "cuối ", "giữa\n", "\tthẻ", "a\x01b", "_x0041_", "x_X00fF_y", "\ufffe",
                                "<r>giả</r>", "<r>", "a & b < c > d \" e", "\u00a0nbsp", "dòng\ncuối", "\u2028"]):
        write_cells(texts, row, 0, [(text, None), (f"thường {row}", None)])
    commented = book.add_worksheet("Hai")
    commented.write_string(0, 0, "a")
    commented.write_comment(0, 0, "ghi chú")
    commented.write_number(20, 3, 7)
    book.add_worksheet("Trống")
    book.close()


def test_fast_sheet_writes_xlsxwriter_s_bytes(tmp_path: Path) -> None:
    """The trackers' faster row writer (excel/xlsx_rows.py) gives every part of the file byte for byte, and their
    package writer (excel/xlsx_strings._Package) the file zipfile writes (on Windows zipfile marks it as made there)."""
    _sample_book(tmp_path / "own.xlsx", fast=False)
    _sample_book(tmp_path / "fast.xlsx", fast=True)
    own, fast = _sheets_of(tmp_path / "own.xlsx"), _sheets_of(tmp_path / "fast.xlsx")
    assert list(own) == list(fast)
    for name in own:
        assert own[name] == fast[name], name
    assert b"<row r=\"2\"" in own["xl/worksheets/sheet1.xml"]
    if sys.platform != "win32":
        assert (tmp_path / "own.xlsx").read_bytes() == (tmp_path / "fast.xlsx").read_bytes()


def test_a_workbook_s_fixed_parts_are_deflated_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The theme, styles, content types and relationships xlsxwriter writes alike in most workbooks are deflated
    once and written again as they are; a part whose content differs is deflated for itself."""
    from kehoach_gen import zipped
    from kehoach_gen.excel import xlsx_strings

    xlsx_strings._fixed.cache_clear()
    made: list[str] = []
    own = zipped.member
    monkeypatch.setattr(zipped, "member", lambda name, content, level=None: made.append(name) or own(name, content, level))
    _sample_book(tmp_path / "a.xlsx", fast=True)
    first = list(made)
    made.clear()
    _sample_book(tmp_path / "b.xlsx", fast=True)
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    assert {"xl/theme/theme1.xml", "xl/styles.xml", "[Content_Types].xml", "_rels/.rels"} <= set(first)
    assert set(first) - set(made) == {"xl/theme/theme1.xml", "xl/styles.xml", "[Content_Types].xml", "_rels/.rels",
                                      "xl/_rels/workbook.xml.rels"}  # the second book deflated none of them
    from kehoach_gen.excel.xlsx_book import OPTIONS

    book = xlsx_strings.FastBook(str(tmp_path / "c.xlsx"), {**OPTIONS})  # in memory, as every workbook is written
    book.add_format({"bold": True, "font_color": "#C00000"})  # other styles than the sample's
    book.add_worksheet("a").write_string(0, 0, "a", book.formats[-1])
    made.clear()
    book.close()
    assert "xl/styles.xml" in made and "xl/theme/theme1.xml" not in made
    with zipfile.ZipFile(tmp_path / "c.xlsx") as package:
        assert package.testzip() is None
        assert b'rgb="FFC00000"' in package.read("xl/styles.xml")


def _words_line_count(text: str, width: float) -> int:
    """The row-height line count as it was, a word at a time: the reference for the faster one."""
    room = max(1, int(width * 1.1))
    count = 0
    for paragraph in text.split("\n"):
        used = 0
        count += 1
        for word in paragraph.split():
            if used and used + 1 + len(word) > room:
                count, used = count + 1, 0
            used += (1 if used else 0) + len(word)
            while used > room:
                count, used = count + 1, used - room
    return count


def test_line_count_a_line_at_a_time_counts_as_word_by_word() -> None:
    """fit_row's line count (a line at a time) gives the word-by-word greedy wrap's count: long words cut,
    runs of spaces, tabs, no-break spaces and line breaks."""
    import random

    from kehoach_gen.excel.xlsx_book import _line_count

    pick = random.Random(19)
    pieces = ["a", "bư", "ễ", " ", " ", "  ", "\t", "\xa0", "\n", "x" * 22, "y" * 9]
    for _ in range(30_000):
        text = "".join(pick.choice(pieces) for _ in range(pick.randint(0, 60)))
        width = pick.choice([0.1, 1, 2, 3, 5, 8, 10, 12.5, 18, 30, 46, 85])
        assert _line_count(text, width) == _words_line_count(text, width), (text, width)


def test_revision_is_the_hash_of_every_locked_cell_dumped_once(merged: Merged) -> None:
    """The revision put together from the sheets' own JSON texts is the hash of the whole record as one
    JSON text, and each checksum the hash of its sheet's locked cells."""
    from kehoach_gen.excel.trackers import digest, locked_cells, office_cells

    trackers = build_trackers(merged)
    office = trackers.office
    whole = {"agency": trackers.agency, "year": trackers.year,
             "office": office_cells(office.titles, office.units, office.rows, office.roles),
             "units": {u.unit: locked_cells(u.titles, u.rows) for u in trackers.units}}
    assert len(trackers.units) >= 2
    assert trackers.revision == digest(whole)
    assert office.identity.checksum == digest(whole["office"])
    assert [u.identity.checksum for u in trackers.units] == [digest(whole["units"][u.unit]) for u in trackers.units]


@pytest.mark.parametrize(("version", "fast"), [("3.3.1", True), ("3.4.0", False), ("4.0.0", False)])
def test_fast_rows_only_with_a_checked_xlsxwriter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  version: str, fast: bool) -> None:
    """FastSheet leans on xlsxwriter's worksheet internals: another release writes with xlsxwriter's own sheets."""
    import xlsxwriter

    from kehoach_gen.excel import xlsx_book
    from kehoach_gen.excel.xlsx_rows import FastSheet
    from kehoach_gen.excel.xlsx_strings import FastBook

    monkeypatch.setattr(xlsxwriter, "__version__", version)
    import datetime as dt
    from types import SimpleNamespace

    dated = SimpleNamespace(year=2025, agency_name="Sở Tư pháp", created=dt.datetime(2025, 1, 20))
    book, _ = xlsx_book.new_workbook(dated, tmp_path / "x.xlsx", "T")
    assert (book.worksheet_class is FastSheet) is fast
    assert isinstance(book, FastBook) is fast
    book.close()


@pytest.mark.parametrize("formula", [
    '=AND(ISNUMBER($G$6),$G$6<TODAY(),LEFT($H$6,10)<>"Hoàn thành",LEFT($H$6,5)<>"Không")',
    "=XLOOKUP(A1,B:B,C:C)+STDEV.S(D1:D9)", "{=SORT(UNIQUE(A1:A9))}", "=_xlfn.SORT(A1:A9)", "=SINGLE(A1)", "1.5"])
def test_fast_sheet_prepares_a_formula_as_xlsxwriter_does_once(formula: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """FastSheet keeps xlsxwriter's prepared formula (150 regular expressions each time) per formula, flag and the
    sheet's future functions: the same text as xlsxwriter's own, worked out once."""
    from xlsxwriter.worksheet import Worksheet

    from kehoach_gen.excel import xlsx_rows

    monkeypatch.setattr(xlsx_rows, "_FORMULAS", {})
    calls = []
    own = Worksheet._prepare_formula
    monkeypatch.setattr(Worksheet, "_prepare_formula", lambda self, f, e=False: calls.append(f) or own(self, f, e))
    for future in (False, True):
        for expand in (False, True):
            plain, fast = Worksheet(), xlsx_rows.FastSheet()
            plain.use_future_functions = fast.use_future_functions = future
            assert fast._prepare_formula(formula, expand) == own(plain, formula, expand)
            assert fast._prepare_formula(formula, expand) == own(plain, formula, expand)
    assert len(calls) == 4  # once for each (flag, future functions), not once a call


_PIECES = [*"aễ _x0F9AfX<>&\"'r/\n\t\r\x01\x1c\x1f\x0b\x85\xa0\u2028\u3000\ufffe\uffff", "<r>", "</r>", "_x0041_", "_X00fF_", "_x1G2f_"]
_TRICKY = st.lists(st.sampled_from(_PIECES), max_size=10).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.lists(_TRICKY, min_size=1, max_size=12, unique=True))
@example(["<r>giả</r>", "<r>", "a</r>"])
def test_fast_shared_strings_write_xlsxwriter_s_bytes(texts: list[str]) -> None:
    """sharedStrings.xml from the fast writer (excel/xlsx_strings.py) equals xlsxwriter's, for texts made of
    every character its special cases look at."""
    import io

    from xlsxwriter.sharedstrings import SharedStrings, SharedStringTable

    from kehoach_gen.excel.xlsx_strings import FastStrings

    table = SharedStringTable()
    for text in texts:
        table._get_shared_string_index(text)
    table._sort_string_data()
    written = []
    for kind in (SharedStrings, FastStrings):
        writer = kind()
        writer.string_table = table
        writer.fh = io.StringIO()
        writer._write_sst_strings()
        written.append(writer.fh.getvalue())
    assert written[0] == written[1]


def test_regex_whitespace_is_str_isspace() -> None:
    """The fast shared-strings writer tests xlsxwriter's ``^\\s`` / ``\\s$`` with str.isspace: the same set."""
    import re
    import sys

    space = re.compile(r"\s")
    assert [c for c in range(sys.maxunicode + 1) if bool(space.match(chr(c))) != chr(c).isspace()] == []


def test_a_refused_row_leaves_the_shared_strings_as_they_were(tmp_path: Path) -> None:
    """FastSheet.put_cells says False with nothing stored: not even the texts of the row before its long one."""
    from kehoach_gen.excel.xlsx_book import OPTIONS
    from kehoach_gen.excel.xlsx_strings import FastBook

    book = FastBook(str(tmp_path / "x.xlsx"), {**OPTIONS})
    sheet = book.add_worksheet("a")
    assert sheet.put_cells(0, 0, ("có", "mới"), (None, None))
    before = (dict(book.str_table.string_table), book.str_table.count, book.str_table.unique_count)
    assert not sheet.put_cells(1, 0, ("có", "mới nữa", "y" * 17_000), (None, None, None))
    assert (dict(book.str_table.string_table), book.str_table.count, book.str_table.unique_count) == before
    assert list(sheet.runs) == [0]
    book.close()


def test_a_closed_book_lets_its_rows_go(tmp_path: Path) -> None:
    """close_book empties every store of cells (xlsxwriter's table, FastSheet's runs): the workbook and its sheets
    refer to each other, and would keep a large plan's rows until a full garbage collection."""
    from kehoach_gen.excel.xlsx_book import OPTIONS, close_book, write_cells
    from kehoach_gen.excel.xlsx_strings import FastBook

    book = FastBook(str(tmp_path / "x.xlsx"), {**OPTIONS})
    sheet = book.add_worksheet("a")
    for row in range(20):
        write_cells(sheet, row, 0, (row, f"việc {row}"), (None, None))
    sheet.write_string(30, 0, "riêng")
    assert sheet.runs and sheet.table
    close_book(book)
    assert (sheet.runs, sheet.run_columns, dict(sheet.table), sheet.row_info) == ({}, {}, {}, {})
    assert openpyxl.load_workbook(tmp_path / "x.xlsx")["a"]["B20"].value == "việc 19"


def _raw_members(path: Path) -> dict[str, tuple[bytes, bytes]]:
    """Each member's content and its deflate stream as it stands in the file."""
    import struct

    out = {}
    with zipfile.ZipFile(path) as book, path.open("rb") as raw:
        for info in book.infolist():
            raw.seek(info.header_offset)
            name_length, extra_length = struct.unpack("<2H", raw.read(30)[26:30])
            raw.seek(info.header_offset + 30 + name_length + extra_length)
            out[info.filename] = (book.read(info), raw.read(info.compress_size))
    return out


def test_a_member_over_a_megabyte_is_deflated_at_level_1(tmp_path: Path) -> None:
    """As in the Word packages: a member over 1 MB (a sheet of thousands of rows) at zlib level 1, every other one
    at zipfile's default level, as before; xlsxwriter's own ZipFile is back in its place after, also when it fails."""
    import zlib

    import xlsxwriter.workbook

    from kehoach_gen import deflate
    from kehoach_gen.excel import xlsx_strings
    from kehoach_gen.excel.xlsx_book import OPTIONS, write_cells

    book = xlsx_strings.FastBook(str(tmp_path / "x.xlsx"), {**OPTIONS})
    big, small = book.add_worksheet("lớn"), book.add_worksheet("nhỏ")
    for row in range(12_000):
        write_cells(big, row, 0, (row, f"Rà soát thủ tục hành chính số {row}", dt.date(2025, 6, 30), 50), (None,) * 4)
    write_cells(small, 0, 0, ("một dòng",), (None,))
    book.close()
    members = _raw_members(tmp_path / "x.xlsx")
    assert len(members["xl/worksheets/sheet1.xml"][0]) > deflate.LARGE > len(members["xl/worksheets/sheet2.xml"][0])
    for name, (content, stream) in members.items():
        level = 1 if len(content) > deflate.LARGE else 6
        compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
        assert stream == compressor.compress(content) + compressor.flush(), name
    assert xlsxwriter.workbook.ZipFile is zipfile.ZipFile
    failing = xlsx_strings.FastBook(str(tmp_path / "no-such-folder" / "x.xlsx"), {**OPTIONS})
    failing.add_worksheet("a")
    with pytest.raises(Exception):  # noqa: B017, PT011 (xlsxwriter's FileCreateError)
        failing.close()
    assert xlsxwriter.workbook.ZipFile is zipfile.ZipFile
