"""``kehoach import``: a Word document an office already has -> a master plan, an agency spec or registry units.

    word.import_read (document -> neutral data)  ->  spec.import_* (recognise, match, write YAML text)
    ->  check the text by reading it back as the spec model  ->  write it where nothing exists yet

Never overwrites: when the target exists, the import is compared with it and the differences returned;
``write_to`` writes the import to another, new file. Returns what happened; never prints.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..errors import InputError, KehoachError
from ..output import write_atomic
from ..workspace import Workspace, check_code

As = Literal["spec", "master", "registry-units"]
_PLANS = ("Kế hoạch", "Chương trình", "không rõ")
_CONVERT = {"doc": "tệp Word 97–2003 (.doc)", "rtf": "tệp RTF", "pdf": "tệp PDF"}


@dataclass
class ImportResult:
    target: Path  # where the import belongs
    written: Path | None  # the file written, None when the target existed
    differences: list[str] = field(default_factory=list)  # with an existing target
    same: bool = False  # the existing target says the same
    unplaced: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    summary: str = ""


def read_document(source: Path, shown: str) -> Any:
    """The document as neutral data; a .doc, .rtf or .pdf gets the command that saves it as .docx."""
    from ..word.import_read import read_word_plan
    from ..word.reader import UnreadableDocument

    try:
        return read_word_plan(source, shown)
    except UnreadableDocument as exc:
        if exc.reason not in _CONVERT:
            raise
        extra = " --infilter=writer_pdf_import" if exc.reason == "pdf" else ""
        raise InputError.single(
            f"{_CONVERT[exc.reason]}: cần lưu thành .docx trước khi nhập", file=shown,
            hint=(f"Mở bằng Word, File ▸ Save As, chọn \"Word Document (*.docx)\"; hoặc bằng LibreOffice:\n"
                  f"  libreoffice --headless{extra} --convert-to docx \"{source.name}\"\n"
                  "rồi chạy lại lệnh với tệp .docx" + (" (bản chuyển từ PDF cần kiểm tra lại)." if extra else "."))) from None


def import_document(ws: Workspace, source: Path, kind: As, province: str, year: int | None,
                    agency: str | None, write_to: Path | None) -> ImportResult:
    from ..spec.import_yaml import differences

    doc = read_document(source, _shown(ws, source))
    if doc.kind not in _PLANS:
        raise InputError.single("văn bản không phải Kế hoạch", file=doc.source,
                                expected="Kế hoạch (tên loại KẾ HOẠCH hoặc ký hiệu /KH-)", found=doc.kind,
                                hint="kehoach import chỉ nhập Kế hoạch; kiểm tra lại tệp.")
    if kind == "spec":
        target, text, result = _spec(ws, doc, province, _need(agency, "--agency"), _need(year, "--year"))
    elif kind == "master":
        target, text, result = _master(ws, doc, province, _need(year, "--year"))
    else:
        target, text, result = _units(ws, doc, province, agency)
    result.target = target
    destination = write_to if write_to is not None else target
    if destination.exists():
        if write_to is not None:
            raise InputError.single("tệp đã có, không ghi đè", file=_shown(ws, write_to),
                                    hint="Chọn tên tệp mới cho --write.")
        old = target.read_text(encoding="utf-8")
        result.differences = differences(old, text, ws.shown(target), "bản nhập")
        result.same = not result.differences
        return result
    write_atomic(destination, lambda tmp: tmp.write_text(text, encoding="utf-8"), _shown(ws, destination))
    result.written = destination
    return result


def _need(value: Any, option: str) -> Any:
    if value is None:
        raise InputError.single(f"thiếu tùy chọn {option}",
                                hint="Ví dụ: kehoach import KH.docx --as spec --agency STP --year 2025")
    return value


def _shown(ws: Workspace, path: Path) -> str:
    try:
        return ws.shown(path)
    except ValueError:
        return str(path)


def _checked(text: str, model: Any, shown: str) -> None:
    """Read the YAML text back as the model, as `build` will: an import that does not validate is not written."""
    from ..spec.loading import load_yaml
    from ..spec.parsing import parse

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "import.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            parse(load_yaml(path, shown), model, shown)
        except KehoachError as exc:
            raise InputError(exc.problems, hint="Bản nhập chưa hợp lệ: đây là lỗi của chương trình nhập, "
                                                "hãy báo cho người phát triển kèm văn bản này.") from None


def _spec(ws: Workspace, doc: Any, province: str, agency: str, year: int) -> tuple[Path, str, ImportResult]:
    from ..spec.import_spec import import_spec
    from ..spec.import_yaml import to_yaml
    from ..spec.inputs import find_agency, read_master, read_registry
    from ..spec.specs import AgencySpec

    registry, source = read_registry(ws, province)
    profile, _ = find_agency(registry, source, check_code(agency))
    master = read_master(ws, province, year)[0] if ws.master_file(province, year).is_file() else None
    found = import_spec(doc, profile, master, year)
    target = ws.spec_file(province, profile.code, year)
    heading = (f"Kế hoạch của {profile.name} năm {year}, nhập bởi `kehoach import` từ {doc.source}.\n"
               "Kiểm tra các dòng ghi chú (khớp …%, nhiệm vụ mới) rồi chạy `kehoach build`.")
    text = to_yaml(found.data, heading, found.comments)
    _checked(text, AgencySpec, ws.shown(target))
    new = found.tasks - found.matched
    summary = (f"{found.tasks} nhiệm vụ, {found.matched} khớp Kế hoạch tỉnh, {new} nhiệm vụ mới" if master else
               f"{found.tasks} nhiệm vụ (chưa có Kế hoạch tỉnh năm {year}: là nhiệm vụ riêng của cơ quan)")
    summary += f", {len(found.unknown_units)} đơn vị chưa có trong danh mục"
    notes = [*found.notes, *(f"đơn vị chưa có trong danh mục của {profile.code}: \"{u}\"" for u in found.unknown_units)]
    if master is not None:
        used = {t["id"] for t in found.data["tasks"]}
        missing = [t.id for g in master.groups for t in g.tasks if t.id not in used]
        if missing:
            notes.append(f"{len(missing)} nhiệm vụ của Kế hoạch tỉnh không có trong văn bản: {', '.join(missing)}")
    return target, text, ImportResult(target, None, unplaced=found.unplaced, notes=notes, summary=summary)


def _master(ws: Workspace, doc: Any, province: str, year: int) -> tuple[Path, str, ImportResult]:
    from ..spec.import_master import import_master
    from ..spec.import_yaml import to_yaml
    from ..spec.specs import MasterPlan

    found = import_master(doc, province, year)
    if not found.data["groups"]:
        raise InputError.single("không tìm thấy nhiệm vụ nào: chưa có bảng nhiệm vụ (dòng nhóm La Mã), phụ lục, "
                                "hay nhiệm vụ đánh số 1.1., 1.2. dưới mục in đậm", file=doc.source,
                                hint="Kế hoạch tỉnh cần ít nhất một nhóm có nhiệm vụ.")
    target = ws.master_file(province, year)
    heading = (f"Kế hoạch tỉnh năm {year}, nhập bởi `kehoach import` từ {doc.source}.\n"
               "Mã (id) của nhóm và nhiệm vụ được tạo từ lời văn: giữ nguyên khi đã có kế hoạch cơ quan dùng chúng.")
    text = to_yaml(found.data, heading)
    _checked(text, MasterPlan, ws.shown(target))
    groups = found.data["groups"]
    summary = f"{len(groups)} nhóm, {sum(len(g['tasks']) for g in groups)} nhiệm vụ"
    return target, text, ImportResult(target, None, unplaced=found.unplaced, notes=found.notes, summary=summary)


def _units(ws: Workspace, doc: Any, province: str, agency: str | None) -> tuple[Path, str, ImportResult]:
    from ..spec.import_units import propose_units
    from ..spec.inputs import read_registry

    known = None
    if agency is not None and ws.registry_file(province).is_file():
        registry, _ = read_registry(ws, province)
        known = next((a for a in registry.agencies if a.code == check_code(agency)), None)
    found = propose_units(doc, agency, known)
    target = ws.registry_file(province).with_name(f"registry-{found.code}.de-xuat.yaml")
    return target, found.text, ImportResult(target, None, unplaced=found.unplaced, notes=found.notes,
                                            summary=found.summary)


__all__ = ["ImportResult", "import_document"]
