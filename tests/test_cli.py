"""The CLI through its real entry point: messages, exit statuses, nothing written on bad input."""

from __future__ import annotations

from conftest import SPEC
from conftest import run_cli as run


def test_check_reports_valid_plan_and_coverage(small_ws):
    spec = small_ws.spec_file("tinh-a", "STP", 2025)
    spec.write_text(SPEC.split("drop:")[0], encoding="utf-8")
    result = run(small_ws.root, "check", "--agency", "STP", "--year", "2025")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "STP 2025: hợp lệ (1 nhóm, 2 nhiệm vụ, bỏ 0).",
        "  Nhiệm vụ của Kế hoạch tỉnh chưa dùng, chưa bỏ (1):",
        "    - bao-cao.dinh-ky",
        "  Thêm vào tasks (kèm đơn vị) hoặc vào drop (kèm lý do).",
        "  Đoạn in theo Kế hoạch tỉnh (plan_specs/tinh-a/master-2025.yaml), kế hoạch này không ghi (5):",
        "    - title: Kiểm soát thủ tục hành chính năm 2025 tại Sở Tư pháp tỉnh A",
        "    - opening.bases: Căn cứ Nghị định số 63/2010/NĐ-CP ngày 08/6/2010 của Chính phủ;",
        "    - opening.intro: Thực hiện Kế hoạch số 08/KH-UBND ngày 15/01/2025 của Ủy ban nhân dân tỉnh A thự…",
        "    - sections: Mục đích, yêu cầu",
        "    - sections: Nội dung",
        "  Để in khác, ghi title, opening.bases, opening.intro, sections trong kế hoạch (opening.bases: [] hay "
        "opening.intro: [] để không in).",
    ]
    spec.write_text(SPEC.split("drop:")[0] + "title: [Kiểm soát TTHC năm 2025]\nopening: {bases: [], intro: [Mở đầu.]}\n"
                    "sections: [{title: Nội dung, tasks: true}]\n", encoding="utf-8")
    written = run(small_ws.root, "check", "--agency", "STP", "--year", "2025")
    assert written.returncode == 0, written.stderr
    assert written.stdout.splitlines()[4:] == []  # everything printed is in the spec: nothing listed
    strict = run(small_ws.root, "check", "--agency", "STP", "--year", "2025", "--strict")
    assert strict.returncode == 1


def test_bad_spec_exit_2_message_no_traceback_nothing_written(small_ws):
    spec = small_ws.spec_file("tinh-a", "STP", 2025)
    spec.write_text(SPEC.replace("lead: [VP]", "lead: [VPS]"), encoding="utf-8")
    result = run(small_ws.root, "build", "--agency", "STP", "--year", "2025")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "Lỗi:",
        "  plan_specs/tinh-a/STP/2025.yaml:7: tasks.chi-dao.ke-hoach.lead[1]: đơn vị \"VPS\" không có trong "
        "danh sách đơn vị của STP (cần một trong: ALL, BTTP, VP, gặp \"VPS\")",
        "Chưa ghi tệp nào.",
    ]
    assert not (small_ws.root / "output").exists()


def test_new_on_existing_spec_keeps_it(small_ws):
    spec = small_ws.spec_file("tinh-a", "STP", 2025)
    before = spec.read_bytes()
    result = run(small_ws.root, "check", "--agency", "STP", "--year", "2025")
    assert result.returncode == 0
    assert spec.read_bytes() == before


def test_outside_a_workspace(tmp_path):
    result = run(tmp_path, "check", "--agency", "STP", "--year", "2025")
    assert result.returncode == 2
    assert result.stderr.splitlines()[1] == f"  {tmp_path}: không tìm thấy kehoach.toml ở thư mục này hay thư mục cha"


def test_missing_spec_points_to_new(small_ws):
    result = run(small_ws.root, "build", "--agency", "SNV", "--year", "2025")
    assert result.returncode == 2
    assert result.stderr.splitlines()[1:3] == [
        "  plan_specs/tinh-a/SNV/2025.yaml: chưa có kế hoạch của SNV năm 2025",
        "Tạo bằng: kehoach new --agency SNV --year 2025",
    ]


def test_usage_errors_are_vietnamese(small_ws):
    cases = {
        ("new", "--agency", "STP"): ["Lỗi: thiếu --year / -y (bắt buộc)", "Xem hướng dẫn: kehoach new --help"],
        ("new", "--agency", "STP", "--year", "abc"): [
            "Lỗi: giá trị của --year / -y không hợp lệ (cần một số nguyên)", "Xem hướng dẫn: kehoach new --help"],
        ("build", "--agenc", "STP"): ["Lỗi: không có tùy chọn --agenc (có phải: --agency?)",
                                      "Xem hướng dẫn: kehoach build --help"],
        ("build", "--all", "--jobs", "0"): ["Lỗi: giá trị của --jobs / -j không hợp lệ (cần một số từ 1 trở lên)",
                                            "Xem hướng dẫn: kehoach build --help"],
        ("build", "--agency", "STP", "--year", "2025", "x", "y"): ["Lỗi: thừa tham số (x y)",
                                                                   "Xem hướng dẫn: kehoach build --help"],
        ("build", "--all", "--set"): ["Lỗi: tùy chọn '--set' cần một giá trị.", "Xem hướng dẫn: kehoach build --help"],
        ("--agency",): ["Lỗi: không có tùy chọn --agency", "Xem hướng dẫn: kehoach --help"],
    }
    for args, expected in cases.items():
        result = run(small_ws.root, *args)
        assert (result.returncode, result.stderr.splitlines()) == (2, expected), args


def test_help_is_vietnamese(small_ws):
    """What Click prints around our own texts: the usage line, the headings, what is required, a range, a default."""
    build = run(small_ws.root, "build", "--help").stdout.splitlines()
    assert build[0] == "Cách dùng: kehoach build [TÙY CHỌN]"
    assert "Tùy chọn:" in build and "  --help              Hiện hướng dẫn này rồi thoát." in build
    assert "  -y, --year <số>     Năm của kế hoạch, ví dụ 2025." in build
    jobs = build.index(next(line for line in build if line.startswith("  -j, --jobs <số>")))
    assert " ".join(line.strip() for line in build[jobs:jobs + 2]).endswith("[từ 1 trở lên]")
    collect = run(small_ws.root, "collect", "--help").stdout.splitlines()
    assert collect[0] == "Cách dùng: kehoach collect [TÙY CHỌN] TỆP..."
    assert "Tham số:" in collect and "  -a, --agency <chữ>  Mã cơ quan, ví dụ STP.  [bắt buộc]" in collect
    assert "  --format <chữ>  text hoặc json.  [mặc định: text]" in run(small_ws.root, "lint", "--help").stdout
    top = run(small_ws.root, "--help").stdout.splitlines()
    assert top[0] == "Cách dùng: kehoach [TÙY CHỌN] LỆNH [THAM_SỐ]..."
    listed = [line.split()[0] for line in top[top.index("Lệnh:") + 1:] if line.startswith("  ")]
    assert listed == ["new", "build", "assign", "trackers", "send", "remind", "collect", "report", "status", "pdf",
                      "check", "watch", "lint", "init", "import"]  # the order of the work, not A to Z


def test_no_arguments_prints_help(small_ws):
    result = run(small_ws.root)
    assert result.returncode == 0
    assert "Lệnh:" in result.stdout and "new" in result.stdout


def test_an_unexpected_error_keeps_its_traceback_without_local_values(small_ws):
    """A bug (not bad input) ends with Python's traceback, for the report to the developers, and exit status 1;
    the values of local variables (plan data) are not printed."""
    import subprocess
    import sys

    code = ("import sys\n"
            "from kehoach_gen.build import pipeline\n"
            "def broken(*args, **kwargs):\n"
            "    secret = 'Nội dung kế hoạch ' + 'BÍ_MẬT'\n"
            "    raise RuntimeError('lỗi lập trình')\n"
            "pipeline.status = broken\n"
            "sys.argv = ['kehoach', 'status', '--agency', 'STP', '--year', '2025']\n"
            "from kehoach_gen.cli.app import main\n"
            "main()\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=small_ws.root, capture_output=True, text=True,
                            encoding="utf-8", check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("Traceback (most recent call last):")
    assert result.stderr.rstrip().endswith("RuntimeError: lỗi lập trình")
    assert "BÍ_MẬT" not in result.stderr  # (code from -c shows no source lines: only printed locals would show it)


def test_ctrl_c_during_a_batch_says_what_was_kept_and_exits_130(tmp_path):
    """Ctrl-C while `build --all` writes: Click turns it into an Abort; the command says that what was written is
    kept and recorded, with the status a shell gives an interrupted command, and no traceback."""
    import os
    import signal
    import subprocess

    from conftest import KEHOACH, copy_workspace

    ws = copy_workspace(tmp_path)
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"]}
    proc = subprocess.Popen([KEHOACH, "build", "--all", "--jobs", "1"], cwd=ws, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8")
    first = proc.stdout.readline()  # the first plan is written: the batch is under way
    assert first.startswith("Đã tạo "), first
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, (out, err)
    assert err.strip().splitlines()[-1] == ("Đã dừng (Ctrl-C). Những tệp đã xuất xong được giữ và ghi sổ; chạy lại "
                                             "lệnh để làm tiếp.")
    assert "Traceback" not in err
