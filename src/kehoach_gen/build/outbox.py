"""The outbox of an agency's year, ``output/<năm>/<CƠ QUAN>/gui-di/``: the messages written for a mail
client (.eml, opened and sent from Outlook or Thunderbird) and ``so-gui.json``, the record of sending.

The record holds every message written, delivered or refused: kind (``phieu`` for send, ``nhac`` for
remind), period, day (reminders), unit, address, each attachment's name and sha256, Message-ID,
channel (``outbox`` or ``smtp``), result (``written``, ``delivered``, ``failed``), time. It is written
again, whole and atomically, after each message, so a command stopped half-way loses nothing and a
rerun sends only the rest. A message counts as gone for a channel when it was delivered by SMTP, or
(for the outbox) written to it: a message once written to the outbox still goes by SMTP later.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import OutputError
from ..output import write_atomic
from ..workspace import check_code

FOLDER, RECORD, FORMAT = "gui-di", "so-gui.json", "kehoach-gui-di/1"
SMTP, OUTBOX = "smtp", "outbox"
DELIVERED, WRITTEN, FAILED = "delivered", "written", "failed"
ENTRY_KEYS = {"kind", "period", "day", "unit", "to", "attachments", "message_id", "channel", "result", "at"}


def outbox_dir(output_dir: Path, agency: str, year: int) -> Path:
    return output_dir / str(year) / check_code(agency) / FOLDER


def eml_name(kind: str, period: str | None, day: str | None, unit: str) -> str:
    """``phieu-Q1-VP.eml``, ``phieu-VP.eml``, ``nhac-Q1-2025-03-16-VP.eml``: made of checked codes only."""
    parts = [kind, *([period] if period else []), *([day] if day else []), check_code(unit)]
    return "-".join(parts) + ".eml"


@dataclass
class SendRecord:
    """``so-gui.json`` of one agency and year."""

    path: Path
    agency: str
    year: int
    entries: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def load(cls, folder: Path, agency: str, year: int) -> SendRecord:
        path = folder / RECORD
        if not path.is_file():
            return cls(path, agency, year)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            entries = data["messages"]
            if data.get("format") != FORMAT or not isinstance(entries, list) or not all(
                    isinstance(e, dict) and e.keys() >= ENTRY_KEYS for e in entries):
                raise ValueError
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
            raise OutputError.single("sổ gửi thư bị hỏng", file=str(path), exit_code=3, hint=(
                "Khôi phục tệp từ bản sao lưu; nếu xóa tệp, lần gửi sau sẽ gửi lại cho mọi đơn vị.")) from None
        return cls(path, agency, year, entries)

    def gone(self, kind: str, period: str | None, day: str | None, unit: str, channel: str) -> dict[str, Any] | None:
        """The last message of this kind, period, day and unit that went for ``channel`` (None if none did)."""
        results = (DELIVERED,) if channel == SMTP else (DELIVERED, WRITTEN)
        found = [e for e in self.entries if (e["kind"], e.get("period"), e.get("day"), e["unit"]) ==
                 (kind, period, day, unit) and e["result"] in results]
        return found[-1] if found else None

    def add(self, entry: dict[str, Any]) -> None:
        """Append one entry and write the whole record (atomically) at once."""
        self.entries.append(entry)
        data = {"format": FORMAT, "agency": self.agency, "year": self.year, "messages": self.entries}
        text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
        write_atomic(self.path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def entry(kind: str, period: str | None, day: str | None, unit: str, to: str, attachments: list[tuple[str, bytes]],
          message_id: str, channel: str, result: str, at: dt.datetime, *, detail: str | None = None,
          eml: str | None = None) -> dict[str, Any]:
    """One entry of the record (see the module docstring)."""
    return {"kind": kind, "period": period, "day": day, "unit": unit, "to": to,
            "attachments": [{"name": name, "sha256": sha256(data)} for name, data in attachments],
            "message_id": message_id, "channel": channel, "result": result, "at": at.isoformat(timespec="seconds"),
            **({"detail": detail} if detail else {}), **({"eml": eml} if eml else {})}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
