"""A year of STP 2025 as units live it: trackers filled in Excel, saved on given days, collected.

Cells are found by their task's content and the header's name, never by position, as a person
reading the sheet would find them. Save times are the workbook's own "modified" property (UTC).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.writer.excel import ExcelWriter

KEHOACH = str(Path(sys.executable).parent / "kehoach")
TARGET = ("--agency", "STP", "--year", "2025")

# task content prefixes (as printed in column "Nội dung công việc")
KE_HOACH = "Xây dựng, ban hành và tổ chức thực hiện"  # due 31/01/2025
KIEN_TOAN = "Kiện toàn đội ngũ cán bộ"  # due 31/3/2025
RA_SOAT_KH = "Nghiên cứu, xây dựng Kế hoạch rà soát"  # due 31/01/2025
MOT_CUA = "Thực hiện có hiệu quả cơ chế một cửa"  # Thường xuyên
KIEM_SOAT = "Kiểm soát chặt chẽ việc ban hành mới"  # Khi có phát sinh
CONG_BO = "Công bố TTHC và xây dựng quy trình"  # Thường xuyên
SO_HOA = "Số hóa hồ sơ, kết quả giải quyết TTHC"  # Thường xuyên


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([KEHOACH, *args], cwd=root, capture_output=True, text=True, check=False)


def tracker(root: Path, unit: str) -> Path:
    return root / f"output/2025/STP/theo-doi/STP-2025-{unit}.xlsx"


def fill(source: Path, target: Path, rows: dict[tuple[str, str], dict[str, object]], saved: dt.datetime) -> Path:
    """Type values under the named headers in the row of each (task prefix, role), save at ``saved`` (UTC)."""
    book = openpyxl.load_workbook(source)
    sheet = book["Theo dõi"]
    header = [c.value for c in sheet[4]]
    for (prefix, role), values in rows.items():
        row = next(r for r in range(5, sheet.max_row + 1) if str(sheet.cell(r, 3).value or "").startswith(prefix)
                   and sheet.cell(r, header.index("Vai trò") + 1).value == role)
        for name, value in values.items():
            if isinstance(value, str) and value.startswith("'"):  # Excel's leading apostrophe: text as typed
                cell = sheet.cell(row, header.index(name) + 1, value[1:])
                cell.data_type = "s"
            else:  # a cell emptied is set to None (openpyxl's cell(r, c, None) would leave it as it was)
                sheet.cell(row, header.index(name) + 1).value = value
    book.properties.modified = saved
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()  # openpyxl's save() would stamp the current time
    return target


def q1_returns(root: Path, folder: Path) -> list[Path]:
    """VP sends on 10/3 (before the cut-off of 14/3); HCTP on 16/3 (after it, before the due day 19/3)."""
    vp = fill(tracker(root, "VP"), folder / "VP-quy-1.xlsx", {
        (KE_HOACH, "Chủ trì"): {"Tình trạng": "Hoàn thành", "Tiến độ (%)": 100, "Ngày hoàn thành": dt.datetime(2025, 1, 20),
                                "Kết quả thực hiện": "Đã ban hành Kế hoạch kiểm soát TTHC năm 2025.",
                                "Văn bản / minh chứng": "Kế hoạch số 12/KH-STP ngày 20/01/2025"},
        (KIEN_TOAN, "Chủ trì"): {"Tình trạng": "Đang thực hiện", "Tiến độ (%)": 50,
                                 "Kết quả thực hiện": "Đang rà soát, đề xuất danh sách công chức đầu mối",
                                 "Khó khăn, vướng mắc": "Thiếu công chức có chuyên môn công nghệ thông tin"},
        (RA_SOAT_KH, "Chủ trì"): {"Tình trạng": "Đang thực hiện", "Tiến độ (%)": 80,
                                  "Kết quả thực hiện": "Đã xây dựng dự thảo Kế hoạch rà soát"},
        (MOT_CUA, "Chủ trì"): {"Tình trạng": "Đang thực hiện",
                               "Kết quả thực hiện": "Tiếp nhận 1.250 hồ sơ, trả đúng hạn 99,5%"},
    }, dt.datetime(2025, 3, 10, 2, 0, 0))
    hctp = fill(tracker(root, "HCTP"), folder / "HCTP-quy-1.xlsx", {
        (KIEM_SOAT, "Chủ trì"): {"Tình trạng": "Không thực hiện (nêu lý do)",
                                 "Ghi chú": "Trong kỳ không có dự thảo văn bản quy phạm pháp luật quy định TTHC"},
        (CONG_BO, "Chủ trì"): {"Tình trạng": "Hoàn thành", "Tiến độ (%)": 100,
                               "Kết quả thực hiện": "Đã góp ý dự thảo Quyết định công bố TTHC của Sở.",
                               "Văn bản / minh chứng": "Công văn số 12/HCTP ngày 05/3/2025"},
    }, dt.datetime(2025, 3, 16, 3, 0, 0))
    return [vp, hctp]


def q2_returns(root: Path, folder: Path, source: Path) -> list[Path]:
    """VP sends again on 20/5, from its Q1 file: one task done on 02/4, one done late, more results."""
    vp = fill(source, folder / "VP-quy-2.xlsx", {
        (KIEN_TOAN, "Chủ trì"): {"Tình trạng": "Hoàn thành", "Tiến độ (%)": 100, "Ngày hoàn thành": dt.datetime(2025, 4, 2),
                                 "Kết quả thực hiện": "Đã kiện toàn đội ngũ công chức đầu mối",
                                 "Văn bản / minh chứng": "Quyết định số 15/QĐ-STP ngày 02/4/2025",
                                 "Khó khăn, vướng mắc": None},
        (RA_SOAT_KH, "Chủ trì"): {"Tình trạng": "Hoàn thành", "Tiến độ (%)": 100, "Ngày hoàn thành": dt.datetime(2025, 4, 10),
                                  "Kết quả thực hiện": "Đã xây dựng dự thảo Kế hoạch rà soát\nĐã ban hành Kế hoạch rà soát"},
        (MOT_CUA, "Chủ trì"): {"Kết quả thực hiện": "Tiếp nhận 1.250 hồ sơ, trả đúng hạn 99,5%\n"
                                                    "Quý II: tiếp nhận 1.410 hồ sơ, trả đúng hạn 100%"},
    }, dt.datetime(2025, 5, 20, 2, 0, 0))
    return [vp]


MOT_CUA_MAY = "Thực hiện có hiệu quả cơ chế một cửa, một cửa liên thông và số hóa hồ sơ trong giải quyết TTHC"


def amend_in_may(root: Path) -> None:
    """The office rewords one task (led by VP and the Phòng group, HCTP among them)."""
    spec = root / "plan_specs/soc-trang/STP/2025.yaml"
    text = spec.read_text(encoding="utf-8")
    old = "  - id: mot-cua.hieu-qua\n    lead: [VP, PTT]\n"
    assert old in text
    spec.write_text(text.replace(old, old + f"    content: {MOT_CUA_MAY}\n"), encoding="utf-8")


def old_hctp_return(folder: Path) -> Path:
    """After the amendment HCTP fills on in the file made before it, and sends it on 25/5."""
    return fill(folder / "HCTP-quy-1.xlsx", folder / "HCTP-thang-5.xlsx", {
        (MOT_CUA, "Chủ trì"): {"Tình trạng": "Đang thực hiện",
                               "Kết quả thực hiện": "Tiếp nhận 320 hồ sơ hộ tịch, trả đúng hạn 100%"},
    }, dt.datetime(2025, 5, 25, 2, 0, 0))
