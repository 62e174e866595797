"""kehoach assign, played as an officer would: write the phân công workbook, edit it in Excel (openpyxl),
apply it through the real CLI, build, and read the document back.

Every refusal names its sheet and cell, exits 2 and leaves the spec's bytes as they were.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import openpyxl
import pytest
from conftest import copy_workspace
from docx_dump import dump
from test_cli import run

SPEC = Path("plan_specs/soc-trang/STP/2025.yaml")
BOOK = Path("plan_specs/soc-trang/STP/2025-phan-cong.xlsx")
DOC = Path("output/2025/STP/KH-STP-2025.docx")
HEADERS = ["Mã nhiệm vụ", "Nhóm", "Nội dung", "Kết quả", "Chủ trì", "Phối hợp", "Thời hạn", "Ghi chú", "Bỏ (lý do)"]
COL = {name: i + 1 for i, name in enumerate(HEADERS)}
WRITTEN = [f"Đã ghi {BOOK} (25 dòng, trong đó 1 nhiệm vụ đã bỏ).",
           f"Sửa trong Excel, lưu lại, rồi cập nhật tệp kế hoạch: kehoach assign --agency STP --year 2025 --apply {BOOK}"]
REASON = "Sở chưa có hệ thống tiếp nhận phản ánh riêng; thực hiện trên Hệ thống của tỉnh."
RESULT = "Cử 02 công chức tham gia tập huấn nghiệp vụ kiểm soát TTHC của tỉnh."


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = copy_workspace(tmp_path / "ws")
    result = run(root, "assign", "--agency", "STP", "--year", "2025")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == WRITTEN
    return root


def kehoach(root: Path, *args: str, code: int = 0) -> list[str]:
    result = run(root, *args)
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return (result.stdout if code == 0 else result.stderr).splitlines()


def apply(root: Path, *more: str, code: int = 0) -> list[str]:
    return kehoach(root, "assign", "--agency", "STP", "--year", "2025", "--apply", str(BOOK), *more, code=code)


def edit(root: Path, changes: dict[tuple[str, str], str | None], book: Path = BOOK) -> None:
    """Set cells as a person would in Excel: (task id, column header) -> new text (None empties the cell)."""
    workbook = openpyxl.load_workbook(root / book)
    sheet = workbook["Phân công"]
    for (task, column), value in changes.items():
        sheet.cell(row_of(sheet, task), COL[column]).value = value
    workbook.save(root / book)


def row_of(sheet, task: str, part: int = 1) -> int:  # noqa: ANN001
    rows = [r for r in range(5, sheet.max_row + 1) if (sheet.cell(r, 1).value or "").split("\n")[0] == task]
    return rows[part - 1]


def cell(root: Path, task: str, column: str) -> str | None:
    sheet = openpyxl.load_workbook(root / BOOK)["Phân công"]
    return sheet.cell(row_of(sheet, task), COL[column]).value


def comments(text: str) -> list[str]:
    """Every comment, whole-line or after a value, in order."""
    return [m.group(1).strip() for line in text.splitlines() if (m := re.search(r"(?:^|\s)(#.*)$", line))]


def table_rows(root: Path) -> list[str]:
    """The document's lines, table rows without their row numbers."""
    return [re.sub(r"^R\d+ \| ", "", line) for line in dump(root / DOC).splitlines()]


# ---------------------------------------------------------------- the officer's round trip

def test_assign_in_excel_apply_build_shows_exactly_the_changes(ws: Path):
    kehoach(ws, "build", "--agency", "STP", "--year", "2025")
    before_doc, before_spec = table_rows(ws), (ws / SPEC).read_text(encoding="utf-8")
    edit(ws, {("mot-cua.danh-gia", "Chủ trì"): "Phòng Hành chính tư pháp",
              ("ra-soat.ke-hoach", "Phối hợp"): f"{cell(ws, 'ra-soat.ke-hoach', 'Phối hợp')}; Thanh tra Sở",
              ("pakn.cong-khai", "Bỏ (lý do)"): REASON,
              ("truyen-thong.tap-huan", "Kết quả"): RESULT})
    changes = [
        "  Phân công!F13 ra-soat.ke-hoach: Phối hợp: \"Phòng Bổ trợ tư pháp\" → \"Phòng Bổ trợ tư pháp; Thanh tra Sở\"",
        "  Phân công!I17 pakn.cong-khai: bỏ nhiệm vụ (chuyển vào mục drop), lý do: \"Sở chưa có hệ thống tiếp nhận phản "
        "ánh riêng; thực hiện trên…\"",
        "  Phân công!E20 mot-cua.danh-gia: Chủ trì: \"Văn phòng Sở\" → \"Phòng Hành chính tư pháp\"",
        "  Phân công!D27 truyen-thong.tap-huan: Kết quả: \"Cử cán bộ đầu mối, công chức một cửa tham gia các lớp tập hu…\" "
        "→ \"Cử 02 công chức tham gia tập huấn nghiệp vụ kiểm soát TTHC c…\"",
    ]
    assert apply(ws, "--dry-run") == [f"Sẽ sửa {SPEC} (4 thay đổi):", *changes,
                                      "Chạy thử (--dry-run): chưa ghi tệp nào."]
    assert (ws / SPEC).read_text(encoding="utf-8") == before_spec
    assert apply(ws) == [f"Đã sửa {SPEC} (4 thay đổi):", *changes,
                         "Xuất lại văn bản: kehoach build --agency STP --year 2025"]

    after_spec = (ws / SPEC).read_text(encoding="utf-8")
    assert comments(after_spec) == comments(before_spec)  # every comment, in its order
    diff = [line for line in difflib.unified_diff(before_spec.splitlines(), after_spec.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and line[:3] not in ("---", "+++")]
    assert diff == [
        "-    coordinate: [BTTP]", "+    coordinate: [BTTP, TTR]",
        "-  - id: pakn.cong-khai", "-    lead: [VP]",
        "-    lead: [VP]", "+    lead: [HCTP]",
        "-    results: Cử cán bộ đầu mối, công chức một cửa tham gia các lớp tập huấn nghiệp vụ (khi nhận được giấy mời) "
        "hoặc trao đổi nghiệp vụ khi có khó khăn, vướng mắc.", f"+    results: {RESULT}",
        "+  - id: pakn.cong-khai", f"+    reason: {REASON}",
    ]

    kehoach(ws, "build", "--agency", "STP", "--year", "2025")
    expected = []
    for line in before_doc:
        if line.startswith("1 | Công khai thông tin về tiếp nhận, xử lý phản ánh"):
            continue  # dropped: the next task of its group becomes 1
        line = re.sub(r"^2 \| Vận hành, khai thác hệ thống thông tin tiếp nhận", "1 | Vận hành, khai thác hệ thống "
                      "thông tin tiếp nhận", line)
        line = line.replace("Sở Tư pháp. | Văn phòng Sở chủ trì, phối hợp với Phòng Bổ trợ tư pháp |",
                            "Sở Tư pháp. | Văn phòng Sở chủ trì, phối hợp với Phòng Bổ trợ tư pháp, Thanh tra Sở |")
        line = line.replace("766/QĐ-TTg. | Văn phòng Sở chủ trì", "766/QĐ-TTg. | Phòng Hành chính tư pháp chủ trì")
        line = line.replace("| Cử cán bộ đầu mối, công chức một cửa tham gia các lớp tập huấn nghiệp vụ (khi nhận được giấy "
                            "mời) hoặc trao đổi nghiệp vụ khi có khó khăn, vướng mắc. |", f"| {RESULT} |")
        expected.append(line)
    assert expected != before_doc
    assert table_rows(ws) == expected

    # the same file again changes nothing; a new workbook shows the plan as it now is, and changes nothing either
    assert apply(ws) == [f"Không có thay đổi: {SPEC} giữ nguyên."]
    assert (ws / SPEC).read_text(encoding="utf-8") == after_spec
    assert kehoach(ws, "assign", "--agency", "STP", "--year", "2025")[0] == \
        f"Đã ghi {BOOK} (25 dòng, trong đó 2 nhiệm vụ đã bỏ)."
    assert cell(ws, "mot-cua.danh-gia", "Chủ trì") == "Phòng Hành chính tư pháp"
    assert cell(ws, "pakn.cong-khai", "Bỏ (lý do)") == REASON
    assert cell(ws, "pakn.cong-khai", "Mã nhiệm vụ") == "pakn.cong-khai\n(nhiệm vụ của tỉnh đã bỏ)"
    assert apply(ws) == [f"Không có thay đổi: {SPEC} giữ nguyên."]


def test_unused_and_dropped_master_tasks_come_back_and_emptied_cells_fall_back(ws: Path):
    spec = ws / SPEC
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("  - id: bao-cao.he-thong\n    lead: [VP]\n", ""), encoding="utf-8")
    kehoach(ws, "assign", "--agency", "STP", "--year", "2025")
    assert cell(ws, "bao-cao.he-thong", "Mã nhiệm vụ") == "bao-cao.he-thong\n(nhiệm vụ của tỉnh chưa dùng, chưa bỏ)"
    assert cell(ws, "bao-cao.he-thong", "Chủ trì") is None
    own_content = "Nghiên cứu, xây dựng Kế hoạch rà soát, đánh giá TTHC năm 2025"
    edit(ws, {("bao-cao.he-thong", "Chủ trì"): "Văn phòng Sở; Đ/c Trần Thế Vũ (Thanh tra Sở)",
              ("noi-bo.tong-ket", "Bỏ (lý do)"): None, ("noi-bo.tong-ket", "Chủ trì"): "vp",
              ("ra-soat.ke-hoach", "Nội dung"): None})
    before = spec.read_text(encoding="utf-8")
    lines = apply(ws)
    assert lines == [
        f"Đã sửa {SPEC} (6 thay đổi):",
        "  Phân công!C13 ra-soat.ke-hoach: Nội dung: \"Nghiên cứu, xây dựng Kế hoạch rà soát, đánh giá TTHC năm 202…\" → "
        "\"Xây dựng Kế hoạch rà soát, đánh giá TTHC năm 2025.\" (theo Kế hoạch tỉnh)",
        "  Phân công!I16 noi-bo.tong-ket: dùng lại nhiệm vụ của Kế hoạch tỉnh (xóa khỏi mục drop)",
        "  Phân công!E16 noi-bo.tong-ket: đưa nhiệm vụ của Kế hoạch tỉnh vào kế hoạch",
        "  Phân công!E16 noi-bo.tong-ket: Chủ trì: ô trống → \"Văn phòng Sở\"",
        "  Phân công!E29 bao-cao.he-thong: đưa nhiệm vụ của Kế hoạch tỉnh vào kế hoạch",
        "  Phân công!E29 bao-cao.he-thong: Chủ trì: ô trống → \"Văn phòng Sở; Đ/c Trần Thế Vũ (Thanh tra Sở)\"",
        "Xuất lại văn bản: kehoach build --agency STP --year 2025",
    ]
    after = spec.read_text(encoding="utf-8")
    assert comments(after) == comments(before)
    assert "drop:" not in after and "content: Nghiên cứu" not in after
    assert "  - id: noi-bo.cong-bo\n    lead: [VP]\n    coordinate: [ALL]\n  - id: noi-bo.tong-ket\n    lead: [VP]\n" \
        in after
    assert after.endswith("  - id: bao-cao.he-thong\n    lead: [VP, {person: Trần Thế Vũ, unit: TTR}]\n\n"
                          "# Nhiệm vụ của tỉnh mà Sở không đưa vào Kế hoạch, kèm lý do (không in trong văn bản).\n\n"
                          "# Nơi nhận, dòng \"Lưu\" và người ký: theo hồ sơ Sở Tư pháp trong registry.yaml (không ghi "
                          "lại ở đây).\n")
    kehoach(ws, "build", "--agency", "STP", "--year", "2025")
    document = "\n".join(table_rows(ws))
    assert own_content not in document
    assert "| Xây dựng Kế hoạch rà soát, đánh giá TTHC năm 2025. |" in document
    assert "| Tổng hợp, đánh giá kết quả rà soát, đơn giản hóa TTHC nội bộ" in document
    assert "Văn phòng Sở, Đ/c Trần Thế Vũ" in document
    assert apply(ws) == [f"Không có thay đổi: {SPEC} giữ nguyên."]
    kehoach(ws, "assign", "--agency", "STP", "--year", "2025")
    assert cell(ws, "ra-soat.ke-hoach", "Nội dung") == "Xây dựng Kế hoạch rà soát, đánh giá TTHC năm 2025."
    assert cell(ws, "noi-bo.tong-ket", "Mã nhiệm vụ") == "noi-bo.tong-ket"


# ---------------------------------------------------------------- refusals

def _unknown_unit(ws: Path) -> None:
    edit(ws, {("mot-cua.danh-gia", "Phối hợp"): "Thanh tra Sở; Phòng Tổng hợp"})


def _tick_for_reason(ws: Path) -> None:
    edit(ws, {("pakn.cong-khai", "Bỏ (lý do)"): "x"})


def _locked_cell(ws: Path) -> None:
    edit(ws, {("qppl.tham-dinh", "Nhóm"): "II. Thẩm định"})


def _bad_deadline(ws: Path) -> None:
    edit(ws, {("kiem-tra.ke-hoach", "Thời hạn"): "Sớm nhất có thể", ("bao-cao.he-thong", "Thời hạn"): "Trước ngày 31/6/2025",
              ("pakn.he-thong", "Thời hạn"): "Trước ngày 30/6/2024"})


def _added_task_emptied(ws: Path) -> None:
    edit(ws, {("dien-tu.lien-thong-khai-sinh-khai-tu", "Nội dung"): None})


def _other_agency(ws: Path) -> None:
    kehoach(ws, "assign", "--agency", "SKHCN", "--year", "2025")
    (ws / "plan_specs/soc-trang/SKHCN/2025-phan-cong.xlsx").replace(ws / BOOK)


def _other_year(ws: Path) -> None:
    kehoach(ws, "assign", "--agency", "STP", "--year", "2021")
    (ws / "plan_specs/soc-trang/STP/2021-phan-cong.xlsx").replace(ws / BOOK)


def _spec_changed_since(ws: Path) -> None:
    spec = ws / SPEC
    spec.write_text(spec.read_text(encoding="utf-8").replace(
        "  - id: kiem-tra.ke-hoach\n    lead: [VP]\n    coordinate: [TTR]",
        "  - id: kiem-tra.ke-hoach\n    lead: [TTR]\n    coordinate: [VP]"), encoding="utf-8")
    edit(ws, {("mot-cua.danh-gia", "Chủ trì"): "Phòng Hành chính tư pháp"})


def _row_inserted(ws: Path) -> None:
    workbook = openpyxl.load_workbook(ws / BOOK)
    sheet = workbook["Phân công"]
    sheet.insert_rows(8)
    sheet.cell(8, 1).value = "them.moi"
    workbook.save(ws / BOOK)


def _typed_below(ws: Path) -> None:
    workbook = openpyxl.load_workbook(ws / BOOK)
    sheet = workbook["Phân công"]
    sheet.cell(31, 3).value = "Nhiệm vụ mới của Sở"
    workbook.save(ws / BOOK)


def _a_tracker(ws: Path) -> None:
    kehoach(ws, "trackers", "--agency", "STP", "--year", "2025")
    (ws / "output/2025/STP/theo-doi/STP-2025-VP.xlsx").replace(ws / BOOK)


def _not_excel(ws: Path) -> None:
    (ws / BOOK).write_text("agency: STP\n", encoding="utf-8")


def _identity_edited(ws: Path) -> None:
    workbook = openpyxl.load_workbook(ws / BOOK)
    record = workbook["_dinh_danh"]
    row = next(r for r in range(1, record.max_row + 1) if record.cell(r, 2).value == "mot-cua.danh-gia#1")
    record.cell(row, 8).value = "Thanh tra Sở"  # the lead "as written", to pass an edit off as the plan's
    workbook.save(ws / BOOK)


LOCKED_HINT = "Chỉ sửa các cột nền trắng; không sửa Mã nhiệm vụ, Nhóm, không chèn hay xóa dòng, cột."
HINT = "Chỉ nhận bảng phân công do kehoach assign xuất ra (.xlsx); không chép nội dung sang tệp khác."
AGAIN = "Xuất bảng phân công của kế hoạch này: kehoach assign --agency STP --year 2025"
B = str(BOOK)

REFUSED = [
    (_unknown_unit, [
        "Lỗi:",
        f"  {B}: Phân công!F20: không có đơn vị \"Phòng Tổng hợp\" trong danh sách đơn vị của STP (cần tên đơn vị hoặc nhóm "
        "trong trang \"Đơn vị\", nhiều tên cách nhau bằng \"; \", gặp \"Thanh tra Sở; Phòng Tổng hợp\")",
    ]),
    (_tick_for_reason, [
        "Lỗi:",
        f"  {B}: Phân công!I17: bỏ nhiệm vụ cần ghi lý do (cần lý do không thực hiện, ví dụ \"Không thuộc chức năng, "
        "nhiệm vụ của Sở\", gặp \"x\")",
    ]),
    (_locked_cell, [
        "Lỗi:",
        f"  {B}: Phân công!B8: ô khóa (nền xám) đã bị sửa (cần \"II. Đánh giá tác động TTHC; tham gia ý kiến đối với TTHC "
        "tro…\", gặp \"II. Thẩm định\")",
        LOCKED_HINT,
    ]),
    (_bad_deadline, [
        "Có 3 lỗi:",
        f"  {B}: Phân công!G18: thời hạn nằm ngoài thời gian của kế hoạch (cần năm 2025, gặp năm 2024)",
        f"  {B}: Phân công!G24: không nhận ra loại thời hạn của \"Sớm nhất có thể\"; ghi dạng {{text: …, kind: …}} với kind "
        "là một trong: ongoing, by_date, quarters, recurring, on_demand, year_range (cần lời văn thời hạn, ví dụ: Thường "
        "xuyên; Trước ngày 31/3/2025; Trong quý II/2025; Khi có phát sinh, gặp \"Sớm nhất có thể\")",
        f"  {B}: Phân công!G29: ngày 31/06/2025 không có thật: tháng 6 năm 2025 có 30 ngày (cần lời văn thời hạn, ví dụ: "
        "Thường xuyên; Trước ngày 31/3/2025; Trong quý II/2025; Khi có phát sinh, gặp \"Trước ngày 31/6/2025\")",
    ]),
    (_added_task_emptied, [
        "Lỗi:",
        f"  {B}: Phân công!C23: nhiệm vụ bổ sung của cơ quan cần nội dung (không có nội dung của Kế hoạch tỉnh để dùng "
        "lại) (cần nội dung công việc, gặp ô trống)",
    ]),
    (_other_agency, [
        "Lỗi:",
        f"  {B}: _dinh_danh!B3: bảng phân công của cơ quan khác (cần \"STP\", gặp \"SKHCN\")",
        AGAIN,
    ]),
    (_other_year, [
        "Lỗi:",
        f"  {B}: _dinh_danh!B4: bảng phân công của năm khác (cần \"2025\", gặp \"2021\")",
        AGAIN,
    ]),
    (_spec_changed_since, [
        "Lỗi:",
        f"  {B}: Phân công!A24: nhiệm vụ \"kiem-tra.ke-hoach\" đã được sửa trong tệp kế hoạch sau khi xuất bảng phân "
        "công (cần Chủ trì \"Văn phòng Sở\" như lúc xuất bảng, gặp \"Thanh tra Sở\" trong tệp kế hoạch)",
        "Xuất lại bảng phân công: kehoach assign --agency STP --year 2025 --force (bảng đang có được lưu lại bên cạnh), "
        "ghi lại các thay đổi vào bảng mới rồi áp dụng.",
    ]),
    (_row_inserted, [
        "Lỗi:",
        f"  {B}: Phân công!A8: dòng 8 được chèn thêm vào bảng phân công; không được thêm hay xóa dòng (cần các dòng như "
        "bảng đã xuất, gặp thêm một dòng)",
        LOCKED_HINT,
    ]),
    (_typed_below, [
        "Lỗi:",
        f"  {B}: Phân công!C31: có nội dung dưới bảng: bảng phân công không thêm được dòng (cần ô trống, gặp \"Nhiệm vụ "
        "mới của Sở\")",
        LOCKED_HINT,
    ]),
    (_a_tracker, [
        "Lỗi:",
        f"  {B}: đây là phiếu theo dõi của đơn vị, không phải bảng phân công",
        "Phiếu theo dõi đơn vị gửi lại được nhận bằng kehoach collect.",
    ]),
    (_not_excel, [
        "Lỗi:",
        f"  {B}: tệp không phải bảng tính Excel (.xlsx) (gặp tệp hỏng hoặc khác định dạng)",
        HINT,
    ]),
    (_identity_edited, ["Lỗi:", f"  {B}: _dinh_danh: phần định danh của bảng phân công bị sửa", HINT]),
]


@pytest.mark.parametrize(("spoil", "message"), REFUSED, ids=[f.__name__.strip("_") for f, _ in REFUSED])
def test_refused_workbooks_name_the_cell_and_write_nothing(ws: Path, spoil, message):  # noqa: ANN001
    spoil(ws)
    before = (ws / SPEC).read_bytes()
    assert apply(ws, code=2) == [*message, "Chưa ghi tệp nào."]
    assert (ws / SPEC).read_bytes() == before



# ---------------------------------------------------------------- the workbook itself

def test_workbook_columns_protection_dropdowns_print_and_identity(ws: Path):
    workbook = openpyxl.load_workbook(ws / BOOK)
    assert workbook.sheetnames == ["Phân công", "Đơn vị", "Hướng dẫn", "_dinh_danh"]
    assert workbook["_dinh_danh"].sheet_state == "veryHidden"
    sheet = workbook["Phân công"]
    assert [c.value for c in sheet[4]] == HEADERS
    assert sheet.protection.sheet and workbook["Đơn vị"].protection.sheet and workbook["Hướng dẫn"].protection.sheet
    assert sheet.max_row == 29  # 25 rows under the header
    locked = {task: [sheet.cell(row_of(sheet, task, part), c).protection.locked for c in range(1, 10)]
              for task, part in (("mot-cua.danh-gia", 1), ("cong-bo.cong-khai", 2),
                                 ("dien-tu.lien-thong-khai-sinh-khai-tu", 1))}
    assert locked == {"mot-cua.danh-gia": [True, True] + [False] * 7,
                      "cong-bo.cong-khai": [True, True, True, False, False, False, False, True, True],
                      "dien-tu.lien-thong-khai-sinh-khai-tu": [True, True] + [False] * 6 + [True]}
    two = row_of(sheet, "cong-bo.cong-khai", 2)
    assert sheet.cell(two, 1).value == "cong-bo.cong-khai\n(dòng phân công 2/2)"
    assert [sheet.cell(two, c).value for c in (5, 6, 7)] == ["Văn phòng Sở", "các Phòng nghiệp vụ", "Thường xuyên"]
    dropped = row_of(sheet, "noi-bo.tong-ket")
    assert sheet.cell(dropped, 1).value == "noi-bo.tong-ket\n(nhiệm vụ của tỉnh đã bỏ)"
    assert sheet.cell(dropped, 9).value.startswith("Nhiệm vụ tổng hợp chung của Văn phòng UBND tỉnh")
    assert sheet.cell(dropped, 5).value is None
    assert {sheet.cell(5, c).font.name for c in range(1, 10)} == {"Times New Roman"}
    assert sheet.page_setup.orientation == "landscape" and str(sheet.page_setup.paperSize) == "9"
    assert sheet.print_title_rows == "$4:$4"
    lists = {str(v.sqref): (v.formula1, v.errorStyle) for v in sheet.data_validations.dataValidation}
    assert lists == {"E5:E29": ("'Đơn vị'!$B$2:$B$13", "warning"), "F5:F29": ("'Đơn vị'!$B$2:$B$13", "warning")}
    units = [tuple(c.value for c in row) for row in workbook["Đơn vị"].iter_rows(min_row=1, max_row=13)]
    assert units[:2] == [("Mã", "Tên (chọn trong Chủ trì, Phối hợp)", "Gồm các đơn vị"), ("VP", "Văn phòng Sở", None)]
    assert units[9][:2] == ("ALL", "các Phòng, đơn vị có liên quan")
    assert units[9][2].startswith("Văn phòng Sở; Phòng Xây dựng và kiểm tra văn bản QPPL; ")
    assert workbook["Hướng dẫn"]["A1"].value == "HƯỚNG DẪN PHÂN CÔNG THỰC HIỆN KẾ HOẠCH"
    record = [tuple(c.value for c in row[:2]) for row in workbook["_dinh_danh"].iter_rows(max_row=4)]
    assert record == [("dinh_dang", "kehoach-phan-cong/1"), ("loai", "phan-cong"), ("co_quan", "STP"), ("nam", "2025")]
    # the same plan gives the same bytes: writing again changes nothing
    first = (ws / BOOK).read_bytes()
    assert kehoach(ws, "assign", "--agency", "STP", "--year", "2025")[0] == \
        f"Không đổi {BOOK} (25 dòng, trong đó 1 nhiệm vụ đã bỏ)."
    assert (ws / BOOK).read_bytes() == first


def test_a_workbook_with_changes_not_applied_is_not_overwritten_unless_forced(ws: Path):
    edit(ws, {("mot-cua.danh-gia", "Chủ trì"): "Thanh tra Sở"})
    edited = (ws / BOOK).read_bytes()
    assert kehoach(ws, "assign", "--agency", "STP", "--year", "2025", code=2) == [
        "Lỗi:",
        f"  {BOOK}: bảng phân công đang có thay đổi chưa cập nhật vào tệp kế hoạch (hoặc không đọc được)",
        f"Cập nhật trước: kehoach assign --agency STP --year 2025 --apply {BOOK}; hoặc ghi đè: thêm --force (bảng đang "
        "có được lưu lại bên cạnh).",
        "Chưa ghi tệp nào.",
    ]
    assert (ws / BOOK).read_bytes() == edited
    lines = kehoach(ws, "assign", "--agency", "STP", "--year", "2025", "--force")
    kept = sorted(BOOK.parent.joinpath(p.name) for p in (ws / BOOK.parent).glob("2025-phan-cong.sua-tay-*.xlsx"))
    assert len(kept) == 1 and (ws / kept[0]).read_bytes() == edited
    assert lines[:2] == [WRITTEN[0], f"  Bảng cũ được lưu tại {kept[0]}"]
    assert cell(ws, "mot-cua.danh-gia", "Chủ trì") == "Văn phòng Sở"


def test_dry_run_needs_apply(ws: Path):
    assert kehoach(ws, "assign", "--agency", "STP", "--year", "2025", "--dry-run", code=2) == [
        "Lỗi:",
        "  --dry-run: --dry-run chỉ dùng cùng --apply (cần kehoach assign --agency MÃ --year NĂM --apply TỆP.xlsx "
        "--dry-run)",
        "Chưa ghi tệp nào.",
    ]


def test_windows_line_endings_and_odd_indentation_keep_every_other_byte(ws: Path):
    spec = ws / SPEC
    original = spec.read_text(encoding="utf-8")
    head, rest = original.split("\ntasks:\n")
    block, tail = rest.split("\n# Nhiệm vụ của tỉnh mà Sở")  # the task list flush with its key, as some people write
    odd = head + "\ntasks:\n" + "\n".join(line.removeprefix("  ") for line in block.split("\n")) \
        + "\n# Nhiệm vụ của tỉnh mà Sở" + tail
    spec.write_bytes(odd.replace("\n", "\r\n").encode("utf-8"))
    kehoach(ws, "check", "--agency", "STP", "--year", "2025")
    kehoach(ws, "assign", "--agency", "STP", "--year", "2025", "--force")
    edit(ws, {("mot-cua.danh-gia", "Chủ trì"): "Thanh tra Sở", ("pakn.cong-khai", "Bỏ (lý do)"): "Lý do riêng"})
    assert len(apply(ws)) == 4
    expected = odd.replace("- id: mot-cua.danh-gia\n  lead: [VP]\n", "- id: mot-cua.danh-gia\n  lead: [TTR]\n").replace(
        "- id: pakn.cong-khai\n  lead: [VP]\n", "").replace(
        "trình công bố TTHC nội bộ.\n", "trình công bố TTHC nội bộ.\n  - id: pakn.cong-khai\n    reason: Lý do riêng\n")
    assert expected != odd
    assert spec.read_bytes() == expected.replace("\n", "\r\n").encode("utf-8")


# ---------------------------------------------------------------- the spec update on its own

def _master():
    from conftest import MASTER

    from kehoach_gen.spec.loading import load_yaml_text
    from kehoach_gen.spec.parsing import parse
    from kehoach_gen.spec.specs import MasterPlan

    return parse(load_yaml_text(MASTER, Path("master-2025.yaml"), "master-2025.yaml"), MasterPlan, "master-2025.yaml")


SMALL = """\
agency: STP   # mã cơ quan
year: 2025
date: 2025-01-26
tasks:
  # chỉ đạo
  - id: chi-dao.ke-hoach
    lead: [VP]  # Văn phòng
    coordinate: [ALL]
    # hết nhiệm vụ đầu

  - id: chi-dao.van-ban
    lead: [BTTP]
# cuối tệp
"""


@pytest.mark.parametrize(("edits", "expected"), [
    ([("chi-dao.van-ban", "drop", "Không thuộc chức năng")],
     SMALL.replace("  - id: chi-dao.van-ban\n    lead: [BTTP]\n# cuối tệp\n",
                   "# cuối tệp\ndrop:\n  - id: chi-dao.van-ban\n    reason: Không thuộc chức năng\n")),
    ([("chi-dao.ke-hoach", "drop", "Lý do")],
     SMALL.replace("  # chỉ đạo\n  - id: chi-dao.ke-hoach\n    lead: [VP]  # Văn phòng\n    coordinate: [ALL]\n"
                   "    # hết nhiệm vụ đầu\n\n  - id: chi-dao.van-ban",
                   "  # chỉ đạo\n  # Văn phòng\n    # hết nhiệm vụ đầu\n\n  - id: chi-dao.van-ban")
     + "drop:\n  - id: chi-dao.ke-hoach\n    reason: Lý do\n"),
    ([("chi-dao.ke-hoach", "coordinate", ()), ("bao-cao.dinh-ky", "lead", ("VP",))],
     SMALL.replace("    lead: [VP]  # Văn phòng\n    coordinate: [ALL]\n", "    lead: [VP]  # Văn phòng\n")
     .replace("    lead: [BTTP]\n", "    lead: [BTTP]\n  - id: bao-cao.dinh-ky\n    lead: [VP]\n")),
    ([("chi-dao.van-ban", "drop", "Lý do")],
     None),  # with "drop: []" written: it becomes a list of entries
], ids=["drop-the-last-task", "drop-a-commented-task", "fall-back-and-add", "drop-into-empty-flow-list"])
def test_spec_update_keeps_comments(edits, expected):  # noqa: ANN001
    from kehoach_gen.spec.assign_yaml import SpecEdit, update_spec

    text = SMALL if expected is not None else SMALL + "drop: []\n"
    out = update_spec(text, [SpecEdit(task, 1, field, value) for task, field, value in edits], _master())
    if expected is None:
        expected = SMALL.replace("  - id: chi-dao.van-ban\n    lead: [BTTP]\n", "") \
            + "drop:\n  - id: chi-dao.van-ban\n    reason: Lý do\n"
    assert out == expected
    assert sorted(comments(out)) == sorted(comments(text))


def test_collect_refuses_a_phan_cong_workbook(ws: Path):
    assert kehoach(ws, "collect", "--agency", "STP", "--year", "2025", str(BOOK), code=2) == [
        f"{BOOK}: không nhận:",
        f"  {BOOK}: đây là bảng phân công của kế hoạch, không phải phiếu theo dõi của đơn vị",
        "  Bảng phân công được cập nhật vào tệp kế hoạch bằng kehoach assign --apply.",
    ]
