"""Loading, merging and validating specs: precedence, provenance, and pinned messages."""

from __future__ import annotations

import pytest

from conftest import SPEC, write_tree
from kehoach_gen.errors import InputError
from kehoach_gen.spec.inputs import Target, parse_overrides, resolve

STP = Target("tinh-a", "STP", 2025)


def _messages(ws, target=STP, overrides=None) -> list[str]:
    with pytest.raises(InputError) as info:
        resolve(ws, target, overrides)
    return [p.render() for p in info.value.problems]


def test_merge_precedence_and_sources(small_ws):
    merged = resolve(small_ws, STP, parse_overrides(["number=7"]))
    plan = merged.plan
    # master < profile < spec < command line
    assert plan.number == 7
    assert merged.origin.locate(("number",))[0] == "dòng lệnh"
    assert plan.signer.name == "Nguyễn Văn A"  # from the profile
    assert merged.origin.locate(("signer", "name"))[:2] == ("plan_specs/tinh-a/registry.yaml", 19)
    assert plan.title == ("Kiểm soát thủ tục hành chính năm 2025", "tại Sở Tư pháp tỉnh A")  # master + profile
    assert merged.origin.locate(("date",))[:2] == ("plan_specs/tinh-a/STP/2025.yaml", 4)
    task = plan.groups[0].tasks[0]
    # master content and deadline, spec assignment
    assert task.content == ("Ban hành kế hoạch kiểm soát TTHC năm 2025",)
    assert task.parts[0].deadline.kind == "by_date"
    assert task.parts[0].lead == ("VP",)
    assert merged.origin.locate(("groups", 0, "tasks", 0, "content"))[:2] == ("plan_specs/tinh-a/master-2025.yaml", 24)
    assert merged.origin.locate(("groups", 0, "tasks", 0, "parts", 0, "lead"))[:2] == (
        "plan_specs/tinh-a/STP/2025.yaml", 7)
    # the dropped task's group disappears, the drop is kept with its reason
    assert [g.id for g in plan.groups] == ["chi-dao"]
    assert plan.dropped[0].reason == "Văn phòng Sở báo cáo chung"
    assert merged.uncovered == ()


def test_coverage_lists_master_tasks_neither_used_nor_dropped(small_ws):
    spec = small_ws.spec_file("tinh-a", "STP", 2025)
    spec.write_text(SPEC.split("drop:")[0], encoding="utf-8")
    assert resolve(small_ws, STP).uncovered == ("bao-cao.dinh-ky",)


def test_added_task_and_override_of_master_text(small_ws):
    spec = small_ws.spec_file("tinh-a", "STP", 2025)
    head, drop = SPEC.split("drop:")
    spec.write_text(head + """\
  - id: chi-dao.stp-rieng
    group: chi-dao
    content: Việc riêng của Sở
    lead: [BTTP]
    deadline: Trong quý I, II/2025
drop:""" + drop, encoding="utf-8")
    plan = resolve(small_ws, STP).plan
    added = plan.groups[0].tasks[-1]
    assert added.id == "chi-dao.stp-rieng"
    assert added.parts[0].deadline.quarters == (1, 2)


def _replace(ws, name: str, old: str, new: str) -> None:
    path = ws.root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


SPEC_FILE = "plan_specs/tinh-a/STP/2025.yaml"
REG_FILE = "plan_specs/tinh-a/registry.yaml"
MASTER_FILE = "plan_specs/tinh-a/master-2025.yaml"

BAD = [
    pytest.param(SPEC_FILE, "    lead: [VP]\n", "    lead: [VPS]\n",
                 ["plan_specs/tinh-a/STP/2025.yaml:7: tasks.chi-dao.ke-hoach.lead[1]: đơn vị \"VPS\" không có trong "
                  "danh sách đơn vị của STP (cần một trong: ALL, BTTP, VP, gặp \"VPS\")"], id="unknown-unit"),
    pytest.param(SPEC_FILE, "    lead: [VP]\n", "    lead: [VP]\n    deadine: Thường xuyên\n",
                 ["plan_specs/tinh-a/STP/2025.yaml:8: tasks.chi-dao.ke-hoach.deadine: trường không có trong mẫu "
                  "(có phải \"deadline\"?) (cần một trong: id, group, content, parts, results, lead, coordinate, "
                  "assignment, lead_text, coordinate_text, deadline, note, items, lettered, align, "
                  "gặp \"deadine\")"], id="typo-key"),
    pytest.param(SPEC_FILE, "number: 2\n", "number: hai\n",
                 ["plan_specs/tinh-a/STP/2025.yaml:3: number: sai kiểu dữ liệu (cần một số nguyên, gặp \"hai\")"],
                 id="wrong-type"),
    pytest.param(SPEC_FILE, "date: 2025-01-26\n", "date: {day: 31, month: 4, year: 2025}\n",
                 ["plan_specs/tinh-a/STP/2025.yaml:4: date: ngày 31/04/2025 không có thật: tháng 4 năm 2025 có 30 ngày"], id="impossible-date"),
    pytest.param(SPEC_FILE, "date: 2025-01-26\n", "date: 2027-01-26\n",
                 ["plan_specs/tinh-a/STP/2025.yaml:4: date: ngày ban hành không thuộc năm của kế hoạch "
                  "(cần năm 2024–2025, gặp 2027)"], id="date-outside-years"),
    pytest.param(SPEC_FILE, "  - id: chi-dao.van-ban\n", "  - id: chi-dao.ke-hoach\n",
                 ["plan_specs/tinh-a/STP/2025.yaml:9: tasks.chi-dao.ke-hoach: mã nhiệm vụ bị lặp (đã dùng ở mục thứ 1) "
                  "(gặp \"chi-dao.ke-hoach\")"], id="duplicate-task"),
    pytest.param(SPEC_FILE, "  - id: chi-dao.van-ban\n", "  - id: chi-dao.khong-co\n",
                 ["plan_specs/tinh-a/STP/2025.yaml:9: tasks.chi-dao.khong-co: nhiệm vụ không có trong Kế hoạch tỉnh "
                  "nên cần ghi nhóm (group) (cần group: <mã nhóm>, một trong: chi-dao, bao-cao, "
                  "gặp \"chi-dao.khong-co\")"], id="unknown-task"),
    pytest.param(SPEC_FILE, "  - id: bao-cao.dinh-ky\n", "  - id: bao-cao.khong-co\n",
                 ["plan_specs/tinh-a/STP/2025.yaml:12: drop.bao-cao.khong-co.id: không có nhiệm vụ này trong Kế hoạch tỉnh "
                  "(gặp \"bao-cao.khong-co\")"], id="drop-unknown"),
    pytest.param(SPEC_FILE, "    lead: [BTTP]\n", "    lead: [BTTP]\n    deadline: Trước ngày 31/01/2030\n",
                 ["plan_specs/tinh-a/STP/2025.yaml:11: tasks.chi-dao.van-ban.deadline: thời hạn nằm ngoài thời gian "
                  "của kế hoạch (cần năm 2025, gặp năm 2030)"], id="deadline-outside"),
    pytest.param(SPEC_FILE, "    lead: [BTTP]\n", "    lead: [BTTP]\n    deadline: Theo hướng dẫn của tỉnh\n",
                 ["plan_specs/tinh-a/STP/2025.yaml:11: tasks.chi-dao.van-ban.deadline: không nhận ra loại thời hạn "
                  "của \"Theo hướng dẫn của tỉnh\"; ghi dạng {text: …, kind: …} với kind là một trong: ongoing, "
                  "by_date, quarters, recurring, on_demand, year_range"], id="deadline-unknown-wording"),
    pytest.param(SPEC_FILE, "agency: STP\n", "agency: SNV\n",
                 ["plan_specs/tinh-a/STP/2025.yaml:1: agency: giá trị khác tên tệp/thư mục (cần STP, gặp SNV)"],
                 id="agency-mismatch"),
    pytest.param(SPEC_FILE, "number: 2\n", "number: 2\n  bad: [\n",
                 ["plan_specs/tinh-a/STP/2025.yaml:4: lỗi cú pháp YAML ở cột 6: dấu \":\" không đúng chỗ (văn bản có \": \" "
                  "phải đặt trong ngoặc kép, hoặc thụt lề sai ở dòng này)"],
                 id="yaml-syntax"),
    pytest.param(SPEC_FILE, "number: 2\n", "number: !!python/object:os.system 2\n",
                 ["plan_specs/tinh-a/STP/2025.yaml:3: number: thẻ YAML không được phép (dữ liệu chỉ gồm văn bản, "
                  "số, ngày, danh sách, mục) (gặp !!python/object:os.system)"], id="yaml-tag"),
    pytest.param(SPEC_FILE, "number: 2\n", "number: 2\nnumber: 3\n",
                 ["plan_specs/tinh-a/STP/2025.yaml:4: number: khóa bị lặp lại trong cùng một mục (đã có ở dòng 3)"],
                 id="duplicate-key"),
    pytest.param(REG_FILE, "      - {code: BTTP, name: Phòng Bổ trợ tư pháp}\n",
                 "      - {code: VP, name: Phòng Bổ trợ tư pháp}\n",
                 ["plan_specs/tinh-a/registry.yaml:12: agencies.STP.units.VP.code: mã đơn vị bị lặp (gặp \"VP\")",
                  "plan_specs/tinh-a/registry.yaml:14: agencies.STP.unit_groups.ALL.units[2]: không có đơn vị này "
                  "(cần một trong: VP, gặp \"BTTP\")"],
                 id="duplicate-unit"),
    pytest.param(MASTER_FILE, "      - id: chi-dao.van-ban\n", "      - id: chi-dao.ke-hoach\n",
                 ["plan_specs/tinh-a/master-2025.yaml:27: groups.chi-dao.tasks.chi-dao.ke-hoach.id: "
                  "mã nhiệm vụ bị lặp (gặp \"chi-dao.ke-hoach\")"], id="master-duplicate-task"),
    pytest.param(SPEC_FILE, "number: 2\n", "number: 2\nlayout:\n  kind: appendix\n  appendices:\n"
                 "    - {title: A, groups: [chi-dao, khac]}\n    - {title: B}\n",
                 ["plan_specs/tinh-a/STP/2025.yaml:7: layout.appendices[1].groups[2]: không có nhóm này trong kế hoạch "
                  "(cần một trong: chi-dao, gặp \"khac\")",
                  "plan_specs/tinh-a/STP/2025.yaml:8: layout.appendices[2].groups: khi có nhiều phụ lục, mỗi phụ lục cần "
                  "ghi các nhóm của mình (cần groups: [mã nhóm, …], gặp không có)"], id="appendix-groups"),
    pytest.param(SPEC_FILE, "    lead: [BTTP]\n", "    lead: [BTTP]\n    items:\n      - {label: Chỉ tiêu, text: 100%}\n",
                 ["plan_specs/tinh-a/STP/2025.yaml:11: tasks.chi-dao.van-ban.items: các ý thêm (items) chỉ được in khi "
                  "trình bày văn xuôi (cần layout: {kind: prose}, hoặc ghi các ý này vào results, gặp layout.kind: "
                  "table)"], id="items-in-a-table"),
    pytest.param(SPEC_FILE, "    lead: [BTTP]\n", "    lead: [BTTP]\n    results: \"a\\u0007b\"\n",
                 ["plan_specs/tinh-a/STP/2025.yaml:11: tasks.chi-dao.van-ban.results[1]: "
                  "ký tự điều khiển U+0007 không được phép trong văn bản"], id="control-char"),
]


@pytest.mark.parametrize(("name", "old", "new", "expected"), BAD)
def test_bad_input_messages(small_ws, name, old, new, expected):
    _replace(small_ws, name, old, new)
    assert _messages(small_ws) == expected


def test_every_problem_is_reported_at_once(small_ws):
    _replace(small_ws, SPEC_FILE, "number: 2\n", "number: hai\n")
    _replace(small_ws, REG_FILE, "      - {code: BTTP, name: Phòng Bổ trợ tư pháp}\n",
             "      - {code: VP, name: Phòng Bổ trợ tư pháp}\n")
    assert _messages(small_ws) == [
        "plan_specs/tinh-a/registry.yaml:12: agencies.STP.units.VP.code: mã đơn vị bị lặp (gặp \"VP\")",
        "plan_specs/tinh-a/registry.yaml:14: agencies.STP.unit_groups.ALL.units[2]: không có đơn vị này "
        "(cần một trong: VP, gặp \"BTTP\")",
        "plan_specs/tinh-a/STP/2025.yaml:3: number: sai kiểu dữ liệu (cần một số nguyên, gặp \"hai\")",
    ]


@pytest.mark.parametrize(("code", "expected"), [
    ("SXX", "plan_specs/tinh-a/registry.yaml: --agency: không có cơ quan \"SXX\" trong danh mục của tỉnh Tỉnh A "
            "(cần một trong: STP, SNV, gặp \"SXX\")"),
    ("S", "plan_specs/tinh-a/registry.yaml: --agency: mã cơ quan \"S\" không rõ ràng "
          "(cần một trong: STP, SNV, gặp \"S\")"),
    ("../X", "--agency: mã cơ quan không hợp lệ (cần chữ in hoa không dấu, số hoặc _ (ví dụ STP), gặp \"../X\")"),
])
def test_unknown_ambiguous_or_unsafe_agency(small_ws, code, expected):
    if code != "../X":
        write_tree(small_ws.root, {f"plan_specs/tinh-a/{code}/2025.yaml": SPEC.replace("STP", code)})
    assert _messages(small_ws, Target("tinh-a", code, 2025)) == [expected]


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "plan_specs/tinh-a/STP/2025.yaml: tệp rỗng (cần nội dung YAML)"),
    (b"   \n\n", "plan_specs/tinh-a/STP/2025.yaml: tệp rỗng (cần nội dung YAML)"),
    (b"agency: STP\n\xff\xfe\x00binary", "plan_specs/tinh-a/STP/2025.yaml:2: tệp không phải văn bản UTF-8 (có thể là tệp "
                                          "nhị phân) (cần văn bản YAML mã hóa UTF-8, gặp byte 0xFF)"),
    (b"a: b\n" * 1_300_000, "plan_specs/tinh-a/STP/2025.yaml: tệp quá lớn (cần tối đa 6.000.000 byte, gặp 6.500.000 byte)"),
    (b"year: 1999\n", None),
])
def test_files_that_are_not_specs(small_ws, content, expected):
    spec = small_ws.spec_file("tinh-a", "STP", 2025)
    if expected is None:  # a year out of range, alongside the other fields
        spec.write_text(SPEC.replace("year: 2025", "year: 1999"), encoding="utf-8")
        assert _messages(small_ws)[0] == (
            "plan_specs/tinh-a/STP/2025.yaml:2: year: giá trị quá nhỏ (cần từ 2000 trở lên, gặp 1999)")
        return
    spec.write_bytes(content)
    assert _messages(small_ws) == [expected]


def test_nfd_text_is_stored_nfc_and_specials_stay_data(small_ws):
    import unicodedata

    spec = small_ws.spec_file("tinh-a", "STP", 2025)
    nfd = unicodedata.normalize("NFD", "Phối hợp <b>&amp; {{ 7*7 }} {% if %}")
    spec.write_text(SPEC.replace("    lead: [BTTP]\n", f"    lead: [BTTP]\n    results: \"{nfd}\"\n"), encoding="utf-8")
    results = resolve(small_ws, STP).plan.groups[0].tasks[1].parts[0].results
    assert results == ("Phối hợp <b>&amp; {{ 7*7 }} {% if %}",)
    assert unicodedata.is_normalized("NFC", results[0])


def test_very_long_text_is_refused_with_its_length(small_ws):
    spec = small_ws.spec_file("tinh-a", "STP", 2025)
    spec.write_text(SPEC.replace("    lead: [BTTP]\n", "    lead: [BTTP]\n    results: \"" + "x" * 20_001 + "\"\n"),
                    encoding="utf-8")
    assert _messages(small_ws) == ["plan_specs/tinh-a/STP/2025.yaml:11: tasks.chi-dao.van-ban.results[1]: văn bản quá dài "
                                   "(20001 ký tự, tối đa 20000)"]


@pytest.mark.parametrize(("name", "old", "new", "expected"), BAD)
def test_bad_input_through_the_cli(small_ws, name, old, new, expected):
    """The same inputs through the real command: exit 2, the messages, no traceback, nothing written."""
    import subprocess
    import sys
    from pathlib import Path

    _replace(small_ws, name, old, new)
    result = subprocess.run([str(Path(sys.executable).parent / "kehoach"), "build", "--agency", "STP", "--year", "2025"],
                            cwd=small_ws.root, capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert [line.strip() for line in result.stderr.splitlines()[1:1 + len(expected)]] == expected
    assert result.stderr.splitlines()[-1] == "Chưa ghi tệp nào."
    assert not (small_ws.root / "output").exists()


@pytest.mark.parametrize(("wording", "kind", "extra"), [
    ("Thường xuyên", "ongoing", {}),
    ("Trước ngày 31/01/2025", "by_date", {"date": __import__("datetime").date(2025, 1, 31)}),
    ("Trong quý I, II/2025", "quarters", {"quarters": (1, 2), "from_year": 2025}),
    ("Hằng tháng, trước ngày 22", "recurring", {"every": "month", "day": 22}),
    ("Báo cáo hằng tháng trước ngày 25/01/2025", "recurring", {"every": "month", "day": 25}),
    ("Định kỳ hằng quý, trước ngày 15/3, 15/6, 15/9, 15/12", "recurring", {"every": "quarter", "day": 15}),
    ("Trong quý II/2025 và quý III/2025", "quarters", {"quarters": (2, 3), "from_year": 2025}),
    ("Trong 6 tháng đầu năm 2025", "by_date", {"date": __import__("datetime").date(2025, 6, 30)}),
    ("Trong 6 tháng cuối năm 2025", "by_date", {"date": __import__("datetime").date(2025, 12, 31)}),
    ("Tháng 3/2025", "by_date", {"date": __import__("datetime").date(2025, 3, 31)}),
    ("Định kỳ hàng quý và năm (trước ngày 19 của tháng cuối quý và trước ngày 19/12)", "recurring",
     {"every": "quarter", "day": 19}),
    ("Khi có phát sinh", "on_demand", {}),
    ("Năm 2023-2025", "year_range", {"from_year": 2023, "to_year": 2025}),
    ("Trong năm 2025", "year_range", {"from_year": 2025, "to_year": 2025}),
    ("Thực hiện năm 2021 và các năm tiếp theo", "ongoing", {"from_year": 2021}),
])
def test_deadline_kinds_from_wording(wording, kind, extra):
    from kehoach_gen.spec.deadlines import Deadline

    deadline = Deadline.model_validate(wording)
    assert deadline.kind == kind and deadline.text == (wording,)
    for name, value in extra.items():
        assert getattr(deadline, name) == value


BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))


@pytest.mark.parametrize(("text", "expected"), [
    (BOMB, ["x.yaml: tệp có quá nhiều mục (có thể do bí danh YAML * lặp lại) "
            "(cần tối đa 500.000 mục, gặp hơn 500.000 mục)"]),
    # Too deep is said as such, at the line where the limit is passed (it was "gặp hơn 67 mục").
    ("x: " + "[" * 70 + "]" * 70 + "\n", ["x.yaml:1: các mục lồng nhau quá sâu (cần tối đa 64 mức, gặp hơn 64 mức)"]),
    ("x:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 70)) + "  " * 70 + "v: 1\n",
     ["x.yaml:66: các mục lồng nhau quá sâu (cần tối đa 64 mức, gặp hơn 64 mức)"]),
    ("a: 1\n!!python/name:os.system : 2\n", ["x.yaml:2: thẻ YAML không được phép ở tên khóa "
                                             "(gặp !!python/name:os.system)"]),
    ("a: 1\n[b]: 2\n", ["x.yaml:2: tên khóa phải là chữ (gặp danh sách hoặc mục)"]),
    ("a: 1\nb: 2\na: 3\nb: 4\n", ["x.yaml:3: a: khóa bị lặp lại trong cùng một mục (đã có ở dòng 1)",
                                   "x.yaml:4: b: khóa bị lặp lại trong cùng một mục (đã có ở dòng 2)"]),
    # a tag with a value its constructor cannot read (these were tracebacks: IndexError, KeyError, ConstructorError)
    ("year: !!int\n", ["x.yaml:1: year: giá trị không đọc được (gặp \"\")"]),
    ("year: !!int _\n", ["x.yaml:1: year: giá trị không đọc được (gặp \"_\")"]),
    ("ok: !!bool x\n", ["x.yaml:1: ok: giá trị không đọc được (gặp \"x\")"]),
    ("at: !!timestamp sáng mai\n", ["x.yaml:1: at: giá trị không đọc được (gặp \"sáng mai\")"]),
    # a tag on the wrong kind of value (a mapping tagged !!str was a list of ruamel's nodes)
    ("a:\n  b: !!str {c: 1}\n", ["x.yaml:2: a.b: thẻ YAML không khớp với loại giá trị (!!map cho mục, !!seq cho "
                                 "danh sách, thẻ khác cho một giá trị) (gặp !!str)"]),
    ("lead: !!int [1]\n", ["x.yaml:1: lead: thẻ YAML không khớp với loại giá trị (!!map cho mục, !!seq cho danh "
                            "sách, thẻ khác cho một giá trị) (gặp !!int)"]),
    ("units: !!map VP\n", ["x.yaml:1: units: thẻ YAML không khớp với loại giá trị (!!map cho mục, !!seq cho danh "
                            "sách, thẻ khác cho một giá trị) (gặp !!map)"]),
])
def test_yaml_that_is_refused(tmp_path, text, expected):
    from kehoach_gen.spec.loading import load_yaml

    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_yaml(path, "x.yaml")
    assert [p.render() for p in caught.value.problems] == expected


def test_yaml_scalars_lines_and_merge_keys(tmp_path):
    """YAML 1.2 scalars (``no`` and ``on`` stay text), dates, the line of every key and item, and
    ``<<: *anchor`` merges where the keys written in place win."""
    import datetime as dt

    from kehoach_gen.spec.loading import load_yaml

    path = tmp_path / "x.yaml"
    path.write_text("base: &b {lead: [VP], deadline: Thường xuyên}\n"
                    "tasks:\n"
                    "  - id: a\n"
                    "    <<: *b\n"
                    "    lead: [TTR]\n"
                    "  - no\n"
                    "flags: [on, off, yes, true, 0o17, 1.5, ~, 2025-01-31]\nwhen: 2025-01-31 08:30:00\n", encoding="utf-8")
    loaded = load_yaml(path)
    assert loaded.data["tasks"] == [{"id": "a", "lead": ["TTR"], "deadline": "Thường xuyên"}, "no"]
    assert loaded.data["flags"] == ["on", "off", "yes", True, 15, 1.5, None, dt.date(2025, 1, 31)]
    assert loaded.data["when"] == dt.datetime(2025, 1, 31, 8, 30)
    assert {k: v for k, v in loaded.lines.items() if k[0] == "tasks"} == {
        ("tasks",): 2, ("tasks", 0): 3, ("tasks", 0, "id"): 3, ("tasks", 0, "lead"): 5, ("tasks", 0, "lead", 0): 5,
        ("tasks", 0, "deadline"): 1, ("tasks", 1): 6}  # a merged key is found where the anchor wrote it


def test_registry_and_master_are_shared_in_a_process_but_never_stale(small_ws):
    """A batch reads the registry and master once per process; an edit between two plans is seen."""
    first = resolve(small_ws, STP)
    again = resolve(small_ws, STP)
    assert again.master is first.master  # the same checked master plan, not read again
    _replace(small_ws, REG_FILE, "Phòng Bổ trợ tư pháp", "Phòng Bổ trợ tư pháp và Công chứng")
    _replace(small_ws, MASTER_FILE, "title: Công tác chỉ đạo điều hành", "title: Công tác chỉ đạo, điều hành")
    edited = resolve(small_ws, STP)
    assert [u.name for u in edited.agency.units][-1] == "Phòng Bổ trợ tư pháp và Công chứng"
    assert edited.master is not first.master and edited.master.groups[0].title == "Công tác chỉ đạo, điều hành"



SCALARS = ["no", "on", "off", "yes", "Yes", "true", "True", "TRUE", "false", "null", "Null", "~", "nhom-1.viec-2",
           "0o17", "017", "0x1F", "1_000", "-3", "+4", "1.5", ".5", "-.inf", ".NaN", "1e3", "2025-01-31",
           "2025-1-3", "2025-01-31 08:30:00", "Rà soát", "VP", "Thường xuyên", "Quý I",
           "12/2025", "tháng 3", "0", "00", "30/6/2025", "t", "n", "N/A", "'no'", "''", '"1"']


@pytest.mark.parametrize("version", ["", "%YAML 1.1\n---\n"])
def test_fast_resolver_gives_ruamel_s_tags(tmp_path, version):
    """The loader's resolver answers "text" without trying patterns for most texts: every scalar still gets
    the tag ruamel's own resolver gives it, and the value (YAML 1.2, and 1.1 when the document says so)."""
    from ruamel.yaml import YAML

    from kehoach_gen.spec.loading import load_yaml
    from kehoach_gen.spec.yaml_resolver import resolver

    text = version + "".join(f"k{i}: {value}\n" for i, value in enumerate(SCALARS)) + "empty:\n"
    ours, stock = YAML(typ="safe", pure=False), YAML(typ="safe", pure=False)
    ours.Resolver = resolver()
    assert [(k.value, v.tag) for k, v in ours.compose(text).value] == [
        (k.value, v.tag) for k, v in stock.compose(text).value]
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    expected = stock.load(text)
    for key, value in load_yaml(path).data.items():
        want = expected[key]
        if type(want).__name__ == "datetime" and (want.hour, want.minute, want.second) == (0, 0, 0):
            want = want.date()  # the loader's documented choice: a date written without a time is a date
        assert (value, type(value)) == (want, type(want)), key


def _paths(value, path=()):
    yield path
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list | tuple) else ()
    for key, item in items:
        yield from _paths(item, (*path, key))


def test_task_mounts_looked_up_when_asked_give_every_path_s_place(small_ws):
    """A task's keys are mounted together and worked out when asked: every path of the merged plan (and
    paths below and beside them) is placed as with each key mounted on its own."""
    from kehoach_gen.spec.merge import Origin

    merged = resolve(small_ws, STP)
    origin = merged.origin
    eager = Origin(dict(origin.mounts))
    for (gi, ti), task in origin.tasks.items():
        for sub, hit in task.mounts().items():
            eager.mount(("groups", gi, "tasks", ti, *sub), *hit)
    assert origin.tasks and len(eager.mounts) > len(origin.mounts) + len(origin.tasks)
    paths = list(_paths(merged.plan.model_dump()))
    paths += [(*p, "x", 0) for p in paths] + [("groups", 0, "tasks", 999, "content"), ("groups", "x", "tasks", 0)]
    for path in paths:
        assert origin.locate(path) == eager.locate(path), path
    assert origin.locate(("groups", 0, "tasks", 0, "content"))[:2] != (None, None)


def test_line_maps_are_made_only_when_a_message_needs_them(small_ws, tmp_path):
    """A plan that passes its checks never maps its files' lines (82,000 entries for a 10,000-task master);
    the map, made when asked for, is the one made while reading a file with a problem."""
    from kehoach_gen.spec.loading import load_yaml

    merged = resolve(small_ws, STP)
    loaded = {id(s.loaded): s.loaded for s, _ in merged.origin.mounts.values()}
    loaded.update({id(t.spec.loaded): t.spec.loaded for t in merged.origin.tasks.values()})
    assert len(loaded) >= 3 and all(one._lines is None for one in loaded.values() if one.file.suffix == ".yaml")
    path = tmp_path / "x.yaml"
    path.write_text("a: 1\nb:\n  - x\n  - {c: 2}\n", encoding="utf-8")
    assert load_yaml(path).lines == {("a",): 1, ("b",): 2, ("b", 0): 3, ("b", 1): 4, ("b", 1, "c"): 4}
    path.write_text("a: 1\nb:\n  - x\n  - {c: 2, c: 3}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_yaml(path, "x.yaml")
    assert [p.render() for p in caught.value.problems] == [
        "x.yaml:4: b.1.c: khóa bị lặp lại trong cùng một mục (đã có ở dòng 4)"]
