"""``kehoach send`` and ``kehoach remind``: each unit its own tracker by mail, and a record of what went.

A straight line, as a build: read and check everything first (the plan, ``[mail]``, the units asked
for, the period, the template, every letter rendered) so a mistake stops the command before anything
goes; then, holding the build lock, refresh the trackers (a unit always gets the tracker of the
current plan; one edited by hand is not sent), and send one message per unit to its registry contact,
by SMTP when ``[mail]`` is configured, else as .eml files in the outbox (:mod:`.dispatch`). The record
(:mod:`kehoach_gen.build.outbox`) is written after each message: a second run sends only what has not
gone for the same kind, period (and day, for reminders) and channel, unless ``resend``. A unit without
a contact is listed and skipped, never guessed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import OutputError, Problem
from ..workspace import Target, Workspace
from .dispatch import Ask, Clock, Job, SendResult, UnitSend, code_of, day_of, deliver, write_outbox
from .manifest import inputs_key
from .outbox import OUTBOX, SMTP, SendRecord, outbox_dir, sha256
from .pipeline import check, input_files, recording, write_trackers

if TYPE_CHECKING:
    from ..excel.trackers import UnitTracker
    from ..followup.mail import Letter
    from ..spec.merge import Merged

SEND, REMIND = "phieu", "nhac"


def send(ws: Workspace, target: Target, *, units: list[str] | None = None, period_code: str | None = None,
         dry_run: bool = False, resend: bool = False, ask_password: Ask = None,
         now: dt.datetime | None = None) -> SendResult:
    """Send each unit (or those in ``units``) its tracker and the plan's PDF, for a period or none."""
    from ..followup.mail import SEND_TEMPLATE
    from ..followup.periods import asked_period

    merged = check(ws, target)
    when = asked_period(period_code, target.year, merged.master.reporting) if period_code else None
    return _run(ws, target, merged, Job(SEND, SEND_TEMPLATE, when, None, None), units,
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
    return _run(ws, target, merged, Job(REMIND, REMIND_TEMPLATE, when, day, owing), units,
                dry_run=dry_run, resend=resend, ask_password=ask_password, now=now)


def _run(ws: Workspace, target: Target, merged: Merged, job: Job, only: list[str] | None, *, dry_run: bool,
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
            write_outbox(ws, job, todo, record, clock)
        else:
            deliver(config, job, todo, record, result, ask_password, clock)
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


def _plan(ws: Workspace, merged: Merged, job: Job, chosen: list[UnitTracker], template: tuple[str, str],
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
        previous = record.gone(job.kind, code_of(job), day_of(job), code, result.channel)
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


def _letter(merged: Merged, job: Job, tracker: UnitTracker, contact: str, template: tuple[str, str],
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
