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
    """Canonical JSON (sorted keys, dates as ISO text): the text hashes are taken from.

    A tracker's locked cells (a mapping of cell names to texts, whole numbers and dates: 60,000 of them for a
    10,000-task plan) are dumped by orjson, ten times faster, to the same text: orjson writes such values exactly
    as ``json.dumps`` does here (tests/test_digests.py compares the two over every character and random cells).
    Anything else, or anything orjson refuses (a number beyond 64 bits, a lone surrogate), goes to ``json``."""
    if type(data) is dict and _FLAT.issuperset(map(type, data.values())) and all(type(k) is str for k in data):
        import orjson

        try:
            return orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode("utf-8")
        except orjson.JSONEncodeError:
            pass
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=canonical)


_FLAT = frozenset({str, int, bool, type(None), dt.date})  # the values orjson writes as json.dumps does here; not
# float (orjson writes NaN as null, json as NaN) nor datetime (no locked cell holds one: left to json, not compared)


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
