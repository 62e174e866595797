"""Signature and recipients rules (nd30 S1–S4)."""

from __future__ import annotations

import re

from .findings import FIX_CENTER, Finding, compact, missing, pt, quoted, size_finding, style_finding, upper_finding
from .reader_model import Nd30Document, Run, Signature
from .vntext import fold


def signature_findings(doc: Nd30Document) -> list[Finding]:
    sig = doc.signature
    if sig is None:
        return [missing("S3", "cuối văn bản", "bảng ký: \"Nơi nhận:\" bên trái, chức vụ và họ tên người ký bên phải")]
    out: list[Finding] = []
    if sig.heading is not None:
        out += compact([size_finding("S3", "dòng", sig.heading, 12, 12)])
        out += style_finding("S3", "dòng", sig.heading, bold=True, italic=True)
    out += _recipients(doc)
    for line in sig.authority:
        out += compact([upper_finding("S1", "chức vụ người ký", line),
                        size_finding("S1", "chức vụ người ký", line, 13, 14, 14)])
        out += style_finding("S1", "chức vụ người ký", line, bold=True)
    out += _centred(sig)
    if sig.signer is None:
        out.append(missing("S2", "bảng ký, bên phải", "họ tên người ký, đậm"))
    else:
        out += compact([size_finding("S2", "họ tên người ký", sig.signer, 13, 14, 14)])
        out += style_finding("S2", "họ tên người ký", sig.signer, bold=True)
    return out


def _initials(run: Run) -> bool:
    """The drafter's name in brackets, printed small on purpose like a subscript: "(Bích)", "(Tú, Bích)"."""
    return run.size is not None and run.size < 11 and bool(re.fullmatch(r"\([^()]{1,30}\)[;.]?", run.text.strip()))


def _centred(sig: Signature) -> list[Finding]:
    """S1/S2: the signer's title and name centred in the right column."""
    for rule, line in [*(("S1", a) for a in sig.authority), ("S2", sig.signer)]:
        if line is not None and line.align != "center":
            where = "chức vụ người ký" if rule == "S1" else "họ tên người ký"
            return [Finding(rule, f"{where} {quoted(line)}", "không ở giữa cột", "căn giữa trong cột bên phải", FIX_CENTER)]
    return []


def _recipients(doc: Nd30Document) -> list[Finding]:
    """S4: recipients 11 pt, upright, the last line "- Lưu: …"; one finding per kind of fault."""
    lines = doc.signature.recipients if doc.signature else ()
    out: list[Finding] = []
    wrong = [(line, r) for line in lines for r in line.printed if r.size != 11 and not _initials(r)]
    if wrong:
        line, run = wrong[0]
        whole = all(r.size == run.size for line2 in lines for r in line2.printed)
        part = "" if whole else run.text.strip()
        found = f"cỡ chữ {pt(run.size)}" + (f" ở \"{part}\"" if part else "")
        out.append(Finding("S4", f"nơi nhận {quoted(line)}" if part else "các dòng nơi nhận", found, "cỡ chữ 11 pt",
                           "chọn " + ("chữ đó" if part else "các dòng nơi nhận") + ", Home ▸ Font Size: 11", part))
    for line in lines:
        found = style_finding("S4", "nơi nhận", line, bold=False, italic=False)
        if found:
            out.append(found[0])
            break
    if lines and not fold(lines[-1].text).startswith("- lưu"):
        out.append(Finding("S4", f"dòng nơi nhận cuối {quoted(lines[-1])}", "không phải dòng lưu",
                           "\"- Lưu: VT, <đơn vị soạn thảo>.\"", "thêm dòng \"- Lưu: VT, …\" cuối nơi nhận"))
    return out
