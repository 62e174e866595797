"""The floor: open and re-save every output with python-docx and openpyxl, in this one process.

    python floor.py OUTPUT_DIR      (prints {"docx_s": …, "xlsx_s": …} as JSON)

Run by bench.py as a fresh process, so that its whole-process time includes the imports,
as kehoach's does.
"""

from __future__ import annotations

import io
import json
import sys
import time
from pathlib import Path

import docx
import openpyxl

folder = Path(sys.argv[1])
start = time.perf_counter()
for path in sorted(folder.rglob("*.docx")):
    docx.Document(str(path)).save(io.BytesIO())
middle = time.perf_counter()
for path in sorted(folder.rglob("*.xlsx")):
    openpyxl.load_workbook(path).save(io.BytesIO())
end = time.perf_counter()
print(json.dumps({"docx_s": middle - start, "xlsx_s": end - middle}))
