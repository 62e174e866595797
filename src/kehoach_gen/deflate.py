"""How the Word and Excel packages deflate their members: one policy for both (word/docx_zip.py, excel/xlsx_strings.py).

Level 6 is zlib's default, as zipfile writes (and Carbone's zip library). A member over 1 MB (a document of some 800
tasks or more, a tracker sheet of more than some 2,200 rows) is deflated at level 1: at 2,000 tasks the document's
2.4 MB of XML in 10 ms instead of 37 ms, for a file of 39 KB instead of 27 KB; at 10,000 tasks the workbooks'
16.8 MB of such XML in 0.07 s instead of 0.24 s, for files a quarter larger (BENCHMARKS.md). A smaller package's bytes
are what zipfile's default level gives.
"""

from __future__ import annotations

LEVEL, FAST, LARGE = 6, 1, 1_000_000


def level(size: int) -> int:
    """The deflate level of a member of ``size`` bytes."""
    return FAST if size > LARGE else LEVEL
