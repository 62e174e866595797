"""`kehoach lint`: check Word documents of every kind against shared/nd30.md, rule by rule (rule ids).

The reader (:mod:`.reader`) finds each part of the document by its content; the rules judge what
prints (:mod:`.rules_page`, :mod:`.rules_header`, :mod:`.rules_body`, :mod:`.rules_signature`);
each finding speaks to a clerk (:mod:`.findings`). Every file is reported on its own: a .doc, a PDF
or a broken file gets its own message and the others are still checked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .findings import Finding
from .reader import UnreadableDocument, read_document
from .reader_model import Nd30Document
from .rules_body import body_findings
from .rules_header import header_findings
from .rules_page import page_findings
from .rules_signature import signature_findings

__all__ = ["FileReport", "Finding", "as_json", "check", "lint", "lint_files"]


@dataclass(frozen=True)
class FileReport:
    """What `lint` found in one file: its findings, or why it could not be read."""

    file: str
    kind: str = ""
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None

    @property
    def status(self) -> str:
        if self.error:
            return "không đọc được"
        return "lỗi thể thức" if self.findings else "đạt"

    def lines(self) -> list[str]:
        if self.error:
            return [f"{self.file}: không đọc được: {self.error}"]
        summary = "đạt" if not self.findings else f"{len(self.findings)} lỗi thể thức"
        return [f.render(self.file) for f in self.findings] + [f"{self.file}: {self.kind.lower()}: {summary}"
                                                                 if self.kind else f"{self.file}: {summary}"]


def check(doc: Nd30Document) -> list[Finding]:
    """Every rule a document read by :func:`.reader.read_document` breaks, in reading order."""
    return page_findings(doc) + header_findings(doc) + body_findings(doc) + signature_findings(doc)


def lint(path: Path) -> list[Finding]:
    """Every rule the document at ``path`` breaks (:class:`UnreadableDocument` when it is not a .docx)."""
    return check(read_document(path))


def lint_files(paths: list[Path]) -> list[FileReport]:
    reports = []
    for path in paths:
        try:
            doc = read_document(path)
        except UnreadableDocument as exc:
            reports.append(FileReport(str(path), error=exc.problems[0].message))
            continue
        reports.append(FileReport(str(path), doc.kind.name, check(doc)))
    return reports


def as_json(reports: list[FileReport]) -> str:
    return json.dumps({r.file: {"status": r.status, "kind": r.kind, "error": r.error,
                                "findings": [f.as_dict() for f in r.findings]} for r in reports},
                      ensure_ascii=False, indent=1)
