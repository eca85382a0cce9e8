"""What goes into a place's meeting pack, read once for every format (:mod:`ecm.packs`).

The pack reads the store exactly as the page does: disclosure control below it, and the
figures of the viewer the code runs for (:func:`ecm.access.scope.current_remit`), which the
cover names. Tables here are the profile's own (:mod:`ecm.views.profile_tables`), so the pack's
figures, intervals and gaps are the page's, and each format only lays them out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from ecm import units
from ecm.access.scope import current_remit
from ecm.catalogue import group_title, load_catalogue
from ecm.disclosure.rules import DisclosureRules
from ecm.figures import many_places
from ecm.periods import period_aliases
from ecm.places.overview import spine_rows
from ecm.places.profile import profile_and_peers
from ecm.plan.coverage import PlanCoverage
from ecm.plan.loaders import la_plan_coverage
from ecm.stats.benchmarks import QUARTER_WORDS
from ecm.views.profile_tables import profile_tables

LEVEL_WORDS = {"school": "School", "la": "Local authority", "region": "Region"}
#: The five outcomes in the framework's order, as the profile names them.
OUTCOMES = (
    "Be healthy",
    "Stay safe",
    "Enjoy and achieve",
    "Make a positive contribution",
    "Achieve economic well-being",
)


class EmptyPack(ValueError):
    """A place with no figures in the period: no pack is made (never an empty file)."""


@dataclass(frozen=True)
class PackContent:
    """Everything a pack shows, for one place and year, read for one viewer on one day."""

    level: str
    code: str
    name: str
    period: str
    today: dt.date
    fictional: bool
    about: pd.DataFrame  # Item, Detail: the cover's lines
    figures: pd.DataFrame  # the profile's figures table (one row per indicator and group)
    gaps: pd.DataFrame  # the profile's gaps table
    spine: pd.DataFrame  # the spine chart's rows (all-pupil figures on their peers' spread)
    interest: tuple[str, ...]  # the "areas of interest" sentences, most serious first
    definitions: pd.DataFrame  # the catalogue's definition of each indicator shown
    coverage: PlanCoverage | None  # an LA's plan coverage of its gaps; None otherwise

    def spine_of(self, outcome: str) -> pd.DataFrame:
        """The spine chart's rows of one outcome (without the outcome column)."""
        return self.spine[self.spine["outcome"] == outcome].drop(columns="outcome")

    @property
    def title(self) -> str:
        """The pack's title: "Meeting pack: Osierholt, 2009/10"."""
        return f"Meeting pack: {self.name}, {self.period}"

    @property
    def place_line(self) -> str:
        """The place's level and code: "Local authority Z10000001"."""
        return f"{LEVEL_WORDS[self.level]} {self.code}"


def pack_content(
    engine: Engine, level: str, code: str, period: str | None = None, today: dt.date | None = None
) -> PackContent:
    """The pack of the school (URN), LA or region ``code`` for ``period`` (default: the latest
    with figures), made on ``today``. Raises :class:`ecm.figures.queries.UnknownArea` for an
    unknown place and :class:`EmptyPack` when it has no figures."""
    today = today or dt.date.today()
    profile, peers = profile_and_peers(engine, level, code, period)
    if not profile["observations"]:
        raise EmptyPack(f"{code} has no figures in {period or 'any year'}: no pack was made")
    figures, gaps = (_year_written(t, profile["period"]) for t in profile_tables(profile))
    geography = profile["geography"]
    coverage = (
        la_plan_coverage(engine, geography["code"], profile["period"]) if level == "la" else None
    )
    return PackContent(
        level=level,
        code=geography["code"],
        name=geography["name"],
        period=profile["period"],
        today=today,
        fictional=bool(geography.get("fictional")),
        about=_about(profile, today),
        figures=figures,
        gaps=gaps,
        spine=_spine(engine, profile, peers),
        interest=tuple(profile["areas_of_interest"]),
        definitions=_definitions(figures),
        coverage=coverage,
    )


def _spine(engine: Engine, profile: dict, peers: pd.DataFrame) -> pd.DataFrame:
    """The spine chart's rows as the place's page draws them: an LA or region on the spread of
    its peers, a school on the spread of the state-funded schools of its phase."""
    observations = pd.DataFrame(profile["observations"])
    geography = profile["geography"]
    if geography["level"] == "school":
        phase = geography.get("phase")
        if not phase:
            return spine_rows(pd.DataFrame(), pd.DataFrame())
        spread = many_places.load_school_distribution(
            engine, phase, period_aliases(profile["period"])
        )
        return spine_rows(observations, spread)
    return spine_rows(observations, many_places.la_distribution(peers))


def read_for_words() -> str:
    """Whose remit a file's figures were read for, as its cover says it."""
    remit = current_remit()
    if remit.everything:
        return "every place (analyst or administrator)"
    return f"the remit {remit.name}: restricted figures of other places are left out, as on screen"


def _year_written(table: pd.DataFrame, period: str) -> pd.DataFrame:
    """``table`` with the pack's year written as the cover and the pages write it
    (``2009/10``, never the store's ``2009-10``)."""
    if "period" not in table:
        return table
    same = table["period"].astype(str).isin(period_aliases(period))
    return table.assign(period=table["period"].where(~same, period))


def _about(profile: dict, today: dt.date) -> pd.DataFrame:
    """The cover: place, period, date, the remit the figures were read for, disclosure
    control and the sources with their licences."""
    geography = profile["geography"]
    rules = DisclosureRules.from_environment()
    lines = [
        ("Place", geography["name"]),
        (LEVEL_WORDS.get(geography["level"], geography["level"]), geography["code"]),
        ("Year", profile["period"]),
        ("Made on", today.isoformat()),
        ("Read for", read_for_words()),
        (
            "Small numbers",
            f"counts below {rules.min_count} in data not published openly are withheld, with "
            "whatever would give them back, exactly as on screen",
        ),
    ]
    if geography.get("fictional"):
        lines.append(("Fictional", "The demo's places and figures are invented: not real data."))
    lines += [
        (f"Source {number}", f"{source['file']} ({source['format']}, imported "
         f"{source['imported']}): {source['licence'] or 'licence not recorded'}")
        for number, source in enumerate(profile["sources"], start=1)
    ]  # fmt: skip
    return pd.DataFrame(lines, columns=["Item", "Detail"])


def _definitions(figures: pd.DataFrame) -> pd.DataFrame:
    """The catalogue's definition of each indicator in the pack."""
    return definitions(
        set(figures.get("indicator_code", figures.get("indicator", pd.Series(dtype=str))))
    )


def definitions(codes: set[str]) -> pd.DataFrame:
    """The catalogue's definition of each indicator of ``codes``, in the catalogue's order:
    Indicator, Title, Unit, Better when, Source, Definition."""
    rows = [
        {"Indicator": row["code"], "Title": row["title"], "Unit": row["unit"],
         "Better when": row["polarity"].replace("_", " "), "Source": row["source"],
         "Definition": row["definition"]}
        for row in load_catalogue().indicators
        if row["code"] in codes
    ]  # fmt: skip
    return pd.DataFrame(rows)


# --- the same tables in words, for the PDF and the slides --------------------------------


def outcome_summary(content: PackContent, outcome: str) -> pd.DataFrame:
    """One outcome's all-pupil figures in words: Indicator, Figure (with its 95% interval),
    England, Against England (the tested comparison, else the figure's quarter among all the
    places ranked, untested, as the pages show it), Trend. Withheld figures say so."""
    figures = content.figures
    rows = figures[(figures["outcome"] == outcome) & (figures["group"] == "all")]
    return pd.DataFrame(
        {
            "Indicator": rows["title"],
            "Figure": [
                _with_interval(r.value, r.lower, r.upper, r.unit, r.marker, r.indicator)
                for r in rows.itertuples()
            ],
            "England": [
                units.number(v, u, None, i)
                for v, u, i in zip(
                    _column(rows, "england_value"), rows["unit"], rows["indicator"], strict=True
                )
            ],
            "Against England": [_standing_words(w) for w in _column(rows, "standing")],
            "Trend": rows["trend"].fillna(""),
        }
    )


def outcome_counts(content: PackContent) -> pd.DataFrame:
    """Per outcome: how many all-pupil figures are better, similar or worse than England, how
    many could only be ranked (a quarter among all places, untested), and how many neither."""
    figures = content.figures[content.figures["group"] == "all"]
    words = _column(figures, "standing").fillna("not compared")
    rows = []
    for outcome in OUTCOMES:
        mine = words[figures["outcome"] == outcome]
        rows.append(
            {
                "Outcome": outcome,
                "Better": int((mine == "better").sum()),
                "Similar": int((mine == "similar").sum()),
                "Worse": int((mine == "worse").sum()),
                "Ranked only": int(mine.isin(QUARTER_WORDS.values()).sum()),
                "Not compared": int(
                    (~mine.isin(["better", "similar", "worse", *QUARTER_WORDS.values()])).sum()
                ),
            }
        )
    return pd.DataFrame(rows)


def gap_summary(content: PackContent) -> pd.DataFrame:
    """The gaps in words, widest concerns first as the profile orders them: Indicator, Gap
    (between whom), Gap (with its 95% interval), Significant, Trend, Actions."""
    gaps = content.gaps
    if gaps.empty:
        return pd.DataFrame(columns=["Indicator", "Between", "Gap", "Significant", "Trend"])
    titles = dict(zip(content.figures["indicator"], content.figures["title"], strict=False))
    unit_of = dict(zip(content.figures["indicator"], content.figures["unit"], strict=False))
    rows = []
    for gap in gaps.itertuples():
        unit = unit_of.get(gap.indicator)
        shown = (
            "withheld (small numbers)"
            if gap.suppressed
            else _gap_with_interval(gap.gap, gap.lower, gap.upper, unit)
        )
        rows.append(
            {
                "Indicator": titles.get(gap.indicator, gap.indicator),
                "Between": _between(gap.focus_group, gap.comparator_group, gap.kind),
                "Gap": shown,
                "Significant": _significance(gap.significant),
                "Trend": gap.trend or "",
                "Actions": gap.actions or "no action in the plan",
            }
        )
    frame = pd.DataFrame(rows)
    if content.level != "la":
        frame = frame.drop(columns="Actions")
    return frame


def chart_gaps(content: PackContent, most: int = 15) -> tuple[pd.DataFrame, str]:
    """The tested gaps as the ranked-gaps chart draws them (label, gap, lower, upper,
    significant), significant ones first and widest first among them, at most ``most``, and
    the chart's axis title. One axis holds one unit: the gaps in the unit most of them are
    measured in (percentage points, where any are), the others being in the table below it."""
    gaps = content.gaps
    columns = ["label", "gap", "lower", "upper", "significant"]
    if gaps.empty:
        return pd.DataFrame(columns=columns), ""
    tested = gaps[gaps["gap"].notna() & gaps["lower"].notna() & ~gaps["suppressed"].astype(bool)]
    unit_of = dict(zip(content.figures["indicator"], content.figures["unit"], strict=False))
    tested_units = tested["indicator"].map(unit_of)
    if tested.empty:
        return pd.DataFrame(columns=columns), ""
    unit = "%" if (tested_units == "%").any() else tested_units.mode().iloc[0]
    tested = tested[tested_units == unit]
    titles = dict(zip(content.figures["indicator"], content.figures["title"], strict=False))
    frame = pd.DataFrame(
        {
            "label": [
                f"{titles.get(i, i)}: {group_title(f)}{KIND_SUFFIX.get(k, '')}"
                for i, f, k in zip(
                    tested["indicator"], tested["focus_group"], tested["kind"], strict=True
                )
            ],
            "gap": tested["gap"].astype(float),
            "lower": tested["lower"].astype(float),
            "upper": tested["upper"].astype(float),
            "significant": tested["significant"].map(lambda s: s is True),
        }
    )
    frame = frame.assign(size=frame["gap"].abs())
    frame = frame.sort_values(["significant", "size"], ascending=False, kind="stable")
    measured = units.gap_unit(unit)
    x_title = f"Gap ({measured})" if measured else "Gap"
    return frame.drop(columns="size").head(most), x_title


#: How a gap's kind reads after its groups: a gap within the place needs no words.
KIND_SUFFIX = {"vs_la": " (across the LA)", "vs_national": " (nationally)"}


def _between(focus: str, comparator: str, kind: str) -> str:
    """Whom a gap is between: "Disadvantaged and Other pupils (nationally)"."""
    return f"{group_title(focus)} and {group_title(comparator)}{KIND_SUFFIX.get(kind, '')}"


def chart_gaps_text(rows: pd.DataFrame) -> str:
    """The gap chart's text alternative."""
    significant = rows[rows["significant"]]
    text = (
        f"{len(rows)} gaps between groups with their 95% intervals, "
        f"{len(significant)} of them significant (the interval excludes zero)."
    )
    if not significant.empty:
        widest = significant.loc[significant["gap"].abs().idxmax()]
        text += f" Widest significant: {widest['label']}, {widest['gap']:.1f}."
    return text


def _standing_words(standing: object) -> str:
    """A figure's standing as the pack writes it: a quarter says it is untested."""
    if standing in QUARTER_WORDS.values():
        return f"{standing} (untested)"
    return "not compared" if standing is None or pd.isna(standing) else str(standing)


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    """``frame[name]``, or a column of missing values when no row has it (a profile whose
    figures have no England benchmark has no ``vs_england``)."""
    if name in frame:
        return frame[name].astype(object)
    return pd.Series(None, index=frame.index, dtype=object)


def _significance(significant: object) -> str:
    if significant is True:
        return "yes"
    if significant is False:
        return "no"
    return "not tested"


def _with_interval(
    value: object, lower: object, upper: object, unit: object, marker: object, indicator: object
) -> str:
    figure = units.number(value, unit, marker, indicator)
    span = units.interval(lower, upper, unit)
    return f"{figure} ({span})" if span and not units.is_missing_text(figure) else figure


def _gap_with_interval(gap: object, lower: object, upper: object, unit: object) -> str:
    text = units.gap_text(gap, unit)
    span = units.interval(lower, upper, unit)
    return f"{text} ({span})" if span else text
