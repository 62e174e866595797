"""Where things are: the workspace (kehoach.toml), its specs, templates and outputs.

A workspace is a folder holding ``kehoach.toml``, ``plan_specs/``, ``templates/`` and
``output/``. Files are named by convention (documented in the README):

    plan_specs/<tỉnh>/registry.yaml           agency registry of the province
    plan_specs/<tỉnh>/master-<năm>.yaml       the provincial master plan
    plan_specs/<tỉnh>/<CƠ QUAN>/<năm>.yaml    one agency's plan spec
    templates/ke-hoach.docx                   the Word template of a Kế hoạch
    output/<năm>/<CƠ QUAN>/KH-<CƠ QUAN>-<năm>.docx          the default province's plans
    output/<tỉnh>/<năm>/<CƠ QUAN>/KH-<CƠ QUAN>-<năm>.docx   any other province's plans

Outputs keep provinces apart (two provinces may both have an STP plan for 2021), and the default
province (``province`` of kehoach.toml) keeps the layout a one-province workspace always had, so
existing workspaces need no migration. ``output_for`` is the one place that decides.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import InputError, OutputError, os_reason

CONFIG_NAME = "kehoach.toml"
_CODE = re.compile(r"^[A-ZĐ][A-ZĐ0-9_]{0,19}$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_KNOWN_KEYS = {"province", "mail", "pdf"}  # [mail] is read by build.mailconfig (kehoach send), [pdf] by build.pdf_warm


@dataclass(frozen=True)
class Workspace:
    """A workspace folder and its default province."""

    root: Path
    province: str

    @property
    def specs(self) -> Path:
        return self.root / "plan_specs"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def output(self) -> Path:
        return self.root / "output"

    def shown(self, path: Path) -> str:
        """A path relative to the workspace, as messages print it."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def province_dir(self, province: str) -> Path:
        return self.specs / check_slug(province)

    def registry_file(self, province: str) -> Path:
        return self.province_dir(province) / "registry.yaml"

    def master_file(self, province: str, year: int) -> Path:
        return self.province_dir(province) / f"master-{year}.yaml"

    def spec_file(self, province: str, agency: str, year: int) -> Path:
        return self.province_dir(province) / check_code(agency) / f"{year}.yaml"

    def output_for(self, province: str | None = None) -> Path:
        """Where a province's outputs go: ``output/`` for the default province, else ``output/<tỉnh>/``.
        Province codes made of digits only would read as years: refused."""
        province = check_slug(province or self.province)
        if province == self.province:
            return self.output
        if province.isdigit():
            raise InputError.single("mã tỉnh chỉ gồm chữ số trùng với thư mục năm trong output/", field="--province",
                                    expected="mã có chữ cái, ví dụ khanh-hoa", found=f"\"{province}\"")
        return self.output / province

    def plan_output(self, agency: str, year: int, province: str | None = None) -> Path:
        code = check_code(agency)
        return self.output_for(province) / str(year) / code / f"KH-{code}-{year}.docx"

    def provinces(self) -> list[str]:
        """Every province of the workspace (a folder of plan_specs/ with a registry), the default first."""
        found = {path.parent.name for path in self.specs.glob("*/registry.yaml") if _SLUG.match(path.parent.name)}
        return sorted(found, key=lambda name: (name != self.province, name))

    def template(self, name: str = "ke-hoach.docx") -> Path:
        return self.templates / name


@dataclass(frozen=True)
class Target:
    """Which plan: province, agency code and year."""

    province: str
    agency: str
    year: int


def check_code(code: str) -> str:
    """An agency code safe to use in paths (no ``..``, slashes or spaces); ``stp`` is read as STP."""
    if _CODE.match(code.strip().upper()):
        return code.strip().upper()
    if not _CODE.match(code):
        raise InputError.single("mã cơ quan không hợp lệ", field="--agency",
                                expected="chữ in hoa không dấu, số hoặc _ (ví dụ STP)", found=f"\"{code}\"")
    return code


def check_slug(province: str) -> str:
    if not _SLUG.match(province):
        raise InputError.single("mã tỉnh không hợp lệ", field="--province",
                                expected="chữ thường không dấu, số, dấu - (ví dụ soc-trang)", found=f"\"{province}\"")
    return province


def find_workspace(start: Path | None = None) -> Workspace:
    """The nearest folder at or above ``start`` holding kehoach.toml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        config = folder / CONFIG_NAME
        if config.is_file():
            return _read_config(config)
    raise InputError.single(f"không tìm thấy {CONFIG_NAME} ở thư mục này hay thư mục cha",
                            file=str(here),
                            hint="Chạy lệnh trong thư mục làm việc, hoặc tạo mới bằng: kehoach init THƯ_MỤC")


def _read_config(config: Path) -> Workspace:
    try:
        text = config.read_text(encoding="utf-8-sig")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise InputError.single("tệp không phải văn bản UTF-8", file=str(config),
                                expected="văn bản mã hóa UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, column = (int(where[1]), int(where[2])) if where else (None, None)
        raise InputError.single(f"lỗi cú pháp TOML{f' ở cột {column}' if column else ''}", file=str(config), line=line,
                                expected="dạng khóa = \"giá trị\", ví dụ province = \"soc-trang\"") from None
    unknown = sorted(set(data) - _KNOWN_KEYS)
    if unknown:
        raise InputError.single("khóa không có trong mẫu", file=str(config), field=unknown[0],
                                expected="province hoặc bảng [mail]")
    province = data.get("province")
    if not isinstance(province, str):
        raise InputError.single("thiếu tỉnh mặc định", file=str(config), field="province",
                                expected="province = \"soc-trang\"", found=repr(province))
    if not _SLUG.match(province):  # blame the file, not --province
        line = next((n for n, row in enumerate(text.splitlines(), 1) if row.lstrip().startswith("province")), None)
        raise InputError.single("mã tỉnh không hợp lệ", file=str(config), line=line, field="province",
                                expected="chữ thường không dấu, số, dấu - (ví dụ soc-trang)", found=f"\"{province}\"")
    return Workspace(root=config.parent, province=province)


def skeleton_root() -> Path:
    """Shipped workspace files: package data in a wheel, the repository in a checkout."""
    packaged = resources.files("kehoach_gen") / "skeleton"
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / CONFIG_NAME).is_file() and (checkout / "templates").is_dir():
        return checkout
    raise OutputError.single("không tìm thấy dữ liệu mẫu đi kèm gói cài đặt", exit_code=3)


def init_workspace(target: Path) -> list[Path]:
    """Create a workspace at ``target`` from the shipped templates and sample data."""
    source = skeleton_root()
    if target.exists() and not target.is_dir():
        raise OutputError.single("đã có một tệp cùng tên, không phải thư mục; không ghi đè", file=str(target),
                                 hint="Chọn tên thư mục khác: kehoach init THƯ_MỤC_MỚI", exit_code=3)
    if (target / CONFIG_NAME).exists():
        raise OutputError.single(f"thư mục đã là vùng làm việc (có {CONFIG_NAME}); không ghi đè",
                                 file=str(target), exit_code=3)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError.single(f"không tạo được thư mục ({os_reason(exc)})", file=str(target),
                                 hint="Kiểm tra quyền ghi ở thư mục cha, hoặc chọn thư mục khác.", exit_code=3) from None
    created = []
    for name in ("plan_specs", "templates"):
        if (target / name).exists():
            raise OutputError.single("thư mục đã tồn tại; không ghi đè", file=str(target / name), exit_code=3)
    for name in ("plan_specs", "templates"):
        shutil.copytree(source / name, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        created.append(target / name)
    (target / "output").mkdir(exist_ok=True)
    created.append(target / "output")
    shutil.copyfile(source / CONFIG_NAME, target / CONFIG_NAME)
    created.append(target / CONFIG_NAME)
    return created
