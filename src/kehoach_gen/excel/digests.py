"""The hashes of the trackers: sha256 of canonical JSON (sorted keys, no spaces, dates as ISO text).

A tracker's checksum is the hash of its locked cells, and the plan's revision the hash of all of them
together; the revision's text is put together from the texts already made for the checksums, so each
sheet's cells are turned into JSON once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any


def canonical(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def canonical_json(data: Any) -> str:
    """Canonical JSON (sorted keys, dates as ISO text): the text hashes are taken from."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=canonical)


def digest(data: Any) -> str:
    """sha256 of canonical JSON."""
    return sha256_text(canonical_json(data))


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def revision_json(agency: str, year: int, texts: dict[str, str]) -> str:
    """``canonical_json({"agency", "year", "office": the office's locked cells, "units": {code: its locked cells}})``
    put together from the texts of the locked cells (``texts[""]`` the office's), which are hashed on their own too."""
    units = ",".join(f"{canonical_json(code)}:{texts[code]}" for code in sorted(texts) if code)
    return f'{{"agency":{canonical_json(agency)},"office":{texts[""]},"units":{{{units}}},"year":{canonical_json(year)}}}'
