"""Regeneration: no-op rebuilds touch nothing, edits re-render, hand edits survive, PDFs are real."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import copy_workspace

KEHOACH = str(Path(sys.executable).parent / "kehoach")
PLAN = "output/2025/STP/KH-STP-2025.docx"


@pytest.fixture
def ws(tmp_path) -> Path:
    return copy_workspace(tmp_path)


def kehoach(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([KEHOACH, *args], cwd=root, capture_output=True, text=True, check=False)


def _snapshot(root: Path) -> dict[str, tuple[int, bytes]]:
    return {p.relative_to(root).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
            for p in (root / "output").rglob("*") if p.is_file()}


def test_noop_rebuild_touches_nothing(ws):
    assert kehoach(ws, "build", "--all").returncode == 0
    before = _snapshot(ws)
    again = kehoach(ws, "build", "--all")
    assert again.returncode == 0
    assert re.fullmatch(r"Tổng cộng: không đổi 16 \(16 kế hoạch, \d+,\d giây\)\.", again.stdout.splitlines()[-1])
    assert _snapshot(ws) == before


def test_spec_edit_rerenders_only_that_plan(ws):
    kehoach(ws, "build", "--all")
    spec = ws / "plan_specs/soc-trang/STP/2025.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("date: {month: 1, year: 2025}",
                                                             "date: {day: 5, month: 2, year: 2025}"), encoding="utf-8")
    result = kehoach(ws, "build", "--all")
    assert "Đã cập nhật output/2025/STP/KH-STP-2025.docx" in result.stdout.splitlines()
    # the plan and its 9 workbooks (8 units with tasks + the consolidated one) carry the new date
    assert re.fullmatch(r"Tổng cộng: cập nhật 10, không đổi 15 \(16 kế hoạch, \d+,\d giây\)\.",
                        result.stdout.splitlines()[-1])
    from docx import Document

    date = Document(str(ws / PLAN)).tables[0].cell(1, 1).text
    assert date == "Sóc Trăng, ngày 05 tháng 02 năm 2025"


def test_comment_only_edit_rewrites_nothing(ws):
    kehoach(ws, "build", "--agency", "STP", "--year", "2025")
    before = _snapshot(ws)
    spec = ws / "plan_specs/soc-trang/STP/2025.yaml"
    spec.write_text(spec.read_text(encoding="utf-8") + "# ghi chú\n", encoding="utf-8")
    result = kehoach(ws, "build", "--agency", "STP", "--year", "2025")
    lines = result.stdout.splitlines()
    assert lines[0] == "Không đổi: output/2025/STP/KH-STP-2025.docx" and len(lines) == 10
    assert all(line.startswith("Không đổi: ") for line in lines)
    after = _snapshot(ws)
    assert after[PLAN] == before[PLAN]


def test_hand_edit_is_kept_then_backed_up_with_force(ws):
    from docx import Document

    kehoach(ws, "build", "--agency", "STP", "--year", "2025")
    doc = Document(str(ws / PLAN))
    doc.add_paragraph("Bổ sung bằng tay")
    doc.save(str(ws / PLAN))
    edited = (ws / PLAN).read_bytes()
    status = kehoach(ws, "status", "--agency", "STP")
    assert "output/2025/STP/KH-STP-2025.docx: đã sửa tay" in status.stdout.splitlines()
    kept = kehoach(ws, "build", "--agency", "STP", "--year", "2025")
    assert kept.returncode == 0
    assert kept.stdout.splitlines()[0].startswith("Giữ nguyên output/2025/STP/KH-STP-2025.docx: tệp đã được sửa tay")
    assert (ws / PLAN).read_bytes() == edited
    forced = kehoach(ws, "build", "--agency", "STP", "--year", "2025", "--force")
    backups = list((ws / "output/2025/STP").glob("KH-STP-2025.sua-tay-*.docx"))
    assert len(backups) == 1 and backups[0].read_bytes() == edited
    assert forced.stdout.splitlines()[0] == (
        f"Đã xuất đè {PLAN}; bản sửa tay được lưu tại {backups[0].relative_to(ws).as_posix()}")
    assert (ws / PLAN).read_bytes() != edited


def test_a_deleted_workbook_is_made_again(ws):
    """A plan is skipped only when every workbook it made is still there, the consolidated one included."""
    kehoach(ws, "build", "--all")
    (ws / "output/2025/STP/theo-doi/STP-2025-tong-hop.xlsx").unlink()
    again = kehoach(ws, "build", "--all")
    assert "Đã tạo output/2025/STP/theo-doi/STP-2025-tong-hop.xlsx" in again.stdout.splitlines()
    assert re.fullmatch(r"Tổng cộng: tạo mới 1, không đổi 24 \(16 kế hoạch, \d+,\d giây\)\.", again.stdout.splitlines()[-1])


def test_a_plan_stopped_while_writing_workbooks_writes_nothing_and_is_built_next_time(ws, monkeypatch):
    """Ctrl-C while the fourth workbook renders: the plan's family is written whole or not at all, so
    nothing of it is in output/ (no document, no workbook, no temporary file), and the next build makes it all."""
    from kehoach_gen.build import pipeline
    from kehoach_gen.excel import render_xlsx
    from kehoach_gen.workspace import find_workspace

    workspace = find_workspace(ws)
    write_unit, written = render_xlsx.write_unit, []

    def stop_at_the_fourth(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        if len(written) == 3:
            raise KeyboardInterrupt
        written.append(args)
        return write_unit(*args, **kwargs)

    monkeypatch.setattr(render_xlsx, "write_unit", stop_at_the_fourth)
    target = pipeline.targets(workspace, "soc-trang", "STP", 2025, False)[0]
    with pytest.raises(KeyboardInterrupt), pipeline.recording(workspace) as manifest:
        pipeline.build(workspace, target, manifest=manifest)
    plan = ws / "output/2025/STP"
    assert [p for p in plan.rglob("*") if p.is_file()] == []
    again = kehoach(ws, "build", "--agency", "STP", "--year", "2025")
    assert again.returncode == 0
    lines = again.stdout.splitlines()
    assert "Đã tạo output/2025/STP/KH-STP-2025.docx" in lines
    folder = plan / "theo-doi"
    assert len([line for line in lines if line.startswith("Đã tạo output/2025/STP/theo-doi/")]) == 9
    assert len(list(folder.glob("*.xlsx"))) == 9  # 8 units with tasks and the consolidated workbook
    assert kehoach(ws, "build", "--agency", "STP", "--year", "2025").stdout.splitlines() == [
        "Không đổi: output/2025/STP/KH-STP-2025.docx"]


def test_spec_is_never_rewritten_by_build(ws):
    spec = ws / "plan_specs/soc-trang/STP/2025.yaml"
    before = spec.read_bytes()
    kehoach(ws, "build", "--all", "--force")
    kehoach(ws, "new", "--agency", "STP", "--year", "2025")
    assert spec.read_bytes() == before


def test_builds_do_not_interleave(ws, monkeypatch):
    from kehoach_gen.build.manifest import build_lock

    order = []
    with build_lock(ws / "output"):
        thread = threading.Thread(target=lambda: order.append(kehoach(ws, "build", "--agency", "STP", "--year",
                                                                     "2025").returncode))
        thread.start()
        thread.join(timeout=1.5)
        assert thread.is_alive() and order == []  # waiting for the lock held here
        order.append("released")
    thread.join(timeout=60)
    assert order == ["released", 0]


def test_pdf_has_vietnamese_text_and_embedded_fonts(ws):
    result = kehoach(ws, "build", "--agency", "STP", "--year", "2025", "--pdf")
    assert result.returncode == 0, result.stderr
    pdf = ws / "output/2025/STP/KH-STP-2025.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "KẾ HOẠCH" in text and "Kiểm soát thủ tục hành chính năm 2025" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)  # "emb" column
    assert all("Liberation" in line or "Times" in line for line in fonts)
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")))
    assert 3 <= count <= 10
    again = kehoach(ws, "pdf", "--agency", "STP", "--year", "2025")
    assert again.stdout.splitlines() == [
        "Không có PDF nào cần tạo (PDF đã mới hơn văn bản, hoặc chưa xuất văn bản: chạy kehoach build)."]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by scripts/install-system-deps")
def test_batch_pdf_converts_each_plan_with_its_family(ws, monkeypatch):
    """In a batch each plan's PDF is converted from its own document as part of its family (one run per plan,
    documents only), so a plan's PDF is never left older than its document."""
    from kehoach_gen.build import pdf
    from kehoach_gen.cli.app import main

    for spec in (ws / "plan_specs/soc-trang").glob("*/2025.yaml"):
        if spec.parent.name not in ("SKHCN", "STP", "UBNDNN"):  # three plans are enough to show it
            spec.unlink()
    monkeypatch.setenv("KEHOACH_UNO_PYTHON", "none")  # the per-call path (no warm converters)
    runs: list[list[str]] = []
    real = pdf._run_soffice
    monkeypatch.setattr(pdf, "_run_soffice", lambda *a: runs.append([f.name for f in a[3]]) or real(*a))
    monkeypatch.chdir(ws)
    monkeypatch.setattr(sys, "argv", ["kehoach", "build", "--all", "--year", "2025", "--pdf", "--jobs", "1"])
    with pytest.raises(SystemExit) as done:
        main()
    assert done.value.code == 0
    assert runs == [["KH-SKHCN-2025.docx"], ["KH-STP-2025.docx"], ["KH-UBNDNN-2025.docx"]]  # documents only
    for agency, symbol in (("SKHCN", "SKHCN"), ("STP", "STP"), ("UBNDNN", "UBND")):
        made = ws / f"output/2025/{agency}/KH-{agency}-2025.pdf"
        text = subprocess.run(["pdftotext", str(made), "-"], capture_output=True, text=True, check=True).stdout
        assert f"/KH-{symbol}\n" in text
    assert pdf._distinct_names([Path("a/KH.docx"), Path("b/KH.docx"), Path("b/BC.docx")]) == [
        [Path("a/KH.docx"), Path("b/BC.docx")], [Path("b/KH.docx")]]


def test_many_documents_convert_in_one_libreoffice_per_core(tmp_path, monkeypatch):
    """Fourteen plans on two cores: two LibreOffice processes at once, each with its own profile, every
    PDF moved beside its document; a profile in use by another conversion is never shared."""
    import threading

    from kehoach_gen.build import pdf

    documents = [tmp_path / f"{n:02d}" / "KH.docx" if n < 2 else tmp_path / f"KH-{n:02d}.docx" for n in range(14)]
    for document in documents:
        document.parent.mkdir(exist_ok=True)
        document.write_bytes(b"")
    calls: list[tuple[str, list[str]]] = []
    guard = threading.Lock()

    def fake(soffice, profile, outdir, files):  # noqa: ANN001
        with guard:
            calls.append((profile.name, [f.name for f in files]))
        for file in files:
            (outdir / f"{file.stem}.pdf").write_bytes(b"%PDF")

    monkeypatch.setattr(pdf, "_run_soffice", fake)
    monkeypatch.setattr(pdf, "_cores", lambda: 2)
    made = pdf._with_libreoffice("soffice", documents)
    assert all(p.read_bytes() == b"%PDF" for p in made) and made == [d.with_suffix(".pdf") for d in documents]
    first_round, second_round = calls[:2], calls[2:]
    assert sorted(len(files) for _, files in first_round) == [6, 7]  # 13 distinct names over two processes
    assert {profile for profile, _ in first_round} == {"libreoffice-0", "libreoffice-1"}
    assert second_round == [("libreoffice-0", ["KH.docx"])]  # the second KH.docx, after the first
    from filelock import FileLock

    held = FileLock(str(pdf._cache_dir() / "libreoffice-0") + ".lock")  # another conversion holds slot 0
    with held, pdf._profile(0) as profile:
        assert profile.name == "libreoffice-2"  # a spare one, beyond the batch's slots
        with pdf._profile(0) as second:
            assert second.name == "libreoffice-3"
    spares = [FileLock(str(pdf._cache_dir() / f"libreoffice-{n}") + ".lock") for n in (0, *range(2, 2 + pdf.SPARE_PROFILES))]
    for lock in spares:
        lock.acquire()
    try:
        with pdf._profile(0) as profile:
            assert profile.name.startswith("kehoach-lo-")  # every cached one in use: a throw-away one
    finally:
        for lock in spares:
            lock.release()


def test_no_converter_message(ws, monkeypatch):
    from kehoach_gen.build import pdf
    from kehoach_gen.errors import OutputError

    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    monkeypatch.setattr(pdf, "_word_available", lambda: False)
    (ws / "x.docx").write_bytes(b"")
    with pytest.raises(OutputError) as info:
        pdf.convert([ws / "x.docx"])
    assert info.value.problems[0].message == (
        "không tìm thấy chương trình chuyển sang PDF (Microsoft Word hoặc LibreOffice)")


class _Lines:
    """Lines of a child's stream, read on a thread so a test never blocks forever."""

    def __init__(self, stream) -> None:  # noqa: ANN001
        import queue

        self.queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [self.queue.put(line.rstrip("\n")) for line in stream], daemon=True).start()

    def until(self, needle: str, timeout: float = 30) -> list[str]:
        import queue
        import time

        seen: list[str] = []
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                line = self.queue.get(timeout=0.2)
            except queue.Empty:
                continue
            seen.append(line)
            if needle in line:
                return seen
        raise AssertionError(f"did not see {needle!r}; got {seen}")


def test_watch_rebuilds_on_save_reports_errors_and_stops_on_ctrl_c(ws):
    import os
    import signal

    kehoach(ws, "build", "--all")
    proc = subprocess.Popen([KEHOACH, "watch"], cwd=ws, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            encoding="utf-8", bufsize=1, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    out, err = _Lines(proc.stdout), _Lines(proc.stderr)
    try:
        out.until("Đang theo dõi")
        spec = ws / "plan_specs/soc-trang/STP/2025.yaml"
        good = spec.read_text(encoding="utf-8")
        spec.write_text(good.replace("lead: [XDKTVB]", "lead: [KHONGCO]"), encoding="utf-8")
        errors = err.until("KHONGCO")
        assert errors[0] == "Lỗi (vẫn tiếp tục theo dõi; sửa rồi lưu lại tệp):"
        spec.write_text(good.replace("date: {month: 1, year: 2025}", "date: {day: 20, month: 1, year: 2025}"),
                        encoding="utf-8")
        assert out.until("KH-STP-2025.docx")[-1] == "Đã cập nhật output/2025/STP/KH-STP-2025.docx"
        proc.send_signal(signal.SIGINT)
        assert out.until("Đã dừng theo dõi.")[-1] == "Đã dừng theo dõi."
        assert proc.wait(timeout=30) == 0
        rest = []
        while not err.queue.empty():
            rest.append(err.queue.get())
        assert not any("Traceback" in line for line in rest)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()


def test_scratch_folders_of_a_killed_conversion_are_removed_by_the_next(tmp_path, monkeypatch):
    """A kill -9 during a conversion left /tmp/kehoach-pdf-…; they are named by process and swept when dead."""
    import tempfile

    from kehoach_gen.build import pdf

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    killed = tmp_path / f"kehoach-pdf-{dead.pid}-abc"
    (killed / "x").mkdir(parents=True)
    running = tmp_path / f"kehoach-lo-{os.getppid()}-def"  # a live process: pytest's parent
    running.mkdir()
    with pdf._scratch("kehoach-pdf-") as mine:
        assert Path(mine).name.startswith(f"kehoach-pdf-{os.getpid()}-")
        assert not killed.exists()
    with pdf._scratch("kehoach-lo-"):
        assert running.exists()
