"""A merged plan as the trackers see it: every task part with its row key, the cells any tracker
shows of it, and the role of each unit it concerns.

A unit's role in a part is Chủ trì when the part's lead names it and Phối hợp when its coordinators
do, by unit code, by a unit group containing it, or by a named officer of the unit; a unit named in
both leads. The row key ``<task id>#<part>`` stays the same whatever the workbook is called.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .. import vnformat as vn
from ..spec.agencies import AgencyProfile
from ..spec.context import part_cells, unit_names
from ..spec.merge import Merged
from ..spec.models import PersonRef, UnitRef

LEAD, COORDINATE = "Chủ trì", "Phối hợp"


@dataclass(frozen=True)
class TrackedPart:
    """One task part with everything any tracker shows of it."""

    key: str
    group: str
    content: str | None
    results: str | None
    deadline: str | None
    due: dt.date | None
    lead: str | None
    coordinate: str | None
    roles: dict[str, str]


def tracked_parts(merged: Merged) -> list[TrackedPart]:
    """Every task part of the plan, in plan order (worked out once per merged plan: the trackers and the
    facts of the consolidated workbook both ask)."""
    if _LAST and _LAST[0] is merged:
        return list(_LAST[1])
    plan, agency = merged.plan, merged.agency
    names = unit_names(agency)
    parts = []
    for gi, group in enumerate(plan.groups, start=1):
        heading = f"{vn.roman(gi)}. {group.title}"
        for task in group.tasks:
            for pi, part in enumerate(task.parts, start=1):
                cells = part_cells(part, names)
                parts.append(TrackedPart(
                    key=f"{task.id}#{pi}", group=heading, content=_text(task.content),
                    results=_text(cells["results"]), deadline=_text(cells["deadline"]),
                    due=part.deadline.due_date(plan.year) if part.deadline else None,
                    lead=_text(cells["lead"]), coordinate=_text(cells["coordinate"]),
                    roles=_roles(part.lead, part.coordinate, agency)))
    _LAST[:] = [merged, tuple(parts)]
    return parts


_LAST: list = []  # [the merged plan last asked about, its parts]


def _roles(lead: tuple[UnitRef, ...], coordinate: tuple[UnitRef, ...], agency: AgencyProfile) -> dict[str, str]:
    """Unit code -> role (a new mapping each call); a unit both leading and coordinating a part leads it. A plan
    repeats a few (lead, coordinators) pairs over all its parts: each pair is worked out once per profile."""
    groups, order, known = _layout(agency)
    if (roles := known.get((lead, coordinate))) is None:
        found = dict.fromkeys(_members(coordinate, groups), COORDINATE)
        found.update(dict.fromkeys(_members(lead, groups), LEAD))
        roles = known[(lead, coordinate)] = {code: found[code] for code in order if code in found}
    return dict(roles)


def _layout(agency: AgencyProfile) -> tuple[dict[str, tuple[str, ...]], list[str], dict[tuple, dict[str, str]]]:
    """The agency's unit groups (code -> its units), its units' order and the roles worked out so far, kept for
    the profile last asked about."""
    if _AGENCY and _AGENCY[0] is agency:
        return _AGENCY[1]
    layout = ({g.code: g.units for g in agency.unit_groups}, [u.code for u in agency.units], {})
    _AGENCY[:] = [agency, layout]
    return layout


_AGENCY: list = []  # [the profile last asked about, its layout]


def _members(refs: tuple[UnitRef, ...], groups: dict[str, tuple[str, ...]]) -> set[str]:
    found: set[str] = set()
    for ref in refs:
        if isinstance(ref, PersonRef):
            found.update([ref.unit] if ref.unit else [])
        else:
            found.update(groups.get(ref, (ref,)))
    return found


def _text(lines: tuple[str, ...] | list[str]) -> str | None:
    return "\n".join(lines) or None

