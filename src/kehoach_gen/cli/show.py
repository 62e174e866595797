"""What the build commands print: each output's outcome, a batch's progress and its summary.

On a terminal a batch shows a Rich progress bar, with each plan's lines printed above it as
the plan is done; piped or redirected (a log, a scheduled task), the same lines come plainly,
one plan after another in the order of the plans, and no bar.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import click

from ..errors import KehoachError
from ..vnformat import local_time

ACTION_TEXT = {"created": "tạo mới", "updated": "cập nhật", "unchanged": "không đổi", "kept": "giữ bản sửa tay",
               "replaced": "xuất đè"}


def outcome_lines(ws: Any, result: Any) -> list[str]:
    """One line per output of a plan, then a note on master tasks the plan neither used nor dropped."""
    lines = []
    for outcome in result.outcomes:
        shown = ws.shown(outcome.path)
        if outcome.action == "kept":
            lines.append(f"Giữ nguyên {shown}: tệp đã được sửa tay sau lần xuất trước, không ghi đè. "
                         "Muốn xuất lại: chạy lại lệnh với --force (bản sửa tay được lưu lại bên cạnh).")
        elif outcome.action == "replaced":
            lines.append(f"Đã xuất đè {shown}; bản sửa tay được lưu tại {ws.shown(outcome.backup)}")
        elif outcome.action == "unchanged":
            lines.append(f"Không đổi: {shown}")
        else:
            lines.append(f"Đã {'tạo' if outcome.action == 'created' else 'cập nhật'} {shown}{_amended(outcome)}")
    if result.uncovered:
        lines.append(f"Lưu ý: {len(result.uncovered)} nhiệm vụ của Kế hoạch tỉnh chưa dùng, chưa bỏ "
                     f"(xem: kehoach check --agency {result.target.agency} --year {result.target.year}).")
    return lines


def _amended(outcome: Any) -> str:
    """``: 1 nhiệm vụ bổ sung, 1 nhiệm vụ sửa đổi (tô nền vàng); gửi lại phiếu này cho đơn vị`` for an amended tracker."""
    added, changed = getattr(outcome, "amended", (0, 0))
    parts = [f"{added} nhiệm vụ bổ sung"] * bool(added) + [f"{changed} nhiệm vụ sửa đổi"] * bool(changed)
    return f": {', '.join(parts)} (tô nền vàng); gửi lại phiếu này cho đơn vị" if parts else ""


def checked_lines(checked: list[tuple[Any, Any]]) -> list[str]:
    """``kehoach check``: each plan's size, and the master tasks it neither used nor dropped."""
    lines = []
    several = len({target.province for target, _ in checked}) > 1  # name the province only when it is needed
    for target, merged in checked:
        tasks = sum(len(g.tasks) for g in merged.plan.groups)
        place = f"{target.province} " if several else ""
        lines.append(f"{place}{target.agency} {target.year}: hợp lệ ({len(merged.plan.groups)} nhóm, {tasks} nhiệm vụ, "
                     f"bỏ {len(merged.plan.dropped)}).")
        if merged.uncovered:
            lines.append(f"  Nhiệm vụ của Kế hoạch tỉnh chưa dùng, chưa bỏ ({len(merged.uncovered)}):")
            lines.extend(f"    - {task_id}" for task_id in merged.uncovered)
            lines.append("  Thêm vào tasks (kèm đơn vị) hoặc vào drop (kèm lý do).")
        lines.extend(_inherited_lines(merged))
    return lines


def _inherited_lines(merged: Any) -> list[str]:
    """The paragraphs printed from the master plan, which the spec does not write (nothing hidden)."""
    from ..spec.provenance import from_master

    master, inherited = from_master(merged)
    if not inherited:
        return []
    fields = sorted({name for name, _ in inherited}, key=[n for n, _ in inherited].index)
    return [f"  Đoạn in theo Kế hoạch tỉnh ({master}), kế hoạch này không ghi ({len(inherited)}):",
            *(f"    - {name}: {_short(text)}" for name, text in inherited),
            f"  Để in khác, ghi {', '.join(fields)} trong kế hoạch "
            "(opening.bases: [] hay opening.intro: [] để không in)."]


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_COLLECTED = {"mới": "đã nhận (số liệu mới nhất của đơn vị)", "trùng": "đã nhận trước đó, bỏ qua",
              "cũ hơn": "đã lưu vào lịch sử nhưng cũ hơn số liệu đang có, không thay thế"}


def collected_lines(results: list[Any]) -> list[tuple[str, bool]]:
    """``kehoach collect``: (line, refused) for each returned file, its problems under a refused one,
    and under a kept tracker of an earlier revision what the amendments changed for it."""
    lines = []
    for result in results:
        if result.status:
            lines.append((f"{result.file}: {result.unit}, lưu lúc {local_time(result.saved)}: "
                          f"{_COLLECTED.get(result.status, result.status)}", False))
            lines.extend((f"  {note_line(note)}", False) for note in result.notes)
        elif result.skipped:
            lines.append((f"{result.file}: bỏ qua: {result.skipped}", False))
        else:
            lines.append((f"{result.file}: không nhận:", True))
            lines.extend((f"  {problem.render()}", True) for problem in result.problems)
            lines.extend([(f"  {result.hint}", True)] if result.hint else [])
    return lines


def note_line(note: Any) -> str:
    """One row of a tracker of an earlier revision, in words: ``kế hoạch đã sửa ngày 12/05/2025: nhiệm vụ "…" …``."""
    head = f"kế hoạch đã sửa ngày {note.date:%d/%m/%Y}: nhiệm vụ "
    if note.kind == "changed":
        return (f"{head}\"{note.label}\" đổi {note.words}; đã nhận kết quả của đơn vị, "
                "đề nghị kiểm tra lại")
    if note.kind == "removed":
        gone = "không còn giao cho đơn vị" if note.elsewhere else "không còn trong kế hoạch"
        return f"{head}\"{note.label}\" {gone}: không nhận, vẫn lưu trong lịch sử"
    return f"{head}mới \"{note.label}\" chưa có trong phiếu này; gửi đơn vị phiếu theo dõi mới để điền"


def error_lines(exc: KehoachError, heading: str) -> list[str]:
    return [heading, *(f"  {problem.render()}" for problem in exc.problems), *([exc.hint] if exc.hint else [])]


def summary(results: list[Any], seconds: float) -> str:
    """``Tổng cộng: tạo mới 49, không đổi 5 (14 kế hoạch, 2,1 giây).`` plus the plans that failed."""
    counts = Counter(o.action for r in results for o in r.outcomes)
    parts = [f"{text} {counts[action]}" for action, text in ACTION_TEXT.items() if counts[action]]
    failed = sum(1 for r in results if r.error)
    if failed:
        parts.append(f"lỗi {failed} kế hoạch (chưa xuất, xem thông báo ở trên)")
    return f"Tổng cộng: {', '.join(parts)} ({len(results)} kế hoạch, {_seconds(seconds)} giây)."


def _seconds(seconds: float) -> str:
    return f"{seconds:.1f}".replace(".", ",")


class BatchDisplay:
    """The live view of ``kehoach build --all``: a progress bar on a terminal, plain lines otherwise."""

    def __init__(self, ws: Any, total: int, interactive: bool | None = None) -> None:
        self.ws, self.total = ws, total
        self.interactive = sys.stdout.isatty() if interactive is None else interactive
        self.started = time.perf_counter()
        self.progress: Any = None
        self.task: Any = None

    def __enter__(self) -> BatchDisplay:
        if self.interactive and self.total > 1:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            # refreshed by hand on each finished plan: no refresh thread (worker processes are forked)
            self.progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                     TimeElapsedColumn(), auto_refresh=False, transient=True)
            self.progress.start()
            self.task = self.progress.add_task("Đang xuất các kế hoạch", total=self.total)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()

    def done(self, target: Any) -> None:
        if self.progress is not None:
            self.progress.update(self.task, advance=1, description=f"Xong {target.agency} {target.year}")
            self.progress.refresh()

    def result(self, result: Any) -> None:
        if result.error is not None:
            self._print(error_lines(result.error, f"Lỗi ở kế hoạch {result.target.agency} {result.target.year}, "
                                                  "chưa ghi tệp nào của kế hoạch này:"), err=True)
        else:
            self._print(outcome_lines(self.ws, result))

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def _print(self, lines: list[str], err: bool = False) -> None:
        if self.progress is not None:
            console = self.progress.console
            for line in lines:
                console.print(line, markup=False, highlight=False, soft_wrap=True)
            self.progress.refresh()
            return
        echo: Callable[..., None] = click.echo
        for line in lines:
            echo(line, err=err)
