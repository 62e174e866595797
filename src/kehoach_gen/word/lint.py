"""`kehoach lint`: check any Word document against shared/nd30.md, rule by rule (rule ids).

Each finding says where (paragraph text, table and cell), what was found and what the decree
asks. Formatting is resolved as Word does (docx_facts). The checks read the document's
structure the way a clerk would: the header table first, the title after it, the body, the
signature table with "Nơi nhận:".
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .docx_facts import Styles, W, has_bottom_border, paragraph_prop, run_facts, text_of
from ..errors import InputError

FONT = "Times New Roman"
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
_DATE = re.compile(r"^.+, ngày (\s+|0[1-9]|[12][0-9]|3[01]) tháng (0[12]|[3-9]|1[0-2]) năm \d{4}$")
_NUMBER = re.compile(r"^Số:(\s?(0[1-9]|[1-9]\d+)|\s{2,})/[A-ZĐa-z]+(-[A-ZĐ0-9a-z&]+)+$")


@dataclass(frozen=True)
class Finding:
    rule: str
    where: str
    found: str
    expected: str

    def render(self, file: str) -> str:
        return f"{file}: {self.rule}: {self.where}: {self.found} (cần {self.expected})"


def lint(path: Path) -> list[Finding]:
    """Every rule the document breaks."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        doc = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError.single("không mở được tệp Word (.docx): tệp hỏng, không phải .docx, hoặc là tệp .doc cũ",
                                file=str(path), hint="Mở tệp trong Word và lưu lại dạng .docx, rồi chạy lại lệnh.") from None
    checker = _Checker(doc)
    checker.run()
    return checker.findings


class _Checker:
    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.body = doc.element.body
        self.styles = Styles(doc.styles.element)
        self.findings: list[Finding] = []

    def fail(self, rule: str, where: str, found: str, expected: str) -> None:
        self.findings.append(Finding(rule, where, found, expected))

    def run(self) -> None:
        self.page()
        self.fonts()
        tables = self.body.findall(f"{W}tbl")
        if not tables:
            self.fail("H1", "đầu văn bản", "không có bảng tiêu đề (cơ quan ban hành | Quốc hiệu)", "bảng 2 cột không viền")
            return
        self.header(tables[0])
        signature = next((t for t in reversed(tables) if "Nơi nhận" in text_of(t)), None)
        self.title(tables[0], signature)
        if signature is None:
            self.fail("S3", "cuối văn bản", "không có \"Nơi nhận:\"", "bảng ký có \"Nơi nhận:\" ở cột trái")
            return
        self.body_end(signature)
        self.signature(signature)

    # ---------------------------------------------------------------- page
    def page(self) -> None:
        sections = self.doc.sections
        first = sections[0]
        size = (first.page_width.twips if first.page_width else None, first.page_height.twips if first.page_height else None)
        if size not in ((11906, 16838), (11907, 16839), (11905, 16837)):
            self.fail("P1", "trang đầu", f"khổ {size[0]}x{size[1]} twips", "A4 dọc 11906x16838")
        ranges = {"top": (1134, 1417, "20–25 mm"), "bottom": (1134, 1417, "20–25 mm"),
                  "left": (1701, 1984, "30–35 mm"), "right": (851, 1134, "15–20 mm")}
        for index, section in enumerate(sections, start=1):
            for side, (low, high, text) in ranges.items():
                value = getattr(section, f"{side}_margin")
                if value is None or not low - 3 <= value.twips <= high + 3:
                    mm = round(value.mm, 1) if value is not None else "không đặt"
                    self.fail("P2", f"phần {index}, lề {side}", f"{mm} mm", text)
        sect = first._sectPr
        if sect.find(f"{W}titlePg") is None:
            self.fail("P5", "phần 1", "trang 1 có số trang", "ẩn số trang ở trang 1 (titlePg)")
        header = first.header
        instr = " ".join(t.text or "" for t in header._element.iter(f"{W}instrText"))
        simple = [f.get(f"{W}instr") or "" for f in header._element.iter(f"{W}fldSimple")]
        if first.header.is_linked_to_previous or "PAGE" not in instr + " ".join(simple):
            self.fail("P5", "đầu trang (header)", "không có trường số trang PAGE", "số trang ở giữa lề trên")
        else:
            paragraph = next((p for p in header._element.iter(f"{W}p") if "PAGE" in text_of(p) or
                              p.find(f".//{W}instrText") is not None or p.find(f".//{W}fldSimple") is not None), None)
            if paragraph is not None and paragraph_prop(paragraph, self.styles, "jc") not in ("center",):
                self.fail("P5", "đầu trang (header)", "số trang không căn giữa", "căn giữa")

    def fonts(self) -> None:
        bad: dict[str, str] = {}
        for paragraph in self.body.iter(f"{W}p"):
            for run in run_facts(paragraph, self.styles):
                fonts = set(run.fonts.values())
                if fonts != {FONT} or len(run.fonts) < 4:
                    bad.setdefault(", ".join(sorted(fonts)) or "không đặt", run.text[:40])
        for fonts, sample in bad.items():
            self.fail("P3", f"đoạn \"{sample}\"", f"phông {fonts}", f"{FONT} ở cả 4 kiểu chữ (ascii, hAnsi, cs, eastAsia)")

    # ---------------------------------------------------------------- header block
    def header(self, table: Any) -> None:
        rows = table.findall(f"{W}tr")
        cells = [tc for tr in rows for tc in tr.findall(f"{W}tc")]
        left = [p for p in cells[0].iter(f"{W}p") if text_of(p).strip()] if cells else []
        right = [p for p in cells[1].iter(f"{W}p") if text_of(p).strip()] if len(cells) > 1 else []
        runs = {id(p): run_facts(p, self.styles) for p in left + right}
        names = [p for p in left if not text_of(p).startswith("Số")]
        issuer = [p for p in names if all(r.bold for r in runs[id(p)])] or names[-1:]
        superior = [p for p in names if p not in issuer]
        for p in superior:
            self._case("H1", p, runs[id(p)], (12, 13), bold=False)
        if not issuer:
            self.fail("H2", "bảng tiêu đề, cột trái", "không có tên cơ quan ban hành in đậm", "IN HOA, đậm, 12–13 pt")
        for p in issuer:
            self._case("H2", p, runs[id(p)], (12, 13), bold=True)
        if issuer and not self._rule_after(issuer[-1]):
            self.fail("H2", f"dưới \"{text_of(issuer[-1])}\"", "không có đường kẻ", "đường kẻ liền dài 1/3–1/2 dòng chữ")
        qh = next((p for p in right if text_of(p).strip() == QUOC_HIEU), None)
        if qh is None:
            self.fail("H3", "bảng tiêu đề, cột phải", "không có Quốc hiệu", QUOC_HIEU)
        else:
            self._case("H3", qh, runs[id(qh)], (12, 13), bold=True)
        tn = next((p for p in right if text_of(p).strip() == TIEU_NGU), None)
        if tn is None:
            found = next((text_of(p) for p in right if "Độc lập" in text_of(p)), "không có")
            self.fail("H4", "bảng tiêu đề, cột phải", found, TIEU_NGU)
        else:
            self._size_bold("H4", tn, runs[id(tn)], (13, 14), True)
            if not self._rule_after(tn):
                self.fail("H4", f"dưới \"{TIEU_NGU}\"", "không có đường kẻ", "đường kẻ liền dài bằng dòng chữ")
        number = next((p for c in cells for p in c.iter(f"{W}p") if text_of(p).startswith("Số")), None)
        if number is None or not _NUMBER.match(text_of(number)):
            self.fail("H5", "số, ký hiệu", f"\"{text_of(number)}\"" if number is not None else "không có",
                      "\"Số: 02/KH-STP\" (số dưới 10 có 0 đứng trước) hoặc để trống khi dự thảo")
        date = next((p for c in cells for p in c.iter(f"{W}p") if ", ngày" in text_of(p)), None)
        if date is None or not _DATE.match(text_of(date).strip()):
            self.fail("H6", "địa danh, ngày tháng", f"\"{text_of(date)}\"" if date is not None else "không có",
                      "\"Sóc Trăng, ngày 05 tháng 02 năm 2025\" (ngày < 10 và tháng 1, 2 có số 0; tháng 3–12 không)")
        elif not all(r.italic for r in run_facts(date, self.styles)):
            self.fail("H6", f"\"{text_of(date)}\"", "chữ đứng", "chữ nghiêng")

    def _case(self, rule: str, p: Any, runs: list[Any], sizes: tuple[float, float], bold: bool) -> None:
        text = text_of(p)
        if text != text.upper():
            self.fail(rule, f"\"{text}\"", "không in hoa", "IN HOA")
        self._size_bold(rule, p, runs, sizes, bold)

    def _size_bold(self, rule: str, p: Any, runs: list[Any], sizes: tuple[float, float], bold: bool) -> None:
        text = text_of(p)
        for run in runs:
            if run.size is None or not sizes[0] <= run.size <= sizes[1]:
                self.fail(rule, f"\"{text}\"", f"cỡ {run.size} pt", f"{sizes[0]:g}–{sizes[1]:g} pt")
                break
        if any(r.bold != bold for r in runs):
            self.fail(rule, f"\"{text}\"", "không đậm" if bold else "in đậm", "đậm" if bold else "không đậm")

    def _rule_after(self, p: Any) -> bool:
        if has_bottom_border(p, self.styles):
            return True
        nxt = p.getnext()
        while nxt is not None and nxt.tag == f"{W}p" and not text_of(nxt).strip():
            if has_bottom_border(nxt, self.styles) or nxt.find(f".//{W}drawing") is not None \
                    or nxt.find(".//{urn:schemas-microsoft-com:vml}line") is not None:
                return True
            nxt = nxt.getnext()
        return False

    # ---------------------------------------------------------------- title and body
    def title(self, header: Any, signature: Any) -> None:
        paragraphs = []
        for node in header.itersiblings():
            if node is signature:
                break
            if node.tag == f"{W}p" and text_of(node).strip():
                paragraphs.append(node)
        if not paragraphs or text_of(paragraphs[0]).strip() not in ("KẾ HOẠCH", "BÁO CÁO"):
            self.fail("T1", "sau bảng tiêu đề", f"\"{text_of(paragraphs[0])}\"" if paragraphs else "không có",
                      "tên loại văn bản IN HOA, đậm, căn giữa (KẾ HOẠCH, BÁO CÁO)")
            return
        t1 = paragraphs[0]
        self._size_bold("T1", t1, run_facts(t1, self.styles), (13, 14), True)
        lines = []
        for p in paragraphs[1:]:
            runs = run_facts(p, self.styles)
            if paragraph_prop(p, self.styles, "jc") != "center" or not all(r.bold for r in runs):
                break
            lines.append(p)
        if not lines:
            self.fail("T2", "sau tên loại", "không có trích yếu in đậm, căn giữa", "trích yếu 13–14 pt, đậm, căn giữa")
        elif not self._rule_after(lines[-1]):
            self.fail("T2", f"dưới \"{text_of(lines[-1])}\"", "không có đường kẻ", "đường kẻ liền dài 1/3–1/2 dòng chữ")
        for p in paragraphs[1 + len(lines):]:
            text = text_of(p).strip()
            runs = run_facts(p, self.styles)
            if text.startswith("Căn cứ") and not all(r.italic for r in runs):
                self.fail("B1", f"\"{text[:50]}…\"", "chữ đứng", "căn cứ in nghiêng")
            align = paragraph_prop(p, self.styles, "jc")
            if len(text) > 90 and align != "both":  # a paragraph of running text, not a short heading
                self.fail("B2", f"\"{text[:50]}…\"", f"căn lề {align or 'trái'}", "căn đều hai bên")
            if re.match(r"^[IVXL]+\. ", text) and (text != text.upper() or not all(r.bold for r in runs)):
                self.fail("B3", f"\"{text[:50]}\"", "đề mục La Mã không IN HOA, đậm", "\"I. MỤC ĐÍCH, YÊU CẦU\": IN HOA, đậm")
            for run in runs:
                if run.size is not None and not 13 <= run.size <= 14:
                    self.fail("P4", f"\"{text[:50]}…\"", f"cỡ {run.size:g} pt", "13–14 pt trong thân văn bản")
                    break

    def body_end(self, signature: Any) -> None:
        before = signature.getprevious()
        while before is not None and not (before.tag == f"{W}p" and text_of(before).strip()) and before.tag != f"{W}tbl":
            before = before.getprevious()
        if before is None or before.tag != f"{W}p" or not text_of(before).rstrip().endswith("./."):
            found = text_of(before)[-40:] if before is not None and before.tag == f"{W}p" else "một bảng"
            self.fail("B4", "đoạn cuối trước phần ký", f"\"…{found}\"", "kết thúc bằng \"./.\"")

    # ---------------------------------------------------------------- signature
    def signature(self, table: Any) -> None:
        cells = [tc for tr in table.findall(f"{W}tr") for tc in tr.findall(f"{W}tc")]
        left = [p for p in cells[0].iter(f"{W}p") if text_of(p).strip()]
        right = [p for p in cells[-1].iter(f"{W}p") if text_of(p).strip()]
        head = next((p for p in left if text_of(p).strip() == "Nơi nhận:"), None)
        if head is None:
            self.fail("S3", "bảng ký, cột trái", "không có dòng \"Nơi nhận:\"", "\"Nơi nhận:\" 12 pt, đậm, nghiêng")
        else:
            runs = run_facts(head, self.styles)
            if not all(r.size == 12 and r.bold and r.italic for r in runs):
                r = runs[0]
                self.fail("S3", "\"Nơi nhận:\"", f"{r.size:g} pt{', đậm' if r.bold else ''}{', nghiêng' if r.italic else ''}",
                          "12 pt, đậm, nghiêng")
        items = left[left.index(head) + 1:] if head is not None else left
        for p in items:
            runs = run_facts(p, self.styles)
            if any(r.size != 11 or r.bold or r.italic for r in runs):
                self.fail("S4", f"\"{text_of(p)}\"", f"{runs[0].size:g} pt", "11 pt, chữ đứng")
                break
        if items and not text_of(items[-1]).startswith("- Lưu"):
            self.fail("S4", f"\"{text_of(items[-1])}\"", "dòng cuối không phải \"- Lưu: …\"",
                      "\"- Lưu: VT, <đơn vị soạn thảo>.\"")
        if not right:
            self.fail("S1", "bảng ký, cột phải", "không có chức vụ, họ tên người ký", "chức vụ IN HOA, đậm; họ tên đậm")
            return
        for p in right[:-1]:
            text = text_of(p)
            if text != text.upper() or not all(r.bold for r in run_facts(p, self.styles)):
                self.fail("S1", f"\"{text}\"", "không IN HOA, đậm", "quyền hạn, chức vụ IN HOA, đậm")
        name = right[-1]
        if not all(r.bold for r in run_facts(name, self.styles)):
            self.fail("S2", f"\"{text_of(name)}\"", "không đậm", "họ tên người ký in đậm")


def as_json(results: dict[str, list[Finding]]) -> str:
    import json

    return json.dumps({file: [asdict(f) for f in findings] for file, findings in results.items()},
                      ensure_ascii=False, indent=1)
