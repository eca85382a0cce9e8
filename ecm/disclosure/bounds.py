"""Bounds from non-negativity: how narrowly the shown figures confine a withheld small count.

The audit (:mod:`ecm.disclosure.audit`) finds withheld counts the shown sums determine
exactly. A count the sums do not determine can still be confined: with ``a + b = 1`` neither
``a`` nor ``b`` is pinned, but counts are never negative, so each is 0 or 1. This is interval
disclosure, which tau-ARGUS's audit reports by solving, for every sensitive cell, the two
linear programs "least and greatest value it can take under the shown table" (Hundepool et al.,
*Statistical Disclosure Control*, Wiley 2012, section 4.2 on protection intervals; GSS,
*Disclosure Control Guidance for Tables Produced from Administrative Sources*, 2014, on
disclosure by differencing). Here the constraints are the audit's equations (the sums that hold
exactly on the stored figures, known terms moved to the right), every unknown at least 0, and,
for a proportion, its numerator at most its denominator (both unknown, or the denominator
known). Each range is computed with :func:`scipy.optimize.linprog` (HiGHS), once for the least
and once for the greatest value.

**Which counts, and what is narrow.** The rules withhold a count of 1 to ``min_count - 1``
(1 to 5 by default); the secondary suppressions around it exist to protect it, not themselves.
So the sensitive quantities are the withheld counts (numerators or denominators) whose value is
1 to ``min_count - 1`` and that are not already pinned. The marker ``c`` on its own tells a
reader a figure may be one of those ``min_count - 1`` small values; the shown figures must not
tell them more. A sensitive count is *disclosed by bounds* when the whole numbers it can take
are fewer than that: ``floor(high) - ceil(low) + 1 < min_count - 1`` (fewer than 5 whole values
by default). A range of 1 to 5 therefore protects (it is exactly what the threshold hides);
``[0, 1]`` (the ``a + b = 1`` case: the count is 0 or 1) and ``[2, 5]`` do not. Zero is not
sensitive: the rules show zeros, so learning that a withheld group has none reveals nothing the
rules treat as disclosive, and a count whose least value is 0 is not flagged for that alone.

**Continuous, not integer.** The linear programs relax the counts to real numbers. The
integer counts lie inside the relaxation, so the whole numbers between ``ceil(low)`` and
``floor(high)`` contain every value the count can really take: the range is never too narrow,
and a count reported here is truly confined (unless the solver fails on a part: the values
seen so far then stand, and the count is reported rather than missed). It can be too wide
(integer reasoning can narrow a range further, chiefly through the similar-school equations,
whose coefficients are not whole numbers), so the audit may miss an interval disclosure; it
does not invent one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linprog
from scipy.sparse.csgraph import connected_components

#: Slack when turning the relaxation's bounds into whole numbers (solver tolerance).
INTEGER_SLACK = 1e-6
BOUND_COLUMNS = [
    "indicator_code", "period", "level", "area_code", "group_code", "quantity", "value", "low",
    "high",
]  # fmt: skip


def no_bounds() -> pd.DataFrame:
    """An empty table of bounded counts."""
    return pd.DataFrame(columns=BOUND_COLUMNS)


def parts(system: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """The connected parts of a system of rows over columns: each row's part and each
    column's part (columns that share no row lie in different parts)."""
    rows = system.shape[0]
    graph = sparse.bmat([[None, system], [system.T, None]])
    _, label = connected_components(graph, directed=False)
    return label[:rows], label[rows:]


def positions(cells: pd.DataFrame) -> dict[tuple[str, str, str], int]:
    """Each quantity's row in ``cells`` by (place, group, quantity)."""
    return {
        (p, g, q): i
        for i, (p, g, q) in enumerate(
            zip(cells["place"], cells["group_code"], cells["quantity"], strict=True)
        )
    }


def sensitive(cells: pd.DataFrame, min_count: int) -> np.ndarray:
    """Per quantity: a withheld count of 1 to ``min_count - 1``, the counts the rules protect."""
    truth = cells["truth"].to_numpy(float)
    return cells["unknown"].to_numpy(bool) & (truth >= 1) & (truth <= min_count - 1)


def disclosed_by_range(low: np.ndarray, high: np.ndarray, min_count: int) -> np.ndarray:
    """Whether a count's range holds fewer whole values than the ``min_count - 1`` small counts
    the threshold hides (an unbounded range holds enough)."""
    whole = np.floor(high + INTEGER_SLACK) - np.ceil(low - INTEGER_SLACK) + 1
    return whole < min_count - 1


def bounded(
    cells: pd.DataFrame,
    equations: list[tuple[np.ndarray, np.ndarray]],
    pinned: np.ndarray,
    spaces: list[tuple[np.ndarray, np.ndarray]],
    proportion: bool,
    min_count: int,
) -> tuple[pd.DataFrame, int]:
    """The sensitive counts (:func:`sensitive`, not pinned) that the equations and
    non-negativity confine to fewer whole values than the threshold hides, with their least and
    greatest values (``low``, ``high``); and how many sensitive counts were examined.

    ``equations`` are the audit's (indices into ``cells`` and weights; they hold on the
    stored figures); with ``proportion``, each figure's numerator is at most its denominator.
    Only the connected parts of the system that hold a sensitive count and at least one
    equation are solved: a count in no equation is confined by nothing shown. ``spaces`` are
    the null spaces of those parts (:func:`ecm.disclosure.audit._pinned`): moving from the
    stored figures along one of their directions until a constraint stops it gives a range
    the count can surely take; where that range already holds enough whole values, no linear
    program is needed. The same holds for the values seen in earlier solutions (the feasible
    set is convex): together the two spare about half the programs on the demo."""
    unknown = cells["unknown"].to_numpy(bool)
    targets = sensitive(cells, min_count) & ~pinned
    if not equations or not targets.any():
        return no_bounds(), 0
    truth = np.nan_to_num(cells["truth"].to_numpy(float))
    columns = np.flatnonzero(unknown)
    column_of = np.full(len(cells), -1)
    column_of[columns] = np.arange(len(columns))
    n = len(columns)
    # Equalities: sum over unknowns = - sum over known terms.
    data, row_ids, col_ids, rhs = [], [], [], []
    for r, (index, weight) in enumerate(equations):
        keep = unknown[index]
        data += weight[keep].tolist()
        row_ids += [r] * int(keep.sum())
        col_ids += column_of[index[keep]].tolist()
        rhs.append(-float(weight[~keep] @ truth[index[~keep]]))
    equal = sparse.csr_matrix((data, (row_ids, col_ids)), shape=(len(equations), n))
    rhs = np.asarray(rhs)
    lower = np.zeros(n)
    upper = np.full(n, np.inf)
    pairs = _numerator_limits(cells, column_of, truth, lower, upper) if proportion else []
    pair_cols = np.array(pairs, dtype=int).reshape(-1, 2)
    pair_rows = sparse.csr_matrix(
        ([1.0, -1.0] * len(pairs), (np.repeat(np.arange(len(pairs)), 2), pair_cols.ravel())),
        shape=(len(pairs), n),
    )
    start = truth[columns]
    ruled_out = _wide_along_null_space(
        start, spaces, column_of, targets, lower, upper, pair_cols, min_count
    )
    targets = targets & ~ruled_out
    row_part, column_part = parts(sparse.vstack([equal, pair_rows]).tocsr())
    equal_part = row_part[: len(equations)]
    pair_part = row_part[len(equations) :]
    examined = int(ruled_out.sum())
    found = []
    for part in np.unique(column_part[column_of[np.flatnonzero(targets)]]):
        eq_rows = np.flatnonzero(equal_part == part)
        if not len(eq_rows):
            continue
        cols = np.flatnonzero(column_part == part)
        local = np.full(n, -1)
        local[cols] = np.arange(len(cols))
        a_eq = equal[eq_rows][:, cols]
        in_pairs = np.flatnonzero(pair_part == part)
        a_ub = pair_rows[in_pairs][:, cols] if len(in_pairs) else None
        b_ub = np.zeros(len(in_pairs)) if len(in_pairs) else None
        box = np.column_stack([lower[cols], upper[cols]])
        # Every solution is a point the counts can take, and the feasible set is convex: a
        # count whose values seen so far already span enough whole numbers needs no program.
        seen_low = start[cols].copy()
        seen_high = start[cols].copy()
        for column in cols[targets[columns[cols]]]:
            examined += 1
            at = local[column]
            ends = [seen_low[at], seen_high[at]]
            for end, sign in enumerate((1.0, -1.0)):
                if not disclosed_by_range(ends[0], ends[1], min_count):
                    break
                objective = np.zeros(len(cols))
                objective[at] = sign
                solved = linprog(objective, a_ub, b_ub, a_eq, rhs[eq_rows], box, method="highs")
                if solved.status == 0:
                    ends[end] = sign * solved.fun
                    seen_low = np.minimum(seen_low, solved.x)
                    seen_high = np.maximum(seen_high, solved.x)
                elif solved.status == 3:  # unbounded, only upwards: counts are never negative
                    ends[end] = np.inf
                # Else the solver gave up: the value seen stays, a range no wider than the
                # truth's, so a count is reported rather than missed.
            else:
                found.append((columns[column], ends[0], ends[1]))
    if not found:
        return no_bounds(), examined
    index, low, high = (np.array(values) for values in zip(*found, strict=True))
    narrow = disclosed_by_range(low, high, min_count)
    rows = cells.iloc[index[narrow]].rename(columns={"truth": "value"})
    rows = rows.assign(low=low[narrow], high=high[narrow])
    return rows[BOUND_COLUMNS].reset_index(drop=True), examined


def _wide_along_null_space(
    start: np.ndarray,
    spaces: list[tuple[np.ndarray, np.ndarray]],
    column_of: np.ndarray,
    targets: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    pairs: np.ndarray,
    min_count: int,
) -> np.ndarray:
    """Per quantity: a target that can surely take enough whole values. From the stored
    figures (``start``, over the unknown columns) it moves along the projection of its own
    unit vector on its part's null space, as far as every bound and pair allows each way."""
    wide = np.zeros(len(targets), bool)
    for quantities, basis in spaces:
        chosen = np.flatnonzero(targets[quantities])
        if not basis.size or not len(chosen):
            continue
        cols = column_of[quantities]
        for k in chosen:
            direction = np.zeros(len(start))
            direction[cols] = basis @ basis[k]
            direction[np.abs(direction) < 1e-12] = 0.0
            step = _steps(start, direction, lower, upper, pairs)
            ends = start[cols[k]] + np.array(step) * direction[cols[k]]
            low, high = ends.min(), ends.max()
            wide[quantities[k]] = not disclosed_by_range(
                np.array([low]), np.array([high]), min_count
            )[0]
    return wide


def _steps(
    start: np.ndarray,
    direction: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    pairs: np.ndarray,
) -> tuple[float, float]:
    """How far ``start + s * direction`` may go each way (least and greatest ``s``) and keep
    within ``lower``, ``upper`` and numerator <= denominator for each of ``pairs``."""
    # Each constraint as slack + s * rate >= 0.
    slack = np.concatenate([start - lower, upper - start, start[pairs[:, 1]] - start[pairs[:, 0]]])
    rate = np.concatenate([direction, -direction, direction[pairs[:, 1]] - direction[pairs[:, 0]]])
    slack = np.maximum(slack, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        limit = -slack / rate
    most = limit[rate < 0].min(initial=np.inf)
    least = limit[rate > 0].max(initial=-np.inf)
    return float(least), float(most)


def _numerator_limits(
    cells: pd.DataFrame,
    column_of: np.ndarray,
    truth: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
) -> list[tuple[int, int]]:
    """A proportion's numerator is at most its denominator: as a bound where one of the two
    is known (``lower``, ``upper`` filled in place), else as a pair (numerator, denominator)
    of unknown columns for ``numerator - denominator <= 0``."""
    at = positions(cells)
    pairs = []
    for (place, group, quantity), i in at.items():
        if quantity != "numerator" or (place, group, "denominator") not in at:
            continue
        j = at[(place, group, "denominator")]
        if column_of[i] >= 0 and column_of[j] >= 0:
            pairs.append((column_of[i], column_of[j]))
        elif column_of[i] >= 0:
            upper[column_of[i]] = truth[j]
        elif column_of[j] >= 0:
            lower[column_of[j]] = truth[i]
    return pairs
