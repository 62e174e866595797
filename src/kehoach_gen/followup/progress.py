"""The durable progress store: every accepted submission kept, the current state derived.

Layout, under ``output/<năm>/<CƠ QUAN>/tien-do/``::

    lich-su/<ĐƠN VỊ>-<saved UTC>-<hash>.json   one file per accepted submission, never changed
    current.json                                 newest accepted values per unit, rebuilt from lich-su/
    phien-ban/<revision>.json                    what each unit's tracker showed in a revision, never changed
                                                 (compact JSON: 6 MB and 0.2 s less at 10,000 tasks)

History is written first (atomically), then ``current.json`` is rebuilt from the whole
history (atomically), so a crash between the two loses nothing: the next ``accept`` or
``current`` sees the history. The newest *saved* time (the workbook's own property, not the
order of arrival) wins, row by row, among the rows the plan took (a tracker of an earlier
revision keeps rows of removed tasks in its record, not taken); so an older file never replaces
newer data, and the same content sent twice (even renamed) has the same hash and is recorded
once. A lock file serialises concurrent collects of one agency and year.

Records of format 1 (before revisions were compared) took every row.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from filelock import FileLock

from ..errors import InputError, broken
from ..output import write_atomic
from ..workspace import check_code

if TYPE_CHECKING:
    from ..excel.collect import Submission
    from ..excel.revisions import Revision

HISTORY, CURRENT, REVISIONS, LOCK = "lich-su", "current.json", "phien-ban", ".lock"
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
        state, sources = _state(store)
        _write_current(store, state)
        unit = state["units"][submission.unit]
        return NEW if unit["hash"] == record["hash"] or record["hash"] in sources[submission.unit].values() \
            else OLDER


def current(store: Path) -> dict[str, Any]:
    """Every unit's newest accepted values, computed from the history (not from current.json).

    Per unit: the newest submission (saved, revision, hash, source, file) and ``rows``: per row
    key, the row of the newest submission that took it."""
    return _state(store)[0]


def statuses(store: Path, state: dict[str, Any] | None = None) -> dict[str, dict[str, str]]:
    """Unit code -> row key -> Tình trạng, for the consolidated workbook (``state``: :func:`current`'s)."""
    state = state if state is not None else current(store)
    return {unit: {key: row["status"] for key, row in data["rows"].items() if row.get("status")}
            for unit, data in state["units"].items()}


def taken_rows(record: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The rows of a history record that the plan took when it was collected (format 1: all)."""
    rows = record["rows"]
    return rows if "taken" not in record else {key: rows[key] for key in record["taken"] if key in rows}


def _state(store: Path) -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    """:func:`current`, and per unit which submission (hash) each row's values come from."""
    units: dict[str, dict[str, Any]] = {}
    sources: dict[str, dict[str, str]] = {}
    records = history(store)  # oldest saved first: a newer row replaces an older one
    for record in records:
        unit = units[record["unit"]] = {**units.get(record["unit"], {"rows": {}}),
                                        **{k: record[k] for k in ("saved", "revision", "hash", "source")},
                                        "file": record["file"]}
        for key, row in taken_rows(record).items():
            unit["rows"][key] = row
            sources.setdefault(record["unit"], {})[key] = record["hash"]
    head = {"agency": records[0]["agency"], "year": records[0]["year"]} if records else {}
    for data in units.values():
        data["rows"] = dict(sorted(data["rows"].items()))
    return {**head, "units": dict(sorted(units.items()))}, sources


def history(store: Path) -> list[dict[str, Any]]:
    """Every accepted submission, oldest saved first (for reports on a period); each names its ``file``.

    A record keeps every row of its file; :func:`taken_rows` gives those the plan took."""
    folder = store / HISTORY
    records = [{**_load(p), "file": p.name} for p in sorted(folder.glob("*.json"))] if folder.is_dir() else []
    return sorted(records, key=lambda r: (r["saved"], r["unit"], r["hash"]))


def _rebuild(store: Path) -> dict[str, Any]:
    state = current(store)
    _write_current(store, state)
    return state


def _write_current(store: Path, state: dict[str, Any]) -> None:
    write_atomic(store / CURRENT, _writer(state))


# ---------------------------------------------------------------- revisions of the plan

def revisions(store: Path) -> list[Revision]:
    """Every recorded revision of the plan's trackers."""
    return [read_revision(path) for path in revision_files(store)]


def revision_files(store: Path) -> list[Path]:
    folder = store / REVISIONS
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def read_revision(path: Path) -> Revision:
    """One record of :func:`revisions` (a broken one is an InputError naming the file)."""
    from ..excel.revisions import Revision

    try:
        record = Revision.from_json(json.loads(path.read_text(encoding="utf-8")))
        if record.revision != path.stem:
            raise ValueError(path.stem)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError.single("tệp phiên bản kế hoạch bị hỏng", file=str(path), found=broken(exc),
                                hint="Khôi phục tệp từ bản sao lưu; nếu không còn, xóa tệp này: phiếu của phiên bản "
                                     "đó sẽ được kiểm tra theo mã kiểm tra của chính phiếu.") from None
    return record


def save_revision(store: Path, record: Revision) -> Path:
    """Keep the record of a revision the first time its trackers are written; an existing one is never changed."""
    path = store / REVISIONS / f"{check_revision(record.revision)}.json"
    if not path.is_file():
        write_atomic(path, _writer(record.to_json(), compact=True))
    return path


def check_revision(revision: str) -> str:
    if not re.fullmatch("[0-9a-f]{64}", revision):
        raise ValueError(revision)
    return revision


def _writer(data: Any, compact: bool = False) -> Callable[[Path], None]:
    """Sorted JSON, one key a line, or ``compact`` (json's C encoder: a plan's revision record is its largest)."""
    if compact:
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    else:
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    return write


def _load(path: Path) -> dict[str, Any]:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError.single("tệp lịch sử tiến độ bị hỏng", file=str(path), found=broken(exc),
                                hint="Khôi phục tệp từ bản sao lưu hoặc xóa tệp này rồi nhận lại phiếu.") from None
    needed = ("agency", "year", "unit", "saved", "hash", "revision", "source", "rows")
    if not isinstance(record, dict) or any(k not in record for k in needed):
        raise InputError.single("tệp lịch sử tiến độ bị hỏng", file=str(path), expected="các trường " + ", ".join(needed),
                                hint="Khôi phục tệp từ bản sao lưu hoặc xóa tệp này rồi nhận lại phiếu.")
    return record
