"""The refs that name a plan's actions in its file (A1, A2, ... or the plan's own labels).

An action keeps its ref in the store, so a plan exported, edited in a spreadsheet and loaded
again updates the actions it names in place, with their progress notes and history.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_NUMBERED = re.compile(r"A(\d+)")


def next_ref(used: Iterable[str | None]) -> str:
    """The ref for a new action: ``A`` and one more than the highest ``A<number>`` in use, so
    a ref once given is never given again while its action stands."""
    numbers = [int(m.group(1)) for r in used if r and (m := _NUMBERED.fullmatch(r))]
    return f"A{max(numbers, default=0) + 1}"


def refs_in_order(stored: list[tuple[int, str | None]]) -> dict[int, str]:
    """Each action's ref, for actions given as (id, stored ref) in file order: the stored ref,
    or a new one for an action without (or with a ref another action already holds)."""
    refs: dict[int, str] = {}
    taken: set[str] = set()
    for action_id, ref in stored:
        if ref and ref not in taken:
            refs[action_id] = ref
            taken.add(ref)
    for action_id, _ in stored:
        if action_id not in refs:
            refs[action_id] = next_ref([*taken, *refs.values()])
            taken.add(refs[action_id])
    return {action_id: refs[action_id] for action_id, _ in stored}
