"""Create a missing agency spec from the master plan, the profile and last year's spec.

``kehoach new`` is the only command that writes a spec, and only when none exists. Last
year's choices are carried forward: layout and columns, sections, signer and recipients
when the agency had set them, the assignment of every master task whose id still exists,
the tasks it added (when their group still exists) and its drops with their reasons.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import InputError
from ..output import write_atomic
from ..workspace import Workspace
from .inputs import Target, find_agency, read_master, read_model, read_registry
from .merge import master_defaults
from .specs import AgencySpec, MasterPlan
from .yaml_comments import dump_text

SKELETON = ({"title": "Nội dung kế hoạch", "tasks": True},)  # nothing invented: the tasks and where they go


def create_spec(ws: Workspace, target: Target) -> tuple[Path, bool, Path | None]:
    """Write the spec if missing. Returns (path, created, previous-year spec used)."""
    path = ws.spec_file(target.province, target.agency, target.year)
    if path.exists():
        return path, False, None
    registry, registry_src = read_registry(ws, target.province)
    agency, index = find_agency(registry, registry_src, target.agency)
    if agency.valid_until and agency.valid_until.year <= target.year:  # merged or renamed before or during the year
        nxt = f" (kế thừa: {agency.successor})" if agency.successor else ""
        raise InputError.single(f"{agency.code} ngừng hoạt động sau ngày {agency.valid_until:%d/%m/%Y}{nxt}; "
                                f"không tạo kế hoạch mới năm {target.year}", file=registry_src.shown,
                                line=registry_src.loaded.line_of(("agencies", index, "valid_until")),
                                field=f"agencies.{agency.code}.valid_until",
                                hint=f"Tạo kế hoạch của cơ quan kế thừa: kehoach new --agency {agency.successor} "
                                     f"--year {target.year}" if agency.successor else None)
    master, _ = read_master(ws, target.province, target.year)
    prev_path = ws.spec_file(target.province, target.agency, target.year - 1)
    previous = read_model(ws, prev_path, AgencySpec)[0] if prev_path.is_file() else None
    data = spec_data(master, agency.code, agency.full_name, agency.name, agency.focal_unit or agency.units[0].code,
                     previous)
    text = _dump(data, master, agency.name, prev_path if previous else None, ws)
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), ws.shown(path))
    return path, True, prev_path if previous else None


def spec_data(master: MasterPlan, code: str, full_name: str, name: str, focal: str,
              previous: AgencySpec | None) -> dict[str, Any]:
    """The new spec as plain data (pure; tested directly)."""
    data: dict[str, Any] = {
        "agency": code,
        "year": master.year,
        "date": {"month": master.date.month, "year": master.year},
        **master_defaults(master, name, full_name),
    }
    if master.end_year:
        data["end_year"] = master.end_year
    carried = previous.model_dump(exclude_unset=True, mode="json") if previous else {}
    sections = carried.get("sections") or [s.model_dump(mode="json", exclude_defaults=True) for s in master.sections]
    data["sections"] = sections or [dict(s) for s in SKELETON]  # a master without sections: the tasks' own part
    data["layout"] = carried.get("layout", {"kind": "table"})
    old_tasks = {t["id"]: t for t in carried.get("tasks", [])}
    master_ids = {t.id for g in master.groups for t in g.tasks}
    group_ids = {g.id for g in master.groups} | {g["id"] for g in carried.get("groups", [])}
    dropped = {d["id"]: d for d in carried.get("drop", []) if d["id"] in master_ids}
    tasks = []
    for group in master.groups:
        for task in group.tasks:
            if task.id in dropped:
                continue
            old = old_tasks.get(task.id, {})
            kept = {k: v for k, v in old.items() if k in ("lead", "coordinate", "assignment", "lead_text",
                                                         "coordinate_text", "parts", "group")}
            tasks.append({"id": task.id, **(kept or {"lead": [focal]})})
    tasks += [t for i, t in old_tasks.items() if i not in master_ids and t.get("group") in group_ids]
    if carried.get("groups"):
        data["groups"] = carried["groups"]
    data["tasks"] = tasks
    if dropped:
        data["drop"] = list(dropped.values())
    for key in ("recipients", "archive", "signer"):
        if key in carried:
            data[key] = carried[key]
    return data


def _dump(data: dict[str, Any], master: MasterPlan, name: str, previous: Path | None, ws: Workspace) -> str:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    contents = {t.id: " ".join(t.content) for g in master.groups for t in g.tasks}
    doc = CommentedMap(data)
    doc["date"] = _flow(CommentedMap(data["date"]))
    doc.yaml_add_eol_comment("chưa có ngày: thêm day: khi ký ban hành", "date")
    tasks = CommentedSeq([CommentedMap({k: _flow(CommentedSeq(v)) if k in ("lead", "coordinate") else v
                                        for k, v in t.items()}) for t in data["tasks"]])
    for index, task in enumerate(data["tasks"]):
        text = contents.get(task["id"], "nhiệm vụ bổ sung của cơ quan")
        tasks.yaml_set_comment_before_after_key(index, before=_short(text), indent=2)
    doc["tasks"] = tasks
    if not master.sections and data["sections"] == [dict(s) for s in SKELETON]:
        doc.yaml_set_comment_before_after_key("sections", before=(
            "Kế hoạch tỉnh không gợi ý các phần: thêm phần Mục đích, yêu cầu và Tổ chức thực hiện "
            "(title, items) trước và sau phần nhiệm vụ."))
    source = f"kế hoạch năm trước ({ws.shown(previous)})" if previous else "Kế hoạch tỉnh và hồ sơ cơ quan"
    doc.yaml_set_start_comment(
        f"Kế hoạch của {name} năm {master.year}, tạo bởi `kehoach new` từ {source}.\n"
        "Sửa tệp này rồi chạy `kehoach build`. Chưa có số và ngày: thêm `number:` và `day:` khi ban hành.\n"
        "Mỗi nhiệm vụ tham chiếu Kế hoạch tỉnh theo id; ghi lead/coordinate là mã đơn vị.\n"
        "Bỏ một nhiệm vụ: chuyển nó sang mục drop kèm lý do (reason).")
    return dump_text(doc)


def _flow(node: Any) -> Any:
    node.fa.set_flow_style()
    return node


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
