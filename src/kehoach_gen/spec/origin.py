"""Where each part of a merged plan came from: the file (or the command line) and the place in it.

Later stages name the file, line and field of a problem in the merged plan through :class:`Origin`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem
from .loading import Loaded, Path_
from .models import PART_FIELDS
from .parsing import label


@dataclass(frozen=True)
class Source:
    """A loaded file (or the command line) and how messages name it."""

    shown: str
    loaded: Loaded


@dataclass
class Origin:
    """Where each part of the merged plan came from: plan path prefix -> (source, source path).

    A task's keys are mounted together (``tasks``: (group's place, task's place) -> :class:`TaskMounts`),
    worked out only when a path inside the task is looked up: a plan of 10,000 tasks has 100,000 of them."""

    mounts: dict[Path_, tuple[Source, Path_]] = field(default_factory=dict)
    tasks: dict[tuple[int, int], TaskMounts] = field(default_factory=dict)

    def mount(self, path: Path_, source: Source, source_path: Path_) -> None:
        self.mounts[path] = (source, source_path)

    def locate(self, path: Path_) -> tuple[str | None, int | None, str | None]:
        """(file, line, field label) for a path of the merged plan."""
        source, full = self._source(path)
        if source is None:
            return None, None, None
        return source.shown, source.loaded.line_of(full), label(source.loaded.data, full) or None

    def file_of(self, path: Path_) -> str | None:
        """The file of a path of the merged plan (without its line, which maps the file's lines)."""
        source = self._source(path)[0]
        return source.shown if source is not None else None

    def _source(self, path: Path_) -> tuple[Source | None, Path_]:
        hit, rest = self._task_mount(path)
        if hit is None:
            for cut in range(len(path), -1, -1):
                if hit := self.mounts.get(path[:cut]):
                    rest = path[cut:]
                    break
        return (hit[0], hit[1] + rest) if hit else (None, ())

    def _task_mount(self, path: Path_) -> tuple[tuple[Source, Path_] | None, Path_]:
        """The mount of the longest prefix of ``path`` inside a task's mounts, with the rest of the path."""
        if len(path) < 4 or path[0] != "groups" or path[2] != "tasks" or (task := self.tasks.get((path[1], path[3]))) is None:
            return None, ()
        mounts, sub = task.mounts(), path[4:]
        for cut in range(len(sub), -1, -1):
            if (hit := mounts.get(sub[:cut])) is not None:
                return hit, sub[cut:]
        return None, ()

    def problem(self, path: Path_, message: str, **detail: Any) -> Problem:
        file, line, name = self.locate(path)
        return Problem(message, file=file, line=line, field=name, **detail)


@dataclass(frozen=True, slots=True)
class TaskMounts:
    """Where one merged task's keys came from, as :func:`_task` merged them: the spec entry at ``path``
    (``("tasks", i)``) over the master task at ``home`` (``(group, task)`` places), if any."""

    spec: Source
    path: Path_
    master: Source | None
    home: tuple[int, int] | None
    master_keys: tuple[str, ...]
    overlay_keys: tuple[str, ...]

    def mounts(self) -> dict[Path_, tuple[Source, Path_]]:
        """Task sub path -> (source, source path)."""
        mounts: dict[Path_, tuple[Source, Path_]] = {(): (self.spec, self.path)}
        if self.master is not None and self.home is not None:
            for key in self.master_keys:
                mounts[(key,)] = (self.master, ("groups", self.home[0], "tasks", self.home[1], key))
        for key in self.overlay_keys:
            mounts[(key,)] = (self.spec, (*self.path, key))
        if "parts" not in self.master_keys and "parts" not in self.overlay_keys:
            for key in PART_FIELDS:
                if key in self.master_keys or key in self.overlay_keys:
                    mounts[("parts", 0, key)] = mounts[(key,)]
        return mounts
