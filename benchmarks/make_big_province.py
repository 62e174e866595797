"""Make a workspace's province K times larger: every agency that has specs gets K-1 copies.

    python make_big_province.py WORKSPACE K

A copy of agency STP is agency STP_2 (then STP_3, …): the same registry entry (units, signer,
recipients) under the new code, and a copy of every spec of STP with ``agency: STP_2``. So a
batch of K times as many plans and workbooks, each exactly as costly as its original, lets the
benchmark measure what one more plan or workbook costs in a batch (the slope), apart from the
fixed costs of a command (start-up, worker processes, template compiled once per process).
"""

from __future__ import annotations

import copy
import re
import sys
from pathlib import Path

from ruamel.yaml import YAML

root, factor = Path(sys.argv[1]) / "plan_specs/soc-trang", int(sys.argv[2])
registry_path = root / "registry.yaml"
yaml = YAML()
registry = yaml.load(registry_path.read_text(encoding="utf-8"))
with_specs = [a for a in registry["agencies"] if (root / a["code"]).is_dir()]
for k in range(2, factor + 1):
    for agency in with_specs:
        code = f"{agency['code']}_{k}"
        clone = copy.deepcopy(agency)
        clone["code"] = code
        registry["agencies"].append(clone)
        (root / code).mkdir()
        for spec in sorted((root / agency["code"]).glob("*.yaml")):
            text = spec.read_text(encoding="utf-8")
            text, found = re.subn(rf"^agency: {agency['code']}$", f"agency: {code}", text, count=1, flags=re.M)
            assert found == 1, spec
            (root / code / spec.name).write_text(text, encoding="utf-8")
with registry_path.open("w", encoding="utf-8") as stream:
    yaml.dump(registry, stream)
