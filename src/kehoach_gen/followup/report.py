"""The Báo cáo of a period, written from the facts at its cut-off (pure: data in, context out).

Outline (nd30 "Reporting periods"): Kính gửi (the master's reporting calendar); an opening naming
the plan and the data window; I. Tình hình, kết quả thực hiện: one part per plan group, each task
once (its parts together) with one sentence of status, then each unit's result on its own line
under the unit's printed name, with its document and progress; the counts, the overdue and the
"chưa báo cáo" lists; II. Đánh giá chung, with the units' difficulties and reasons for not doing
a task prefilled under "Tồn tại, hạn chế"; III. Phương hướng, from what is overdue or unreported;
IV. Đề xuất, kiến nghị. Places for the officer's own text are marked and printed in italics.
Every date the tool writes follows H6 padding ("02/4/2025", "14/3/2025"); the units' own text is
printed as they wrote it.
"""

from __future__ import annotations

from typing import Any

from .. import vnformat as vn
from ..excel.tracker_parts import LEAD
from ..excel.trackers import DONE, DONE_LATE, IN_PROGRESS, NOT_DONE
from ..spec.context import Ctx, agency_names, archive_line
from ..spec.merge import Merged
from .facts import NOT_STARTED, OVERDUE, UNREPORTED, PartFacts, PeriodFacts, TaskFacts, UnitStanding
from .periods import Period
from .report_text import date, sentence, short, title_lines

NOTE = "[Phần cán bộ phụ trách viết: {}]"
COUNT_WORDS = {DONE: "hoàn thành", IN_PROGRESS: "đang thực hiện", OVERDUE: "quá hạn", NOT_STARTED: "chưa triển khai",
               NOT_DONE: "không thực hiện", UNREPORTED: "chưa báo cáo"}


def report_context(merged: Merged, when: Period, facts: PeriodFacts) -> Ctx:
    """The Báo cáo context for the Word template (same contract as the Kế hoạch)."""
    plan, agency, cal = merged.plan, merged.agency, merged.master.reporting
    name, full_name, header = agency_names(agency, plan)
    body: list[Ctx] = [{"kind": "addressee", "text": f"Kính gửi: {cal.recipient}."},
                       {"kind": "intro", "text": _opening(merged, when, name)}]
    body.append({"kind": "section", "text": "I. TÌNH HÌNH, KẾT QUẢ THỰC HIỆN"
                 + (" (LŨY KẾ TỪ ĐẦU NĂM)" if when.cumulative else "")})
    group = 0
    for task in facts.tasks:
        if task.group != group:
            group = task.group
            body.append({"kind": "heading", "text": f"{task.group}. {task.group_title}"})
        body.extend(_task_blocks(task, facts))
    body.extend(_summary(facts, len(merged.plan.groups) + 1))
    body.extend(_assessment(facts))
    body.append({"kind": "section", "text": "III. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TIẾP THEO"})
    body.extend({"kind": "para", "text": line} for line in _next_steps(facts))
    body += [{"kind": "section", "text": "IV. ĐỀ XUẤT, KIẾN NGHỊ"},
             {"kind": "note", "text": NOTE.format("đề xuất, kiến nghị với " + cal.recipient) + "./."}]
    label = when.label[:1].upper() + when.label[1:]
    return {
        "superior_lines": list(agency.superior_lines), "issuer_lines": list(header),
        "number_line": vn.number_line(None, "BC", agency.symbol),
        "date_line": vn.date_line(agency.place or "", None, when.due.month, when.due.year),
        "doc_type": "BÁO CÁO",
        "title_lines": title_lines("Kết quả thực hiện Kế hoạch " + _lower_first(" ".join(plan.title)), label,
                                   keep=(full_name, name)),
        "bases": [], "body": body, "task_table": None, "appendices": [],
        "recipients_heading": "Nơi nhận:", "recipients": _recipients(merged),
        "signer_lines": [f"{a.prefix} {vn.upper_vi(a.of)}" for a in plan.signer.authority]
        + [vn.upper_vi(plan.signer.title)],
        "signer_name": plan.signer.name,
        "core": {"title": f"Báo cáo {when.label}", "subject": full_name},
    }


def _opening(merged: Merged, when: Period, name: str) -> str:
    plan, agency = merged.plan, merged.agency
    number = vn.doc_number(plan.number) or vn.BLANK
    issued = date(plan.date.as_date()) if plan.date.day else f"{vn.BLANK}/{vn.pad_month(plan.date.month)}/{plan.date.year}"
    window = (f"số liệu lũy kế từ đầu năm, từ ngày {date(when.start)} đến ngày {date(when.end)}" if when.cumulative
              else f"số liệu tính từ ngày {date(when.start)} đến ngày {date(when.end)}")
    return (f"Thực hiện Kế hoạch số {number}/{vn.symbol('KH', agency.symbol)} ngày {issued} của {name} về "
            f"{_lower_first(' '.join(plan.title))}, {name} báo cáo kết quả thực hiện {when.label} ({window}) như sau:")


def _task_blocks(task: TaskFacts, facts: PeriodFacts) -> list[Ctx]:
    """a) the task, its status sentence, then one line per unit that reported in the period."""
    blocks = [{"kind": "lettered", "text": f"{vn.lettered(task.number)} {sentence(task.content)}"},
              {"kind": "para", "text": _status_sentence(task, facts)}]
    several = len(task.parts) > 1
    for part in task.parts:
        for standing in part.units:
            line = _unit_line(standing, part, several)
            if line:
                blocks.append({"kind": "para", "text": line})
    return blocks


def _status_sentence(task: TaskFacts, facts: PeriodFacts) -> str:
    due = f" (hạn {date(task.due)})" if task.due else ""
    if task.status == UNREPORTED:
        if not task.owing:
            return "Tình trạng: chưa báo cáo (nhiệm vụ chưa giao cho đơn vị nào của cơ quan)."
        return f"Tình trạng: chưa báo cáo; {_names(task.owing)} chưa gửi kết quả thực hiện."
    if task.category == OVERDUE:
        text = f"Tình trạng: chưa hoàn thành, đã quá hạn{due}."
    elif task.status == DONE_LATE:
        text = "Tình trạng: đã hoàn thành" + (f" ngày {date(task.done_on)}" if task.done_on else "") + f", trễ hạn{due}."
    elif task.status == DONE:
        text = "Tình trạng: đã hoàn thành" + (f" ngày {date(task.done_on)}" if task.done_on else "") + "."
    elif task.status == IN_PROGRESS and all(p.ongoing for p in task.parts):
        text = "Tình trạng: đang thực hiện (nhiệm vụ thường xuyên)."
    else:
        text = "Tình trạng: " + {IN_PROGRESS: "đang thực hiện", NOT_STARTED: "chưa triển khai",
                                 NOT_DONE: "không thực hiện"}[task.status] + "."
    if task.owing:
        text = text[:-1] + f"; {_names(task.owing)} chưa báo cáo phần việc được giao."
    return text


def _unit_line(standing: UnitStanding, part: PartFacts, several: bool) -> str | None:
    """"- Văn phòng Sở: <kết quả>; văn bản: <…>; tiến độ 100%." for what the unit did in the period."""
    shown = standing.shown
    where = f" (phần {part.number})" if several else ""
    if shown is None:
        settled = part.status in (DONE, DONE_LATE, NOT_DONE)
        if standing.latest is None or standing.role != LEAD or settled:
            return None  # nothing new to say: the status sentence says where the task stands
        return f"- {standing.name}{where}: không có kết quả mới trong kỳ."
    bits = [_new_lines(shown.get("result"), standing.before and standing.before.get("result"))]
    evidence = _new_lines(shown.get("evidence"), standing.before and standing.before.get("evidence"))
    if evidence:
        bits.append("văn bản: " + evidence)
    if shown.get("status") in (DONE, DONE_LATE) and shown.dated_by_unit:
        bits.append("hoàn thành ngày " + date(shown.date))
    elif shown.get("percent") is not None:
        bits.append(f"tiến độ {shown.get('percent')}%")
    if shown.get("status") == NOT_DONE:
        reason = shown.get("note") or shown.get("difficulties")
        bits.append("không thực hiện" + (f", lý do: {_clause(reason)}" if reason else ""))
    text = "; ".join(b for b in bits if b)
    return f"- {standing.name}{where}: {text or 'đã cập nhật tình trạng, chưa nêu kết quả'}."


def _new_lines(now: str | None, before: str | None) -> str:
    """The lines of ``now`` not already reported in ``before``, joined as one clause."""
    seen = {line.strip() for line in (before or "").splitlines()}
    lines = [line.strip().rstrip(" .;,") for line in (now or "").splitlines()]
    return "; ".join(line for line in lines if line and line not in seen)


def _summary(facts: PeriodFacts, number: int) -> list[Ctx]:
    counts = facts.counts()
    total = sum(counts.values())
    blocks = [{"kind": "heading", "text": f"{number}. Kết quả chung"},
              {"kind": "para", "text": f"Tổng số {total} nhiệm vụ: " + "; ".join(
                  f"{COUNT_WORDS[c]} {n}" for c, n in counts.items()) + "."}]
    overdue = [t for t in facts.tasks if t.category == OVERDUE]
    if overdue:
        blocks.append({"kind": "para", "text": "Các nhiệm vụ đã quá hạn mà chưa hoàn thành:"})
        blocks += [{"kind": "para", "text": f"- {short(t.content)} (hạn {date(t.due)}; chủ trì: {t.lead or 'chưa phân công'})."}
                   for t in overdue if t.due]
    unreported = [t for t in facts.tasks if t.status == UNREPORTED]
    if unreported:
        blocks.append({"kind": "para", "text": "Các nhiệm vụ chưa có báo cáo của đơn vị:"})
        blocks += [{"kind": "para", "text": f"- {short(t.content)} ({_names(t.owing) or 'chưa giao đơn vị'} chưa báo cáo"
                    + (f"; hạn {date(t.due)} đã qua" if t.due and t.due < facts.end else "") + ")."}
                   for t in unreported]
    return blocks


def _assessment(facts: PeriodFacts) -> list[Ctx]:
    blocks = [{"kind": "section", "text": "II. ĐÁNH GIÁ CHUNG"},
              {"kind": "heading", "text": "1. Ưu điểm"}, {"kind": "note", "text": NOTE.format("ưu điểm trong kỳ")},
              {"kind": "heading", "text": "2. Tồn tại, hạn chế"}]
    raised = _raised(facts)
    if raised:
        blocks.append({"kind": "para", "text": "Khó khăn, vướng mắc các đơn vị nêu trong kỳ:"})
        blocks += [{"kind": "para", "text": line} for line in raised]
    blocks.append({"kind": "note", "text": NOTE.format("tồn tại, hạn chế trong kỳ")})
    blocks += [{"kind": "heading", "text": "3. Nguyên nhân"}, {"kind": "note", "text": NOTE.format("nguyên nhân")}]
    return blocks


def _raised(facts: PeriodFacts) -> list[str]:
    """Each difficulty and each reason for not doing a task, with its task and unit."""
    lines = []
    for task in facts.tasks:
        for part in task.parts:
            for standing in part.units:
                shown = standing.shown
                if shown is None:
                    continue
                if shown.get("difficulties"):
                    lines.append(f"- {standing.name} (nhiệm vụ \"{short(task.content)}\"): "
                                 f"{_clause(shown.get('difficulties'))}.")
                if shown.get("status") == NOT_DONE:
                    reason = shown.get("note") or shown.get("result")
                    lines.append(f"- {standing.name} không thực hiện nhiệm vụ \"{short(task.content)}\""
                                 + (f", lý do: {_clause(reason)}." if reason else ", chưa nêu lý do."))
    return list(dict.fromkeys(lines))


def _next_steps(facts: PeriodFacts) -> list[str]:
    lines = [f"- Khẩn trương hoàn thành nhiệm vụ đã quá hạn: {short(t.content)} (hạn {date(t.due)})."
             for t in facts.tasks if t.category == OVERDUE and t.due]
    order = {r.name: i for i, r in enumerate(facts.returns)}
    owing = sorted({name for t in facts.tasks for name in t.owing}, key=lambda n: order.get(n, len(order)))
    if owing:
        lines.append(f"- Đôn đốc {_names(tuple(owing))} báo cáo kết quả các nhiệm vụ chưa báo cáo.")
    ongoing = [t for t in facts.tasks if t.category in (IN_PROGRESS, NOT_STARTED) and t.status != UNREPORTED]
    if ongoing:
        lines.append(f"- Tiếp tục thực hiện {len(ongoing)} nhiệm vụ đang triển khai theo Kế hoạch.")
    return lines or ["- Tiếp tục thực hiện các nhiệm vụ thường xuyên theo Kế hoạch."]


def _recipients(merged: Merged) -> list[str]:
    lines = ["- Như trên;"] + [f"- {r.removeprefix('- ').rstrip(' ;.')};" for r in merged.agency.report_recipients]
    return [*lines, archive_line(merged.plan.archive)]


def _names(names: tuple[str, ...]) -> str:
    if not names:
        return ""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " và " + names[-1]


def _clause(text: Any) -> str:
    return "; ".join(line.strip().rstrip(" .;,") for line in str(text).splitlines() if line.strip())


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
