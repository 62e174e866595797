"""The Báo cáo skeleton of a period, prefilled from collected progress (pure: data in, context out).

Periods: Q1–Q4, 6T, 9T, NAM, T01–T12. The data window comes from the master plan's reporting
calendar (from the day after ``cutoff_day`` of the month before the period to ``cutoff_day``
of its last month), the due date from its due days. Outline (nd30 "Reporting periods"):
I. Tình hình, kết quả thực hiện (one part per plan group, each task with its status, result and
evidence as collected, counts and the overdue list); II. Đánh giá chung; III. Phương hướng,
nhiệm vụ kỳ tiếp theo (what is not done); IV. Đề xuất, kiến nghị. Places for the officer's
own text are marked as such and printed in italics.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from .. import vnformat as vn
from ..spec.context import Ctx, agency_names, recipients
from ..errors import InputError
from ..spec.merge import Merged
from ..excel.trackers import DONE, DONE_LATE, IN_PROGRESS, NOT_DONE, STATUSES, build_trackers, office_statuses

PERIOD_HELP = "Q1, Q2, Q3, Q4, 6T, 9T, NAM hoặc T01…T12"
NOTE = "[Phần cán bộ phụ trách viết: {}]"


@dataclass(frozen=True)
class Period:
    code: str
    label: str  # "quý I năm 2025"
    first_month: int
    last_month: int
    start: dt.date
    end: dt.date
    due: dt.date


def period(code: str, year: int, merged: Merged) -> Period:
    """The period ``code`` of ``year`` with its data window and due date from the reporting calendar."""
    cal = merged.master.reporting
    code = code.upper()
    quarter = re.fullmatch(r"Q([1-4])", code)
    month = re.fullmatch(r"T(0[1-9]|1[0-2])", code)
    if quarter:
        last = int(quarter.group(1)) * 3
        first, label = last - 2, f"quý {vn.roman(last // 3)} năm {year}"
    elif month:
        first = last = int(month.group(1))
        label = f"tháng {vn.pad_month(last)} năm {year}"
    elif code in ("6T", "9T", "NAM"):
        first, last = 1, {"6T": 6, "9T": 9, "NAM": 12}[code]
        label = {"6T": f"6 tháng đầu năm {year}", "9T": f"9 tháng năm {year}", "NAM": f"năm {year}"}[code]
    else:
        raise InputError.single("kỳ báo cáo không hợp lệ", field="--period", expected=PERIOD_HELP, found=f"\"{code}\"")
    before = dt.date(year, first, 1) - dt.timedelta(days=1)
    start = dt.date(before.year, before.month, cal.cutoff_day) + dt.timedelta(days=1)
    end = dt.date(year, last, cal.cutoff_day)
    if code == "NAM" and cal.annual_due:
        due = dt.date(year, cal.annual_due.month, cal.annual_due.day or 1)
    elif month and cal.monthly_due_day:
        due = dt.date(year, last, min(cal.monthly_due_day, 28))
    else:
        due = dt.date(year, last, min(cal.quarterly_due_day, 28))
    return Period(code, label, first, last, start, end, due)


def report_context(merged: Merged, when: Period, current: dict[str, Any]) -> Ctx:
    """The Báo cáo context for the Word template (same contract as the Kế hoạch)."""
    plan, agency, master = merged.plan, merged.agency, merged.master
    name, full_name, header = agency_names(agency, plan)
    units = current.get("units", {})
    collected = {code: {k: r.get("status") for k, r in data["rows"].items() if r.get("status")}
                 for code, data in units.items()}
    office = build_trackers(merged).office
    states = office_statuses(office, collected)
    body: list[Ctx] = [{"kind": "addressee", "text": f"Kính gửi: {master.reporting.recipient}."}]
    number = vn.doc_number(plan.number) or vn.BLANK
    issued = vn.short_date(plan.date.as_date()) if plan.date.day else f"{vn.BLANK}/{plan.date.month:02d}/{plan.date.year}"
    body.append({"kind": "intro", "text": (
        f"Thực hiện Kế hoạch số {number}/KH-{agency.symbol} ngày {issued} của {name} về "
        f"{_lower_first(' '.join(plan.title))}, {name} báo cáo kết quả thực hiện {when.label} (số liệu tính từ "
        f"ngày {vn.short_date(when.start)} đến ngày {vn.short_date(when.end)}) như sau:")})
    body.append({"kind": "section", "text": "I. TÌNH HÌNH, KẾT QUẢ THỰC HIỆN"})
    rows = {row.key: (row, state) for row, state in zip(office.rows, states, strict=True)}
    counts = {DONE: 0, IN_PROGRESS: 0, "overdue": 0, STATUSES[0]: 0}
    overdue, pending = [], []
    for gi, group in enumerate(plan.groups, start=1):
        body.append({"kind": "heading", "text": f"{gi}. {group.title}"})
        for ti, task in enumerate(group.tasks, start=1):
            for pi, _part in enumerate(task.parts, start=1):
                row, (status, _) = rows[f"{task.id}#{pi}"]
                status = status or STATUSES[0]
                late = row.due is not None and row.due <= when.end and status not in (DONE, DONE_LATE, NOT_DONE)
                counts[DONE if status in (DONE, DONE_LATE) else "overdue" if late else
                       IN_PROGRESS if status == IN_PROGRESS else STATUSES[0]] += 1
                text = " ".join(task.content).rstrip(" .;:")
                if late:
                    overdue.append(f"- {text} (hạn {vn.short_date(row.due)}).")
                if status not in (DONE, DONE_LATE, NOT_DONE):
                    pending.append(f"- {text}")
                detail = _detail(units, f"{task.id}#{pi}")
                suffix = f" (phần {pi})" if len(task.parts) > 1 else ""
                body.append({"kind": "lettered", "text": f"{vn.lettered(ti)} {text}{suffix}: {status.lower()}"
                             + (f"; {detail}" if detail else "; chưa có kết quả báo cáo") + "."})
    total = sum(counts.values())
    body.append({"kind": "para", "text": (
        f"Tổng số {total} nhiệm vụ: hoàn thành {counts[DONE]}; đang thực hiện {counts[IN_PROGRESS]}; "
        f"quá hạn {counts['overdue']}; chưa thực hiện {counts[STATUSES[0]]}.")})
    if overdue:
        body.append({"kind": "para", "text": "Các nhiệm vụ quá hạn:"})
        body.extend({"kind": "para", "text": line} for line in overdue)
    body += [{"kind": "section", "text": "II. ĐÁNH GIÁ CHUNG"}]
    for n, title in enumerate(("Ưu điểm", "Tồn tại, hạn chế", "Nguyên nhân"), start=1):
        body += [{"kind": "heading", "text": f"{n}. {title}"},
                 {"kind": "note", "text": NOTE.format(title.lower() + " trong kỳ")}]
    body.append({"kind": "section", "text": "III. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TIẾP THEO"})
    body.extend({"kind": "para", "text": line} for line in pending or ["- Tiếp tục thực hiện các nhiệm vụ thường xuyên."])
    body += [{"kind": "section", "text": "IV. ĐỀ XUẤT, KIẾN NGHỊ"},
             {"kind": "note", "text": NOTE.format("đề xuất, kiến nghị với " + master.reporting.recipient)}]
    body[-1]["text"] += "./."
    return {
        "superior_lines": list(agency.superior_lines), "issuer_lines": list(header),
        "number_line": vn.number_line(None, "BC", agency.symbol),
        "date_line": vn.date_line(agency.place or "", None, when.due.month, when.due.year),
        "doc_type": "BÁO CÁO",
        "title_lines": [f"Kết quả thực hiện Kế hoạch {_lower_first(' '.join(plan.title))}",
                        when.label[:1].upper() + when.label[1:]],
        "bases": [], "body": body, "task_table": None, "appendices": [],
        "recipients_heading": "Nơi nhận:", "recipients": recipients(plan),
        "signer_lines": [f"{a.prefix} {vn.upper_vi(a.of)}" for a in plan.signer.authority]
        + [vn.upper_vi(plan.signer.title)],
        "signer_name": plan.signer.name,
        "core": {"title": f"Báo cáo {when.label}", "subject": full_name},
    }


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _detail(units: dict[str, Any], key: str) -> str:
    """Results and evidence every unit reported for one task part, in unit order."""
    parts = []
    for code, data in units.items():
        row = data["rows"].get(key) or {}
        bits = [str(row[k]) for k in ("result", "evidence") if row.get(k)]
        if row.get("percent") not in (None, ""):
            bits.append(f"tiến độ {row['percent']}%")
        if bits:
            parts.append(f"{code}: " + ", ".join(bits))
    return "; ".join(parts)
