"""What `kehoach lint` tells a clerk: one :class:`Finding` per thing to fix, in Vietnamese, with mm and pt
and where to fix it in Word.

Every message names the place (the line, quoted), what was found, what the decree asks, and the
Word command that fixes it. Checks of a line look at what prints: runs with letters or digits,
never whitespace, punctuation alone, or raised/lowered text.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .reader_model import Line, Run

FIX_SIZE = "chọn dòng đó, Home ▸ Font Size: {size}"
FIX_BOLD = "chọn dòng đó, Home ▸ Bold (Ctrl+B)"
FIX_ITALIC = "chọn dòng đó, Home ▸ Italic (Ctrl+I)"
FIX_UPPER = "chọn dòng đó, Home ▸ Change Case (Aa) ▸ UPPERCASE"
FIX_CENTER = "đặt con trỏ vào dòng đó, Home ▸ Center (Ctrl+E)"
FIX_MARGINS = "Layout ▸ Margins ▸ Custom Margins"
FIX_PAPER = "Layout ▸ Size ▸ A4"
FIX_FONT = "chọn đoạn chữ đó, Home ▸ Font: Times New Roman (rồi bấm Bold/Italic nếu cần)"
FIX_PAGE_NUMBER = "Insert ▸ Page Number ▸ Top of Page ▸ Plain Number 2"
FIX_FIRST_PAGE = "Insert ▸ Header ▸ Edit Header, đánh dấu Different First Page"
FIX_ODD_EVEN = "Insert ▸ Header ▸ Edit Header: bỏ dấu Different Odd & Even Pages, hoặc chèn số trang ở cả trang lẻ"
FIX_RULE = "Insert ▸ Shapes ▸ Line, giữ Shift và vẽ dưới dòng chữ"
FIX_TEXT = "sửa chữ của dòng đó"


@dataclass(frozen=True)
class Finding:
    rule: str  # rule id of shared/nd30.md
    where: str  # the place, in words a clerk knows, with the line quoted
    found: str
    expected: str
    fix: str = ""  # where to fix it in Word
    quote: str = ""  # the run that is wrong, when only part of the line is

    def render(self, file: str) -> str:
        tail = f" Sửa trong Word: {self.fix}." if self.fix else ""
        return f"{file}: {self.rule}: {self.where}: {self.found} (cần {self.expected}).{tail}"

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def pt(size: float | None) -> str:
    return "không rõ" if size is None else f"{size:g}".replace(".", ",") + " pt"


def mm(value: float) -> str:
    return f"{value:g}".replace(".", ",") + " mm"


def quoted(line: Line | str, limit: int = 60) -> str:
    text = line if isinstance(line, str) else line.text
    return f"\"{text[:limit]}{'…' if len(text) > limit else ''}\""


def _runs_off(line: Line, ok) -> list[Run]:  # noqa: ANN001 - a predicate on a run
    return [r for r in line.printed if not ok(r)]


def _part(line: Line, wrong: list[Run]) -> str:
    """'' when the whole line is wrong, else the wrong text quoted."""
    if len(wrong) == len(line.printed):
        return ""
    return "".join(r.text for r in wrong).strip()[:60]


def size_finding(rule: str, where: str, line: Line, low: float, high: float, fix_size: float | None = None) -> Finding | None:
    wrong = _runs_off(line, lambda r: r.size is not None and low - 0.01 <= r.size <= high + 0.01)
    if not wrong:
        return None
    part = _part(line, wrong)
    found = f"cỡ chữ {pt(wrong[0].size)}" + (f" ở \"{part}\"" if part else "")
    want = pt(low) if low == high else f"{pt(low)[:-3]}–{pt(high)}"
    return Finding(rule, f"{where} {quoted(line)}", found, f"cỡ chữ {want}",
                   FIX_SIZE.format(size=f"{fix_size or (low if low == high else high):g}"), part)


def style_finding(rule: str, where: str, line: Line, *, bold: bool | None = None,
                  italic: bool | None = None) -> list[Finding]:
    out = []
    for name, want, attr, fix in (("đậm", bold, "bold", FIX_BOLD), ("nghiêng", italic, "italic", FIX_ITALIC)):
        if want is None:
            continue
        wrong = _runs_off(line, lambda r, a=attr, w=want: getattr(r, a) == w)
        if not wrong:
            continue
        part = _part(line, wrong)
        if want:
            found = f"chữ không {name}" if name == "đậm" else "chữ đứng"
        else:
            found = f"chữ {name}"
        found += f" ở \"{part}\"" if part else ""
        expected = (f"chữ {name}" if want else ("chữ không đậm" if name == "đậm" else "chữ đứng"))
        out.append(Finding(rule, f"{where} {quoted(line)}", found, expected, fix, part))
    return out


def upper_finding(rule: str, where: str, line: Line) -> Finding | None:
    from .vntext import is_upper

    if is_upper(line.text):
        return None
    return Finding(rule, f"{where} {quoted(line)}", "chưa viết in hoa", "IN HOA", FIX_UPPER)


def missing(rule: str, where: str, expected: str, fix: str = FIX_TEXT) -> Finding:
    return Finding(rule, where, "không có", expected, fix)


def compact(items: list[Finding | None]) -> list[Finding]:
    return [f for f in items if f is not None]
