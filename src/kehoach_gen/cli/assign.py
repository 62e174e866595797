"""`kehoach assign`: the phân công workbook of a plan (write it; with --apply, write its changes into the spec).

A plain function; :mod:`kehoach_gen.cli.app` registers it on the app.
"""

from __future__ import annotations

from pathlib import Path

from .common import agency, fail, flag, open_workspace, option, province, say, year
from ..errors import KehoachError


@agency()
@year()
@province
@option("--apply", "apply", kind=Path, metavar="TỆP.xlsx", help="Cập nhật tệp kế hoạch theo bảng phân công đã sửa trong Excel.")
@flag("--dry-run", "dry_run", help="Cùng --apply: chỉ in các thay đổi, không ghi tệp kế hoạch.")
@flag("--force", help="Ghi đè bảng phân công đang có thay đổi chưa cập nhật (bảng cũ được lưu lại bên cạnh).")
def assign(agency: str, year: int, province: str | None, apply: Path | None, dry_run: bool, force: bool) -> None:
    """Xuất bảng phân công Excel của kế hoạch (chủ trì, phối hợp, kết quả, thời hạn, bỏ nhiệm vụ); --apply để cập
    nhật tệp kế hoạch theo bảng đã sửa."""
    try:
        from ..build import assigning
        from ..workspace import Target

        if dry_run and apply is None:
            raise KehoachError.single("--dry-run chỉ dùng cùng --apply", field="--dry-run",
                                      expected="kehoach assign --agency MÃ --year NĂM --apply TỆP.xlsx --dry-run")
        ws, prov = open_workspace(province)
        target = Target(prov, agency, year)
        if apply is None:
            written = assigning.write_assignment(ws, target, force=force)
        else:
            applied = assigning.apply_assignment(ws, target, apply, dry_run=dry_run)
    except KehoachError as exc:
        fail(exc)
        return
    if apply is None:
        _written(ws, target, written)
        return
    shown = ws.shown(applied.spec)
    if not applied.changes:
        say(f"Không có thay đổi: {shown} giữ nguyên.")
        return
    say(f"{'Sẽ sửa' if dry_run else 'Đã sửa'} {shown} ({len(applied.changes)} thay đổi):")
    for change in applied.changes:
        say(f"  {change.ref} {change.task}: {change.text}")
    for note in applied.notes:
        say(f"  Lưu ý: {note}")
    if dry_run:
        say("Chạy thử (--dry-run): chưa ghi tệp nào.")
    else:
        say(f"Xuất lại văn bản: kehoach build --agency {target.agency} --year {target.year}")


def _written(ws, target, written) -> None:  # noqa: ANN001
    shown = ws.shown(written.path)
    extra = [f"{n} {what}" for n, what in ((written.unused, "nhiệm vụ của tỉnh chưa dùng"),
                                           (written.dropped, "nhiệm vụ đã bỏ")) if n]
    detail = f"{written.rows} dòng" + (f", trong đó {', '.join(extra)}" if extra else "")
    say(f"{'Đã ghi' if written.changed else 'Không đổi'} {shown} ({detail}).")
    if written.backup is not None:
        say(f"  Bảng cũ được lưu tại {ws.shown(written.backup)}")
    say(f"Sửa trong Excel, lưu lại, rồi cập nhật tệp kế hoạch: kehoach assign --agency {target.agency} "
        f"--year {target.year} --apply {shown}")
