"""Each letter of ``kehoach send`` and ``kehoach remind`` on its way, and what became of it.

:mod:`.sending` decides what goes to whom (every letter rendered before any goes); here each one is written to the
outbox as an .eml file, or delivered by SMTP in one session, and recorded in the send record as soon as it has gone
(or been refused), so that a run stopped halfway knows what went. A refused letter is recorded and the session goes
on; a session that ends (the server gone, the password refused) stops the rest, which the next run sends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import make_msgid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import KehoachError, OutputError, Problem
from ..output import write_atomic
from ..workspace import Target, Workspace
from .outbox import DELIVERED, FAILED, OUTBOX, SMTP, WRITTEN, SendRecord, eml_name, entry

if TYPE_CHECKING:
    from ..followup.mail import Letter
    from ..followup.owing import Owed
    from ..followup.periods import Period
    from .mailconfig import MailConfig
    from .pipeline import Outcome


@dataclass
class UnitSend:
    """What happened for one unit: delivered, written, would (dry run), gone (before), no-contact, kept,
    failed (refused by the server), not-sent (the session ended before its turn)."""

    unit: str
    name: str
    action: str
    address: str | None = None
    files: tuple[str, ...] = ()
    eml: Path | None = None
    previous: dict[str, Any] | None = None
    changed: bool = False  # gone before, but the tracker has changed since
    reason: str | None = None


@dataclass
class SendResult:
    target: Target
    kind: str
    channel: str
    server: str | None
    when: Period | None
    day: dt.date | None
    outbox: Path
    record: Path
    registry: Path
    units: list[UnitSend] = field(default_factory=list)
    trackers: list[Outcome] = field(default_factory=list)
    stale_pdf: Path | None = None  # the plan's PDF is older than the document: not attached
    error: KehoachError | None = None


@dataclass(frozen=True)
class Job:
    kind: str
    template: str
    when: Period | None
    day: dt.date | None
    owed: dict[str, Owed] | None


Ask = Callable[[str], str] | None
Clock = Callable[[], dt.datetime]


Ask = Callable[[str], str] | None
Clock = Callable[[], dt.datetime]


def write_outbox(ws: Workspace, job: Job, todo: list[tuple[UnitSend, Letter]], record: SendRecord,
                  clock: Clock) -> None:
    from ..followup.mail import compose

    for line, item in todo:
        at = clock()
        message_id = make_msgid(domain="kehoach.invalid")
        message = compose(item, sender=None, message_id=message_id, date=at, draft=True)
        path = record.path.parent / eml_name(job.kind, code_of(job), day_of(job), line.unit)
        data = message.as_bytes()
        write_atomic(path, lambda tmp, data=data: tmp.write_bytes(data), ws.shown(path))
        record.add(_entry(job, item, message_id, OUTBOX, WRITTEN, at, eml=ws.shown(path)))
        line.action, line.eml = "written", path


def deliver(config: MailConfig, job: Job, todo: list[tuple[UnitSend, Letter]], record: SendRecord,
             result: SendResult, ask_password: Ask, clock: Clock) -> None:
    from .mailconfig import smtp_password
    from .smtp import Session

    for line, _ in todo:
        line.action = "not-sent"
    try:
        with Session(config, smtp_password(config, ask_password)) as session:
            for line, item in todo:
                _deliver_one(session, config, job, line, item, record, clock)
    except OutputError as exc:
        result.error = _unfinished(result, exc)
        return
    if any(u.action == "failed" for u in result.units):
        result.error = _unfinished(result, None)


def _deliver_one(session: Any, config: MailConfig, job: Job, line: UnitSend, item: Letter, record: SendRecord,
                 clock: Clock) -> None:
    """One message: delivered and recorded, or refused and recorded (the session goes on), or the session ends."""
    from ..followup.mail import compose
    from ..spec.text import mail_address
    from .smtp import Refused

    sender = mail_address(config.sender)[1]
    at = clock()
    message_id = make_msgid(domain=sender.rpartition("@")[2])
    message = compose(item, sender=config.sender, message_id=message_id, date=at, draft=False)
    try:
        session.send(message, sender, item.to[1])
    except Refused as exc:
        line.action, line.reason = "failed", exc.reason
        record.add(_entry(job, item, message_id, SMTP, FAILED, at, detail=exc.reason))
        return
    except OutputError as exc:
        line.action, line.reason = "failed", exc.problems[0].message
        record.add(_entry(job, item, message_id, SMTP, FAILED, at, detail=exc.problems[0].message))
        raise
    line.action = "delivered"  # before the record is written: what the user reads stays true if that fails
    record.add(_entry(job, item, message_id, SMTP, DELIVERED, at))


def _unfinished(result: SendResult, cause: OutputError | None) -> OutputError:
    sent = [u.unit for u in result.units if u.action == "delivered"]
    rest = [u.unit for u in result.units if u.action in ("failed", "not-sent")]
    problems = cause.problems if cause else [Problem(f"{len(rest)} thư bị máy chủ thư từ chối", file=result.server)]
    done = f"Đã gửi {len(sent)} thư" + (f" ({', '.join(sent)})" if sent else "")
    hint = (f"{done}; chưa gửi {len(rest)} ({', '.join(rest)}). Sửa lỗi rồi chạy lại lệnh: chỉ các đơn vị chưa gửi "
            "được gửi lại.")
    return OutputError(problems, hint="\n".join(filter(None, [cause.hint if cause else None, hint])), exit_code=3)


def _entry(job: Job, item: Letter, message_id: str, channel: str, outcome: str, at: dt.datetime, **more: str) -> dict:
    return entry(job.kind, code_of(job), day_of(job), item.unit, item.to[1], [(a.name, a.data) for a in item.attachments],
                 message_id, channel, outcome, at, **more)


def code_of(job: Job) -> str | None:
    return job.when.code if job.when else None


def day_of(job: Job) -> str | None:
    return job.day.isoformat() if job.day else None
