"""The task table (A4) of a Kế hoạch, built with python-docx into a docxtpl Subdoc.

A Subdoc shares the template's document part, so the table refers to the template's own
styles by id: "KH Bảng nhiệm vụ" (full single borders, cell margins) and one paragraph style
per role and alignment ("KH Bảng tiêu đề", "KH Bảng số nhóm", "KH Bảng dòng nhóm", "KH Bảng ô",
"KH Bảng ô giữa", "KH Bảng ô trái"; the same as "KH Phụ lục bảng …" at 12 pt for a landscape
appendix). Nothing visible is formatted directly, so restyling the template in Word restyles
the tables. Only layout is set here: widths, the header row repeated on every page
(``w:tblHeader``), rows never split across pages (``w:cantSplit``), group rows spanning the
columns after the first (``w:gridSpan``), multi-part tasks whose shared columns are merged
down (``w:vMerge``).
"""

from __future__ import annotations

from typing import Any

from .errors import OutputError, Problem

TABLE_STYLE = "KHBangNhiemVu"
BODY_STYLES = {"head": "KHBangTieuDe", "number": "KHBangSoNhom", "group": "KHBangNhom",
               "justify": "KHBangO", "center": "KHBangOGiua", "left": "KHBangOTrai"}
APPENDIX_STYLES = {role: "KHPhuLuc" + style.removeprefix("KHBang") for role, style in BODY_STYLES.items()}
STYLE_IDS = frozenset({TABLE_STYLE, *BODY_STYLES.values(), *APPENDIX_STYLES.values()})
ALIGNMENTS = ("justify", "center", "left")


def check_table(table: Any, where: str) -> list[Problem]:
    """Problems of one TABLE of the context (see render_docx for the contract)."""
    if not isinstance(table, dict) or not table.get("columns"):
        return [Problem("bảng nhiệm vụ không có cột nào", field=f"{where}.columns", expected="ít nhất một cột")]
    problems = []
    for index, column in enumerate(table["columns"]):
        place = f"{where}.columns[{index}]"
        width = column.get("width_mm")
        if not isinstance(width, int | float) or isinstance(width, bool) or width <= 0:
            problems.append(Problem("độ rộng cột không hợp lệ", field=f"{place}.width_mm",
                                    expected="số milimét lớn hơn 0", found=repr(width)))
        if column.get("align", "justify") not in ALIGNMENTS:
            problems.append(Problem("căn lề cột không hợp lệ", field=f"{place}.align",
                                    expected=", ".join(ALIGNMENTS), found=repr(column.get("align"))))
    for index, row in enumerate(table.get("rows", [])):
        if row.get("kind") not in ("group", "task"):
            problems.append(Problem("loại dòng không hợp lệ", field=f"{where}.rows[{index}].kind",
                                    expected="group hoặc task", found=repr(row.get("kind"))))
    return problems


def check_problems(problems: list[Problem]) -> None:
    """Raise the collected problems at once (exit status 3: the output cannot be written)."""
    if problems:
        raise OutputError(problems, exit_code=3, hint="Dữ liệu dựng cho mẫu Word sai: đây là lỗi của chương "
                                                      "trình, hãy báo cho người phát triển kèm thông báo này.")


def column_widths(widths_mm: list[float], total: int) -> list[int]:
    """Column widths in twips, scaled so that they fill ``total`` (the text width) exactly."""
    scale = total / sum(widths_mm)
    widths = [int(mm * scale) for mm in widths_mm]
    widths[-1] += total - sum(widths)
    return widths


def add_task_table(document: Any, table: dict[str, Any], width: int, appendix: bool = False) -> None:
    """Append ``table`` (a TABLE of the context) to ``document``, ``width`` twips wide."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.oxml.ns import qn
    from docx.shared import Twips

    styles = APPENDIX_STYLES if appendix else BODY_STYLES
    columns = table["columns"]
    grid = document.add_table(rows=0, cols=len(columns))
    props = grid._tbl.tblPr
    props.style = TABLE_STYLE
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False  # fixed layout: the widths below are the printed widths
    table_width = props.find(qn("w:tblW"))  # python-docx writes an "auto" one
    table_width.set(qn("w:w"), str(width))
    table_width.set(qn("w:type"), "dxa")
    for column, twips in zip(grid.columns, column_widths([c["width_mm"] for c in columns], width), strict=True):
        column.width = Twips(twips)
    for cell, column in zip(_add_row(grid, header=True), columns, strict=True):
        _write(cell, [column["header"]], styles["head"])
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for row in table.get("rows", []):
        if row["kind"] == "group":
            _group_row(_add_row(grid), row, styles)
        else:
            _task_rows(grid, row, columns, styles)


def _add_row(grid: Any, header: bool = False) -> list[Any]:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.table import _Cell

    row = grid.add_row()
    flags = "<w:cantSplit/>" + ("<w:tblHeader/>" if header else "")
    row._tr.insert(0, parse_xml(f'<w:trPr {nsdecls("w")}>{flags}</w:trPr>'))
    return [_Cell(tc, grid) for tc in row._tr.tc_lst]


def _write(cell: Any, lines: list[str], style_id: str) -> None:
    """One paragraph per line (bullets such as "- …" stay literal); an empty cell keeps one."""
    for index, line in enumerate(lines or [""]):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph._p.style = style_id
        if line:
            paragraph.add_run(line)


def _group_row(cells: list[Any], row: dict[str, Any], styles: dict[str, str]) -> None:
    """Roman numeral in the first column; the title (bold) and its sub-points span the rest."""
    _write(cells[0], [row.get("number", "")], styles["number"])
    if len(cells) == 1:
        return
    title = cells[1].merge(cells[-1]) if len(cells) > 2 else cells[1]
    _write(title, [row.get("title", "")], styles["group"])
    for point in row.get("points", []):
        title.add_paragraph(point)._p.style = styles["justify"]


def _task_rows(grid: Any, row: dict[str, Any], columns: list[dict[str, Any]], styles: dict[str, str]) -> None:
    """One table row per part; with several parts the ``shared`` columns are merged down."""
    shared, parts = row.get("shared", {}), row.get("parts") or [{}]
    for index, part in enumerate(parts):
        for cell, column in zip(_add_row(grid), columns, strict=True):
            key, style = column["key"], styles[column.get("align", "justify")]
            if key not in shared:
                _write(cell, list(part.get(key, [])), style)
                continue
            _write(cell, list(shared[key]) if index == 0 else [], style)
            if len(parts) > 1:
                cell._tc.vMerge = "restart" if index == 0 else "continue"
