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
    pytest.param(Case({SPEC_FILE: "x: " + "a" * 2_100_000 + "\n"}, BUILD, 2, (SPEC_FILE, "tệp quá lớn"),
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
