"""What a plan prints without its spec saying so: the paragraphs taken from the master plan.

``kehoach check`` lists them, so that nothing in the document comes from a hidden default: a
spec that sets only ``opening.bases`` still prints the master's "Thực hiện Kế hoạch số …"
paragraph, and a spec without ``sections`` prints the master's parts.
"""

from __future__ import annotations

from .merge import Merged


def from_master(merged: Merged) -> tuple[str | None, list[tuple[str, str]]]:
    """The master's file and (field, text) of every printed paragraph whose value comes from it."""
    spec = merged.origin.file_of(("agency",))
    master: str | None = None
    out: list[tuple[str, str]] = []

    def inherited(*path: str) -> bool:  # title, opening and sections come from the master, the spec or --set
        nonlocal master
        file = merged.origin.file_of(path)
        if file is None or file == spec or not file.endswith((".yaml", ".yml")):
            return False
        master = file
        return True

    plan = merged.plan
    if inherited("title"):
        out.append(("title", " ".join(plan.title)))
    for key in ("bases", "intro"):
        if inherited("opening", key):
            out.extend((f"opening.{key}", text) for text in getattr(plan.opening, key))
    if inherited("sections"):
        out.extend(("sections", section.title) for section in plan.sections)
    return master, out
