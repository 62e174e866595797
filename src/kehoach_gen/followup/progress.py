"""The durable progress store: every accepted submission kept, the current state derived.

Layout, under ``output/<năm>/<CƠ QUAN>/tien-do/``::

    lich-su/<ĐƠN VỊ>-<saved UTC>-<hash>.json   one file per accepted submission, never changed
    current.json                                 newest submission per unit, rebuilt from lich-su/

History is written first (atomically), then ``current.json`` is rebuilt from the whole
history (atomically), so a crash between the two loses nothing: the next ``accept`` or
``current`` sees the history. The newest *saved* time (the workbook's own property, not the
order of arrival) wins, so an older file never replaces newer data; the same content sent
twice (even renamed) has the same hash and is recorded once. A lock file serialises
concurrent collects of one agency and year.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from filelock import FileLock

from ..errors import InputError
from ..output import write_atomic
from ..workspace import check_code

if TYPE_CHECKING:
    from ..excel.collect import Submission

HISTORY, CURRENT, LOCK = "lich-su", "current.json", ".lock"
Status = Literal["mới", "trùng", "cũ hơn"]
NEW: Status = "mới"
DUPLICATE: Status = "trùng"
OLDER: Status = "cũ hơn"


def store_dir(output_dir: Path, agency: str, year: int) -> Path:
    """``output/<năm>/<CƠ QUAN>/tien-do``."""
    return output_dir / str(year) / check_code(agency) / "tien-do"


def history_name(submission: Submission) -> str:
    saved = submission.saved.strftime("%Y%m%dT%H%M%SZ")
    return f"{check_code(submission.unit)}-{saved}-{submission.content_hash[:16]}.json"


def accept(store: Path, submission: Submission) -> Status:
    """Record an accepted submission; "mới" if it is now the unit's current data,
    "cũ hơn" if newer data of the unit was already kept, "trùng" if already recorded."""
    store.mkdir(parents=True, exist_ok=True)
    with FileLock(str(store / LOCK)):
        path = store / HISTORY / history_name(submission)
        if path.is_file():
            _rebuild(store)  # finish the work of a collect that stopped after writing history
            return DUPLICATE
        record = submission.record()
        write_atomic(path, _writer(record))
        state = _rebuild(store)
        return NEW if state["units"][submission.unit]["hash"] == record["hash"] else OLDER


def current(store: Path) -> dict[str, Any]:
    """The newest submission of every unit, computed from the history (not from current.json)."""
    units: dict[str, dict[str, Any]] = {}
    head: dict[str, Any] = {}
    folder = store / HISTORY
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        record = _load(path)
        head = head or {"agency": record["agency"], "year": record["year"]}
        kept = units.get(record["unit"])
        if kept is None or (record["saved"], record["hash"]) > (kept["saved"], kept["hash"]):
            units[record["unit"]] = {**{k: record[k] for k in ("saved", "revision", "hash", "source", "rows")},
                                     "file": path.name}
    return {**head, "units": dict(sorted(units.items()))}


def statuses(store: Path) -> dict[str, dict[str, str]]:
    """Unit code -> row key -> Tình trạng, for the consolidated workbook."""
    return {unit: {key: row["status"] for key, row in data["rows"].items() if row.get("status")}
            for unit, data in current(store)["units"].items()}


def history(store: Path) -> list[dict[str, Any]]:
    """Every accepted submission, oldest saved first (for reports on a period)."""
    folder = store / HISTORY
    records = [_load(p) for p in sorted(folder.glob("*.json"))] if folder.is_dir() else []
    return sorted(records, key=lambda r: (r["saved"], r["unit"], r["hash"]))


def _rebuild(store: Path) -> dict[str, Any]:
    state = current(store)
    write_atomic(store / CURRENT, _writer(state))
    return state


def _writer(data: Any) -> Callable[[Path], None]:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    return write


def _load(path: Path) -> dict[str, Any]:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError.single("tệp lịch sử tiến độ bị hỏng", file=str(path), found=type(exc).__name__,
                                hint="Khôi phục tệp từ bản sao lưu hoặc xóa tệp này rồi nhận lại phiếu.") from None
    needed = ("agency", "year", "unit", "saved", "hash", "revision", "source", "rows")
    if not isinstance(record, dict) or any(k not in record for k in needed):
        raise InputError.single("tệp lịch sử tiến độ bị hỏng", file=str(path), expected="các trường " + ", ".join(needed),
                                hint="Khôi phục tệp từ bản sao lưu hoặc xóa tệp này rồi nhận lại phiếu.")
    return record
