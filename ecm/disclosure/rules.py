"""Disclosure control: no figure on screen or in an export reveals a small number of pupils
that is not public already.

Applied below the pages (:mod:`ecm.disclosure.decisions`, read through :mod:`ecm.figures`) to
every frame of figures before anything else sees it.

Primary suppression: a figure is withheld when it rests on too few pupils: a count of 1 to 5
(``min_count`` = 6), or a percentage or rate whose numerator is 1 to 5 or whose denominator is
1 to 5 (``min_denominator`` = 6). Zero is not a small number and is shown, a group of zero
pupils too.

Secondary suppression, so that no sum has exactly one withheld term (else the shown terms
would give it back by subtraction):

- *complements*: where a group and its complement make up all pupils (disadvantaged and other
  pupils, SEN and no SEN, FSM and not FSM, boys and girls), withholding one withholds the other,
  since all pupils minus the one shown would give it back; and where the all-pupil figure is
  withheld, every pair of groups that adds up to it is withheld too. A group with no row has no
  pupils: its complement then equals all pupils, and the two protect each other. A group with a
  row of no pupils (boys at a girls' school) is the same: it is not small (zero is shown), it is
  never withheld to protect another (that it is empty is public from the register, so hiding
  its zero would protect nothing), and where its complement is withheld the all-pupil figure is
  withheld with it. Where boys and girls add up to fewer than all pupils (a pupil whose sex is
  not recorded is in neither) the sum is not an equation and gives nothing back;
- *siblings*: where an area's figure is the sum of its parts (schools in an LA, LAs in a region),
  a part withheld alone among shown parts is joined by the smallest other part, since the total
  minus the shown parts would give it back; and further parts join, smallest first, while the
  withheld parts' pupils or denominators add up to a small number, since counts are never
  negative and a small sum confines each of its terms (GSS guidance on disclosure by
  differencing: the cells withheld together must not themselves make a small total). Where
  the total itself is withheld (and in the frame) while every part is shown, the smallest part
  is withheld with it.

Published markers (``SUPP``, ``c``, ``x``, ...) arrive as markers and stay; the figures behind
them are missing already. Our own withheld figures get the marker ``c``.

Figures from a file its publisher released openly (a ``published`` column, from the import)
are shown as published: neither rule withholds them, since they are public already. A figure
the publisher withheld still seeds the secondary rules, so nothing not published openly gives
it back (METHODOLOGY.md, "Disclosure control").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ecm.config import DEFAULT_SUPPRESS_BELOW, suppress_below
from ecm.stats.gaps import FIGURE_PARTS

SUPPRESSED_MARKER = "c"
#: Published markers and what they mean, for screens and exports.
MARKER_MEANINGS = {
    "c": "withheld to protect confidentiality (fewer than the minimum number of pupils)",
    "SUPP": "suppressed by the publisher: small cohort",
    "x": "not available",
    "z": "not applicable",
    "u": "low reliability",
    "k": "not published (DfE open data: too few pupils for a reliable figure)",
    "low": "rounds to zero",
    "NE": "no entries",
    "NA": "not applicable",
    "NP": "not published",
    "LOWCOV": "low coverage",
    "NEW": "new school",
    "NR": "not reported",
    "SP": "small percentage",
    "DNS": "did not sit",
    "..": "not available",
    ":": "not available",
    "-": "not available",
}
#: Groups that add up to all pupils, in complementary pairs.
COMPLEMENTS = (
    ("disadvantaged", "not_disadvantaged"),
    ("fsm", "not_fsm"),
    ("sen", "no_sen"),
    ("boys", "girls"),
    ("lowest_20pc", "other_80pc"),
)
#: What a withheld figure loses: every part a figure is read from, and its pupils.
FIGURE_COLUMNS = (*FIGURE_PARTS, "pupils")
#: Publishers' markers that mean "withheld for confidentiality" (not "not applicable").
PUBLISHER_SUPPRESSION = {"SUPP", "c", "SP"}
#: Why a figure is withheld (``withheld_reason``): the rule that withheld it first.
WITHHELD_REASONS = {
    "publisher": "withheld by the publisher",
    "small": "rests on too few pupils",
    "complement": "would give back a withheld group (groups add up to all pupils)",
    "sibling": "would give back a withheld place (places add up to their area)",
}


@dataclass(frozen=True)
class DisclosureRules:
    """Thresholds of primary suppression; ``ECM_SUPPRESS_BELOW`` sets both (default 6)."""

    min_count: int = DEFAULT_SUPPRESS_BELOW
    min_denominator: int = DEFAULT_SUPPRESS_BELOW

    @classmethod
    def from_environment(cls) -> DisclosureRules:
        """Rules from ``ECM_SUPPRESS_BELOW`` (:func:`ecm.config.suppress_below`)."""
        threshold = suppress_below()
        return cls(min_count=threshold, min_denominator=threshold)


def primary_mask(frame: pd.DataFrame, statistic: pd.Series, rules: DisclosureRules) -> np.ndarray:
    """Rows resting on too few pupils (``statistic`` is each row's statistic kind)."""
    value = pd.to_numeric(frame["value"], errors="coerce")
    numerator = pd.to_numeric(frame["numerator"], errors="coerce")
    denominator = pd.to_numeric(frame["denominator"], errors="coerce")
    if "pupils" in frame:
        # Where the denominator counts sessions, the pupils behind it decide.
        denominator = pd.to_numeric(frame["pupils"], errors="coerce").fillna(denominator)
    small_count = (value >= 1) & (value < rules.min_count) & (statistic == "count")
    small_numerator = (numerator >= 1) & (numerator < rules.min_count)
    # A group of no pupils is not a small group: zero is shown, like a count of zero.
    small_denominator = (denominator >= 1) & (denominator < rules.min_denominator)
    counted = statistic.isin(["proportion", "rate", "mean"])
    return (small_count | (counted & (small_numerator | small_denominator))).to_numpy()


def no_pupils(frame: pd.DataFrame) -> pd.Series:
    """Per row: whether the group has no pupils (its pupils, else its denominator, is 0: boys
    at a girls' school). Such a figure protects no one and is never withheld to protect
    another: that the group is empty is public (the register says which schools take only
    girls), so hiding its zero would hide nothing from anyone."""
    size = pd.to_numeric(frame["denominator"], errors="coerce")
    if "pupils" in frame:
        size = pd.to_numeric(frame["pupils"], errors="coerce").fillna(size)
    return size.eq(0)


def apply_disclosure_control(
    frame: pd.DataFrame,
    statistic_of: pd.Series | dict[str, str],
    rules: DisclosureRules | None = None,
    parent_of: pd.Series | None = None,
    reasons: bool = False,
) -> pd.DataFrame:
    """Withhold small figures and whatever would give them back; returns a new frame.

    ``frame`` has ``indicator_code, level, area_code, group_code, period`` and the figure
    columns; ``statistic_of`` maps indicator code to statistic kind; ``parent_of`` maps an
    area code to the area its figures add up into (school -> LA, LA -> region) for the sibling
    rule. The result has a boolean ``suppressed`` column, the ``marker`` ``c`` on withheld rows
    (published markers kept) and every figure column emptied there; with ``reasons``, also
    ``withheld_reason`` (a key of :data:`WITHHELD_REASONS`, None where shown).
    """
    rules = rules or DisclosureRules.from_environment()
    out = with_figure_columns(frame)
    statistic = out["indicator_code"].map(statistic_of).fillna("proportion")
    # A figure its publisher released openly is public already: withholding it again would
    # hide it from the people it was published for and protect no one. Only figures not
    # published openly are withheld by the threshold or to protect another figure.
    ours = ~_published(out)
    primary = pd.Series(primary_mask(out, statistic, rules), index=out.index) & ours
    # A figure the publisher withheld must be protected from subtraction just like ours.
    published_hidden = out["marker"].isin(PUBLISHER_SUPPRESSION) & out["value"].isna()
    reason = pd.Series(None, index=out.index, dtype=object)
    reason[primary] = "small"
    reason[published_hidden] = "publisher"
    seeds = primary | published_hidden
    # Never chosen to protect another: a published figure (shown as published) and a group of
    # no pupils (its zero is public, so withholding it would protect nothing). Where such a
    # figure is the complement of a withheld group, the all-pupil figure is withheld instead.
    fixed = ~ours | no_pupils(out)
    # The pupils a figure counts: its numerator, or for a count the value itself.
    counts = out["numerator"].where(
        out["numerator"].notna(), out["value"].where(statistic == "count")
    )
    while True:  # each pass can only add, so this ends
        before = int(seeds.sum())
        added = (_complement_mask(out, seeds, fixed) | _group_mask(out, seeds)) & ~seeds & ~fixed
        reason[added] = "complement"
        seeds = seeds | added
        if parent_of is not None:
            added = _sibling_mask(out, seeds, parent_of, fixed, counts, rules)
            added &= ~seeds & ~fixed
            reason[added] = "sibling"
            seeds = seeds | added
        if int(seeds.sum()) == before:
            break
    # The publisher's own withheld rows count as suppressed too. Whether a row was published
    # is an input to the decision, not a figure: the result reads like stored decisions.
    out = out.drop(columns="published", errors="ignore")
    return redact(out, seeds.to_numpy(), reason if reasons else None)


def _published(frame: pd.DataFrame) -> pd.Series:
    """Per row: whether the figure comes from a file its publisher released openly (the
    ``published`` column, from the figure's import; False where the frame has none)."""
    if "published" not in frame:
        return pd.Series(False, index=frame.index)
    return frame["published"].astype("boolean").fillna(False).astype(bool)


def with_figure_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with a ``marker`` column and every figure column, as floats."""
    out = frame.copy()
    if "marker" not in out:
        out["marker"] = None
    for column in FIGURE_COLUMNS:
        if column not in out:
            out[column] = np.nan
        out[column] = pd.to_numeric(out[column], errors="coerce").astype(float)
    return out


def redact(
    frame: pd.DataFrame,
    withheld: np.ndarray | pd.Series,
    reason: pd.Series | None = None,
) -> pd.DataFrame:
    """Blank the withheld rows of ``frame``; returns a new frame.

    The one place a decision to withhold becomes what people see, whether it was taken just
    now (:func:`apply_disclosure_control`) or stored with the figures
    (:func:`ecm.disclosure.decisions.apply_stored`), so both read the same. ``withheld`` is a
    boolean per row, in the frame's order. The result has a boolean ``suppressed`` column,
    every figure column emptied on withheld rows, the marker ``c`` there unless a publisher's
    marker is kept, and, where ``reason`` (a key of :data:`WITHHELD_REASONS` per row) is given,
    a ``withheld_reason`` column (None where shown).
    """
    out = with_figure_columns(frame)
    hidden = np.asarray(withheld, dtype=bool)
    out["suppressed"] = hidden
    out.loc[hidden, list(FIGURE_COLUMNS)] = np.nan
    if "published_vs_england" in out:
        out.loc[hidden, "published_vs_england"] = None  # nothing of a withheld figure stays
    has_marker = (out["marker"].notna() & (out["marker"].astype(str) != "")).to_numpy()
    out.loc[hidden & ~has_marker, "marker"] = SUPPRESSED_MARKER
    if reason is not None:
        why = pd.Series(np.asarray(reason, dtype=object), index=out.index, dtype=object)
        out["withheld_reason"] = why.where(hidden, None)
    return out


def _complement_mask(frame: pd.DataFrame, hidden: pd.Series, fixed: pd.Series) -> pd.Series:
    """Rows whose complementary group (same indicator, area, period) is withheld; where that
    complement is ``fixed`` (published, or a group of no pupils: shown, never withheld), the
    all-pupil row instead, since all pupils minus the shown group would give the withheld one
    back."""
    keys = ["indicator_code", "level", "area_code", "period"]
    partner = {}
    for a, b in COMPLEMENTS:
        partner[a], partner[b] = b, a
    withheld = frame.loc[hidden, [*keys, "group_code"]].copy()
    withheld["group_code"] = withheld["group_code"].map(partner)
    withheld = withheld.dropna(subset=["group_code"]).drop_duplicates()
    if withheld.empty:
        return pd.Series(False, index=frame.index)
    withheld["_hit"] = True
    merged = frame[[*keys, "group_code"]].merge(withheld, on=[*keys, "group_code"], how="left")
    hit = pd.Series(merged["_hit"].fillna(False).astype(bool).to_numpy(), index=frame.index)
    # Where the complement has no row it has no pupils (a school with no SEN pupils, a boys'
    # school): the withheld group then equals all pupils, and the all-pupil row would give it
    # back just as a shown complement would.
    held = frame[[*keys, "group_code"]].drop_duplicates().assign(_held=True)
    missing = withheld.drop(columns="_hit").merge(held, on=[*keys, "group_code"], how="left")
    missing = missing.loc[missing["_held"].isna(), keys]
    published_partner = frame.loc[hit & fixed & ~hidden, keys]
    stand_ins = pd.concat([published_partner, missing]).drop_duplicates()
    if stand_ins.empty:
        return hit
    totals = frame[keys].merge(stand_ins.assign(_all=True), on=keys, how="left")["_all"]
    at_total = totals.fillna(False).astype(bool).to_numpy() & (frame["group_code"] == "all")
    return hit | pd.Series(at_total.to_numpy(), index=frame.index)


def _group_mask(frame: pd.DataFrame, hidden: pd.Series) -> pd.Series:
    """Rows of a complementary pair whose all-pupil figure (same indicator, area, period) is
    withheld while both of the pair are shown: all pupils = the group + its complement."""
    keys = ["indicator_code", "level", "area_code", "period"]
    totals = frame.loc[hidden & (frame["group_code"] == "all"), keys].drop_duplicates()
    if totals.empty:
        return pd.Series(False, index=frame.index)
    pair_of = {g: k for k, pair in enumerate(COMPLEMENTS) for g in pair}
    pairs = frame["group_code"].map(pair_of)
    under = frame[keys].merge(totals.assign(_hit=True), on=keys, how="left")["_hit"]
    candidates = pairs.notna() & under.fillna(False).astype(bool).to_numpy()
    if not candidates.any():
        return pd.Series(False, index=frame.index)
    rows = frame.loc[candidates, keys].assign(_pair=pairs[candidates], _shown=~hidden[candidates])
    # Every shown group of a pair under a withheld total is withheld: where both groups are
    # present they add up to it; where one has no row, that group has no pupils and the other
    # equals all pupils on its own. (The pair rule already withholds both of a present pair
    # when one of them is withheld.)
    mask = pd.Series(False, index=frame.index)
    mask[rows.index[rows["_shown"].to_numpy()]] = True
    return mask


def _sibling_mask(
    frame: pd.DataFrame,
    hidden: pd.Series,
    parent_of: pd.Series,
    fixed: pd.Series,
    counts: pd.Series,
    rules: DisclosureRules,
) -> pd.Series:
    """Add the smallest shown sibling wherever the withheld parts of a total are exposed.

    The total minus the shown parts gives the withheld parts' sum. That sum is safe only when
    it has at least two terms and is not itself small: where the withheld parts' pupils
    (``counts``: numerators, or the count itself) or their denominators add up to a small
    number (below ``rules.min_count`` or ``rules.min_denominator``), each of them is confined
    to that many values by the rule that counts are never negative (0 of 3 and 1 of 9 withheld
    together: the second is 0 or 1). So the next smallest shown part joins them, one per
    pass, until the sum is no longer small.

    Where no shown sibling may be withheld (published parts, ``fixed``, are shown as
    published), the total itself is withheld (when it is in the frame), since it and the shown
    parts would give the parts back. Where the total is in the frame and withheld while every
    part is shown, the smallest part that may be withheld is withheld too, since the parts
    would add up to the total.
    """
    # The parent's total is published somewhere (its own page) even when not in this frame,
    # so the rule applies whenever the frame holds the parts.
    parents = frame["area_code"].map(parent_of)
    has_parent = parents.notna()
    mask = pd.Series(False, index=frame.index)
    if not has_parent.any():
        return mask
    columns = ["indicator_code", "group_code", "period", "denominator", "area_code"]
    parts = frame.loc[has_parent, columns].copy()
    parts["parent"] = parents[has_parent]
    parts["hidden"] = hidden[has_parent]
    parts["fixed"] = fixed[has_parent]
    parts["count"] = counts[has_parent]
    keys = ["indicator_code", "group_code", "period", "parent"]
    hidden_count = parts.groupby(keys)["hidden"].transform("sum")
    withheld = parts[["count", "denominator"]].where(parts["hidden"], axis=0)
    exposed = (hidden_count == 1) | (
        (hidden_count > 1)
        & (
            _small_sum(withheld["count"], parts, keys, rules.min_count)
            | _small_sum(withheld["denominator"], parts, keys, rules.min_denominator)
        )
    )
    candidates = parts[exposed & ~parts["hidden"] & ~parts["fixed"]]
    # The smallest shown sibling (ties: the first by code, so that the choice never depends
    # on the order rows were read in) is withheld with the exposed ones.
    order = _smallest_first(candidates)
    mask[order.groupby(keys, sort=False).head(1).index] = True
    stuck = (
        parts[exposed & parts["hidden"]]
        .set_index(keys)
        .index.unique()
        .difference(candidates.set_index(keys).index)
    )
    totals = frame[["indicator_code", "group_code", "period", "area_code"]].rename(
        columns={"area_code": "parent"}
    )
    total_keys = pd.MultiIndex.from_frame(totals[keys])
    if len(stuck):
        mask |= pd.Series(total_keys.isin(stuck), index=frame.index) & ~hidden & ~fixed
    # A withheld total present in the frame whose parts are all shown.
    withheld_totals = total_keys[hidden.to_numpy()]
    if len(withheld_totals):
        unhidden = parts[(hidden_count == 0) & ~parts["fixed"]]
        unhidden = unhidden[pd.MultiIndex.from_frame(unhidden[keys]).isin(withheld_totals)]
        if not unhidden.empty:
            order = _smallest_first(unhidden)
            mask[order.groupby(keys, sort=False).head(1).index] = True
    return mask


def _small_sum(values: pd.Series, parts: pd.DataFrame, keys: list[str], below: int) -> pd.Series:
    """Per part: whether the known ``values`` of its total's parts add up to 1 to
    ``below - 1`` (parts whose value is unknown, a publisher's withheld figure, add nothing
    that can be checked)."""
    total = values.groupby([parts[k] for k in keys]).transform("sum")
    return (total >= 1) & (total < below)


def _smallest_first(parts: pd.DataFrame) -> pd.DataFrame:
    """Parts by size (denominator; unknown last), then by area code."""
    sized = parts.assign(_size=parts["denominator"].fillna(np.inf))
    return sized.sort_values(["_size", "area_code"], kind="stable")
