"""Every real plan's shape as data (issue 17): lettered items, numbering, groups that are their own
task, the opening without hidden defaults, header and recipients widths, tables that split.

The sample province khanh-hoa holds one plan of each shape; they are built through the CLI, linted,
compared with their goldens and read back for what each shape must print.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from conftest import MASTER, REGISTRY, REPO, SPEC, copy_workspace, write_tree
from conftest import run_cli as run
from docx_dump import dump
from kehoach_gen.word.docx_rules import text_width_twips
from kehoach_gen.word.header_fit import balanced_lines

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
GOLDEN = Path(__file__).parent / "golden"
PLANS = ("UBNDDK", "STNMT", "STP")


@pytest.fixture(scope="module")
def khanh_hoa(tmp_path_factory) -> Path:
    root = copy_workspace(tmp_path_factory.mktemp("kh"))
    result = run(root, "build", "--all", "--province", "khanh-hoa", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    return root


def _doc(root: Path, agency: str) -> Path:
    return root / f"output/khanh-hoa/2021/{agency}/KH-{agency}-2021.docx"  # not the default province


@pytest.mark.parametrize("agency", PLANS)
def test_sample_plans_match_their_goldens_and_pass_lint(khanh_hoa, agency, request):
    document = _doc(khanh_hoa, agency)
    golden = GOLDEN / f"KH-{agency}-2021-khanh-hoa.txt"
    if request.config.getoption("--update-golden"):
        golden.write_text(dump(document), encoding="utf-8")
    assert dump(document) == golden.read_text(encoding="utf-8")
    lint = run(khanh_hoa, "lint", str(document.relative_to(khanh_hoa)))
    assert lint.returncode == 0, lint.stdout
    assert lint.stdout.splitlines() == [f"output/khanh-hoa/2021/{agency}/KH-{agency}-2021.docx: kế hoạch: đạt"]


def test_prose_items_print_as_the_plan_words_them(khanh_hoa):
    lines = [p.text for p in Document(str(_doc(khanh_hoa, "UBNDDK"))).paragraphs]
    at = lines.index("2. Công bố, công khai TTHC")
    assert lines[at:at + 6] == [
        "2. Công bố, công khai TTHC",
        "2.1 Niêm yết, công khai đầy đủ TTHC tại Bộ phận Một cửa và trên cổng thông tin điện tử",  # no final dot
        "a) Cơ quan thực hiện: Văn phòng HĐND và UBND huyện",
        "Bộ phận Một cửa huyện và các xã, thị trấn niêm yết đủ TTHC theo danh mục của tỉnh, cập nhật ngay khi "
        "tỉnh công bố mới.",  # a paragraph between a) and b)
        "b) Hướng dẫn thực hiện: Văn phòng HĐND và UBND huyện hướng dẫn cách niêm yết, kiểm tra việc niêm yết "
        "hằng quý.",
        "c) Thời gian: Thường xuyên",
    ]
    assert "b) Cơ quan thẩm định tiêu chí: Phòng Nông nghiệp và Phát triển nông thôn" in lines
    own = lines.index("b) Hình thức tuyên truyền.")  # no colon; its text is its own paragraph
    assert lines[own + 1].startswith("Tuyên truyền trên hệ thống truyền thanh huyện, xã;")
    assert lines[own + 2] == ("c) Cơ quan phối hợp: Các cơ quan chuyên môn thuộc UBND huyện, Ủy ban nhân dân các "
                              "xã, thị trấn")
    # the group that is its own task: its paragraph and items, no "1.1."
    first = lines.index("1. Công tác chỉ đạo, điều hành")
    assert lines[first + 1].startswith("Ban hành kế hoạch kiểm soát TTHC năm 2021 của huyện")
    assert not [line for line in lines if line.startswith("1.1")]
    assert lines[first + 2] == "a) Cơ quan thực hiện: Văn phòng HĐND và UBND huyện"
    # sub-headings "1)", "2)" of Tổ chức thực hiện
    assert [line[:2] for line in lines[lines.index("III. TỔ CHỨC THỰC HIỆN") + 1:] if line] == ["1)", "2)"]
    # the opening is what the spec says: no master bases, one upright paragraph
    assert not [line for line in lines if line.startswith("Căn cứ")]


def test_roles_feed_the_trackers_whatever_their_label(khanh_hoa):
    book = load_workbook(khanh_hoa / "output/khanh-hoa/2021/UBNDDK/theo-doi/UBNDDK-2021-tong-hop.xlsx", read_only=True)
    rows = [[c for c in row if c is not None] for row in book.worksheets[0].iter_rows(values_only=True)]
    tuyen_truyen = next(r for r in rows if any(str(c).startswith("Tuyên truyền về kiểm soát TTHC") for c in r))
    assert "Phòng Văn hóa và Thông tin" in tuyen_truyen and "Thường xuyên" in tuyen_truyen
    assert (khanh_hoa / "output/khanh-hoa/2021/UBNDDK/theo-doi/UBNDDK-2021-VHTT.xlsx").is_file()


def test_table_numbering_own_task_rows_and_cell_alignment(khanh_hoa):
    doc = Document(str(_doc(khanh_hoa, "STNMT")))
    table = doc.tables[1]
    first = [row.cells[0].text for row in table.rows]
    assert first[:5] == ["TT", "I.", "1.", "II.", "1."]
    # the report group is its own task: one row, its number and bold title as a group row's, then its cells
    # (it was a group row followed by a task row without a number)
    assert first[-2:] == ["1.", "V."]
    last = table.rows[-1].cells
    assert last[0].paragraphs[0].style.style_id == "KHBangSoNhom"
    assert [(p.style.style_id, p.text) for p in last[1].paragraphs][0] == ("KHBangNhom", "Chế độ thông tin, báo cáo")
    assert last[1].paragraphs[1].style.style_id != "KHBangNhom" and last[1].paragraphs[1].text
    assert last[2].text  # the task's own lead, results and deadline are on the same row
    assert [p.style.style_id for p in last[5].paragraphs] == ["KHBangOTrai", "KHBangOTrai"]  # align: {deadline: left}
    assert [p.style.style_id for p in table.rows[2].cells[5].paragraphs] == ["KHBangOGiua"]  # the column's default
    assert table.rows[2].cells[4].paragraphs[0].style.style_id == "KHBangOTrai"  # the column's align: left


def test_a_long_issuing_body_takes_the_fewest_even_lines(khanh_hoa):
    header = Document(str(_doc(khanh_hoa, "STNMT"))).tables[0].cell(0, 0)
    assert [p.text for p in header.paragraphs if p.style.style_id == "KHCoQuanBanHanh"] == [
        "SỞ TÀI NGUYÊN", "VÀ MÔI TRƯỜNG"]


def test_header_widths_and_size_from_the_spec(khanh_hoa):
    doc = Document(str(_doc(khanh_hoa, "STP")))
    grid = [int(g.get(f"{W}w")) for g in doc.tables[0]._tbl.findall(f"{W}tblGrid/{W}gridCol")]
    assert grid == [round(62 * 56.7), round(103 * 56.7)]
    names = [p for p in doc.tables[0].cell(0, 0).paragraphs if p.text]
    assert [(p.text, {r.font.size.pt for r in p.runs}) for p in names] == [
        ("UBND TỈNH KHÁNH HÒA", {12.0}), ("SỞ TƯ PHÁP", {12.0})]


def test_balanced_lines():
    width = round(65 * 56.7)
    assert balanced_lines("SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", width, 13) == ["SỞ TÀI NGUYÊN", "VÀ MÔI TRƯỜNG"]
    assert balanced_lines("SỞ TƯ PHÁP", width, 13) == ["SỞ TƯ PHÁP"]
    three = balanced_lines("BAN QUẢN LÝ CÁC KHU CÔNG NGHIỆP VÀ KHU KINH TẾ CỬA KHẨU", width, 13)
    assert len(three) == 3 and all(text_width_twips(line, 13, True) <= width for line in three)


@pytest.fixture
def small(tmp_path: Path) -> Path:
    write_tree(tmp_path, {"kehoach.toml": 'province = "tinh-a"\n', "plan_specs/tinh-a/registry.yaml": REGISTRY,
                          "plan_specs/tinh-a/master-2025.yaml": MASTER})
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    return tmp_path


BAD = [
    ("layout: {kind: prose, lettered: [lead, chair]}\n", 14, "layout.lettered[2]: giá trị không hợp lệ (cần một trong: "
     "lead, coordinate, deadline, results hoặc items, gặp \"chair\")"),
    ("layout: {kind: prose, lettered: [{role: lead, text: Văn phòng}]}\n", 14,
     "layout.lettered[1]: một ý có vai trò (role) lấy lời văn từ nhiệm vụ: bỏ text, hoặc bỏ role"),
    ("layout: {kind: prose, lettered: [{label: Hướng dẫn}]}\n", 14,
     "layout.lettered[1]: một ý cần vai trò (role) hoặc lời văn (text)"),
    ("layout: {kind: prose, lettered: [{role: lead, punctuation: ';'}]}\n", 14,
     "layout.lettered[1].punctuation: dấu sau nhãn cần \":\", \".\" hoặc \"\" (không có dấu), gặp \";\""),
    ("layout: {kind: prose, numbering: {task: '{g}.{m}'}}\n", 14,
     "layout.numbering.task: định dạng số \"{g}.{m}\" cần một trong {n}, {g}, {R}, {a}, gặp {m}"),
    ("layout: {kind: prose, numbering: {group: 'I.'}}\n", 14,
     "layout.numbering.group: định dạng số \"I.\" cần một trong {n}, {g}, {R}, {a}"),
    ("layout: {numbering: {table_task: '{n'}}\n", 14,
     "layout.numbering.table_task: định dạng số \"{n\" không đọc được; ví dụ \"{n}.\", \"{g}.{n}\", \"{a})\""),
    ("groups: [{id: chi-dao, own_task: true}]\n", 14, "groups.chi-dao.own_task: nhóm là một nhiệm vụ (own_task) cần "
     "đúng một nhiệm vụ (cần 1 nhiệm vụ, gặp 2 nhiệm vụ)"),
    ("groups: [{id: chi-dao, lettered: [lead]}]\n", 14, "groups.chi-dao.lettered: các ý a), b) (lettered) chỉ được "
     "in khi trình bày văn xuôi (cần layout: {kind: prose}, gặp layout.kind: table)"),
    ("header: {left_mm: 60}\n", 14, "header: ghi cả left_mm và right_mm (hai cột của khối tiêu đề)"),
    ("header: {left_mm: 70, right_mm: 100}\n", 14,
     "header: hai cột rộng 170 mm, quá bề rộng trang (165 mm giữa hai lề)"),
    ("header: {left_mm: 60, right_mm: 90}\n", 14, "header.right_mm: giá trị quá nhỏ (cần từ 96.0 trở lên, gặp 90)"),
    ("header: {issuer_size: 14}\n", 14,
     "header.issuer_size: giá trị không hợp lệ (cần một trong: 12 hoặc 13, gặp 14)"),
    ("header: {national_size: 14}\n", 14,
     "header.national_size: giá trị không hợp lệ (cần một trong: 12 hoặc 13, gặp 14)"),
    ("sections: [{title: Nội dung, tasks: true, number_format: '{x})'}]\n", 14,
     "sections[1].number_format: định dạng số \"{x})\" cần một trong {n}, {g}, {R}, {a}, gặp {x}"),
]


@pytest.mark.parametrize(("extra", "line", "message"), BAD, ids=[b[2].split(":")[0] + str(i) for i, b in enumerate(BAD)])
def test_bad_shapes_are_named_exactly(small, extra, line, message):
    spec = small / "plan_specs/tinh-a/STP/2025.yaml"
    spec.parent.mkdir(parents=True)
    spec.write_text(SPEC + extra, encoding="utf-8")
    result = run(small, "build", "--agency", "STP", "--year", "2025")
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["Lỗi:", f"  plan_specs/tinh-a/STP/2025.yaml:{line}: {message}",
                                          "Chưa ghi tệp nào."]
    assert not (small / "output").exists()


def test_a_bad_cell_alignment_is_named(small):
    spec = small / "plan_specs/tinh-a/STP/2025.yaml"
    spec.parent.mkdir(parents=True)
    spec.write_text(SPEC.replace("    coordinate: [ALL]\n", "    coordinate: [ALL]\n    align: {deadline: right}\n"),
                    encoding="utf-8")
    result = run(small, "check", "--agency", "STP", "--year", "2025")
    assert result.returncode == 2
    assert result.stderr.splitlines()[1] == (
        "  plan_specs/tinh-a/STP/2025.yaml:9: tasks.chi-dao.ke-hoach.align.deadline: giá trị không hợp lệ "
        "(cần một trong: left, center hoặc justify, gặp \"right\")")


def test_layout_default_items_and_a_free_item_in_a_multi_part_task(small):
    """The layout's items apply to every task; free text prints once, role items once per part."""
    spec = small / "plan_specs/tinh-a/STP/2025.yaml"
    spec.parent.mkdir(parents=True)
    spec.write_text(SPEC.replace("""  - id: chi-dao.van-ban
    lead: [BTTP]
""", """  - id: chi-dao.van-ban
    parts:
      - {lead: [BTTP], deadline: Quý I/2025}
      - {lead: [VP], deadline: Quý II/2025}
    lettered:
      - {role: lead, label: Đơn vị thực hiện}
      - {text: Báo cáo kết quả về Văn phòng Sở.}
      - {role: deadline, label: Thời gian, punctuation: ""}
""") + "layout:\n  kind: prose\n  lettered: [{role: lead, label: Cơ quan thực hiện}, results]\n", encoding="utf-8")
    result = run(small, "build", "--agency", "STP", "--year", "2025")
    assert result.returncode == 0, result.stderr
    lines = [p.text for p in Document(str(small / "output/2025/STP/KH-STP-2025.docx")).paragraphs]
    at = lines.index("1.1. Ban hành kế hoạch kiểm soát TTHC năm 2025")
    assert lines[at + 1:at + 9] == [
        "a) Cơ quan thực hiện: Văn phòng Sở",
        "b) Kết quả, sản phẩm: Kế hoạch kiểm soát TTHC",
        "1.2. Ban hành văn bản triển khai",
        "a) Đơn vị thực hiện: Phòng Bổ trợ tư pháp",
        "b) Báo cáo kết quả về Văn phòng Sở.",
        "c) Thời gian Quý I/2025",
        "a) Đơn vị thực hiện: Văn phòng Sở",
        "b) Thời gian Quý II/2025./.",  # the last paragraph of the body (B4)
    ]


def test_an_own_task_group_with_items_only(small):
    """A group whose only content is its a), b): the task's content is the group's title, printed once."""
    spec = small / "plan_specs/tinh-a/STP/2025.yaml"
    spec.parent.mkdir(parents=True)
    spec.write_text(SPEC.replace("drop:\n  - id: bao-cao.dinh-ky\n    reason: Văn phòng Sở báo cáo chung\n", "")
                    + "  - id: bao-cao.dinh-ky\n    content: Chế độ thông tin báo cáo\n    lead: [VP]\n"
                    + "groups: [{id: bao-cao, own_task: true}]\nlayout: {kind: prose}\n", encoding="utf-8")
    result = run(small, "build", "--agency", "STP", "--year", "2025")
    assert result.returncode == 0, result.stderr
    lines = [p.text for p in Document(str(small / "output/2025/STP/KH-STP-2025.docx")).paragraphs]
    at = lines.index("2. Chế độ thông tin báo cáo")
    assert lines[at + 1:at + 3] == ["a) Chủ trì thực hiện: Văn phòng Sở",
                                    "b) Thời gian thực hiện: Định kỳ hàng quý và năm (trước ngày 19 của tháng cuối "
                                    "quý)./."]
    book = load_workbook(small / "output/2025/STP/theo-doi/STP-2025-VP.xlsx", read_only=True)
    cells = [c for row in book.worksheets[0].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "Chế độ thông tin báo cáo" in cells  # the tracker row still names the task


@pytest.mark.parametrize("national", [12, 13])
def test_quoc_hieu_size_and_the_tieu_ngu_one_point_larger(small, national):
    """header.national_size: the Quốc hiệu 12 or 13 pt, the Tiêu ngữ one point larger (P4), its rule as long."""
    spec = small / "plan_specs/tinh-a/STP/2025.yaml"
    spec.parent.mkdir(parents=True)
    spec.write_text(SPEC + f"header: {{national_size: {national}}}\n", encoding="utf-8")
    result = run(small, "build", "--agency", "STP", "--year", "2025")
    assert result.returncode == 0, result.stderr
    out = small / "output/2025/STP/KH-STP-2025.docx"
    right = Document(str(out)).tables[0].cell(0, 1).paragraphs
    sizes = {p.style.style_id: {r.font.size.pt for r in p.runs if r.text.strip()} for p in right if p.text.strip()}
    assert sizes["KHQuocHieu"] == {float(national)} and sizes["KHTieuNgu"] == {float(national + 1)}
    rule = next(p for p in right if p.style.style_id == "KHDuongKe")
    motto = next(p for p in right if p.style.style_id == "KHTieuNgu").text
    cell = int(Document(str(out)).tables[0].cell(0, 1)._tc.find(f"{W}tcPr/{W}tcW").get(f"{W}w"))
    length = cell - 2 * rule.paragraph_format.left_indent.twips
    assert abs(length - text_width_twips(motto, national + 1, True)) <= 20  # as long as the Tiêu ngữ printed
    linted = run(small, "lint", str(out))
    assert linted.returncode == 0, linted.stdout
    from openxml_audit import OpenXmlValidator

    assert [str(e) for e in OpenXmlValidator().validate(str(out)).errors] == []  # sizes set in schema order
