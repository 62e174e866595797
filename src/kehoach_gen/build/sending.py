"""``kehoach send`` and ``kehoach remind``: each unit its own tracker by mail, and a record of what went.

A straight line, as a build: read and check everything first (the plan, ``[mail]``, the units asked
for, the period, the template, every letter rendered) so a mistake stops the command before anything
goes; then, holding the build lock, refresh the trackers (a unit always gets the tracker of the
current plan; one edited by hand is not sent), and send one message per unit to its registry contact,
by SMTP when ``[mail]`` is configured, else as .eml files in the outbox. The record
(:mod:`kehoach_gen.build.outbox`) is written after each message: a second run sends only what has not
gone for the same kind, period (and day, for reminders) and channel, unless ``resend``. A unit without
a contact is listed and skipped, never guessed.
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
from .manifest import inputs_key
from .outbox import DELIVERED, FAILED, OUTBOX, SMTP, WRITTEN, SendRecord, eml_name, entry, outbox_dir, sha256
from .pipeline import Outcome, check, input_files, recording, write_trackers

if TYPE_CHECKING:
    from ..excel.trackers import UnitTracker
    from ..followup.mail import Letter
    from ..followup.owing import Owed
    from ..followup.periods import Period
    from ..spec.merge import Merged
    from .mailconfig import MailConfig

SEND, REMIND = "phieu", "nhac"


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
class _Job:
    kind: str
    template: str
    when: Period | None
    day: dt.date | None
    owed: dict[str, Owed] | None


Ask = Callable[[str], str] | None
Clock = Callable[[], dt.datetime]


def send(ws: Workspace, target: Target, *, units: list[str] | None = None, period_code: str | None = None,
         dry_run: bool = False, resend: bool = False, ask_password: Ask = None,
         now: dt.datetime | None = None) -> SendResult:
    """Send each unit (or those in ``units``) its tracker and the plan's PDF, for a period or none."""
    from ..followup.mail import SEND_TEMPLATE
    from ..followup.periods import asked_period

    merged = check(ws, target)
    when = asked_period(period_code, target.year, merged.master.reporting) if period_code else None
    return _run(ws, target, merged, _Job(SEND, SEND_TEMPLATE, when, None, None), units,
                dry_run=dry_run, resend=resend, ask_password=ask_password, now=now)


def remind(ws: Workspace, target: Target, *, period_code: str, day: dt.date | None = None,
           units: list[str] | None = None, dry_run: bool = False, resend: bool = False, ask_password: Ask = None,
           now: dt.datetime | None = None) -> SendResult:
    """Remind the units that owe the period's report or have overdue tasks (as of ``day``, default today)."""
    from ..followup.mail import REMIND_TEMPLATE
    from ..followup.owing import owed
    from ..followup.progress import history, store_dir
    from ..followup.periods import asked_period

    merged = check(ws, target)
    when = asked_period(period_code, target.year, merged.master.reporting)
    day = day or dt.date.today()
    owing = owed(merged, when, history(store_dir(ws.output_for(target.province), target.agency, target.year)), day)
    return _run(ws, target, merged, _Job(REMIND, REMIND_TEMPLATE, when, day, owing), units,
                dry_run=dry_run, resend=resend, ask_password=ask_password, now=now)


def _run(ws: Workspace, target: Target, merged: Merged, job: _Job, only: list[str] | None, *, dry_run: bool,
         resend: bool, ask_password: Ask, now: dt.datetime | None) -> SendResult:
    from ..excel.trackers import build_trackers
    from .mailconfig import mail_config

    config = mail_config(ws.root)
    chosen = _chosen(merged, build_trackers(merged).units, only)
    if job.owed is not None:
        chosen = [u for u in chosen if u.unit in job.owed]
    template = _template(ws, job.template)
    folder = outbox_dir(ws.output_for(target.province), target.agency, target.year)
    result = SendResult(target, job.kind, SMTP if config else OUTBOX, config.server if config else None, job.when, job.day,
                        folder, folder / "so-gui.json", ws.registry_file(target.province))
    with recording(ws) as manifest:
        record = SendRecord.load(folder, target.agency, target.year)
        # every letter rendered first: a bad template or value stops the command before anything is written
        _plan(ws, merged, job, chosen, template, record, result, resend=resend, read=False)
        if dry_run:
            return result
        result.units = []
        result.trackers = write_trackers(ws, merged, manifest, inputs_key(input_files(ws, target), ws.root))
        todo = _plan(ws, merged, job, chosen, template, record, result, resend=resend, read=True)
        if not todo:
            return result
        clock: Clock = (lambda: now) if now else (lambda: dt.datetime.now().astimezone())
        if config is None:
            _write_outbox(ws, job, todo, record, clock)
        else:
            _deliver(config, job, todo, record, result, ask_password, clock)
    return result


def _chosen(merged: Merged, trackers: tuple[UnitTracker, ...], only: list[str] | None) -> list[UnitTracker]:
    """The units' trackers asked for (all by default), in registry order; unknown codes are an error."""
    from ..errors import InputError

    if not only:
        return list(trackers)
    known = {u.code for u in merged.agency.units}
    with_tracker = {t.unit for t in trackers}
    problems = [Problem("không có đơn vị này", field="--units", expected="một trong: " + ", ".join(sorted(known)),
                        found=f"\"{code}\"") for code in only if code not in known]
    problems += [Problem("đơn vị không có nhiệm vụ trong kế hoạch nên không có phiếu theo dõi", field="--units",
                         found=f"\"{code}\"") for code in only if code in known and code not in with_tracker]
    if problems:
        raise InputError(problems)
    return [t for t in trackers if t.unit in set(only)]


def _template(ws: Workspace, name: str) -> tuple[str, str]:
    """(shown path, text) of a mail template."""
    from ..errors import InputError

    path = ws.template(name)
    if not path.is_file():
        raise OutputError.single("không tìm thấy mẫu thư", file=ws.shown(path), exit_code=3,
                                 hint=f"Chép tệp templates/{name} từ một vùng làm việc mới (kehoach init THƯ_MỤC).")
    try:
        return ws.shown(path), path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError.single("mẫu thư không phải văn bản UTF-8", file=ws.shown(path),
                                hint="Lưu lại tệp với bảng mã UTF-8 (Notepad: Lưu thành…, Encoding: UTF-8).") from None


def _plan(ws: Workspace, merged: Merged, job: _Job, chosen: list[UnitTracker], template: tuple[str, str],
          record: SendRecord, result: SendResult, *, resend: bool, read: bool) -> list[tuple[UnitSend, Letter]]:
    """Each unit's line, and the letters to send; every letter is rendered before any is sent."""
    from ..excel.trackers import tracker_paths

    plan = merged.plan
    paths = tracker_paths(ws.output_for(merged.master.province), plan.agency, plan.year, [u.unit for u in chosen])
    kept = {o.path for o in result.trackers if o.action == "kept"}
    pdf = _pdf(ws, merged, result) if job.kind == SEND else None
    contacts = {u.code: u.contact for u in merged.agency.units}
    todo = []
    for tracker in chosen:
        code, path = tracker.unit, paths[tracker.unit]
        line = UnitSend(code, tracker.unit_name, "would", files=(path.name, *([pdf.name] if pdf else [])))
        result.units.append(line)
        contact = contacts.get(code)
        if contact is None:
            line.action = "no-contact"
            continue
        files = [(f, f.read_bytes() if read else b"") for f in (path, *([pdf] if pdf else []))]
        previous = record.gone(job.kind, _code(job), _day(job), code, result.channel)
        if path in kept:
            line.action = "kept"
        elif previous and not resend:
            line.action, line.previous = "gone", previous
            line.changed = read and previous["attachments"][0]["sha256"] != sha256(files[0][1])
        item = _letter(merged, job, tracker, contact, template, files)
        line.address = item.to[1]
        if line.action == "would":
            todo.append((line, item))
    return todo


def _letter(merged: Merged, job: _Job, tracker: UnitTracker, contact: str, template: tuple[str, str],
            files: list[tuple[Path, bytes]]) -> Letter:
    from ..followup.mail import PDF, XLSX, Attached, letter, letter_values, render_letter

    values = letter_values(merged, tracker, job.when, [f.name for f, _ in files],
                           job.owed.get(tracker.unit) if job.owed else None, job.day)
    subject, body = render_letter(template[1], template[0], values)
    attached = [Attached(f.name, data, PDF if f.suffix == ".pdf" else XLSX) for f, data in files]
    return letter(tracker.unit, contact, subject, body, attached)


def _pdf(ws: Workspace, merged: Merged, result: SendResult) -> Path | None:
    """The plan's PDF when it is at least as new as the document (an older one is reported, not attached)."""
    document = ws.plan_output(merged.plan.agency, merged.plan.year, merged.master.province)
    pdf = document.with_suffix(".pdf")
    if not pdf.is_file():
        return None
    if document.is_file() and pdf.stat().st_mtime < document.stat().st_mtime:
        result.stale_pdf = pdf
        return None
    return pdf


def _write_outbox(ws: Workspace, job: _Job, todo: list[tuple[UnitSend, Letter]], record: SendRecord,
                  clock: Clock) -> None:
    from ..followup.mail import compose

    for line, item in todo:
        at = clock()
        message_id = make_msgid(domain="kehoach.invalid")
        message = compose(item, sender=None, message_id=message_id, date=at, draft=True)
        path = record.path.parent / eml_name(job.kind, _code(job), _day(job), line.unit)
        data = message.as_bytes()
        write_atomic(path, lambda tmp, data=data: tmp.write_bytes(data), ws.shown(path))
        record.add(_entry(job, item, message_id, OUTBOX, WRITTEN, at, eml=ws.shown(path)))
        line.action, line.eml = "written", path


def _deliver(config: MailConfig, job: _Job, todo: list[tuple[UnitSend, Letter]], record: SendRecord,
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


def _deliver_one(session: Any, config: MailConfig, job: _Job, line: UnitSend, item: Letter, record: SendRecord,
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


def _entry(job: _Job, item: Letter, message_id: str, channel: str, outcome: str, at: dt.datetime, **more: str) -> dict:
    return entry(job.kind, _code(job), _day(job), item.unit, item.to[1], [(a.name, a.data) for a in item.attachments],
                 message_id, channel, outcome, at, **more)


def _code(job: _Job) -> str | None:
    return job.when.code if job.when else None


def _day(job: _Job) -> str | None:
    return job.day.isoformat() if job.day else None
