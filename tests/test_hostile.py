"""A hostile corpus: bad, clumsy and malicious input, each refused clearly or rendered literally.

Every case runs the real command (in this process, through the console entry point) on a copy of a small
workspace that was built once, and asserts the exit status, the message (with its file and line, or its
cell), that no traceback or English from the parser is printed, and that nothing in ``output/`` changed
(for the cases that must write nothing). Groups: YAML syntax and encodings, schema, hostile text,
paths and command line, returned trackers. Add a case for every defect found.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import sys
import zipfile
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import pytest

from conftest import MASTER, REGISTRY, SPEC, write_tree

SPEC_FILE = "plan_specs/tinh-a/STP/2025.yaml"
REG_FILE = "plan_specs/tinh-a/registry.yaml"
MASTER_FILE = "plan_specs/tinh-a/master-2025.yaml"
DOCX = "output/2025/STP/KH-STP-2025.docx"
ENGLISH = ("Traceback", "Error:", "Usage:", "Did you mean", "Show this message", "not allowed", "expected",
           "found character", "ValueError", "Exception")


@dataclass
class Case:
    """One hostile input: files to change, the command, and what must come back."""

    edits: dict[str, object]  # file -> new text, bytes, or (old, new) replaced once
    args: tuple[str, ...]
    code: int
    says: tuple[str, ...]  # every one must appear in the output
    untouched: bool = True  # output/ must be exactly as before
    literal: tuple[str, ...] = ()  # texts that must appear (escaped) in the document
    setup: object = None  # a callable(root) run before the command
    located: bool = True  # the message names a file and line (``x.yaml:12:``) or a cell (``Theo dõi!C5``)
    extra: dict = field(default_factory=dict)


BUILD = ("build", "--agency", "STP", "--year", "2025")
CHECK = ("check", "--agency", "STP", "--year", "2025")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile-base")
    write_tree(root, {"kehoach.toml": 'province = "tinh-a"\n', REG_FILE: REGISTRY, MASTER_FILE: MASTER,
                      SPEC_FILE: SPEC})
    shutil.copytree(Path(__file__).resolve().parents[1] / "templates", root / "templates")
    code, out = _run(root, BUILD)
    assert code == 0, out
    return root


def _run(root: Path, args: tuple[str, ...]) -> tuple[int, str]:
    import contextlib
    import io
    import os

    from kehoach_gen.cli.app import main

    buffer = io.StringIO()
    old_argv, old_cwd = sys.argv, os.getcwd()
    sys.argv = ["kehoach", *args]
    os.chdir(root)
    try:
        with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
            try:
                main()
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.argv = old_argv
        os.chdir(old_cwd)
    return code, buffer.getvalue()


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()} if folder.is_dir() else {}


def _apply(root: Path, edits: dict[str, object]) -> None:
    for name, edit in edits.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(edit, tuple):
            text = path.read_text(encoding="utf-8")
            assert edit[0] in text, edit[0]
            path.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
        elif isinstance(edit, bytes):
            path.write_bytes(edit)
        else:
            path.write_text(str(edit), encoding="utf-8")


def check_case(built: Path, tmp_path: Path, case: Case) -> None:
    root = tmp_path / "ws"
    shutil.copytree(built, root)
    _apply(root, case.edits)
    if case.setup:
        case.setup(root)  # type: ignore[operator]
    before = _snapshot(root / "output")
    code, out = _run(root, case.args)
    assert code == case.code, out
    for text in case.says:
        assert text in out, f"{text!r} not in:\n{out}"
    for word in ENGLISH:
        assert word not in out, f"{word!r} in:\n{out}"
    if case.located:
        assert re.search(r"(\.ya?ml|\.toml):\d+:|![A-Z]+\d+", out), out
    if case.untouched:
        assert _snapshot(root / "output") == before, out
    if case.literal:
        xml = zipfile.ZipFile(root / DOCX).read("word/document.xml").decode("utf-8")
        for text in case.literal:
            assert escape(text, quote=False) in xml, text


def spec_with(old: str, new: str) -> dict[str, object]:
    return {SPEC_FILE: (old, new)}


def at(line: int, file: str = SPEC_FILE) -> str:
    return f"{file}:{line}:"


# ---------------------------------------------------------------- YAML syntax and encodings

SYNTAX_MSG = "lỗi cú pháp YAML"
_BROKEN = {  # a line inserted after "number: 2" (line 4), and what the message explains
    "colon-in-text": ("title: Ghi chú: xem lại\n", "dấu \":\" không đúng chỗ"),
    "unclosed-quote": ("title: \"abc\n", "ngoặc kép"),
    "unclosed-bracket": ("title: [a, b\n", "[ ]"),
    "unclosed-brace": ("title: {a: b\n", "{ }"),
    "bad-indent-list": ("recipients:\n  - A\n - B\n", "thụt lề"),
    "tab-indent": ("recipients:\n\t- A\n", "Tab"),
    "undefined-alias": ("title: *khong-co\n", "bí danh"),
    "bad-escape": ("title: \"a\\qb\"\n", "ký tự sau dấu \\"),
    "at-sign-start": ("title: @STP\n", "đặt văn bản trong ngoặc kép"),
    "backtick-start": ("title: `x`\n", "đặt văn bản trong ngoặc kép"),
    "percent-start": ("title: %x\n", SYNTAX_MSG),
    "trailing-after-quote": ("title: \"a\" b\n", "chữ thừa"),
    "key-without-colon": ("title\nbody_end: x\n", SYNTAX_MSG),
    "dedent-inside-map": ("signer:\n    title: A\n  name: B\n", SYNTAX_MSG),
    "duplicate-anchor": ("a1: &x 1\nbody_end: &x 2\n", SYNTAX_MSG),
    "anchor-without-name": ("title: & x\n", SYNTAX_MSG),
    "flow-missing-comma": ("recipients: [\"a\" \"b\"]\n", SYNTAX_MSG),
    "document-marker-in-middle": ("--- x\n...\nfoo: [\n", SYNTAX_MSG),
    "nul-byte": ("title: a\x00b\n", "ký tự điều khiển"),
    "esc-byte": ("title: a\x1bb\n", "ký tự điều khiển"),
    "bell-byte": ("title: a\x07b\n", "ký tự điều khiển"),
    "directive-in-middle": ("%YAML 1.2\n", SYNTAX_MSG),
    "question-key-junk": ("? [a\n", SYNTAX_MSG),
}
SYNTAX = [pytest.param(Case(spec_with("number: 2\n", "number: 2\n" + text), BUILD, 2,
                            (SPEC_FILE + ":", SYNTAX_MSG, says, "Chưa ghi tệp nào.")), id=name)
          for name, (text, says) in _BROKEN.items()]
SYNTAX += [
    pytest.param(Case({SPEC_FILE: SPEC.encode("utf-16")}, BUILD, 2, (SPEC_FILE + ":1:", "không phải văn bản UTF-8")),
                 id="utf-16"),
    pytest.param(Case({SPEC_FILE: SPEC.encode("utf-8").replace("Văn phòng".encode(), b"V\xe4n")}, BUILD, 2,
                      (SPEC_FILE + ":13:", "không phải văn bản UTF-8", "byte 0xE4")), id="latin-1"),
    pytest.param(Case({SPEC_FILE: b"\x89PNG\r\n\x1a\n" + bytes(range(256))}, BUILD, 2,
                      (SPEC_FILE + ":1:", "tệp nhị phân")), id="binary"),
    pytest.param(Case({SPEC_FILE: ""}, BUILD, 2, (SPEC_FILE, "tệp rỗng"), located=False), id="empty"),
    pytest.param(Case({SPEC_FILE: "# chỉ có ghi chú\n\n"}, BUILD, 2, (SPEC_FILE, "tệp rỗng"), located=False),
                 id="only-comments"),
    pytest.param(Case({SPEC_FILE: "- a\n- b\n"}, BUILD, 2, (SPEC_FILE, "sai kiểu dữ liệu"), located=False),
                 id="a-list-not-a-mapping"),
    pytest.param(Case({SPEC_FILE: "chỉ một dòng chữ\n"}, BUILD, 2, (SPEC_FILE, "sai kiểu dữ liệu"), located=False),
                 id="a-text-not-a-mapping"),
    pytest.param(Case({SPEC_FILE: "x: " + "a" * 6_100_000 + "\n"}, BUILD, 2, (SPEC_FILE, "tệp quá lớn"),
                      located=False), id="too-big"),
    pytest.param(Case({SPEC_FILE: "a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                                  "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
                                  "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
                                  "g: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"}, BUILD, 2, (SPEC_FILE, "bí danh YAML"),
                      located=False), id="billion-laughs"),
    pytest.param(Case(spec_with("number: 2\n", "number: !!python/object/apply:os.system [ls]\n"), BUILD, 2,
                      (at(3), "thẻ YAML không được phép")), id="python-tag"),
    pytest.param(Case(spec_with("number: 2\n", "number: !!binary aGVsbG8=\n"), BUILD, 2,
                      (at(3), "thẻ YAML không được phép")), id="binary-tag"),
    pytest.param(Case(spec_with("number: 2\n", "number: 2\n? [a, b]\n: c\n"), BUILD, 2,
                      (at(4), "tên khóa phải là chữ")), id="list-as-key"),
    pytest.param(Case(spec_with("number: 2\n", "number: 2\n1: x\n"), BUILD, 2, (at(4), "tên khóa phải là chữ")),
                 id="number-as-key"),
    pytest.param(Case(spec_with("number: 2\n", "number: 2\nnumber: 3\n"), BUILD, 2,
                      (at(4), "khóa bị lặp lại", "đã có ở dòng 3")), id="duplicate-key"),
    pytest.param(Case({MASTER_FILE: (
        "title: thực hiện", "title: \"thực hiện")}, BUILD, 2, (MASTER_FILE + ":", SYNTAX_MSG)), id="master-syntax"),
    pytest.param(Case({REG_FILE: ("name: Tỉnh A\n", "name: Tỉnh A\n\tplace: x\n")}, BUILD, 2,
                      (REG_FILE + ":3:", "Tab")), id="registry-tab"),
]


@pytest.mark.parametrize("case", SYNTAX)
def test_yaml_syntax_and_encodings(built, tmp_path, case):
    check_case(built, tmp_path, case)


# ---------------------------------------------------------------- schema: types, dates, deadlines, references

def _date(value: str) -> dict[str, object]:
    return spec_with("date: 2025-01-26\n", f"date: {value}\n")


def _deadline(value: str) -> dict[str, object]:
    return spec_with("    lead: [BTTP]\n", f"    lead: [BTTP]\n    deadline: {value}\n")


NOT_REAL = "không có thật"
_DATES = {
    "feb-30-iso": ("2025-02-30", "ngày 30/02/2025 không có thật: tháng 2 năm 2025 có 28 ngày"),
    "feb-29-not-leap": ("2025-02-29", "ngày 29/02/2025 không có thật: tháng 2 năm 2025 có 28 ngày"),
    "apr-31": ("2025-04-31", "ngày 31/04/2025 không có thật: tháng 4 năm 2025 có 30 ngày"),
    "month-13": ("2025-13-01", "ngày 01/13/2025 không có thật: tháng phải từ 1 đến 12"),
    "month-0": ("2025-00-10", "tháng phải từ 1 đến 12"),
    "day-0": ("2025-01-00", "ngày 00/01/2025 không có thật"),
    "dict-feb-30": ("{day: 30, month: 2, year: 2025}", "ngày 30/02/2025 không có thật: tháng 2 năm 2025 có 28 ngày"),
    "dict-jun-31": ("{day: 31, month: 6, year: 2025}", "ngày 31/06/2025 không có thật: tháng 6 năm 2025 có 30 ngày"),
    "clerk-jun-31": ("31/6/2025", "ngày 31/06/2025 không có thật: tháng 6 năm 2025 có 30 ngày"),
    "clerk-feb-29": ("29/02/2025", "ngày 29/02/2025 không có thật"),
    "clerk-month-13": ("12/13/2025", "tháng phải từ 1 đến 12"),
    "words": ("hôm nay", "không đọc được ngày \"hôm nay\""),
    "us-order-text": ("Jan 24 2025", "không đọc được ngày"),
    "dict-month-14": ("{day: 1, month: 14, year: 2025}", "giá trị quá lớn"),
    "dict-day-text": ("{day: hai, month: 1, year: 2025}", "sai kiểu dữ liệu"),
    "year-outside": ("2027-01-26", "ngày ban hành không thuộc năm của kế hoạch"),
    "clerk-year-outside": ("26/01/2030", "ngày ban hành không thuộc năm của kế hoạch"),
}
SCHEMA = [pytest.param(Case(_date(value), BUILD, 2, (at(4), "date", says)), id=f"date-{name}")
          for name, (value, says) in _DATES.items()]
_DEADLINES = {
    "by-date-jun-31": ("Trước ngày 31/6/2025", "ngày 31/06/2025 không có thật: tháng 6 năm 2025 có 30 ngày"),
    "by-date-feb-29": ("Hoàn thành trước ngày 29/02/2025", "tháng 2 năm 2025 có 28 ngày"),
    "by-date-month-13": ("Trước ngày 01/13/2025", "tháng phải từ 1 đến 12"),
    "by-date-other-year": ("Trước ngày 30/6/2024", "thời hạn nằm ngoài thời gian của kế hoạch (cần năm 2025, gặp năm 2024)"),
    "by-date-future-year": ("Trước ngày 31/01/2030", "thời hạn nằm ngoài thời gian của kế hoạch"),
    "range-outside": ("Năm 2030-2031", "thời hạn nằm ngoài thời gian của kế hoạch"),
    "unknown-wording": ("Theo hướng dẫn của tỉnh", "không nhận ra loại thời hạn"),
    "explicit-date-impossible": ("{text: Trước ngày X, kind: by_date, date: 2025-06-31}",
                                 "ngày 31/06/2025 không có thật"),
    "explicit-clerk-date-impossible": ("{text: Trước ngày X, kind: by_date, date: 31/06/2025}",
                                       "ngày 31/06/2025 không có thật"),
    "ongoing-with-date": ("{text: Thường xuyên, kind: ongoing, date: 2025-06-30}",
                          "thời hạn loại ongoing không dùng trường date"),
    "on-demand-with-years": ("{text: Khi có phát sinh, kind: on_demand, from_year: 2020, to_year: 2030}",
                             "thời hạn loại on_demand không dùng trường from_year, to_year"),
    "ongoing-with-range": ("{text: Thường xuyên, kind: ongoing, from_year: 2020, to_year: 2030}",
                           "không dùng trường to_year"),
    "by-date-with-quarters": ("{text: Trước 30/6, kind: by_date, date: 2025-06-30, quarters: [1]}",
                              "không dùng trường quarters"),
    "by-date-missing-date": ("{text: Sớm, kind: by_date}", "thời hạn loại by_date cần trường date"),
    "unknown-kind": ("{text: Sớm, kind: soon}", "giá trị không hợp lệ"),
    "quarter-5": ("{text: Quý V, kind: quarters, quarters: [5], from_year: 2025}", "quý phải là 1, 2, 3 hoặc 4"),
    "range-backwards": ("{text: Năm 2025, kind: year_range, from_year: 2025, to_year: 2024}",
                        "to_year phải không nhỏ hơn from_year"),
    "typo-key": ("{text: Thường xuyên, knd: ongoing}", "trường không có trong mẫu"),
    "recurring-day-40": ("{text: Hằng tháng, kind: recurring, every: month, day: 40}", "giá trị quá lớn"),
}
SCHEMA += [pytest.param(Case(_deadline(value), BUILD, 2, (at(11), "tasks.chi-dao.van-ban.deadline", says)),
                        id=f"deadline-{name}") for name, (value, says) in _DEADLINES.items()]
SCHEMA += [
    pytest.param(Case(spec_with("    lead: [VP]\n", "    lead: [VPS]\n"), BUILD, 2,
                      (at(7), "đơn vị \"VPS\" không có trong danh sách đơn vị của STP")), id="unknown-unit"),
    pytest.param(Case(spec_with("    lead: [VP]\n", "    lead: [vp]\n"), BUILD, 2, (at(7), "sai định dạng")),
                 id="lower-case-unit"),
    pytest.param(Case(spec_with("    lead: [VP]\n", "    lead: VP\n    deadine: Thường xuyên\n"), BUILD, 2,
                      (at(8), "có phải \"deadline\"?")), id="typo-deadline"),
    pytest.param(Case(spec_with("number: 2\n", "number: hai\n"), BUILD, 2, (at(3), "cần một số nguyên")),
                 id="number-text"),
    pytest.param(Case(spec_with("number: 2\n", "number: -1\n"), BUILD, 2, (at(3), "giá trị quá nhỏ")),
                 id="number-negative"),
    pytest.param(Case(spec_with("number: 2\n", "number: 99999999999999999999999\n"), BUILD, 2,
                      (at(3), "giá trị quá lớn")), id="number-huge"),
    pytest.param(Case(spec_with("number: 2\n", "number: 2.5\n"), BUILD, 2, (at(3), "cần một số nguyên")),
                 id="number-float"),
    pytest.param(Case(spec_with("number: 2\n", "number: [2]\n"), BUILD, 2, (at(3), "cần một số nguyên")),
                 id="number-list"),
    pytest.param(Case(spec_with("year: 2025\n", "year: 2025\nend_year: 2024\n"), BUILD, 2,
                      ("Lỗi:\n", at(3), "end_year: năm cuối nhỏ hơn năm đầu của kế hoạch")), id="end-year-before-year"),
    pytest.param(Case(spec_with("agency: STP\n", "agency: SNV\n"), BUILD, 2, (at(1), "giá trị khác tên tệp")),
                 id="agency-mismatch"),
    pytest.param(Case(spec_with("year: 2025\n", "year: 2026\n"), BUILD, 2, (at(2), "giá trị khác tên tệp")),
                 id="year-mismatch"),
    pytest.param(Case(spec_with("  - id: chi-dao.van-ban\n", "  - id: chi-dao.van-bna\n"), BUILD, 2,
                      (at(9), "(có phải \"chi-dao.van-ban\"?)")), id="misspelt-task-id"),
    pytest.param(Case(spec_with("  - id: bao-cao.dinh-ky\n", "  - id: bao-cao.dinh-kyy\n"), BUILD, 2,
                      (at(12), "không có nhiệm vụ này trong Kế hoạch tỉnh (có phải \"bao-cao.dinh-ky\"?)")),
                 id="misspelt-drop-id"),
    pytest.param(Case(spec_with("  - id: chi-dao.van-ban\n", "  - id: chi-dao.ke-hoach\n"), BUILD, 2,
                      (at(9), "mã nhiệm vụ bị lặp")), id="duplicate-task"),
    pytest.param(Case(spec_with("  - id: chi-dao.van-ban\n", "  - id: Chi Dao\n"), BUILD, 2, (at(9), "sai định dạng")),
                 id="task-id-with-space"),
    pytest.param(Case(spec_with("drop:\n", "layout: {kind: poem}\ndrop:\n"), BUILD, 2,
                      (at(11), "layout.kind", "giá trị không hợp lệ")), id="layout-kind"),
    pytest.param(Case(spec_with("    reason: Văn phòng Sở báo cáo chung\n", "    reason: \"\"\n"), BUILD, 2,
                      (at(13), "không được để trống")), id="empty-reason"),
    pytest.param(Case({REG_FILE: ("      - {code: BTTP, name: Phòng Bổ trợ tư pháp}\n",
                                  "      - {code: VP, name: Phòng Bổ trợ tư pháp}\n")}, BUILD, 2,
                      (REG_FILE + ":12:", "mã đơn vị bị lặp")), id="registry-duplicate-unit"),
    pytest.param(Case({REG_FILE: ("    focal_unit: VP\n", "    focal_unit: XX\n")}, BUILD, 2,
                      (REG_FILE + ":15:", "agencies.STP.focal_unit: không có đơn vị này")), id="registry-focal-unit"),
    pytest.param(Case({REG_FILE: ("    focal_unit: VP\n", "    focal_unit: VP\n    valid_until: 2025-02-30\n")},
                      BUILD, 2, (REG_FILE + ":16:", "agencies.STP.valid_until: ngày 30/02/2025 không có thật")), id="registry-valid-until"),
    pytest.param(Case({MASTER_FILE: ("date: 2025-01-15\n", "date: 2025-01-32\n")}, BUILD, 2,
                      (MASTER_FILE + ":7:", "ngày 32/01/2025 không có thật")), id="master-date"),
    pytest.param(Case({MASTER_FILE: ("        deadline: Trước ngày 31/01/2025\n",
                                     "        deadline: Trước ngày 31/02/2025\n")}, BUILD, 2,
                      (MASTER_FILE + ":", "ngày 31/02/2025 không có thật")), id="master-deadline"),
    pytest.param(Case({MASTER_FILE: ("year: 2025\n", "year: 2025\nend_year: 2024\n")}, BUILD, 2,
                      ("Lỗi:\n", MASTER_FILE + ":3:", "end_year: năm cuối nhỏ hơn năm đầu", "Chưa ghi tệp nào.")),
                 id="master-end-year"),
    # Round three (an independent corpus, 2026-12-01): a task nobody leads reached no tracker and no report.
    pytest.param(Case(spec_with("    lead: [BTTP]\n", "    lead: []\n"), BUILD, 2,
                      (at(10), "tasks.chi-dao.van-ban.lead: nhiệm vụ chưa có đơn vị chủ trì", "gặp để trống")),
                 id="lead-empty"),
    pytest.param(Case(spec_with("    lead: [BTTP]\n", ""), BUILD, 2,
                      (at(9), "tasks.chi-dao.van-ban.lead: nhiệm vụ chưa có đơn vị chủ trì", "gặp không có lead")),
                 id="lead-missing"),
    # ... and a plan dated before the master plan it carries out ("Thực hiện Kế hoạch số … ngày 15/01/2025").
    pytest.param(Case(spec_with("date: 2025-01-26\n", "date: 2024-01-26\n"), BUILD, 2,
                      (at(4), "ngày ban hành trước ngày của Kế hoạch tỉnh", "cần từ ngày 15/01/2025 trở đi",
                       "gặp 26/01/2024")),
                 id="date-before-master"),
    pytest.param(Case(spec_with("date: 2025-01-26\n", "date: {month: 12, year: 2024}\n"), BUILD, 2,
                      (at(4), "ngày ban hành trước ngày của Kế hoạch tỉnh", "gặp tháng 12/2024")),
                 id="draft-month-before-master"),
]


@pytest.mark.parametrize("case", SCHEMA)
def test_schema(built, tmp_path, case):
    check_case(built, tmp_path, case)


def test_clerk_dates_are_read(built, tmp_path):
    """"24/01/2025" as a date and "Trước ngày 31/01/2025" are what clerks write: accepted, printed per decree."""
    case = Case({**_date("24/01/2025")}, BUILD, 0, ("Đã cập nhật " + DOCX,), untouched=False, located=False,
                literal=("ngày 24 tháng 01 năm 2025",))
    check_case(built, tmp_path, case)


# ---------------------------------------------------------------- hostile text: printed as written, or refused with its line

def _content(text: str) -> dict[str, object]:
    import json

    return spec_with("    lead: [BTTP]\n", f"    lead: [BTTP]\n    content: {json.dumps(text, ensure_ascii=False)}\n")


_LITERAL = {
    "jinja-expression": "Kiểm tra {{ 7*7 }} hồ sơ",
    "jinja-statement": "{% for x in range(9) %}lặp{% endfor %}",
    "jinja-comment": "trước {# ẩn #} sau",
    "docx-xml": "</w:t></w:r><w:r><w:t>chèn",
    "xml-entities": "A &amp; B &lt;c&gt; &#x41;",
    "cdata-end": "x ]]> y",
    "formula-hyperlink": "=HYPERLINK(\"http://x.example\",\"bấm\")",
    "formula-dde": "+cmd|' /C calc'!A0",
    "formula-at": "@SUM(1+1)*cmd|' /C notepad'!'A1'",
    "formula-minus": "-2+3",
    "sql": "'; DROP TABLE tasks; --",
    "path-traversal-text": "../../../etc/passwd",
    "windows-path": "C:\\Windows\\System32\\cmd.exe",
    "shell": "$(rm -rf /) `reboot` ${HOME}",
    "printf": "%s %d %n %x",
    "backslashes": "\\x00 \\n \\t không phải ký tự điều khiển",
    "emoji": "Hoàn thành ✅ 🚀 👍🏽",
    "zero-width": "không\u200bcách\u200d",
    "cjk": "中文 日本語 한국어",
    "curly-quotes": "“Trích dẫn” và ‘nháy đơn’",
    "yaml-looking": "key: value - [list] {map} # không phải ghi chú",
    "long-line": "Dài " + "x" * 19_990,
}
TEXT = [pytest.param(Case(_content(text), BUILD, 0, ("Đã cập nhật " + DOCX,), untouched=False, located=False,
                          literal=(text,)), id=f"literal-{name}") for name, text in _LITERAL.items()]
TEXT += [
    pytest.param(Case(_content("Tie\u0302\u0301ng Vie\u0323\u0302t"), BUILD, 0, ("Đã cập nhật " + DOCX,), untouched=False,
                      located=False, literal=("Tiếng Việt",)), id="nfd-normalised"),
    pytest.param(Case(_content("a\tb"), BUILD, 0, ("Đã cập nhật " + DOCX,), untouched=False, located=False,
                      literal=("a b",)), id="tab-becomes-space"),
]
_REFUSED = {
    "bell": ("a\x07b", "ký tự điều khiển U+0007"),
    "escape": ("a\x1bb", "ký tự điều khiển U+001B"),
    "nul": ("a\x00b", "ký tự điều khiển U+0000"),
    "backspace": ("a\x08b", "ký tự điều khiển U+0008"),
    "delete": ("a\x7fb", "ký tự điều khiển"),
    "noncharacter": ("a\ufffeb", "ký tự U+FFFE"),
    "too-long": ("x" * 20_001, "văn bản quá dài"),
    # Invisible, they make Word print the text in another order than it is stored (was rendered as given).
    "bidi-override": ("abc\u202edcba", "ký tự định hướng chữ U+202E (không thấy được, làm chữ in ra bị đảo thứ tự)"),
    "bidi-isolate": ("abc\u2067dcba\u2069", "ký tự định hướng chữ U+2067"),
    "empty": ("", "danh sách trống hoặc quá ngắn (cần ít nhất 1 mục, gặp để trống)"),
}
TEXT += [pytest.param(Case(_content(text), BUILD, 2, (at(11), says)),
                      id=f"refused-{name}") for name, (text, says) in _REFUSED.items()]
TEXT += [
    pytest.param(Case(_content("a\x85b"), BUILD, 0, ("Đã cập nhật " + DOCX,), untouched=False, located=False,
                      literal=("a b",)), id="next-line-is-a-yaml-line-break"),
    pytest.param(Case(spec_with("    reason: Văn phòng Sở báo cáo chung\n", "    reason: \"dòng một\\ndòng hai\"\n"),
                      BUILD, 2, (at(13), "chỉ được một dòng")), id="newline-in-one-line-field"),
    pytest.param(Case(spec_with("    reason: Văn phòng Sở báo cáo chung\n", "    reason: \"a\\u2028b\"\n"),
                      BUILD, 2, (at(13), "ký tự điều khiển U+2028")), id="line-separator"),
    pytest.param(Case(spec_with("    lead: [BTTP]\n", "    lead: [BTTP]\n    results: [\"" + "a" * 20_000 + "\", \""
                                + "b" * 20_000 + "\"]\n"), BUILD, 2,
                      (at(11), "văn bản quá dài cho một ô của phiếu theo dõi Excel", "40.001 ký tự")),
                 id="results-too-long-for-a-cell"),
]


@pytest.mark.parametrize("case", TEXT)
def test_hostile_text(built, tmp_path, case):
    check_case(built, tmp_path, case)


# ---------------------------------------------------------------- paths and the command line

def _toml(text: str) -> dict[str, object]:
    return {"kehoach.toml": text}


def _touch(*names: str):  # noqa: ANN202
    def make(root: Path) -> None:
        for name in names:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(b"")
    return make


def _a_file_at(name: str):  # noqa: ANN202
    def make(root: Path) -> None:
        target = root / name
        shutil.rmtree(target) if target.is_dir() else None
        target.write_text("không phải thư mục", encoding="utf-8")
    return make


def _zip_of(members: dict[str, bytes]) -> bytes:
    import io
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


_NOT_WORD_ZIP = _zip_of({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>"})
EDITED = spec_with("number: 2\n", "number: 3\n")  # the plan changes, so a build has something to write
PATHS = [pytest.param(Case({}, ("build", "--agency", code, "--year", "2025"), 2, ("--agency", says), located=False),
                      id=f"agency-{name}") for name, (code, says) in {
    "traversal": ("../x", "mã cơ quan không hợp lệ"),
    "traversal-inside": ("STP/../SNV", "mã cơ quan không hợp lệ"),
    "absolute": ("/etc", "mã cơ quan không hợp lệ"),
    "space": ("S TP", "mã cơ quan không hợp lệ"),
    "empty": ("", "mã cơ quan không hợp lệ"),
    "too-long": ("A" * 40, "mã cơ quan không hợp lệ"),
    "shell": ("STP;rm", "mã cơ quan không hợp lệ"),
    "windows-device": ("CON:", "mã cơ quan không hợp lệ"),
    "ambiguous": ("S", "mã cơ quan \"S\" không rõ ràng (cần một trong: STP, SNV"),
    "misspelt": ("STPP", "không có cơ quan \"STPP\" trong danh mục của tỉnh Tỉnh A (cần một trong: STP, SNV"),
    "unknown": ("XYZ", "không có cơ quan \"XYZ\""),
}.items()]
PATHS += [
    pytest.param(Case({}, ("build", "--agency", "STPP", "--year", "2025"), 2, ("Có phải STP?",), located=False),
                 id="agency-misspelt-suggests"),
    pytest.param(Case(EDITED, ("build", "--agency", "stp", "--year", "2025"), 0, ("Đã cập nhật " + DOCX,),
                      untouched=False, located=False), id="agency-lower-case-read-as-upper"),
    pytest.param(Case({}, ("build", "--agency", "SNV", "--year", "2025"), 2,
                      ("chưa có kế hoạch của SNV năm 2025", "kehoach new --agency SNV --year 2025"), located=False),
                 id="agency-without-plan"),
    pytest.param(Case({}, ("build", "--agency", "STP", "--year", "abc"), 2,
                      ("giá trị của --year / -y không hợp lệ (cần một số nguyên)", "kehoach build --help"),
                      located=False), id="year-text"),
    pytest.param(Case({}, ("build", "--agency", "STP", "--year", "1999"), 2, ("chưa có",), located=False),
                 id="year-without-plan"),
    pytest.param(Case({}, ("build", "--province", "../etc", "--agency", "STP", "--year", "2025"), 2,
                      ("--province: mã tỉnh không hợp lệ",), located=False), id="province-traversal"),
    pytest.param(Case({}, ("build", "--province", "Tinh-A", "--agency", "STP", "--year", "2025"), 2,
                      ("mã tỉnh không hợp lệ",), located=False), id="province-upper"),
    pytest.param(Case(_toml('province = "../../etc"\n'), BUILD, 2,
                      ("kehoach.toml:1: province: mã tỉnh không hợp lệ", "gặp \"../../etc\"")), id="toml-traversal"),
    pytest.param(Case(_toml('province = tinh-a\n'), BUILD, 2, ("kehoach.toml:1: lỗi cú pháp TOML ở cột",)),
                 id="toml-unquoted"),
    pytest.param(Case(_toml('province = "tinh-a"\nprovince = "x"\n'), BUILD, 2, ("kehoach.toml:2: lỗi cú pháp TOML",)),
                 id="toml-duplicate"),
    pytest.param(Case(_toml('provnce = "tinh-a"\n'), BUILD, 2, ("kehoach.toml", "khóa không có trong mẫu"),
                      located=False), id="toml-typo"),
    pytest.param(Case({"kehoach.toml": b"\xff\xfe\x00p"}, BUILD, 2, ("kehoach.toml", "không phải văn bản UTF-8"),
                      located=False), id="toml-binary"),
    pytest.param(Case({}, ("build", "--agency", "STP", "--year", "2025", "--set", "number"), 2,
                      ("--set: tham số --set sai dạng",), located=False), id="set-without-value"),
    pytest.param(Case({}, ("build", "--agency", "STP", "--year", "2025", "--set", "=3"), 2,
                      ("tham số --set sai dạng",), located=False), id="set-without-key"),
    pytest.param(Case({}, ("build", "--agency", "STP", "--year", "2025", "--set", "number=["), 2,
                      ("giá trị --set không đọc được",), located=False), id="set-bad-yaml"),
    pytest.param(Case({}, ("build", "--agency", "STP", "--year", "2025", "--set", "number=hai"), 2,
                      ("number: sai kiểu dữ liệu",), located=False), id="set-wrong-type"),
    pytest.param(Case({}, ("biuld",), 2, ("không có lệnh \"biuld\" (có phải: build?)", "kehoach --help"),
                      located=False), id="misspelt-command"),
    pytest.param(Case({}, ("build", "--agnecy", "STP"), 2, ("không có tùy chọn --agnecy (có phải: --agency?)",),
                      located=False), id="misspelt-option"),
    pytest.param(Case({}, ("collect", "--agency", "STP", "--year", "2025"), 2, ("thiếu tham số TỆP... (bắt buộc)",),
                      located=False), id="collect-without-files"),
    pytest.param(Case({}, ("report", "--agency", "STP", "--year", "2025", "--period", "Q5"), 2,
                      ("--period: kỳ báo cáo không hợp lệ",), located=False), id="period-unknown"),
    pytest.param(Case({}, ("build",), 2, ("cần chỉ rõ --agency và --year", "kehoach build --all"), located=False),
                 id="build-without-plan"),
    pytest.param(Case({}, ("check",), 2, ("kehoach check --agency STP --year 2025",), located=False),
                 id="check-without-plan"),
    pytest.param(Case({}, ("pdf",), 2, ("kehoach pdf --agency STP --year 2025",), located=False),
                 id="pdf-without-plan"),
    pytest.param(Case(EDITED, BUILD, 3, (DOCX, "tệp đang mở trong Word", "~$-STP-2025.docx", "Đóng tệp"),
                      setup=_touch("output/2025/STP/~$-STP-2025.docx"), located=False), id="open-in-word"),
    pytest.param(Case(EDITED, BUILD, 3, (".~lock.KH-STP-2025.docx#", "Đóng tệp KH-STP-2025.docx"),
                      setup=_touch("output/2025/STP/.~lock.KH-STP-2025.docx#"), located=False),
                 id="open-in-libreoffice"),
    pytest.param(Case(EDITED, BUILD, 3, ("theo-doi/STP-2025-VP.xlsx", "~$STP-2025-VP.xlsx"),
                      setup=_touch("output/2025/STP/theo-doi/~$STP-2025-VP.xlsx"), located=False),
                 id="tracker-open-in-excel"),
    pytest.param(Case(EDITED, BUILD, 3, ("không tạo được thư mục hoặc tệp tạm", "Kiểm tra quyền ghi"),
                      setup=_a_file_at("output/2025/STP/theo-doi"), located=False, untouched=False),
                 id="output-folder-is-a-file"),
    pytest.param(Case({}, ("init", "plan_specs/tinh-a/registry.yaml"), 3,
                      ("đã có một tệp cùng tên, không phải thư mục", "kehoach init THƯ_MỤC_MỚI"), located=False),
                 id="init-on-a-file"),
    pytest.param(Case({}, ("init", "."), 3, ("thư mục đã là vùng làm việc",), located=False), id="init-on-a-workspace"),
    pytest.param(Case({"rac.docx": b"PK\x03\x04 not really"}, ("lint", "rac.docx"), 2,
                      ("rac.docx: không đọc được: không phải tệp Word .docx hoặc tệp bị hỏng",
                       "File ▸ Save As, chọn \"Word Document (*.docx)\""), located=False),
                 id="lint-junk"),
    # Round three: a template damaged or replaced by another file gave a PackageNotFoundError traceback.
    pytest.param(Case({"templates/ke-hoach.docx": b"not a Word file", **EDITED}, BUILD, 3,
                      ("templates/ke-hoach.docx: mẫu Word hỏng hoặc không phải tệp Word (.docx)", "kehoach init THƯ_MỤC_MỚI"),
                      located=False), id="template-damaged"),
    pytest.param(Case({"templates/ke-hoach.docx": _NOT_WORD_ZIP, **EDITED}, BUILD, 3,
                      ("mẫu Word hỏng hoặc không phải tệp Word (.docx)",), located=False), id="template-zip-not-word"),
]


@pytest.mark.parametrize("case", PATHS)
def test_paths_and_command_line(built, tmp_path, case):
    check_case(built, tmp_path, case)


# ---------------------------------------------------------------- returned trackers (kehoach collect)

VP_TRACKER = "output/2025/STP/theo-doi/STP-2025-VP.xlsx"
COLLECT = ("collect", "--agency", "STP", "--year", "2025")


def _returned(name: str, cells: dict[str, object], source: str = VP_TRACKER):  # noqa: ANN202
    """A unit's tracker, typed into and saved as ``name`` beside the workspace (cells {"C5": …})."""
    import datetime as dt

    from mail_helpers import filled

    def make(root: Path) -> None:
        (root / name).write_bytes(filled((root / source).read_bytes(), cells, dt.datetime(2025, 3, 3, 2, 0)))
    return make


RETURNED = [
    pytest.param(Case({"phieu.xlsx": "đây là văn bản, không phải Excel"}, (*COLLECT, "phieu.xlsx"), 2,
                      ("phieu.xlsx", "không nhận"), located=False), id="text-named-xlsx"),
    pytest.param(Case({"phieu.xlsx": b""}, (*COLLECT, "phieu.xlsx"), 2, ("phieu.xlsx", "không nhận"), located=False),
                 id="empty-xlsx"),
    pytest.param(Case({"phieu.xlsx": _zip_of({"a.txt": b"x"})}, (*COLLECT, "phieu.xlsx"), 2, ("phieu.xlsx", "không nhận"),
                      located=False), id="zip-not-a-workbook"),
    pytest.param(Case({"phieu.xlsx": _zip_of({f"m{i}.xml": b"x" for i in range(300)})}, (*COLLECT, "phieu.xlsx"), 2,
                      ("phieu.xlsx", "không nhận"), located=False), id="zip-too-many-members"),
    pytest.param(Case({"phieu.xlsx": _zip_of({"xl/big.xml": b"<a>" + b" " * 30_000_000 + b"</a>"})},
                      (*COLLECT, "phieu.xlsx"), 2, ("phieu.xlsx", "không nhận"), located=False), id="zip-bomb"),
    pytest.param(Case({}, (*COLLECT, "khong-co.xlsx"), 2, ("khong-co.xlsx",), located=False), id="missing-file"),
    pytest.param(Case({"thu-den/ghi-chu.txt": "không có phiếu"}, (*COLLECT, "thu-den"), 0,
                      ("thu-den/ghi-chu.txt: bỏ qua: không phải thư (.eml), hộp thư (.mbox) hay phiếu theo dõi (.xlsx)",),
                      located=False), id="folder-without-trackers"),
    pytest.param(Case({"thu.eml": b"\x00\x01\x02 not a mail"}, (*COLLECT, "thu.eml"), 2, ("thu.eml",), located=False),
                 id="junk-eml"),
    pytest.param(Case({}, (*COLLECT, "tong-hop.xlsx"), 2, ("tong-hop.xlsx", "không nhận"), located=False,
                      setup=lambda root: shutil.copyfile(root / "output/2025/STP/theo-doi/STP-2025-tong-hop.xlsx",
                                                         root / "tong-hop.xlsx")), id="consolidated-returned"),
    pytest.param(Case({}, (*COLLECT, "VP.xlsx"), 2,
                      ("VP.xlsx: Theo dõi!C5: ô thuộc phần kế hoạch (nền xám) đã bị sửa", "gặp \"Nội dung khác\""),
                      setup=_returned("VP.xlsx", {"C5": "Nội dung khác"})), id="locked-cell-edited"),
    pytest.param(Case({}, (*COLLECT, "VP.xlsx"), 2, ("VP.xlsx: Theo dõi!A1: ô thuộc phần kế hoạch",),
                      setup=_returned("VP.xlsx", {"A1": "=HYPERLINK(\"http://x.example\")"})), id="title-formula"),
    pytest.param(Case({}, (*COLLECT, "VP.xlsx"), 2, ("VP.xlsx: Theo dõi!B5: ô thuộc phần kế hoạch",),
                      setup=_returned("VP.xlsx", {"B5": None})), id="locked-cell-emptied"),
    pytest.param(Case({"plan_specs/tinh-a/SNV/2025.yaml": SPEC.replace("agency: STP", "agency: SNV").replace(
        "    coordinate: [ALL]\n", "").replace("[BTTP]", "[VP]")}, ("collect", "--agency", "SNV", "--year", "2025", "VP.xlsx"),
                      2, ("VP.xlsx: không nhận", "STP"), located=False, setup=_returned("VP.xlsx", {})),
                 id="tracker-of-another-agency"),
    pytest.param(Case({}, ("collect", "--agency", "STP", "--year", "2024", "VP.xlsx"), 2,
                      ("plan_specs/tinh-a/STP/2024.yaml: chưa có kế hoạch của STP năm 2024",), located=False,
                      setup=_returned("VP.xlsx", {})), id="collect-for-a-year-without-plan"),
]


@pytest.mark.parametrize("case", RETURNED)
def test_returned_trackers(built, tmp_path, case):
    check_case(built, tmp_path, case)


def test_a_returned_bidi_override_never_reaches_the_report(built, tmp_path):
    """A unit's text with an invisible right-to-left override would print reversed in the Báo cáo."""
    root = tmp_path / "ws"
    shutil.copytree(built, root)
    _returned("VP.xlsx", {"H5": "Hoàn thành", "K5": "Đã ban hành \u202eKH 07\u202c đúng hạn"})(root)
    code, out = _run(root, (*COLLECT, "VP.xlsx"))
    assert code == 0, out
    code, out = _run(root, ("report", "--agency", "STP", "--year", "2025", "--period", "Q1"))
    assert code == 0, out
    import docx

    text = "\n".join(p.text for p in docx.Document(root / "output/2025/STP/BC-STP-2025-Q1.docx").paragraphs)
    assert "Đã ban hành KH 07 đúng hạn" in text
    assert not re.search("[\u202a-\u202e\u2066-\u2069]", text)


# ---------------------------------------------------------------- a plan's family is written whole or not at all

def test_an_error_in_a_tracker_writes_nothing_of_the_plan(built, tmp_path, monkeypatch):
    """Before: the .docx was replaced, then the trackers failed (exit 3), and status called the plan current."""
    from kehoach_gen.errors import OutputError
    from kehoach_gen.excel import render_xlsx

    def fails(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise OutputError.single("văn bản quá dài cho một ô Excel (tối đa 32.767 ký tự)", field="Theo dõi!D6",
                                 exit_code=3)

    monkeypatch.setattr(render_xlsx, "write_unit", fails)
    check_case(built, tmp_path, Case(EDITED, BUILD, 3, ("Theo dõi!D6",), located=True))
    leftovers = [p.name for p in (tmp_path / "ws/output").rglob("*.tmp")]
    assert leftovers == []
    monkeypatch.undo()
    code, out = _run(tmp_path / "ws", ("status", "--agency", "STP", "--year", "2025"))
    assert (code, out) == (0, f"{DOCX}: cần xuất lại\n")


def test_status_reports_a_stale_pdf(built, tmp_path):
    """Before: status said "mới nhất" for the document and never mentioned its PDF, however old."""
    import os

    root = tmp_path / "ws"
    shutil.copytree(built, root)
    docx, pdf = root / DOCX, (root / DOCX).with_suffix(".pdf")
    pdf.write_bytes(b"%PDF-1.4 cu")
    os.utime(pdf, (docx.stat().st_mtime - 60, docx.stat().st_mtime - 60))
    code, out = _run(root, ("status", "--agency", "STP", "--year", "2025"))
    assert (code, out.splitlines()) == (0, [
        f"{DOCX}: mới nhất",
        "output/2025/STP/KH-STP-2025.pdf: cũ hơn văn bản .docx (nội dung PDF không còn đúng); "
        "tạo lại: kehoach pdf --agency STP --year 2025"])
    os.utime(pdf, (docx.stat().st_mtime + 60, docx.stat().st_mtime + 60))
    _apply(root, EDITED)
    code, out = _run(root, ("status", "--agency", "STP", "--year", "2025"))
    assert out.splitlines() == [
        f"{DOCX}: cần xuất lại",
        "output/2025/STP/KH-STP-2025.pdf: cũ (kế hoạch đã sửa, văn bản cần xuất lại); "
        "tạo lại: kehoach build --pdf --agency STP --year 2025"]


def _row_inserted(name: str, deleted: bool = False):  # noqa: ANN202
    """The unit inserted (or deleted) a row in the task table, then saved."""
    import io

    import openpyxl

    def make(root: Path) -> None:
        book = openpyxl.load_workbook(root / "output/2025/STP/theo-doi/STP-2025-BTTP.xlsx")  # two task rows: 5, 6
        sheet = book["Theo dõi"]
        sheet.delete_rows(5) if deleted else sheet.insert_rows(6)
        out = io.BytesIO()
        book.save(out)
        (root / name).write_bytes(out.getvalue())
    return make


@pytest.mark.parametrize(("deleted", "says"), [
    (False, "BTTP.xlsx: Theo dõi!A6: dòng 6 được chèn thêm vào bảng nhiệm vụ; phiếu không được thêm hay xóa dòng"),
    (True, "BTTP.xlsx: Theo dõi!A5: dòng 5 đã bị xóa khỏi bảng nhiệm vụ; phiếu không được thêm hay xóa dòng"),
], ids=["row-inserted", "row-deleted"])
def test_a_moved_row_is_one_problem(built, tmp_path, deleted, says):
    """Before: one inserted row gave a locked-cell problem for every cell below it (75 lines)."""
    case = Case({}, (*COLLECT, "BTTP.xlsx"), 2, ("BTTP.xlsx: không nhận:\n  " + says, "Đề nghị đơn vị điền vào phiếu gốc"),
                setup=_row_inserted("BTTP.xlsx", deleted))
    check_case(built, tmp_path, case)


def test_status_explains_a_hand_edited_plan(built, tmp_path):
    """Before: only "đã sửa tay", while the trackers had been rebuilt from the edited spec."""
    root = tmp_path / "ws"
    shutil.copytree(built, root)
    with zipfile.ZipFile(root / DOCX, "a") as archive:
        archive.writestr("customXml/sua-tay.xml", "<a/>")
    code, out = _run(root, ("status", "--agency", "STP", "--year", "2025"))
    assert (code, out.splitlines()) == (0, [
        f"{DOCX}: đã sửa tay",
        "  Phiếu theo dõi được xuất theo tệp kế hoạch, không theo bản sửa tay: ghi các sửa đổi vào tệp kế hoạch, "
        "hoặc xuất đè: kehoach build --agency STP --year 2025 --force (bản sửa tay được lưu lại bên cạnh)."])


def test_a_failed_pdf_writes_nothing_of_the_plan(built, tmp_path, monkeypatch):
    """``build --pdf`` of one plan: the PDF is part of the family; a converter failure leaves every file as it was."""
    from kehoach_gen.build import pdf
    from kehoach_gen.errors import OutputError

    def fails(files):  # noqa: ANN001, ANN202
        raise OutputError.single("LibreOffice báo lỗi khi chuyển PDF", exit_code=3, file=str(files[0].name))

    monkeypatch.setattr(pdf, "convert", fails)
    check_case(built, tmp_path, Case(EDITED, (*BUILD, "--pdf"), 3, ("KH-STP-2025.docx: LibreOffice báo lỗi",),
                                     located=False))


def test_a_plans_pdf_is_written_with_its_document(built, tmp_path, monkeypatch):
    from kehoach_gen.build import pdf

    def converts(files):  # noqa: ANN001, ANN202
        made = files[0].with_suffix(".pdf")
        made.write_bytes(b"%PDF-1.4 " + hashlib.sha256(files[0].read_bytes()).hexdigest().encode())
        return [made]

    monkeypatch.setattr(pdf, "convert", converts)
    root = tmp_path / "ws"
    check_case(built, tmp_path, Case(EDITED, (*BUILD, "--pdf"), 0, ("Đã cập nhật " + DOCX, "Đã tạo " + DOCX[:-5] + ".pdf"),
                                     untouched=False, located=False))
    docx = (root / DOCX).read_bytes()
    assert (root / DOCX).with_suffix(".pdf").read_bytes() == b"%PDF-1.4 " + hashlib.sha256(docx).hexdigest().encode()
    assert [p.name for p in (root / "output").rglob("*.tmp")] == []
    code, out = _run(root, (*BUILD, "--pdf"))
    assert (code, out.splitlines()) == (0, [f"Không đổi: {DOCX}"])


@pytest.mark.parametrize("command", [("trackers",), ("report", "--period", "Q1"), ("check",)], ids=lambda c: c[0])
def test_a_lower_case_agency_code_is_read_as_upper_case(built, tmp_path, command):
    """Before: ``--agency stp`` was refused, then (build only) accepted while report compared "stp" with STP."""
    check_case(built, tmp_path, Case({}, (command[0], "--agency", "stp", "--year", "2025", *command[1:]), 0, ("STP",),
                                     untouched=False, located=False))
