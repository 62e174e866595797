"""The one place where a YAML parser's complaint becomes a located Vietnamese message.

ruamel.yaml explains a syntax error in English ("did not find expected '-' indicator") with a
0-based mark. Office staff get instead the line and column, what is wrong in their words, and
what to do. A complaint not in the table is still reported with its place, never in English.
"""

from __future__ import annotations

from typing import Any

from ..errors import Problem

_INDENT = "thụt lề không đều: các mục cùng cấp phải thẳng cột, dùng dấu cách (không dùng Tab)"
# (words in ruamel's problem text, Vietnamese explanation); first match wins
_PROBLEMS: tuple[tuple[str, str], ...] = (
    ("<tab>", "có ký tự Tab: thụt lề bằng dấu cách"),
    ("expected '-' indicator", "thụt lề không đều trong danh sách: mỗi mục \"- \" phải thẳng cột với các mục trước"),
    ("mapping values are not allowed",
     "dấu \":\" không đúng chỗ (văn bản có \": \" phải đặt trong ngoặc kép, hoặc thụt lề sai ở dòng này)"),
    ("could not find expected ':'", "thiếu dấu \":\" sau tên khóa (hoặc văn bản nhiều dòng thụt lề sai)"),
    ("but found '<scalar>'", "có chữ thừa sau giá trị, hoặc thụt lề sai (văn bản có dấu ngoặc kép ở giữa: đặt cả "
     "đoạn trong ngoặc đơn '…')"),
    ("expected <block end>", _INDENT),
    ("did not find expected key", _INDENT),
    ("expected <document start>", _INDENT),
    ("found undefined alias", "bí danh (*tên) chưa được khai báo bằng &tên"),
    ("found duplicate anchor", "nhãn &tên được khai báo hai lần"),
    ("unknown escape character", "ký tự sau dấu \\ trong ngoặc kép không hợp lệ (dùng ngoặc đơn '…' cho văn bản có \\)"),
    ("end of stream", "tệp kết thúc khi chưa đóng ngoặc kép, ngoặc [ ] hoặc { }"),
    ("expected ',' or ']'", "danh sách trong [ ] thiếu dấu \",\" giữa các mục hoặc thiếu dấu \"]\""),
    ("expected ',' or '}'", "mục trong { } thiếu dấu \",\" giữa các khóa hoặc thiếu dấu \"}\""),
    ("expected a comment or a line break", "có chữ thừa sau giá trị (văn bản có dấu ngoặc kép ở giữa cần đặt cả "
     "trong ngoặc đơn '…')"),
    ("cannot start any token", "ký tự này không được đứng đầu một giá trị (` @ %): đặt văn bản trong ngoặc kép"),
    ("found character", "ký tự không hợp lệ ở đây: đặt văn bản trong ngoặc kép"),
    ("control characters are not allowed", "có ký tự điều khiển không in được (ví dụ NUL, ESC): xóa ký tự này"),
    ("special characters are not allowed", "có ký tự đặc biệt không in được: xóa ký tự này"),
    ("expected alphabetic or numeric character", "sau dấu & hoặc * phải là tên (chữ, số): đặt văn bản trong ngoặc kép"),
    ("expected the node content", "thiếu giá trị (sau dấu \"-\", \",\" hoặc \":\")"),
)
HINT = "Kiểm tra thụt lề (dùng dấu cách, không dùng Tab) và dấu \":\" sau mỗi khóa."


def explain(problem: str) -> str:
    """Vietnamese for one parser complaint (the generic explanation when it is not in the table)."""
    folded = problem.lower()
    for words, text in _PROBLEMS:
        if words.lower() in folded:
            return text
    return "cấu trúc YAML không đúng ở đây"


def yaml_problem(exc: Any, shown: str, text: str) -> Problem:
    """A located problem for any ruamel.yaml error (a marked one, or a reader error with a position)."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = str(getattr(exc, "problem", None) or getattr(exc, "reason", None) or exc)
    line = column = None
    if mark is not None:
        line, column = mark.line + 1, mark.column + 1
        rows = text.splitlines()
        row = rows[line - 1] if line <= len(rows) else ""
        if row[column - 1:column] == "\t":
            problem = "<tab>"
        elif row[:column - 1].rstrip().endswith(("\"", "'")) and ": " in row[:column - 1]:  # title: "a" b
            problem = "but found '<scalar>'"
    character = getattr(exc, "character", None)
    if mark is None and isinstance(character, int):  # ReaderError: its position counts bytes, find the character
        problem += f" #x{character:04x}"
        at = text.find(chr(character))
        if at >= 0:
            line, column = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
    where = f" ở cột {column}" if column else ""
    found = _character(problem)
    return Problem(f"lỗi cú pháp YAML{where}: {explain(problem)}", file=shown, line=line, found=found)


def _character(problem: str) -> str | None:
    """The offending character when the parser names one (control characters by code point)."""
    import re

    if m := re.search(r"#x([0-9a-fA-F]{4})", problem):
        return f"ký tự U+{m[1].upper()}"
    return None
