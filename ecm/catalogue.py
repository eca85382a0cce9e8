"""The indicator catalogue: outcomes and aims, indicators and pupil groups, read from ``data/``.

The catalogue is data, not code, so that an analyst can read it and add a measure without
programming. This module reads the three CSV files, checks every rule a row must obey
(reporting file, line and column for each breach), and writes them into the store. It is also
the one source of the words a pupil group is shown with (:func:`group_title`,
:func:`group_noun`, :func:`comparator_phrase`), so that every screen names a group alike, and
of the series breaks (:func:`series_breaks`): the years from which an indicator's figures are
not comparable with earlier ones, which no trend may cross.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy.orm import Session

from ecm.config import DATA_DIR
from ecm.errors import DataError, DataProblem
from ecm.periods import is_academic_year, period_start
from ecm.store.models import LEVELS, POLARITIES, STATISTICS, Aim, Indicator, Outcome, PupilGroup

OUTCOMES_FILE = "outcomes.csv"
INDICATORS_FILE = "indicators.csv"
GROUPS_FILE = "pupil_groups.csv"
BREAKS_FILE = "series_breaks.csv"

UNIT_MULTIPLIERS = {
    "%": 100,
    "per 1,000": 1_000,
    "per 10,000": 10_000,
    "per 100,000": 100_000,
    "score": 1,
    "days": 1,
    "count": 1,
}
PHASES = ("primary", "secondary", "special")
PERIOD_TYPES = (
    "academic_year",
    "financial_year",
    "calendar_year",
    "pooled_3_years",
    "pooled_5_years",
    "snapshot_march",
)
INDICATOR_COLUMNS = (
    "code",
    "title",
    "outcome",
    "aim",
    "ni_number",
    "unit",
    "multiplier",
    "statistic",
    "polarity",
    "levels",
    "phases",
    "period_type",
    "access",
    "source",
    "definition",
)
#: Who may see an indicator's figures: every signed-in user (published), or only those whose
#: remit covers the place (restricted: ecm.access.scope).
ACCESS = ("published", "restricted")
GROUP_COLUMNS = (
    "code",
    "title",
    "short_title",
    "noun",
    "comparator",
    "comparator_phrase",
    "description",
)
BREAK_COLUMNS = ("indicators", "first_period", "label", "reason", "source")
#: The words every group must have, besides its title and description.
GROUP_WORDS = ("short_title", "noun", "comparator_phrase")


@dataclass(frozen=True)
class Catalogue:
    """The whole catalogue as plain rows (dicts), in file order."""

    outcomes: list[dict[str, str]]
    indicators: list[dict[str, str]]
    groups: list[dict[str, str]]

    def indicator(self, code: str) -> dict[str, str]:
        """The row of indicator ``code``; KeyError if absent."""
        for row in self.indicators:
            if row["code"] == code:
                return row
        raise KeyError(code)

    @property
    def outcome_titles(self) -> dict[str, str]:
        """Outcome code -> title, in the order of the five outcomes."""
        return {row["outcome_code"]: row["outcome_title"] for row in self.outcomes}


def read_rows(path: Path, required: tuple[str, ...]) -> list[dict[str, str]]:
    """Read a CSV file into dicts (each with its ``_line`` number); DataError on bad structure."""
    name = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError([DataProblem(name, None, None, "file not found")]) from None
    except UnicodeDecodeError as error:
        raise DataError([DataProblem(name, None, None, f"not UTF-8 text ({error})")]) from None
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise DataError(
            [DataProblem(name, 1, c, "column missing from the header") for c in missing]
        )
    rows = []
    for row in reader:
        if None in row:  # more fields than the header
            raise DataError(
                [DataProblem(name, reader.line_num, None, "more fields than the header has")]
            )
        cleaned = {k: (v or "").strip() for k, v in row.items()}
        cleaned["_line"] = str(reader.line_num)
        rows.append(cleaned)
    return rows


def restricted_indicators(catalogue: Catalogue) -> frozenset[str]:
    """The codes of the indicators whose figures only the people they concern may see."""
    return frozenset(r["code"] for r in catalogue.indicators if r["access"] == "restricted")


def load_catalogue(data_dir: Path = DATA_DIR) -> Catalogue:
    """Read and check the three catalogue files; DataError listing every problem found."""
    outcomes = read_rows(
        data_dir / OUTCOMES_FILE, ("outcome_code", "outcome_title", "aim_code", "aim_title")
    )
    indicators = read_rows(data_dir / INDICATORS_FILE, INDICATOR_COLUMNS)
    groups = read_rows(data_dir / GROUPS_FILE, GROUP_COLUMNS)
    catalogue = Catalogue(outcomes, indicators, groups)
    problems = check_catalogue(catalogue)
    if problems:
        raise DataError(problems)
    return catalogue


def check_catalogue(catalogue: Catalogue) -> list[DataProblem]:
    """Every breach of the catalogue's rules, as problems naming file, line and column."""
    problems: list[DataProblem] = []
    aims = {row["aim_code"]: row["outcome_code"] for row in catalogue.outcomes}
    outcome_codes = set(aims.values())

    def problem(row: dict[str, str], column: str, message: str, file: str) -> None:
        problems.append(DataProblem(file, int(row["_line"]), column, message))

    seen: set[str] = set()
    for row in catalogue.indicators:
        file = INDICATORS_FILE
        for column in (
            "code",
            "title",
            "outcome",
            "aim",
            "unit",
            "statistic",
            "polarity",
            "levels",
            "period_type",
            "source",
            "definition",
        ):
            if not row[column]:
                problem(row, column, "is empty", file)
        code = row["code"]
        if code in seen:
            problem(row, "code", f"{code!r} appears twice", file)
        seen.add(code)
        if code and (not code.replace("_", "").isalnum() or code != code.lower()):
            problem(row, "code", f"{code!r} is not lower-case snake_case", file)
        if row["outcome"] and row["outcome"] not in outcome_codes:
            problem(row, "outcome", f"{row['outcome']!r} is not one of the five outcomes", file)
        if row["aim"] and aims.get(row["aim"]) != row["outcome"]:
            problem(row, "aim", f"{row['aim']!r} is not an aim of {row['outcome']!r}", file)
        if row["unit"] and row["unit"] not in UNIT_MULTIPLIERS:
            problem(row, "unit", f"{row['unit']!r} is not one of {list(UNIT_MULTIPLIERS)}", file)
        elif row["unit"]:
            expected = UNIT_MULTIPLIERS[row["unit"]]
            try:
                if float(row["multiplier"]) != expected:
                    problem(row, "multiplier", f"should be {expected} for {row['unit']!r}", file)
            except ValueError:
                problem(row, "multiplier", f"{row['multiplier']!r} is not a number", file)
        if row["access"] not in ACCESS:
            problem(row, "access", f"{row['access']!r} is not one of {ACCESS}", file)
        if row["statistic"] and row["statistic"] not in STATISTICS:
            problem(row, "statistic", f"{row['statistic']!r} is not one of {STATISTICS}", file)
        if row["polarity"] and row["polarity"] not in POLARITIES:
            problem(row, "polarity", f"{row['polarity']!r} is not one of {POLARITIES}", file)
        levels = split_list(row["levels"])
        if any(level not in LEVELS for level in levels):
            problem(row, "levels", f"{row['levels']!r}: each level must be one of {LEVELS}", file)
        phases = split_list(row["phases"])
        if any(phase not in PHASES for phase in phases):
            problem(row, "phases", f"{row['phases']!r}: each must be one of {PHASES}", file)
        if ("school" in levels) != bool(phases):
            problem(row, "phases", "must be given exactly when the school level is", file)
        if row["period_type"] and row["period_type"] not in PERIOD_TYPES:
            problem(
                row, "period_type", f"{row['period_type']!r} is not one of {PERIOD_TYPES}", file
            )
        if row["ni_number"] and not row["ni_number"].isdigit():
            problem(row, "ni_number", f"{row['ni_number']!r} is not a whole number", file)

    group_codes = {row["code"] for row in catalogue.groups}
    for row in catalogue.groups:
        if row["comparator"] and row["comparator"] not in group_codes:
            problem(row, "comparator", f"{row['comparator']!r} is not a group", GROUPS_FILE)
        if not row["title"] or not row["description"]:
            problem(row, "title", "title and description must both be given", GROUPS_FILE)
        for column in GROUP_WORDS:
            if not row[column]:
                problem(row, column, "is empty", GROUPS_FILE)
    return problems


def split_list(text: str | None) -> list[str]:
    """Split a semicolon-separated catalogue cell into its items."""
    return [item.strip() for item in (text or "").split(";") if item.strip()]


@dataclass(frozen=True)
class GroupWords:
    """How one pupil group reads on screens and in exports."""

    title: str  #: the catalogue's full title: "Disadvantaged pupils"
    short_title: str  #: table cells, pickers and gap labels: "Disadvantaged"
    noun: str  #: inside a sentence: "disadvantaged pupils"
    comparator_phrase: str  #: as the comparator, after "vs" or "against": "other pupils"


@functools.cache
def group_words() -> dict[str, GroupWords]:
    """Every pupil group's words by code, read and checked once from ``data/``."""
    return {
        row["code"]: GroupWords(
            row["title"], row["short_title"], row["noun"], row["comparator_phrase"]
        )
        for row in load_catalogue().groups
    }


def group_title(code: str) -> str:
    """A group's short title ("Disadvantaged", "No SEN"); the code itself if not catalogued."""
    words = group_words().get(code)
    return words.short_title if words else code


def group_label(code: str) -> str:
    """A group's short title inside a sentence: its first letter lowered unless it begins an
    acronym ("disadvantaged", "no SEN", "FSM", never "fsm")."""
    title = group_title(code)
    if len(title) > 1 and title[1].isupper():
        return title
    return title[:1].lower() + title[1:]


def group_noun(code: str) -> str:
    """How a group reads inside a sentence ("disadvantaged pupils"); the code itself if not
    catalogued."""
    words = group_words().get(code)
    return words.noun if words else code


def comparator_phrase(code: str) -> str:
    """How a group reads as the comparator of a gap ("other pupils", "all children"); the code
    itself if not catalogued."""
    words = group_words().get(code)
    return words.comparator_phrase if words else code


def group_nouns() -> dict[str, str]:
    """Group code -> how it reads inside a sentence, for functions below the catalogue's layer
    that are given the words rather than read them."""
    return {code: words.noun for code, words in group_words().items()}


def sync_catalogue(session: Session, catalogue: Catalogue) -> None:
    """Insert or update every outcome, aim, indicator and group in the store (never deletes,
    since observations refer to indicators)."""
    positions: dict[str, int] = {}
    for row in catalogue.outcomes:
        positions.setdefault(row["outcome_code"], len(positions) + 1)
    for code, position in positions.items():
        session.merge(Outcome(code=code, title=catalogue.outcome_titles[code], position=position))
    session.flush()
    for position, row in enumerate(catalogue.outcomes, start=1):
        session.merge(
            Aim(
                code=row["aim_code"],
                outcome_code=row["outcome_code"],
                title=row["aim_title"],
                position=position,
            )
        )
    # Groups that are only comparators come first, so every comparator exists when named.
    for row in sorted(catalogue.groups, key=lambda r: bool(r["comparator"])):
        session.merge(
            PupilGroup(
                code=row["code"],
                title=row["title"],
                comparator_code=row["comparator"] or None,
                description=row["description"],
            )
        )
    session.flush()
    for row in catalogue.indicators:
        session.merge(
            Indicator(
                code=row["code"],
                title=row["title"],
                outcome_code=row["outcome"],
                aim_code=row["aim"],
                ni_number=int(row["ni_number"]) if row["ni_number"] else None,
                unit=row["unit"],
                multiplier=float(row["multiplier"]),
                statistic=row["statistic"],
                polarity=row["polarity"],
                levels=row["levels"],
                phases=row["phases"] or None,
                period_type=row["period_type"],
                source=row["source"],
                definition=row["definition"],
            )
        )


def load_series_breaks(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Read and check ``series_breaks.csv``: one row per indicator and break, with
    indicator_code, first_period (the first year of the new series), first_year (its first
    calendar year, :func:`ecm.periods.period_start`), label, reason and source. A row naming
    an unknown indicator, a period that is not an academic year, or no label, reason or source
    is refused with file, line and column."""
    codes = {row["code"] for row in read_rows(data_dir / INDICATORS_FILE, INDICATOR_COLUMNS)}
    rows = read_rows(data_dir / BREAKS_FILE, BREAK_COLUMNS)
    problems = check_series_breaks(rows, codes)
    if problems:
        raise DataError(problems)
    records = [
        {
            "indicator_code": code,
            "first_period": row["first_period"],
            "first_year": period_start(row["first_period"]),
            "label": row["label"],
            "reason": row["reason"],
            "source": row["source"],
        }
        for row in rows
        for code in split_list(row["indicators"])
    ]
    columns = ["indicator_code", "first_period", "first_year", "label", "reason", "source"]
    return pd.DataFrame(records, columns=columns)


def check_series_breaks(rows: list[dict[str, str]], codes: set[str]) -> list[DataProblem]:
    """Every breach of the series-break rules, naming file, line and column."""
    problems: list[DataProblem] = []
    for row in rows:
        line = int(row["_line"])
        named = split_list(row["indicators"])
        if not named:
            problems.append(DataProblem(BREAKS_FILE, line, "indicators", "is empty"))
        for code in named:
            if code not in codes:
                problems.append(
                    DataProblem(BREAKS_FILE, line, "indicators", f"{code!r} is not an indicator")
                )
        if not is_academic_year(row["first_period"]):
            problems.append(
                DataProblem(
                    BREAKS_FILE,
                    line,
                    "first_period",
                    f"{row['first_period']!r} is not an academic year like 2015/16",
                )
            )
        for column in ("label", "reason", "source"):
            if not row[column]:
                problems.append(DataProblem(BREAKS_FILE, line, column, "is empty"))
    return problems


@functools.cache
def series_breaks() -> pd.DataFrame:
    """The catalogue's series breaks, read and checked once from ``data/`` (callers must not
    change the frame)."""
    return load_series_breaks()
