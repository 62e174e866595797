"""The header block (H1–H6) and the recipients column (S3, S4) fitted to their text.

The template fixes the usual widths (Mẫu 1.4: about 67.5 + 100 mm, and 52.8 + 110.9 mm).
A plan may set the header's widths, the size of its agency lines (12 or 13 pt, H1/H2) and of the
Quốc hiệu with the Tiêu ngữ one point larger (12/13 or 13/14 pt, H3/H4/P4);
an issuing body's name that does not fit its column is broken into as few lines as it needs,
each as even as the words allow ("SỞ TÀI NGUYÊN" / "VÀ MÔI TRƯỜNG", never "…VÀ MÔI" /
"TRƯỜNG"); lines the plan breaks itself are kept. The recipients column widens to its
longest line when the signer's column keeps room for its own lines. Widths are estimated with
the font metrics of docx_rules; nothing changes for text that fits.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from .docx_rules import text_width_twips

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MM = 56.7  # twips per millimetre
QUOC_HIEU_MIN = 96  # mm: H3 on one line at 13 pt bold
RECIPIENTS_MAX = 80  # mm: the signer's column keeps the rest (about 85 mm on A4 portrait)


def fit_header(body: Any, header: dict[str, Any] | None) -> None:
    """Widths and sizes the plan asks for, then the issuing body broken into as few lines as fit."""
    table = body.find(f"{W}tbl")
    if table is None:
        return
    header = header or {}
    if header.get("left_mm") and header.get("right_mm"):
        _widths(table, [round(header["left_mm"] * MM), round(header["right_mm"] * MM)])
    size = header.get("issuer_size")
    if size:
        for para in _styled(table, "KHCoQuanChuQuan", "KHCoQuanBanHanh"):
            _size(para, size)
    national = header.get("national_size")
    if national:  # P4: the Tiêu ngữ one point larger than the Quốc hiệu
        for para in _styled(table, "KHQuocHieu"):
            _size(para, national)
        for para in _styled(table, "KHTieuNgu"):
            _size(para, national + 1)
    if not header.get("keep_lines"):
        _break_issuer(table, size or 13)


def fit_recipients(body: Any, text_width: int) -> None:
    """Widen the "Nơi nhận" column to its longest line (11 pt; the heading 12 pt bold)."""
    heading = next(iter(body.xpath(".//w:p[w:pPr/w:pStyle[@w:val='KHNoiNhan']]")), None)
    if heading is None:
        return
    table = next(heading.iterancestors(f"{W}tbl"), None)
    cells = table.findall(f"{W}tr/{W}tc") if table is not None else []
    if len(cells) != 2:
        return
    left = int(cells[0].find(f"{W}tcPr/{W}tcW").get(f"{W}w"))
    lines = [_text(p) for p in _styled(cells[0], "KHDanhSachNoiNhan")]
    needed = max([text_width_twips(line, 11, False) for line in lines] + [text_width_twips(_text(heading), 12, True)])
    signer = max((text_width_twips(_text(p), 14, True) for p in _styled(cells[1], "KHQuyenHan", "KHNguoiKy")),
                 default=0)
    wanted = min(needed + 60, round(RECIPIENTS_MAX * MM), text_width - signer - 200)
    if wanted > left:
        _widths(table, [wanted, text_width - wanted])


def balanced_lines(text: str, width: int, size: float, bold: bool = True) -> list[str]:
    """``text`` in the fewest lines no wider than ``width`` twips, the widest line as short as possible."""
    words = text.split()
    best: list[str] | None = None
    for count in range(1, len(words) + 1):
        for split in _splits(len(words), count):
            lines = [" ".join(words[a:b]) for a, b in split]
            widest = max(text_width_twips(line, size, bold) for line in lines)
            if widest <= width and (best is None or widest < max(text_width_twips(x, size, bold) for x in best)):
                best = lines
        if best is not None:
            return best
    return words


def _splits(n: int, count: int, start: int = 0) -> list[list[tuple[int, int]]]:
    if count == 1:
        return [[(start, n)]]
    return [[(start, end), *rest] for end in range(start + 1, n - count + 2)
            for rest in _splits(n, count - 1, end)]


def _break_issuer(table: Any, size: float) -> None:
    cell = table.find(f"{W}tr/{W}tc")
    width = int(cell.find(f"{W}tcPr/{W}tcW").get(f"{W}w"))
    paras = _styled(cell, "KHCoQuanBanHanh")
    lines = [_text(p) for p in paras]
    if not paras or all(text_width_twips(line.upper(), size, True) <= width for line in lines):
        return
    fitted = balanced_lines(" ".join(lines).upper(), width, size)
    if fitted == lines:
        return
    anchor = paras[-1]
    for para in paras[1:]:
        para.getparent().remove(para)
    first = paras[0]
    for index, line in enumerate(fitted):
        para = first if index == 0 else deepcopy(first)
        ts = para.findall(f".//{W}t")
        ts[0].text = line
        for extra in ts[1:]:
            extra.text = ""
        if index:
            anchor.addnext(para)
        anchor = para


def _widths(table: Any, widths: list[int]) -> None:
    grid = table.find(f"{W}tblGrid")
    for col, width in zip(grid.findall(f"{W}gridCol"), widths, strict=False):
        col.set(f"{W}w", str(width))
    for row in table.findall(f"{W}tr"):
        for cell, width in zip(row.findall(f"{W}tc"), widths, strict=False):
            cell.find(f"{W}tcPr/{W}tcW").set(f"{W}w", str(width))
    total = table.find(f"{W}tblPr/{W}tblW")
    if total is not None:
        total.set(f"{W}w", str(sum(widths)))


def _size(para: Any, size: float) -> None:
    for run in para.findall(f"{W}r"):
        rpr = run.find(f"{W}rPr")
        if rpr is None:
            rpr = run.makeelement(f"{W}rPr", {})
            run.insert(0, rpr)
        for tag in ("sz", "szCs"):
            node = rpr.find(f"{W}{tag}")
            if node is None:
                node = rpr.makeelement(f"{W}{tag}", {})
                rpr.append(node)
            node.set(f"{W}val", str(round(size * 2)))


def _styled(node: Any, *styles: str) -> list[Any]:
    test = " or ".join(f"@w:val='{s}'" for s in styles)
    return node.xpath(f".//w:p[w:pPr/w:pStyle[{test}]]")


def _text(para: Any) -> str:
    return "".join(t.text or "" for t in para.iter(f"{W}t"))
