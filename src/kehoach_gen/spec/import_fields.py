"""The single fields of a Word plan, read the same way for a master, a spec and registry units:
number, date, years, legal bases, deadlines, signer, recipients, and names in sentence case."""

from __future__ import annotations

import re
from typing import Any

from .deadlines import infer
from .import_doc import WordPlan

_NUMBER = re.compile(r"số\s*:?\s*(\d+)?\s*/", re.IGNORECASE)
_DATE = re.compile(r"ngày\s*(\d{1,2})?\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", re.IGNORECASE)
_RANGE = re.compile(r"(\d{4})\s*[-–]\s*(\d{4})")
PREFIXES = ("KT.", "TM.", "Q.", "TL.", "TUQ.")
NO_GROUP_TITLE = "Nhiệm vụ"  # the group of a task table without group rows
_PLACE_WORDS = ("tỉnh", "thành phố", "huyện", "thị xã", "quận", "xã", "phường")


def number_of(line: str | None) -> int | None:
    """"Số: 05/KH-SKHCN" -> 5; a draft's blank number -> None."""
    m = _NUMBER.search(line or "")
    return int(m.group(1)) if m and m.group(1) and int(m.group(1)) > 0 else None


def date_of(line: str | None, year: int) -> dict[str, int]:
    """"Sóc Trăng, ngày 27 tháng 01 năm 2025" -> {day, month, year}; a blank day is left out."""
    m = _DATE.search(line or "")
    if not m:
        return {"month": 1, "year": year}
    out = {"month": int(m.group(2)), "year": int(m.group(3))}
    return {"day": int(m.group(1)), **out} if m.group(1) else out


def end_year(doc: WordPlan, year: int) -> int | None:
    """The last year of a plan over several years, when its title says "2021 - 2025"."""
    m = _RANGE.search(" ".join(doc.title))
    return int(m.group(2)) if m and int(m.group(1)) == year and int(m.group(2)) > year else None


def fixed_bases(bases: list[str], notes: list[str]) -> list[str]:
    """ND 30: each "Căn cứ …" line but the last ends with ";": a "." there is corrected, and said."""
    fixed = []
    for index, line in enumerate(bases):
        if index < len(bases) - 1 and line.endswith("."):
            notes.append(f"căn cứ \"…{line[-40:]}\" kết thúc bằng \".\": đã sửa thành \";\" theo NĐ 30")
            line = line.rstrip(" .") + ";"
        fixed.append(line)
    return fixed


def deadline_value(lines: list[str], years: tuple[int, int], where: str, notes: list[str]) -> Any:
    """The wording alone when its kind is recognised and within the plan's years, else {text, kind: on_demand}."""
    try:
        kind = infer("\n".join(lines))
    except ValueError:  # "Trước ngày 31/6/2025": a date that does not exist
        kind = None
    if kind is not None:
        named = (kind["date"].year,) * 2 if kind.get("date") else (kind.get("from_year"), kind.get("to_year"))
        if all(y is None or years[0] <= y <= years[1] for y in named):
            return lines[0] if len(lines) == 1 else lines
    notes.append(f"{where}: thời hạn \"{short(' '.join(lines), 60)}\" ghi là on_demand (không nhận ra loại, "
                 "hoặc ngoài năm của kế hoạch): kiểm tra lại kind")
    return {"text": lines, "kind": "on_demand"}


def recipients_of(doc: WordPlan) -> tuple[list[str], list[str] | None]:
    """The recipients (without "- " and the closing ";") and the units after "Lưu: VT," (None: no Lưu line)."""
    lines = [r.removeprefix("-").strip() for r in doc.recipients]
    recipients = [r.rstrip(" ;.") for r in lines if not r.startswith("Lưu")]
    archive = next((r for r in lines if r.startswith("Lưu")), None)
    if archive is None:
        return recipients, None
    rest = archive.removeprefix("Lưu").strip(" :").rstrip(".")
    return recipients, [a.strip() for a in rest.split(",") if a.strip() and a.strip() != "VT"]


def signer_of(doc: WordPlan, unplaced: list[str]) -> dict[str, Any] | None:
    """{authority: [{prefix, of}], title, name} from the signature block; None when it has no name."""
    if not doc.authority or not doc.signer:
        return None
    *lines, title = doc.authority
    authority = []
    for line in lines:
        prefix = next((p for p in PREFIXES if line.startswith(p)), None)
        if prefix is None:
            unplaced.append(f"phần ký: dòng \"{line}\" không phải KT./TM./Q./TL./TUQ.")
            continue
        authority.append({"prefix": prefix, "of": line.removeprefix(prefix).strip()})
    return {**({"authority": authority} if authority else {}), "title": title, "name": doc.signer}


def sentence_case(line: str) -> str:
    """"ỦY BAN NHÂN DÂN TỈNH SÓC TRĂNG" -> "Ủy ban nhân dân tỉnh Sóc Trăng" (the place name keeps capitals)."""
    text = line.lower()
    for word in _PLACE_WORDS:
        text = re.sub(rf"\b({word}) (\w+(?: \w+)?)$", lambda m: m[1] + " " + m[2].title(), text)
    return text[:1].upper() + text[1:]


def short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
