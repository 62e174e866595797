"""Parsed YAML kept between commands (spec/yaml_cache.py): the same data as a parse, never trusted blindly."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import pickle
from pathlib import Path

import pytest

from conftest import copy_workspace, run_cli
from kehoach_gen.spec import loading, yaml_cache


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(os.sys, "platform", "linux")
    return tmp_path / "cache" / "kehoach" / "yaml"


def _large(path: Path) -> Path:
    """A YAML file over the cache's threshold, with every kind of value a spec holds."""
    lines = ["year: 2025", "date: 2025-01-15", "at: 2025-01-15 08:30:00+07:00", "ratio: 0.5", "ok: true",
             "none: null", "no: no", "tasks:"]
    for i in range(3000):
        lines += [f"  - id: nhom-{i // 100}.viec-{i}", f"    content: 'Rà soát, đơn giản hóa thủ tục hành chính số {i}: "
                  + "cập nhật, công khai " * 3 + "'", "    lead: [VP, PKS]", f"    due: 2025-{i % 12 + 1:02d}-15"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert path.stat().st_size >= yaml_cache.MIN_BYTES
    return path


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.pickle")) if cache.is_dir() else []


def test_a_second_read_gives_the_parse_s_data_without_parsing(tmp_path: Path, cache: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    path = _large(tmp_path / "big.yaml")
    first = loading.load_yaml(path, "big.yaml")
    assert len(_entries(cache)) == 1
    monkeypatch.setattr(loading, "_parse", lambda *_: pytest.fail("parsed again"))
    again = loading.load_yaml(path, "big.yaml")
    assert again.data == first.data
    assert type(again.data["date"]) is dt.date and again.data["at"] == first.data["at"] == dt.datetime(
        2025, 1, 15, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    assert again.data["no"] == "no" and again.data["none"] is None and again.data["ok"] is True
    assert list(again.data) == list(first.data)  # key order kept
    monkeypatch.undo()
    assert again.line_of(("tasks", 2, "lead")) == first.line_of(("tasks", 2, "lead")) == 19  # mapped from the text


def test_a_small_file_is_not_kept(tmp_path: Path, cache: Path) -> None:
    small = tmp_path / "small.yaml"
    small.write_text("year: 2025\n", encoding="utf-8")
    assert loading.load_yaml(small, "small.yaml").data == {"year": 2025}
    assert _entries(cache) == []


def test_an_edited_file_or_an_edited_loader_is_parsed_again(tmp_path: Path, cache: Path) -> None:
    path = _large(tmp_path / "big.yaml")
    loading.load_yaml(path, "big.yaml")
    path.write_text(path.read_text(encoding="utf-8").replace("year: 2025", "year: 2026"), encoding="utf-8")
    assert loading.load_yaml(path, "big.yaml").data["year"] == 2026
    assert len(_entries(cache)) == 2
    raw = path.read_bytes()
    for changed in range(len(loading._SOURCE)):  # loading.py, yaml_resolver.py
        sources = list(loading._SOURCE)
        other = tmp_path / f"{changed}-{sources[changed].name}"
        other.write_bytes(sources[changed].read_bytes() + b"\n# changed\n")
        sources[changed] = other
        assert yaml_cache.key(raw, tuple(sources)) != yaml_cache.key(raw, loading._SOURCE)
        assert yaml_cache.load(yaml_cache.key(raw, tuple(sources))) is yaml_cache.MISSING


@pytest.mark.parametrize("damage", ["flipped byte", "truncated", "foreign class", "empty"])
def test_a_damaged_or_foreign_entry_is_no_cache(tmp_path: Path, cache: Path, damage: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache file is read only when its own hash matches, and builds no class but dates; a bad one is
    removed and the file parsed (and kept) again."""
    path = _large(tmp_path / "big.yaml")
    expected = loading.load_yaml(path, "big.yaml").data
    [entry] = _entries(cache)
    blob = entry.read_bytes()
    if damage == "flipped byte":  # still a valid pickle, of other data: only the entry's own hash tells
        at = blob.index(b"nhom-0.viec-1")
        blob = blob[:at + 12] + b"9" + blob[at + 13:]
    elif damage == "truncated":
        blob = blob[:len(blob) // 2]
    elif damage == "foreign class":  # a well-formed entry whose pickle would call a function
        payload = pickle.dumps({"year": io.StringIO("x")}, protocol=5)
        blob = hashlib.sha256(payload).digest() + payload
    else:
        blob = b""
    entry.write_bytes(blob)
    parsed = []
    inner = loading._parse
    monkeypatch.setattr(loading, "_parse", lambda *a: parsed.append(1) or inner(*a))
    assert loading.load_yaml(path, "big.yaml").data == expected
    assert parsed == [1]
    assert entry.read_bytes() != blob  # kept again, whole
    assert loading.load_yaml(path, "big.yaml").data == expected and parsed == [1]


def test_a_read_only_cache_folder_changes_nothing(tmp_path: Path, cache: Path) -> None:
    """Read-only for root too: a read-only bind mount (else the folder's mode)."""
    import subprocess

    cache.parent.mkdir(parents=True)
    folder = str(cache.parent)
    mounted = os.geteuid() == 0 and all(subprocess.run(command, capture_output=True).returncode == 0 for command in (
        ["mount", "--bind", folder, folder], ["mount", "-o", "remount,ro,bind", folder]))
    if os.geteuid() == 0 and not mounted:
        subprocess.run(["umount", folder], capture_output=True)
        pytest.skip("cannot make a read-only bind mount here")
    if not mounted:
        cache.parent.chmod(0o500)
    try:
        path = _large(tmp_path / "big.yaml")
        assert loading.load_yaml(path, "big.yaml").data["year"] == 2025
        assert loading.load_yaml(path, "big.yaml").data["year"] == 2025
        assert _entries(cache) == [] and list(cache.parent.iterdir()) == []
    finally:
        if mounted:
            subprocess.run(["umount", folder], check=False)
        cache.parent.chmod(0o700)


def test_only_the_entries_used_last_are_kept(tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_cache, "KEEP", 3)
    path = _large(tmp_path / "big.yaml")
    text = path.read_text(encoding="utf-8")
    for year in range(2020, 2025):
        path.write_text(text.replace("year: 2025", f"year: {year}"), encoding="utf-8")
        loading.load_yaml(path, "big.yaml")
        for entry in _entries(cache):  # one second apart, the last read newest
            os.utime(entry, (entry.stat().st_mtime - 1, entry.stat().st_mtime - 1))
    assert len(_entries(cache)) == 3
    for year in (2022, 2023, 2024):
        path.write_text(text.replace("year: 2025", f"year: {year}"), encoding="utf-8")
        assert yaml_cache.load(yaml_cache.key(path.read_bytes(), loading._SOURCE)) is not yaml_cache.MISSING


def test_a_message_from_a_kept_master_names_the_same_line(tmp_path: Path) -> None:
    """A large master plan with a wrong field: the command after the one that kept its parse says the same,
    line included (the line map is made from the file's own text)."""
    ws = copy_workspace(tmp_path / "ws")
    master = ws / "plan_specs/soc-trang/master-2025.yaml"
    text = master.read_text(encoding="utf-8").replace("\nnumber: 8\n", "\nnumber: tám\n")
    master.write_text(text + "# " + "đệm " * 80_000 + "\n", encoding="utf-8")
    assert master.stat().st_size >= yaml_cache.MIN_BYTES
    line = text.split("\n").index("number: tám") + 1
    first = run_cli(ws, "build", "--agency", "STP", "--year", "2025")
    kept = sorted((Path(os.environ["XDG_CACHE_HOME"]) / "kehoach/yaml").glob("*.pickle"), key=os.path.getmtime)
    second = run_cli(ws, "build", "--agency", "STP", "--year", "2025")
    assert first.returncode == second.returncode == 2
    assert f"plan_specs/soc-trang/master-2025.yaml:{line}: number" in first.stderr
    assert second.stderr == first.stderr
    assert kept and kept[-1].read_bytes()[32:]  # the master's parse was kept by the first command


def test_a_folder_others_can_write_in_is_no_cache(tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _large(tmp_path / "big.yaml")
    loading.load_yaml(path, "big.yaml")
    cache.chmod(0o777)
    monkeypatch.setattr(loading, "_parse", lambda *_: pytest.fail("parsed again"))
    with pytest.raises(pytest.fail.Exception):
        loading.load_yaml(path, "big.yaml")
    cache.chmod(0o700)
    assert loading.load_yaml(path, "big.yaml").data["year"] == 2025
