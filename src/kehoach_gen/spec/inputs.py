"""Read and check every input of one agency plan: registry, master plan, spec, overrides.

This is the first half of the pipeline: nothing is written here. Problems from all files
are collected and raised together, so the user sees every mistake in one run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from ..errors import InputError, Problem
from .loading import Loaded, load_yaml
from .merge import Merged, Source, merge
from .agencies import AgencyProfile, Registry
from .parsing import parse
from .specs import AgencySpec, MasterPlan
from .validate import check_master, check_plan, check_registry
from ..workspace import Target, Workspace, check_code

M = TypeVar("M", bound=BaseModel)
CLI_SOURCE = "dòng lệnh"


def read_model(ws: Workspace, path: Path, model: type[M]) -> tuple[M, Source]:
    shown = ws.shown(path)
    loaded = load_yaml(path, shown)
    return parse(loaded, model, shown), Source(shown, loaded)


_SHARED: dict[tuple[str, str], Any] = {}  # (file, hash of its bytes) -> checked result
_SHARED_MAX = 16


def _shared(path: Path, read: Any) -> Any:
    """The checked registry or master plan of ``path``, read once per process for given bytes: every
    plan of a batch shares them. Keyed by content, so an edited file is always read again."""
    import hashlib

    key = (str(path), hashlib.sha256(path.read_bytes()).hexdigest())
    if key not in _SHARED:
        if len(_SHARED) >= _SHARED_MAX:
            _SHARED.clear()
        _SHARED[key] = read()  # only a file that passed its checks is kept (a failure raises)
    return _SHARED[key]


def read_registry(ws: Workspace, province: str) -> tuple[Registry, Source]:
    path = ws.registry_file(province)
    if not path.is_file():
        raise InputError.single("không tìm thấy danh mục cơ quan của tỉnh", file=ws.shown(path),
                                hint=f"Tạo tệp này, hoặc chọn tỉnh khác bằng --province (mặc định: {ws.province}).")
    return _shared(path, lambda: _checked_registry(ws, path, province))


def _checked_registry(ws: Workspace, path: Path, province: str) -> tuple[Registry, Source]:
    registry, source = read_model(ws, path, Registry)
    if registry.province != province:
        raise InputError.single("mã tỉnh trong tệp khác tên thư mục", file=source.shown,
                                line=source.loaded.line_of(("province",)), field="province",
                                expected=f"\"{province}\"", found=f"\"{registry.province}\"")
    check_registry(registry, source)
    return registry, source


def find_agency(registry: Registry, source: Source, code: str) -> tuple[AgencyProfile, int]:
    """The profile for ``code``; unknown or ambiguous codes are errors that list the choices."""
    code = check_code(code)
    codes = [a.code for a in registry.agencies]
    if code in codes:
        profile = registry.agencies[codes.index(code)]
        if profile.place is None:
            profile = profile.model_copy(update={"place": registry.place})
        return profile, codes.index(code)
    near = [c for c in codes if c.startswith(code.upper()) or c.upper() == code.upper()]
    if len(near) > 1:
        raise InputError.single(f"mã cơ quan \"{code}\" không rõ ràng", file=source.shown, field="--agency",
                                expected="một trong: " + ", ".join(near), found=f"\"{code}\"")
    if not near:
        import difflib

        near = difflib.get_close_matches(code, codes, n=1, cutoff=0.6)
    hint = f"Có phải {near[0]}?" if near else None
    raise InputError.single(f"không có cơ quan \"{code}\" trong danh mục của tỉnh {registry.name}",
                            file=source.shown, field="--agency", expected="một trong: " + ", ".join(codes),
                            found=f"\"{code}\"", hint=hint)


def read_master(ws: Workspace, province: str, year: int) -> tuple[MasterPlan, Source]:
    path = ws.master_file(province, year)
    if not path.is_file():
        raise InputError.single(f"chưa có Kế hoạch tỉnh năm {year}", file=ws.shown(path),
                                hint="Tạo tệp Kế hoạch tỉnh (xem plan_specs/soc-trang/master-2025.yaml làm mẫu).")
    return _shared(path, lambda: _checked_master(ws, path, province, year))


def _checked_master(ws: Workspace, path: Path, province: str, year: int) -> tuple[MasterPlan, Source]:
    master, source = read_model(ws, path, MasterPlan)
    for key, want, got in (("province", province, master.province), ("year", year, master.year)):
        if want != got:
            raise InputError.single("giá trị khác tên tệp/thư mục", file=source.shown,
                                    line=source.loaded.line_of((key,)), field=key, expected=str(want), found=str(got))
    check_master(master, source)
    return master, source


def read_spec(ws: Workspace, target: Target) -> tuple[AgencySpec, Source]:
    path = ws.spec_file(target.province, target.agency, target.year)
    if not path.is_file():
        raise InputError.single(f"chưa có kế hoạch của {target.agency} năm {target.year}", file=ws.shown(path),
                                hint=f"Tạo bằng: kehoach new --agency {target.agency} --year {target.year}")
    spec, source = read_model(ws, path, AgencySpec)
    for key, want, got in (("agency", target.agency, spec.agency), ("year", target.year, spec.year)):
        if want != got:
            raise InputError.single("giá trị khác tên tệp/thư mục", file=source.shown,
                                    line=source.loaded.line_of((key,)), field=key, expected=str(want), found=str(got))
    return spec, source


def resolve(ws: Workspace, target: Target, overrides: dict[str, Any] | None = None) -> Merged:
    """Read, merge and check one plan; raise one InputError with every problem found."""
    problems: list[Problem] = []
    parts: dict[str, Any] = {}
    for name, read in (("registry", lambda: read_registry(ws, target.province)),
                       ("master", lambda: read_master(ws, target.province, target.year)),
                       ("spec", lambda: read_spec(ws, target))):
        try:
            parts[name] = read()
            if name == "registry":  # an unknown code: the list of valid codes, not "create its plan"
                find_agency(*parts[name], target.agency)
        except InputError as exc:
            problems.extend(exc.problems)
            hint = exc.hint
            if name == "registry" and name in parts:
                break
    if problems:
        raise InputError(problems, hint=hint if len(problems) == 1 else None)
    registry, registry_src = parts["registry"]
    agency, index = find_agency(registry, registry_src, target.agency)
    cli = None
    if overrides:
        cli = (overrides, Source(CLI_SOURCE, Loaded(file=Path(CLI_SOURCE), data=overrides)))
    merged = merge(parts["master"], (agency, registry_src, ("agencies", index)), parts["spec"], cli)
    check_plan(merged)
    return merged


def parse_overrides(pairs: list[str]) -> dict[str, Any]:
    """``["number=3", "layout.kind=appendix"]`` -> nested dict; values read as YAML scalars."""
    from ruamel.yaml import YAML

    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise InputError.single("tham số --set sai dạng", field="--set", expected="KHÓA=GIÁ_TRỊ, ví dụ number=3",
                                    found=f"\"{pair}\"")
        try:
            value = YAML(typ="safe").load(raw) if raw.strip() else None
        except Exception as exc:  # ruamel raises many YAMLError subclasses for bad scalars
            raise InputError.single("giá trị --set không đọc được", field=key.strip(),
                                    expected="một giá trị YAML đơn (số, chữ, ngày)", found=f"\"{raw}\"") from exc
        node = out
        *heads, last = key.strip().split(".")
        for head in heads:
            node = node.setdefault(head, {})
        node[last] = value
    return out
