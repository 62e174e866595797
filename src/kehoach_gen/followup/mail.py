"""The messages of ``kehoach send`` and ``kehoach remind`` as data (pure: values in, EmailMessage out).

A letter comes from a plain-text template the office edits (``templates/thu-gui-phieu.txt``,
``templates/thu-nhac-bao-cao.txt``): Jinja in a sandbox, autoescape off (plain text), StrictUndefined;
its first line ``Tiêu đề: …`` is the subject, the rest the body. Values are data, never evaluated as
templates ("{{ 7*7 }}" in a unit's name prints as written), and every variable the template uses is
checked against the values before rendering. The message is built by the standard library's email
package (no hand-written MIME): headers encoded by the policy (RFC 2047), attachment names by RFC 2231,
the body quoted-printable UTF-8, so any server takes it whatever its 8-bit support. A header value
never holds a line break: the registry's texts are one line (spec.text), and the policy refuses one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, meta
from jinja2.sandbox import SandboxedEnvironment

from .. import vnformat as vn
from ..errors import InputError
from ..excel.trackers import UnitTracker
from ..spec.context import agency_names, unit_names
from ..spec.merge import Merged
from ..spec.text import mail_address
from .owing import Owed
from .periods import Period

SEND_TEMPLATE, REMIND_TEMPLATE = "thu-gui-phieu.txt", "thu-nhac-bao-cao.txt"
SUBJECT = "Tiêu đề:"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
TEMPLATE_HINT = "Sửa mẫu thư rồi chạy lại; mẫu gốc có trong vùng làm việc mới (kehoach init THƯ_MỤC)."


@dataclass(frozen=True)
class Attached:
    name: str  # a name we made (STP-2025-VP.xlsx), never one received
    data: bytes
    mime: str


@dataclass(frozen=True)
class Letter:
    """One unit's message before it has a sender, a date and a Message-ID."""

    unit: str
    to: tuple[str, str]  # display name, address
    subject: str
    body: str
    attachments: tuple[Attached, ...]


def letter_values(merged: Merged, tracker: UnitTracker, when: Period | None, files: list[str],
                  owed: Owed | None = None, today: dt.date | None = None) -> dict[str, Any]:
    """What a template may say, as plain text: the plan, the unit, the period, the attachments, what is owed."""
    plan, agency = merged.plan, merged.agency
    name = agency_names(agency, plan)[0]
    units = unit_names(agency)
    number = vn.doc_number(plan.number)
    date = (f"ngày {vn.short_date(plan.date.as_date())}" if plan.date.day else
            f"tháng {plan.date.month:02d}/{plan.date.year}")
    values: dict[str, Any] = {
        "co_quan": name, "nam": plan.year, "don_vi": tracker.unit_name, "ma_don_vi": tracker.unit,
        "ke_hoach": f"Kế hoạch số {number}/KH-{agency.symbol} {date}" if number else "Kế hoạch (dự thảo, chưa có số)",
        "trich_yeu": _lower_first(" ".join(plan.title)), "so_nhiem_vu": len(tracker.rows),
        "don_vi_dau_moi": units.get(agency.focal_unit or "", "Văn phòng"),
        "ky": when.label if when else "", "han_bao_cao": vn.short_date(when.due) if when else "",
        "so_lieu_tu": vn.short_date(when.start) if when else "", "so_lieu_den": vn.short_date(when.end) if when else "",
        "han_hang_quy": merged.master.reporting.quarterly_due_day,
        "tep_phieu": files[0], "tep_ke_hoach": next((f for f in files[1:] if f.endswith(".pdf")), ""),
    }
    if owed is not None:
        overdue = {p.key for p in owed.overdue}  # listed once, as overdue
        values |= {
            "ngay": vn.short_date(today or dt.date.today()), "chua_gui_phieu": not owed.returned,
            "nhiem_vu_chua_bao_cao": [p.content + (f" (thời hạn: {p.deadline})" if p.deadline else "")
                                      for p in owed.unreported if p.key not in overdue],
            "nhiem_vu_qua_han": [f"{p.content} (hạn {vn.short_date(p.due)})" for p in owed.overdue if p.due],
        }
    return values


def render_letter(template: str, shown: str, values: dict[str, Any]) -> tuple[str, str]:
    """(subject, body) of ``template`` (the text of ``shown``) with ``values``; InputError naming the file."""
    env = SandboxedEnvironment(autoescape=False, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                               keep_trailing_newline=True)
    try:
        parsed = env.parse(template)
        unknown = sorted(meta.find_undeclared_variables(parsed) - set(values))
        if unknown:
            raise InputError.single(f"mẫu thư dùng giá trị không có: {', '.join(unknown)}", file=shown,
                                    expected="một trong: " + ", ".join(sorted(values)), hint=TEMPLATE_HINT)
        text = env.from_string(template).render(values)
    except TemplateSyntaxError as exc:
        raise InputError.single("lỗi cú pháp trong mẫu thư", file=shown, line=exc.lineno, found=exc.message,
                                hint=TEMPLATE_HINT) from None
    except TemplateError as exc:
        raise InputError.single("không dùng được mẫu thư", file=shown, found=str(exc), hint=TEMPLATE_HINT) from None
    lines = text.replace("\r\n", "\n").split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or not lines[first].strip().startswith(SUBJECT):
        raise InputError.single(f"mẫu thư phải bắt đầu bằng dòng \"{SUBJECT} …\"", file=shown,
                                found=f"\"{lines[first].strip()[:60]}\"" if first is not None else "mẫu trống",
                                hint=TEMPLATE_HINT)
    subject = " ".join(lines[first].strip()[len(SUBJECT):].split())
    body = "\n".join(lines[first + 1:]).strip("\n") + "\n"
    if not subject:
        raise InputError.single("tiêu đề thư để trống", file=shown, line=first + 1, hint=TEMPLATE_HINT)
    return subject, body


def letter(unit: str, contact: str, subject: str, body: str, attachments: list[Attached]) -> Letter:
    name, address = mail_address(contact)
    return Letter(unit, (name, address), subject, body, tuple(attachments))


def compose(item: Letter, *, sender: str | None, message_id: str, date: dt.datetime, draft: bool) -> EmailMessage:
    """The message itself. ``draft``: no sender yet, marked unsent so Outlook opens it ready to send."""
    message = EmailMessage(policy=policy.SMTP)
    if sender:
        name, address = mail_address(sender)
        message["From"] = Address(name, addr_spec=address)
    message["To"] = Address(item.to[0], addr_spec=item.to[1])
    message["Subject"] = item.subject
    message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id
    if draft:
        message["X-Unsent"] = "1"
    message.set_content(item.body, cte="quoted-printable")
    for attached in item.attachments:
        maintype, subtype = attached.mime.split("/")
        message.add_attachment(attached.data, maintype=maintype, subtype=subtype, filename=attached.name)
    return message


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
