"""The pure parts of `kehoach import`: unit names, ids, deadlines, columns, body items, prose tasks."""

from __future__ import annotations

import pytest

from kehoach_gen.spec.import_body import parse_items, read_body
from kehoach_gen.spec.import_doc import Para
from kehoach_gen.spec.import_fields import deadline_value, fixed_bases, sentence_case
from kehoach_gen.spec.import_match import make_id, match_tasks, split_assignment, split_units
from kehoach_gen.spec.import_tasks import column_key, prose_tasks

NAMES = {"VP": "Văn phòng Sở", "PB": "Phòng Bổ trợ tư pháp", "ALL": "các Phòng, Trung tâm, Thanh tra thuộc Sở"}


def para(text: str, bold: bool = False) -> Para:
    return Para(text, bold, False, "đoạn ?")


@pytest.mark.parametrize(("text", "refs", "unknown"), [
    ("Văn phòng Sở", ("VP",), ()),
    ("Các Phòng, Trung tâm, Thanh tra thuộc Sở", ("ALL",), ()),  # a name with commas, capitalised at the start
    ("Văn phòng Sở, Phòng Bổ trợ tư pháp", ("VP", "PB"), ()),
    ("Đ/c Trần Thế Vũ, Văn phòng Sở", ({"person": "Trần Thế Vũ"}, "VP"), ()),
    ("Văn phòng Sở; Đ/c Trần Thế Vũ", ("VP", {"person": "Trần Thế Vũ"}), ()),
    ("Phòng Kế toán, Văn phòng Sở, Tổ công tác", ("VP",), ("Phòng Kế toán", "Tổ công tác")),
    ("", (), ()),
])
def test_unit_names_split_into_codes_and_unknown_names(text, refs, unknown):
    found = split_units(text, NAMES)
    assert (found.refs, found.unknown) == (refs, unknown)


@pytest.mark.parametrize(("line", "expected"), [
    ("Văn phòng Sở chủ trì, phối hợp với các Phòng", ("Văn phòng Sở", "các Phòng")),
    ("Các Phòng, Trung tâm có liên quan chủ trì, phối hợp cùng Văn phòng Sở",
     ("Các Phòng, Trung tâm có liên quan", "Văn phòng Sở")),
    ("Văn phòng Sở chủ trì", ("Văn phòng Sở", "")),
    ("Phòng Bổ trợ tư pháp", ("Phòng Bổ trợ tư pháp", "")),
])
def test_assignment_wording_splits_lead_and_coordinate(line, expected):
    assert split_assignment(line) == expected


def test_ids_are_short_ascii_unique_and_stable():
    taken: set[str] = set()
    first = make_id("Xây dựng, ban hành Kế hoạch kiểm soát TTHC năm 2025", taken, prefix="chi-dao.")
    second = make_id("Xây dựng, ban hành Kế hoạch kiểm soát TTHC năm 2026", taken, prefix="chi-dao.")
    assert (first, second) == ("chi-dao.ke-hoach-kiem-soat", "chi-dao.ke-hoach-kiem-soat-2")  # "Xây dựng, ban hành" says nothing
    assert make_id("Xây dựng, ban hành Kế hoạch kiểm soát TTHC năm 2025", set(), prefix="chi-dao.") == first
    assert make_id("Đồng bộ hồ sơ", set()) == "dong-bo-ho-so"
    assert make_id("Công tác chỉ đạo điều hành", set(), words=2) == "chi-dao"


def test_tasks_match_best_first_each_master_task_once():
    master = [("a", "Công bố TTHC và xây dựng quy trình nội bộ."), ("b", "Thực hiện công khai TTHC.")]
    found = ["Thực hiện công khai TTHC tại Sở.", "Thực hiện công khai TTHC.", "Một việc hoàn toàn khác hẳn"]
    matches = match_tasks(found, master)
    assert matches[1] == ("b", 1.0)
    assert 0 not in matches or matches[0][0] != "b"
    assert 2 not in matches


@pytest.mark.parametrize(("lines", "expected", "noted"), [
    (["Thường xuyên"], "Thường xuyên", False),
    (["Trước ngày 31/01/2025"], "Trước ngày 31/01/2025", False),
    (["- Định kỳ hàng tháng", "- Đột xuất"], ["- Định kỳ hàng tháng", "- Đột xuất"], False),
    (["Theo hướng dẫn của tỉnh"], {"text": ["Theo hướng dẫn của tỉnh"], "kind": "on_demand"}, True),
    (["Trước ngày 31/6/2025"], {"text": ["Trước ngày 31/6/2025"], "kind": "on_demand"}, True),  # no such day
    (["Trước ngày 30/6/2024"], {"text": ["Trước ngày 30/6/2024"], "kind": "on_demand"}, True),  # outside 2025
])
def test_deadlines_keep_their_wording_and_a_kind(lines, expected, noted):
    notes: list[str] = []
    assert deadline_value(lines, (2025, 2025), "bảng 2, dòng 3", notes) == expected
    assert bool(notes) is noted
    if noted:
        assert notes[0].startswith("bảng 2, dòng 3: thời hạn \"")


def test_bases_before_the_last_end_with_a_semicolon():
    notes: list[str] = []
    assert fixed_bases(["Căn cứ A.", "Căn cứ B;", "Xét đề nghị C."], notes) == ["Căn cứ A;", "Căn cứ B;", "Xét đề nghị C."]
    assert notes == ['căn cứ "…Căn cứ A." kết thúc bằng ".": đã sửa thành ";" theo NĐ 30']


@pytest.mark.parametrize(("header", "key"), [
    ("Số TT", "stt"), ("TT", "stt"), ("Nội dung công việc", "content"), ("Nhiệm vụ thực hiện", "content"),
    ("Kết quả/sản phẩm", "results"), ("Phân công thực hiện", "assignment"), ("Người thực hiện", "assignment"),
    ("Đơn vị chủ trì", "lead"), ("Đơn vị phối hợp", "coordinate"), ("Thời gian thực hiện", "deadline"),
    ("Thời hạn hoàn thành", "deadline"), ("Ghi chú", "note"), ("Kinh phí", None),
])
def test_column_headers_name_their_key(header, key):
    assert column_key(header) == key


def test_sentence_case_keeps_the_place_name():
    assert sentence_case("ỦY BAN NHÂN DÂN TỈNH SÓC TRĂNG") == "Ủy ban nhân dân tỉnh Sóc Trăng"


def test_items_nest_as_the_renderer_numbers_them():
    items = parse_items([para("1. Mục đích", bold=True), para("- ý một"), para("2. Yêu cầu", bold=True),
                         para("1. Việc thứ nhất"), para("a) ý a"), para("b) ý b"), para("Đoạn thường")])
    assert items == [{"heading": "Mục đích", "items": ["- ý một"]},
                     {"heading": "Yêu cầu", "items": [{"numbered": "Việc thứ nhất",
                                                        "items": [{"lettered": "ý a"}, {"lettered": "ý b"},
                                                                  "Đoạn thường"]}]}]


def test_opening_sections_and_the_closing_mark():
    body = read_body((para("Căn cứ Luật A;"), para("Thực hiện Kế hoạch số 1 …"), para("I. MỤC ĐÍCH", bold=True),
                      para("Nội dung./.")), appendix=False)
    assert (body.bases, body.intro) == (["Căn cứ Luật A;"], ["Thực hiện Kế hoạch số 1 …"])
    assert body.sections == [{"title": "MỤC ĐÍCH", "items": ["Nội dung"]}]


def test_prose_tasks_parts_and_items():
    unplaced: list[str] = []
    groups = prose_tasks([para("1. Công tác chỉ đạo", bold=True), para("1.1. Xây dựng kế hoạch."),
                          para("a) Chủ trì thực hiện: Văn phòng Sở"), para("b) Thời gian thực hiện:"),
                          para("- Quý I"), para("c) Kinh phí: ngân sách"),
                          para("a) Chủ trì thực hiện: Phòng Bổ trợ tư pháp")], unplaced)
    task = groups[0].tasks[0]
    assert (groups[0].title, task.content) == ("Công tác chỉ đạo", ["Xây dựng kế hoạch."])
    assert [p.lines for p in task.parts] == [{"lead": ["Văn phòng Sở"], "deadline": ["- Quý I"]},
                                             {"lead": ["Phòng Bổ trợ tư pháp"]}]
    assert task.items == [("Kinh phí", ["ngân sách"])]
    assert unplaced == []


def test_a_header_on_two_rows_names_the_split_columns():
    from kehoach_gen.spec.import_doc import Cell, Row, Table
    from kehoach_gen.spec.import_tasks import table_tasks

    def cell(text, col, span=1, continued=False, bold=False):
        return Cell((text,) if text else (), col, span, continued, bold)

    table = Table((
        Row((cell("TT", 0), cell("Nội dung", 1), cell("Phân công", 2, 2), cell("Thời gian", 4)), "bảng 2, dòng 1"),
        Row((cell("", 0, continued=True), cell("", 1, continued=True), cell("Chủ trì", 2), cell("Phối hợp", 3),
             cell("", 4, continued=True)), "bảng 2, dòng 2"),
        Row((cell("I", 0), cell("Nhóm một", 1, 4, bold=True)), "bảng 2, dòng 3"),
        Row((cell("1", 0), cell("Việc một", 1), cell("Văn phòng Sở", 2), cell("Phòng Bổ trợ tư pháp", 3),
             cell("Thường xuyên", 4)), "bảng 2, dòng 4"),
    ), (10.0, 60.0, 30.0, 30.0, 25.0), "bảng 2")
    unplaced: list[str] = []
    columns, groups = table_tasks(table, unplaced)
    assert [(c.key, c.header, c.width_mm) for c in columns] == [
        ("stt", "TT", 10.0), ("content", "Nội dung", 60.0), ("lead", "Chủ trì", 30.0),
        ("coordinate", "Phối hợp", 30.0), ("deadline", "Thời gian", 25.0)]
    assert [(g.title, [t.content for t in g.tasks]) for g in groups] == [("Nhóm một", [["Việc một"]])]
    assert groups[0].tasks[0].parts[0].lines == {"lead": ["Văn phòng Sở"], "coordinate": ["Phòng Bổ trợ tư pháp"],
                                                 "deadline": ["Thường xuyên"]}
    assert unplaced == []


def test_prose_items_of_later_parts_and_lettered_sentences():
    groups = prose_tasks([para("1. Nhóm", bold=True), para("1.1. Việc."), para("a) Rà soát toàn bộ hồ sơ"),
                          para("a) Chủ trì thực hiện: Văn phòng Sở"), para("b) Kinh phí:"), para("- ngân sách"),
                          para("a) Chủ trì thực hiện: Phòng Bổ trợ tư pháp"), para("b) Kinh phí:"),
                          para("- ngân sách")], [])
    task = groups[0].tasks[0]
    assert task.content == ["Việc.", "a) Rà soát toàn bộ hồ sơ"]  # no label: a line of the content, as printed
    assert [p.lines for p in task.parts] == [{"lead": ["Văn phòng Sở"]}, {"lead": ["Phòng Bổ trợ tư pháp"]}]
    assert task.items == [("Kinh phí", ["- ngân sách"])]
