"""`kehoach import`: read a Word document an office already has into the workspace's YAML (see build/importing.py)."""

from __future__ import annotations

from pathlib import Path

from .common import argument, fail, open_workspace, option, province, say
from ..errors import KehoachError

_KINDS = ("spec", "master", "registry-units")


@argument("file", metavar="TỆP.docx", help="Văn bản Word (.docx) cần nhập.")
@option("--as", "as_", metavar="LOẠI", required=True, help=(
    "spec: kế hoạch của cơ quan; master: Kế hoạch tỉnh; registry-units: đề xuất đơn vị, người ký cho registry.yaml."))
@option("--agency", "-a", "agency", help="Mã cơ quan (với --as spec), ví dụ STP.")
@option("--year", "-y", "year", kind=int, help="Năm của kế hoạch, ví dụ 2025.")
@province
@option("--write", "write", kind=Path, metavar="TỆP_MỚI", help="Ghi bản nhập ra tệp mới này (khi tệp đích đã có).")
def import_(file: Path, as_: str, agency: str | None, year: int | None, province: str | None,
            write: Path | None) -> None:
    """Nhập văn bản Word (.docx) thành Kế hoạch tỉnh, kế hoạch của cơ quan hoặc đề xuất đơn vị; không ghi đè."""
    from ..build.importing import import_document

    try:
        if as_ not in _KINDS:
            from ..errors import InputError

            raise InputError.single("loại nhập không hợp lệ", field="--as", expected=", ".join(_KINDS), found=as_)
        ws, prov = open_workspace(province)
        result = import_document(ws, file, as_, prov, year, agency.upper() if agency else None, write)  # type: ignore[arg-type]
    except KehoachError as exc:
        fail(exc)
        return
    for line in result.unplaced:
        say(f"Chưa đặt được: {line}")
    for line in result.notes:
        say(f"Lưu ý: {line}")
    shown = ws.shown(result.target)
    if result.written is not None:
        say(f"Đã ghi {_shown(ws, result.written)}")
    elif result.same:
        say(f"Đã có {shown}, giống bản nhập: giữ nguyên.")
    else:
        say(f"Đã có {shown}: không ghi đè. Khác biệt với bản nhập:")
        for line in result.differences:
            say(f"  {line}")
        say("Để ghi bản nhập ra tệp khác: thêm --write TỆP_MỚI.yaml")
    say(result.summary + ".")


def _shown(ws, path: Path) -> str:  # noqa: ANN001
    try:
        return ws.shown(path)
    except ValueError:
        return str(path)
