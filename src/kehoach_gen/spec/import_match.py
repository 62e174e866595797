"""Matching what a Word plan says to what the workspace knows: unit names to unit codes, tasks to the
master plan's tasks, and stable ASCII ids for what is new.

Units: a cell such as "Văn phòng Sở chủ trì, phối hợp với các Phòng, đơn vị" is split on its commas
into the longest runs that are a unit's or unit group's name in the registry ("Đ/c Trần Thế Vũ" is a
person); the rest are unknown names, kept and listed, never dropped. Tasks: by text similarity of
their content (difflib's ratio on folded text), best first, each master task used once.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from .. import vnformat as vn

MATCH_AT = 0.6  # below this a task is new
_ASSIGNMENT = re.compile(r"^(?P<lead>.+?) chủ trì(?:,|;)? (?:và )?phối hợp (?:với|cùng) (?P<coord>.+)$")
# Words too common to name anything; only those with no other reading once the marks are gone ("so" is both số
# and sơ, "co" có and cơ: kept).
_STOP = {"va", "cac", "cua", "cho", "tai", "theo", "voi", "trong", "tren", "duoc", "nam", "viec", "nhung", "khi"}
# Phrases that open most task and group titles ("Công tác …", "Tổ chức thực hiện …", "Tăng cường …"): an id made of
# them says nothing, so they are passed over while other words remain.
_GENERIC = {("cong", "tac"), ("thuc", "hien"), ("to", "chuc"), ("trien", "khai"), ("tiep", "tuc"), ("day", "manh"),
            ("tang", "cuong"), ("nang", "cao"), ("xay", "dung"), ("ban", "hanh"), ("nghien", "cuu")}


def fold(text: str) -> str:
    return " ".join(vn.nfc(text).lower().split())


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, fold(a), fold(b), autojunk=False).ratio()


@dataclass(frozen=True)
class UnitRefs:
    refs: tuple[str | dict[str, str], ...]  # unit codes and {"person": name}
    unknown: tuple[str, ...]  # names not in the registry


def _key(name: str) -> str:
    """Names compare with the first letter's case ignored ("các Phòng" / "Các Phòng")."""
    return name[:1].lower() + name[1:]


def split_units(text: str, names: dict[str, str]) -> UnitRefs:
    """The units named in ``text`` ("A, B; C"), with ``names`` code -> printed name."""
    by_name = {_key(n): code for code, n in names.items()}
    pieces = [p for p in re.split(r"\s*[,;]\s*", text.strip()) if p]  # "Văn phòng Sở; Đ/c Trần Thế Vũ" too
    best: list[tuple[int, list[tuple[str, str | None]]]] = [(0, [])] + [(-1, [])] * len(pieces)
    for i in range(len(pieces)):
        score, path = best[i]
        if score < 0:
            continue
        for j in range(i + 1, len(pieces) + 1):
            joined = ", ".join(pieces[i:j])
            code = by_name.get(_key(joined))
            if j == i + 1 and joined.startswith("Đ/c "):  # one person between two commas
                code = "@" + joined.removeprefix("Đ/c ").strip()
            gain = (j - i) if code else 0
            if code or j == i + 1:
                if score + gain > best[j][0] or (score + gain == best[j][0] and len(path) + 1 < len(best[j][1])):
                    best[j] = (score + gain, [*path, (joined, code)])
    refs: list[str | dict[str, str]] = []
    unknown: list[str] = []
    for joined, code in best[-1][1]:
        if code is None:
            unknown.append(joined)  # each name between commas on its own: a count the clerk can check
        else:
            refs.append({"person": code[1:]} if code.startswith("@") else code)
    return UnitRefs(tuple(refs), tuple(u for u in unknown if u))


def leading_unit(text: str, names: dict[str, str]) -> tuple[str, str] | None:
    """(code, name) of the longest unit or group name that opens ``text`` as a whole phrase: the lead of wording
    such as "Các Phòng nghiệp vụ (khi được giao dự thảo …)" or "Phòng Hành chính tư pháp gửi nội dung …"."""
    folded = _key(text.strip())
    best: tuple[str, str] | None = None
    for code, name in names.items():
        key = _key(name)
        rest = folded[len(key):]
        if folded.startswith(key) and (not rest or not rest[0].isalnum()) and (best is None or len(name) > len(best[1])):
            best = (code, name)
    return best


def split_assignment(line: str) -> tuple[str, str]:
    """("lead", "coordinate") of "X chủ trì, phối hợp với Y"; the whole line as lead otherwise."""
    m = _ASSIGNMENT.match(line.strip())
    if m:
        return m["lead"], m["coord"].rstrip(" .;")
    return line.strip().removesuffix(" chủ trì").strip(), ""


def match_tasks(found: list[str], master: list[tuple[str, str]]) -> dict[int, tuple[str, float]]:
    """Index of a found task -> (master id, score), greedily best first, each master task once."""
    scores = sorted(((similarity(text, mtext), fi, mid) for fi, text in enumerate(found) for mid, mtext in master),
                    reverse=True)
    out: dict[int, tuple[str, float]] = {}
    used: set[str] = set()
    for score, fi, mid in scores:
        if score < MATCH_AT:
            break
        if fi in out or mid in used:
            continue
        out[fi] = (mid, score)
        used.add(mid)
    return out


def _without_generic(words: list[str]) -> list[str]:
    out, i = [], 0
    while i < len(words):
        if tuple(words[i:i + 2]) in _GENERIC:
            i += 2
            continue
        out.append(words[i])
        i += 1
    return out


def make_id(text: str, taken: set[str], words: int = 4, prefix: str = "") -> str:
    """A short ASCII id from the first significant words of ``text``, unique among ``taken`` (added)."""
    plain = [w for w in vn.slug(text).split("-") if w and w not in _STOP]
    parts = (_without_generic(plain) or plain)[:words] or ["muc"]
    base = (prefix + "-".join(parts))[:40].strip("-.")
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate
