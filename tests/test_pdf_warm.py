"""Warm PDF converters (build/pdf_warm.py, pdf_pool.py, pdf_bridge.py) with the real LibreOffice.

Every command here runs the real entry point with a ``soffice`` on its PATH that logs each start
and execs LibreOffice, so the tests count LibreOffice starts; the converters' records and the
processes under /proc show what runs."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kehoach_gen.build.pdf_pool import alive

from conftest import copy_workspace

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None or subprocess.run(["/usr/bin/python3", "-c", "import uno"],
                                                     capture_output=True).returncode != 0,
    reason="LibreOffice and python3-uno are installed by scripts/install-system-deps")

KEHOACH = str(Path(sys.executable).parent / "kehoach")
PLANS = ("SKHCN", "STP", "SNV", "UBNDNN")
NO_UNO = ("Chuyển PDF từng lần (chậm hơn): không tìm thấy Python có mô-đun uno của LibreOffice để giữ LibreOffice "
          "chạy sẵn; cài gói python3-uno (sudo apt-get install python3-uno) rồi chạy lại.")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """Four 2025 plans, built (documents only), in a workspace used read-only: each test copies its outputs."""
    root = copy_workspace(tmp_path_factory.mktemp("warm") / "ws")
    for spec in (root / "plan_specs/soc-trang").glob("*/2025.yaml"):
        if spec.parent.name not in PLANS:
            spec.unlink()
    shutil.rmtree(root / "plan_specs/soc-trang/STP/2021", ignore_errors=True)
    for old in (root / "plan_specs/soc-trang").glob("*/2021.yaml"):
        old.unlink()
    done = subprocess.run([KEHOACH, "build", "--all"], cwd=root, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return root


@pytest.fixture
def ws(built, tmp_path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(built, root)
    return root


@pytest.fixture
def counted(tmp_path) -> Path:
    """A soffice that records each start in ``starts`` and runs LibreOffice (exec: the same process)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "soffice").write_text(f"#!/bin/sh\necho start >> {tmp_path / 'starts'}\nexec /usr/bin/soffice \"$@\"\n")
    (folder / "soffice").chmod(0o755)
    return tmp_path / "starts"


def kehoach(ws: Path, counted: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {"PATH": f"{counted.parent / 'bin'}:/usr/bin:/bin", "LANG": "C.UTF-8",
                   "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"], "KEHOACH_PDF_KEEP_MINUTES": "10", **env}
    return subprocess.run([KEHOACH, *args], cwd=ws, capture_output=True, text=True, check=False, env=environment,
                          timeout=300)


def starts(counted: Path) -> int:
    return len(counted.read_text().splitlines()) if counted.exists() else 0


def records() -> list[dict]:
    """The converters' records; one removed between listing and reading (a converter closing) is gone."""
    folder = Path(os.environ["XDG_CACHE_HOME"]) / "kehoach/pdf-pool"
    found = []
    for path in sorted(folder.glob("slot-*.json")):
        try:
            found.append(json.loads(path.read_text()))
        except FileNotFoundError:
            continue
    return found


def ours() -> list[str]:
    """Command lines of the running converters and LibreOffice processes of this test session's cache."""
    cache, found = os.environ["XDG_CACHE_HOME"], []
    for entry in Path("/proc").iterdir():
        try:
            line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            state = (entry / "stat").read_text().split(") ")[-1][:1]
        except OSError:
            continue
        if cache in line and ("pdf_bridge" in line or "office" in line) and state != "Z":
            found.append(line)
    return found


def soffice_bin(launcher: int) -> int:
    """The LibreOffice process itself: on Linux ``soffice`` runs oosplash, which runs soffice.bin."""
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_text().split(") ")[-1].split()[1]) == launcher:
                return int(entry.name)
        except OSError:
            continue
    return launcher


def close(ws: Path, counted: Path) -> subprocess.CompletedProcess[str]:
    return kehoach(ws, counted, "pdf", "--dong")


def pdf_facts(pdf: Path) -> tuple[str, str]:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return text, next(line for line in info.splitlines() if line.startswith("Pages:"))


def test_warm_pdfs_equal_per_call_ones_and_two_converters_use_two_profiles(ws, counted, tmp_path):
    close(ws, counted)
    per_call = kehoach(ws, counted, "pdf", "--all", KEHOACH_UNO_PYTHON=sys.executable)  # our Python: no uno
    assert per_call.returncode == 0, per_call.stderr
    assert per_call.stderr.splitlines() == [NO_UNO] and per_call.stdout.count("Đã ghi") == len(PLANS)
    assert starts(counted) == 1 and ours() == []  # one plain LibreOffice call (4 documents), nothing left running
    expected = {p: pdf_facts(p) for p in ws.glob("output/2025/*/KH-*.pdf")}
    assert len(expected) == len(PLANS)
    for pdf in expected:
        pdf.unlink()
    warm = kehoach(ws, counted, "pdf", "--all")
    assert warm.returncode == 0 and warm.stderr == "", warm.stderr
    assert {p: pdf_facts(p) for p in ws.glob("output/2025/*/KH-*.pdf")} == expected  # same text, same pages
    assert starts(counted) == 3  # one converter per core, both started now
    running = records()
    assert sorted(Path(r["profile"]).name for r in running) == ["libreoffice-warm-0", "libreoffice-warm-1"]
    for record in running:  # each LibreOffice runs on its converter's profile, none shares one
        line = Path(f"/proc/{record['office']}/cmdline").read_bytes().decode()
        assert Path(record["profile"]).as_uri() in line and f"pipe,name={record['pipe']};" in line
        assert oct(Path(record["address"]).stat().st_mode & 0o777) == oct(0o600)
        assert oct(Path(record["address"]).parent.stat().st_mode & 0o777) == oct(0o700)
    second = subprocess.run(["/usr/bin/python3", str(Path(__file__).parents[1] / "src/kehoach_gen/build/pdf_bridge.py"),
                             "/usr/bin/soffice", running[0]["profile"], str(tmp_path / "x.json"), "1"],
                            capture_output=True, text=True, timeout=60, check=False)
    assert second.returncode == 1 and second.stderr.startswith("profile in use: ")  # never two on one profile
    for pdf in expected:
        pdf.unlink()
    again = kehoach(ws, counted, "pdf", "--all")
    assert again.returncode == 0 and again.stderr == ""
    assert starts(counted) == 3  # warm: no LibreOffice started
    closed = close(ws, counted)
    assert closed.stdout == "Đã đóng 2 LibreOffice chạy sẵn.\n" and records() == [] and ours() == []
    assert close(ws, counted).stdout == "Không có LibreOffice nào đang chạy sẵn.\n"


def test_a_parallel_build_converts_in_the_pool(ws, counted):
    close(ws, counted)
    result = kehoach(ws, counted, "build", "--all", "--pdf", "--jobs", "2", KEHOACH_PDF_KEEP_MINUTES="0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(".pdf") == len(PLANS)
    assert all(pdf_facts(ws / f"output/2025/{p}/KH-{p}-2025.pdf")[0] for p in PLANS)
    assert 1 <= starts(counted) <= 2  # the workers' converters (at most one per core), not one LibreOffice per plan
    assert records() == [] and ours() == []  # keep_minutes 0: closed when the command ends


def test_idle_converters_close_themselves(ws, counted):
    close(ws, counted)
    (ws / "kehoach.toml").write_text((ws / "kehoach.toml").read_text() + "\n[pdf]\nkeep_minutes = 0.03\n")
    environment = {k: v for k, v in os.environ.items() if k != "KEHOACH_PDF_KEEP_MINUTES"}
    result = subprocess.run([KEHOACH, "pdf", "--agency", "STP", "--year", "2025"], cwd=ws, capture_output=True,
                            text=True, check=False, env=environment, timeout=300)
    assert result.returncode == 0, result.stderr
    assert len(records()) == 1  # kept after the command: 1.8 s
    deadline = time.monotonic() + 20
    while (records() or ours()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert records() == [] and ours() == []


def test_a_converter_killed_mid_batch_is_replaced(ws, counted, monkeypatch):
    """In-process: the first document's converter loses its LibreOffice during the batch; that document is
    converted again the per-call way (with a message), the others still on the converters."""
    import logging

    from kehoach_gen.build import pdf, pdf_pool

    close(ws, counted)
    monkeypatch.setenv("KEHOACH_PDF_KEEP_MINUTES", "0")
    real, killed = pdf_pool.Converter.convert, []

    def convert(self, docx, target, keep, timeout):  # noqa: ANN001
        if not killed:
            killed.append(docx.name)
            os.kill(soffice_bin(self.record["office"]), signal.SIGKILL)  # LibreOffice itself dies
            time.sleep(0.3)
        return real(self, docx, target, keep, timeout)

    monkeypatch.setattr(pdf_pool.Converter, "convert", convert)
    said: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: said.append(record.getMessage())  # type: ignore[method-assign]
    logging.getLogger("kehoach_gen.pdf").addHandler(handler)
    try:
        documents = sorted(ws.glob("output/2025/*/KH-*.docx"))
        made = pdf.convert(documents, prefer_word=False)
    finally:
        logging.getLogger("kehoach_gen.pdf").removeHandler(handler)
    assert made == [d.with_suffix(".pdf") for d in documents] and all(pdf_facts(p)[0] for p in made)
    assert len(said) == 1 and said[0].startswith(f"LibreOffice chạy sẵn không chuyển được {killed[0]} (")
    assert said[0].endswith("); chuyển lại bằng một lần gọi LibreOffice riêng.")
    from kehoach_gen.build.pdf_warm import close_all

    close_all()
    assert records() == [] and ours() == []


def test_a_stale_record_is_cleaned(tmp_path):
    from kehoach_gen.build.pdf_pool import read

    dead = subprocess.Popen(["true"])
    dead.wait()
    (tmp_path / "slot-5.json").write_text(json.dumps({"pid": dead.pid, "office": dead.pid, "address": "x", "token": "t"}))
    assert read(tmp_path, 5) is None and not (tmp_path / "slot-5.json").exists()


@pytest.mark.parametrize(("table", "problem"), [
    ('keep_minutes = "mười"', 'pdf.keep_minutes: sai giá trị (cần số phút không âm (0: đóng LibreOffice khi lệnh xong), '
                              'gặp mười)'),
    ("keep_minutes = -1", "pdf.keep_minutes: sai giá trị (cần số phút không âm (0: đóng LibreOffice khi lệnh xong), gặp -1)"),
    ("giu = 5", "pdf.giu: khóa không có trong mẫu (cần keep_minutes)"),
])
def test_bad_pdf_table(ws, counted, table, problem):
    config = ws / "kehoach.toml"
    config.write_text(config.read_text() + f"\n[pdf]\n{table}\n")
    line = len(config.read_text().splitlines())
    environment = {k: v for k, v in os.environ.items() if k != "KEHOACH_PDF_KEEP_MINUTES"}
    result = subprocess.run([KEHOACH, "pdf", "--all"], cwd=ws, capture_output=True, text=True, check=False,
                            env=environment, timeout=60)
    assert result.returncode == 2 and starts(counted) == 0
    assert result.stderr.splitlines() == ["Lỗi:", f"  {config}:{line}: {problem}", "Chưa ghi tệp nào."]


def test_a_hung_converter_is_killed_and_replaced(ws, counted, monkeypatch):
    """A converter whose LibreOffice stops answering: after the per-document timeout it is killed (nothing of it
    left, its record removed), its document converted the per-call way, the other documents by the other one."""
    import logging

    from kehoach_gen.build import pdf
    from kehoach_gen.build.pdf_warm import close_all

    close(ws, counted)
    monkeypatch.setenv("KEHOACH_PDF_KEEP_MINUTES", "0")
    monkeypatch.setattr(pdf, "TIMEOUT_PER_FILE", 4)
    documents = sorted(ws.glob("output/2025/*/KH-*.docx"))
    pdf.convert(documents[:2], prefer_word=False)  # both converters running
    hung = next(r for r in records() if r["profile"].endswith("-0"))
    office = soffice_bin(hung["office"])
    os.kill(office, signal.SIGSTOP)
    for document in documents:
        document.with_suffix(".pdf").unlink(missing_ok=True)
    said: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: said.append(record.getMessage())  # type: ignore[method-assign]
    logging.getLogger("kehoach_gen.pdf").addHandler(handler)
    try:
        made = pdf.convert(documents, prefer_word=False)
    finally:
        logging.getLogger("kehoach_gen.pdf").removeHandler(handler)
    assert all(pdf_facts(p)[0] for p in made) and len(said) == 1, (said, hung, records())
    assert said[0].endswith("(timed out); chuyển lại bằng một lần gọi LibreOffice riêng.")
    assert not any(alive(pid) for pid in (hung["office"], hung["pid"]))  # discard waits for these (a zombie is gone)
    deadline = time.monotonic() + 5  # soffice.bin, killed with the bridge's process group: dead a moment later
    while alive(office) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not alive(office)
    assert hung["pid"] not in [r["pid"] for r in records()]  # its record removed
    close_all()
    assert records() == [] and ours() == []


def test_warm_up_starts_the_converters_in_the_background(ws, counted, monkeypatch):
    """``warm_up`` (watch --pdf) returns at once; the converters it starts serve the first conversion."""
    from kehoach_gen.build import pdf
    from kehoach_gen.build.pdf_warm import close_all

    close(ws, counted)
    monkeypatch.setenv("PATH", f"{counted.parent / 'bin'}:/usr/bin:/bin")
    began = time.monotonic()
    thread = pdf.warm_up()
    assert thread is not None and time.monotonic() - began < 0.5
    thread.join(60)
    assert starts(counted) == 2 and len(records()) == 2
    document = ws / "output/2025/STP/KH-STP-2025.docx"
    assert pdf.convert([document], prefer_word=False) == [document.with_suffix(".pdf")]
    assert starts(counted) == 2 and pdf_facts(document.with_suffix(".pdf"))[0]
    document.with_suffix(".pdf").unlink()
    other = kehoach(ws, counted, "pdf", "--all", KEHOACH_PDF_KEEP_MINUTES="0")  # another command, keep 0
    assert other.returncode == 0 and other.stdout.count("Đã ghi") == len(PLANS), other.stderr
    assert starts(counted) == 2 and len(records()) == 2  # still kept by this process (as by a watch)
    close_all()
    assert records() == [] and ours() == []


FAKE = """#!/bin/sh
# LibreOffice as a converter per call (a tiny PDF per document into --outdir) that cannot run as a listener
echo start >> "$STARTS"
case "$*" in *--convert-to*) ;; *) exit 0;; esac
out=""; prev=""
for a in "$@"; do [ "$prev" = "--outdir" ] && out="$a"; prev="$a"; done
for a in "$@"; do case "$a" in *.docx) printf '%%PDF-1.4 %s\\n' "$(basename "$a" .docx)" > "$out/$(basename "$a" .docx).pdf";; esac; done
"""


def test_a_converter_that_cannot_start_falls_back_once(ws, counted, tmp_path):
    close(ws, counted)
    (counted.parent / "bin/soffice").write_text(FAKE)
    result = kehoach(ws, counted, "pdf", "--all", STARTS=str(counted))
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == ["Chuyển PDF từng lần (chậm hơn): không khởi động được LibreOffice chạy sẵn "
                                          "(LibreOffice dừng ngay khi khởi động, mã thoát 0)."]
    assert [p.read_bytes() for p in sorted(ws.glob("output/2025/*/KH-*.pdf"))] == [
        f"%PDF-1.4 KH-{p}-2025\n".encode() for p in sorted(PLANS)]
    assert records() == [] and ours() == []


def test_a_workbook_converts_warm_as_per_call(ws, counted, tmp_path, caplog):
    """A workbook (the tests print the consolidated one) goes through Calc's PDF export, not Writer's."""
    from kehoach_gen.build import pdf
    from kehoach_gen.build.pdf_warm import close_all

    book = ws / "output/2025/STP/theo-doi/STP-2025-tong-hop.xlsx"
    warm, cold = tmp_path / "warm" / book.name, tmp_path / "cold" / book.name
    for copy in (warm, cold):
        copy.parent.mkdir()
        shutil.copyfile(book, copy)
    with caplog.at_level("WARNING", logger="kehoach_gen.pdf"):
        pdf.convert([warm], prefer_word=False)
    assert caplog.messages == [] and len(records()) == 1  # converted warm, nothing retried
    pdf._with_libreoffice("/usr/bin/soffice", [cold])
    assert pdf_facts(warm.with_suffix(".pdf")) == pdf_facts(cold.with_suffix(".pdf"))
    assert pdf_facts(warm.with_suffix(".pdf"))[0].startswith("TỔNG HỢP THEO DÕI THỰC HIỆN KẾ HOẠCH NĂM 2025\n")
    close_all()
    assert records() == [] and ours() == []


def test_a_cache_folder_that_cannot_be_written(ws, counted, tmp_path):
    blocked = tmp_path / "cache-file"
    blocked.write_text("")
    result = kehoach(ws, counted, "pdf", "--agency", "STP", "--year", "2025", XDG_CACHE_HOME=str(blocked))
    assert result.returncode == 0 and result.stdout == "Đã ghi output/2025/STP/KH-STP-2025.pdf\n"
    assert result.stderr == (f"Chuyển PDF từng lần (chậm hơn): không ghi được vào thư mục {blocked}/kehoach "
                             "(một phần của đường dẫn là tệp, không phải thư mục).\n")
    assert pdf_facts(ws / "output/2025/STP/KH-STP-2025.pdf")[0] and starts(counted) == 1
