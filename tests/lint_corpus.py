"""Helpers for the tests of `kehoach lint` on corpora of real Word documents (tests/real-docx, tests/public-docx).

A corpus table maps each file to the kind the reader must find and its defects, each checked by hand
against the document (XML, styles resolved as Word does, the page rendered): (rule id, text the
finding must contain). Lint must report exactly these: a finding not in the table is a false alarm,
a row it does not report is a real defect it misses.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from kehoach_gen.word.findings import Finding
from kehoach_gen.word.lint import lint

Table = dict[str, tuple[str, list[tuple[str, str]]]]


def matches(findings: list[Finding], rule: str, text: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule and text in f.render("")]


def compare(folder: Path, name: str, expected: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], list[str]]:
    """(defects of the table lint misses, findings lint reports that are not in the table)."""
    findings = lint(folder / name)
    unmatched, missed = list(findings), []
    for rule, text in expected:
        hits = matches(unmatched, rule, text)
        if len(hits) == 1:
            unmatched.remove(hits[0])
        else:
            missed.append((rule, text))
    return missed, [f.render("") for f in unmatched]


def score(corpora: list[tuple[Path, Table]]) -> tuple[int, int, int]:
    """(true findings, findings, real defects) over the corpora."""
    true = found = defects = 0
    for folder, table in corpora:
        for name, (_, expected) in table.items():
            findings = lint(folder / name)
            found += len(findings)
            defects += len(expected)
            missed, _ = compare(folder, name, expected)
            true += len(expected) - len(missed)
    return true, found, defects


def published_copies(folder: Path) -> list[tuple[str, str, int]]:
    """(file, git blob id prefix, bytes) of each row of the folder's README table."""
    lines = (folder / "README.md").read_text(encoding="utf-8").splitlines()
    header = next(line for line in lines if line.startswith("| file |"))
    columns = [c.strip() for c in header.split("|")]
    rows = [line.split("|") for line in lines if line.startswith("| ") and line.split("|")[1].strip().endswith(".docx")]
    blob, size = columns.index("blob"), columns.index("bytes")
    return [(r[1].strip(), r[blob].strip().strip("`"), int(r[size].strip())) for r in rows]


def blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
