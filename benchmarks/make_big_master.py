"""Turn a workspace's Sóc Trăng 2025 master into a plan of 2,000 tasks (20 groups of 100).

    python make_big_master.py WORKSPACE [TASKS]

TASKS (default 2,000) are laid out in groups of 100 (the last one holds the rest).

Every header field of the shipped master is kept; each task copies the shape of the first
shipped task, with its own id and text, and the deadlines of the shipped tasks in turn.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ruamel.yaml import YAML

TOTAL = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
TASKS = min(100, TOTAL)
GROUPS = -(-TOTAL // TASKS)

path = Path(sys.argv[1]) / "plan_specs/soc-trang/master-2025.yaml"
yaml = YAML()
master = yaml.load(path.read_text(encoding="utf-8"))
model = master["groups"][0]
deadlines = [t["deadline"] for g in master["groups"] for t in g["tasks"] if "deadline" in t]
groups, count = [], 0
for g in range(1, GROUPS + 1):
    tasks = []
    for t in range(1, min(TASKS, TOTAL - count) + 1):
        task = dict(model["tasks"][0])
        task["id"] = f"nhom-{g}.viec-{t}"
        task["content"] = (f"Rà soát, đơn giản hóa thủ tục hành chính thuộc lĩnh vực số {t} của nhóm {g}; cập nhật, "
                           "công khai trên Cổng Dịch vụ công quốc gia và báo cáo kết quả về Văn phòng UBND tỉnh.")
        task["deadline"] = deadlines[count % len(deadlines)]
        count += 1
        tasks.append(task)
    groups.append({"id": f"nhom-{g}", "title": f"Nhóm nhiệm vụ số {g} về kiểm soát thủ tục hành chính",
                   "tasks": tasks})
master["groups"] = groups
with path.open("w", encoding="utf-8") as stream:
    yaml.dump(master, stream)
