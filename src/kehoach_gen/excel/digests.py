"""The hashes of the trackers: sha256 of canonical JSON (sorted keys, no spaces, dates as ISO text).

A tracker's checksum is the hash of its locked cells, and the plan's revision the hash of all of them
together; the revision is hashed from the texts already made for the checksums, so each sheet's cells are
turned into JSON once.
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
    flat = _flat_json(data)
    return flat.decode("utf-8") if flat is not None else _json(data)


def canonical_bytes(data: Any) -> bytes:
    """:func:`canonical_json`'s text in UTF-8 (what is hashed), without a round trip through ``str`` for flat cells."""
    flat = _flat_json(data)
    return flat if flat is not None else _json(data).encode("utf-8")


def _flat_json(data: Any) -> bytes | None:
    """orjson's text of flat cells; None for anything else, or without orjson (a Python it has no build for)."""
    if type(data) is dict and _FLAT.issuperset(map(type, data.values())) and all(type(k) is str for k in data):
        try:
            import orjson
        except ImportError:
            return None
        try:
            return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)
        except orjson.JSONEncodeError:
            pass
    return None


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=canonical)


_FLAT = frozenset({str, int, bool, type(None), dt.date})  # the values orjson writes as json.dumps does here; not
# float (orjson writes NaN as null, json as NaN) nor datetime (no locked cell holds one: left to json, not compared)


def digest(data: Any) -> str:
    """sha256 of canonical JSON."""
    return sha256_text(canonical_json(data))


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def revision_digest(agency: str, year: int, blobs: dict[str, bytes]) -> str:
    """sha256 of ``canonical_json({"agency", "year", "office": the office's locked cells, "units": {code: its locked
    cells}})``, hashed from the UTF-8 texts of the locked cells (``blobs[""]`` the office's), which are hashed on their
    own too: the text is not put together."""
    hashed = hashlib.sha256(b'{"agency":' + canonical_bytes(agency) + b',"office":')
    hashed.update(blobs[""])
    hashed.update(b',"units":{')
    for i, code in enumerate(sorted(code for code in blobs if code)):
        hashed.update(b"%s%s:" % (b"," if i else b"", canonical_bytes(code)))
        hashed.update(blobs[code])
    hashed.update(b'},"year":' + canonical_bytes(year) + b"}")
    return hashed.hexdigest()
