"""Returned trackers in, from files or from mail, for ``kehoach collect``: what each one turned out to be.

A tracker file is read as it always was. A message (.eml, a Maildir, an mbox: see
:mod:`kehoach_gen.followup.mailbox`) gives its .xlsx attachments, each read from its bytes by the
same untrusted reader, and its sender, which must be the registry address of the unit the tracker
belongs to (unless ``any_sender``). Everything else is listed as skipped. Nothing is written here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError, Problem

if TYPE_CHECKING:
    from ..excel.collect import Submission
    from ..excel.revisions import Amended
    from ..followup.mailbox import Item
    from ..spec.merge import Merged


@dataclass
class Incoming:
    """One returned tracker read (``submission``), refused (``problems``), or not a tracker (``skipped``)."""

    file: Path | str
    submission: Submission | None = None
    problems: list[Problem] = field(default_factory=list)
    hint: str | None = None
    skipped: str | None = None


def incoming(paths: list[Path], merged: Merged, amended: Amended | None = None, *, any_sender: bool = False,
             own: frozenset[str] = frozenset()) -> Iterator[Incoming]:
    """Every tracker the paths hold, in order; messages are parsed one at a time. ``own``: the Message-IDs
    of what send and remind sent (a Sent folder read by mistake holds the blank trackers: skipped)."""
    from ..excel.collect import read_return
    from ..followup.mailbox import expand

    for item in expand(paths):
        if item.skipped:
            yield Incoming(item.shown, skipped=item.skipped)
        elif item.error:
            yield Incoming(item.shown, problems=item.error.problems, hint=item.error.hint)
        elif item.path is not None:
            try:
                yield Incoming(item.path, read_return(item.path, merged, item.shown, amended))
            except InputError as exc:
                yield Incoming(item.path, problems=exc.problems, hint=exc.hint)
        else:
            yield from _from_message(item, merged, amended, any_sender, own)


def _from_message(item: Item, merged: Merged, amended: Amended | None, any_sender: bool,
                  own: frozenset[str]) -> Iterator[Incoming]:
    from ..excel.collect import read_attachment
    from ..followup.mailbox import SENDER_HINT, parse_message, sender_problem

    try:
        received = parse_message(item.data or b"", item.shown)
    except InputError as exc:
        yield Incoming(item.shown, problems=exc.problems, hint=exc.hint)
        return
    if received.message_id in own:
        yield Incoming(item.shown, skipped="thư do kehoach send/remind gửi đi (phiếu gốc), không phải thư đơn vị gửi lại")
        return
    trackers = [a for a in received.attachments if a.tracker]
    forwarded = f"; {received.nested} thư chuyển tiếp đính kèm không được mở" if received.nested else ""
    if not trackers:
        names = ", ".join(f"\"{a.name}\"" for a in received.attachments)
        yield Incoming(item.shown, skipped="không có phiếu theo dõi (.xlsx) đính kèm" + (f" (có: {names})" if names
                                                                                        else "") + forwarded)
        return
    if forwarded:
        yield Incoming(item.shown, skipped=forwarded[2:])
    for attachment in received.attachments:
        if not attachment.tracker:
            yield Incoming(attachment.shown, skipped="không phải phiếu theo dõi (.xlsx)")
            continue
        try:
            submission = read_attachment(attachment.data, merged, attachment.shown, attachment.name, amended)
        except InputError as exc:
            yield Incoming(attachment.shown, problems=exc.problems, hint=exc.hint)
            continue
        wrong = None if any_sender else sender_problem(received.sender, submission.unit, merged.agency,
                                                        attachment.shown)
        yield Incoming(attachment.shown, problems=[wrong], hint=SENDER_HINT) if wrong else \
            Incoming(attachment.shown, submission)
