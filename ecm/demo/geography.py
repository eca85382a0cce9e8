"""Fictional regions, local authorities and schools for the demo.

Every name is invented and every code sits outside the real code ranges (ONS codes start with
``Z`` instead of ``E``, LA numbers are 001-199 where real ones are 201-938, URNs start at
900001), so demo figures can never attach to a real place, nor collide with imported real data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ecm.config import DEMO_ENGLAND_CODE


@dataclass(frozen=True)
class Scale:
    """How big a fictional country to build."""

    regions: int
    las: int
    schools: int


SCALES = {
    "tiny": Scale(regions=2, las=4, schools=120),
    "small": Scale(regions=2, las=8, schools=600),
    "national": Scale(regions=9, las=150, schools=21_500),
}

REGION_NAMES = (
    "Northmarch",
    "Fellside",
    "Eastwold",
    "Midvale",
    "Westmoor",
    "Harbourlands",
    "Capital Reach",
    "Downland",
    "Lakeshire",
)
_ROOTS = (
    "Amber", "Bramble", "Cinder", "Dapple", "Ember", "Fallow", "Gorse", "Heron", "Ivory",
    "Juniper", "Kestrel", "Linnet", "Marram", "Nettle", "Otterby", "Plover", "Quill", "Rowan",
    "Sorrel", "Teasel", "Umber", "Vetch", "Wren", "Yarrow", "Zephyr", "Alder", "Burdock",
    "Cowslip", "Dunlin", "Eyebright", "Fernlea", "Grebe", "Hazel", "Ibis", "Jessamine",
    "Kittiwake", "Larch", "Merlin", "Nightjar", "Osier", "Pipit", "Redshank", "Sedge",
    "Tansy", "Valerian", "Whimbrel", "Yellowhammer", "Campion", "Lapwing", "Skylark",
)  # fmt: skip
_SUFFIXES = ("vale", "mere", "moor", "dale", "holt", "combe", "fell", "wold", "march", "reach")
_SCHOOL_STREETS = (
    "Meadow", "Orchard", "Chapel", "Mill", "Church", "Brook", "Hill", "Park", "Castle",
    "Willow", "Oak", "Beech", "Station", "Market", "Green", "Field", "Priory", "Forest",
    "Bridge", "Spring", "Holly", "Elm", "Ash", "Cedar", "Lime", "Rose", "Hawthorn", "Poplar",
)  # fmt: skip
_WAYS = ("", " Lane", " Road", " Park", " Green", " Hill", " View", " Fields", " Street")
_PRIMARY_KINDS = (
    ("Primary School", "Community school"),
    ("Infant and Junior School", "Community school"),
    ("CofE Primary School", "Voluntary aided school"),
    ("St Mary's RC Primary School", "Voluntary aided school"),
    ("Primary School", "Foundation school"),
    ("Junior School", "Voluntary controlled school"),
)
_SECONDARY_KINDS = (
    ("High School", "Community school"),
    ("School", "Foundation school"),
    ("Academy", "Academy sponsor led"),
    ("Community College", "Community school"),
    ("Catholic High School", "Voluntary aided school"),
)
_SPECIAL_KINDS = (("School", "Community special school"), ("Centre", "Community special school"))


def la_names(count: int, rng: np.random.Generator) -> list[str]:
    """``count`` distinct invented authority names such as "Kestrelmere"."""
    names = [root + suffix for root in _ROOTS for suffix in _SUFFIXES]
    rng.shuffle(names)
    return names[:count]


def build_geography(scale: Scale, rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    """Regions, LAs (with a deprivation score) and schools (with size and FSM share)."""
    regions = pd.DataFrame(
        {
            "code": [f"Z1200{i + 1:04d}" for i in range(scale.regions)],
            "name": [f"{REGION_NAMES[i]} (fictional)" for i in range(scale.regions)],
            "country_code": DEMO_ENGLAND_CODE,
            "fictional": True,
        }
    )
    names = la_names(scale.las, rng)
    # Deprivation: a standardised score (mean 0, sd 1) driving FSM share and outcomes.
    deprivation = rng.normal(0.0, 1.0, scale.las)
    las = pd.DataFrame(
        {
            "code": [f"Z1000{i + 1:04d}" for i in range(scale.las)],
            "old_code": [f"{i + 1:03d}" for i in range(scale.las)],
            "name": names,
            "region_code": regions["code"].to_numpy()[np.arange(scale.las) % scale.regions],
            "deprivation_score": np.round(deprivation, 3),
            "fictional": True,
        }
    )
    return {"region": regions, "local_authority": las, "school": _schools(scale, las, rng)}


def _schools(scale: Scale, las: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Schools spread over the LAs: 79% primary, 16% secondary, 5% special, as in England."""
    # LA sizes vary (a shire county has ten times a small unitary's schools).
    weights = rng.lognormal(0.0, 0.6, len(las))
    per_la = np.maximum(6, np.round(weights / weights.sum() * scale.schools)).astype(int)
    la_index = np.repeat(np.arange(len(las)), per_la)
    n = len(la_index)
    phase = rng.choice(["primary", "secondary", "special"], size=n, p=[0.79, 0.16, 0.05])
    # Guarantee every LA at least one school of each phase, so every page has something to show.
    starts = np.concatenate([[0], np.cumsum(per_la)[:-1]])
    phase[starts] = "secondary"
    phase[starts + 1] = "special"
    phase[starts + 2] = "primary"

    roll = np.where(
        phase == "primary",
        rng.lognormal(np.log(230), 0.5, n),
        np.where(
            phase == "secondary", rng.lognormal(np.log(950), 0.35, n), rng.lognormal(4.5, 0.4, n)
        ),
    )
    roll = np.clip(np.round(roll), 12, 2200).astype(int)
    # A few very small rural primaries, so that suppression has small groups to act on.
    tiny = (phase == "primary") & (rng.random(n) < 0.08)
    roll[tiny] = rng.integers(14, 60, tiny.sum())

    la_dep = las["deprivation_score"].to_numpy()[la_index]
    # Pupils eligible for free school meals (the demo's disadvantage measure, as in 2005-2010):
    # England 15.8% of pupils in state-funded primaries, 14.1% in secondaries (DfE performance
    # tables, census January 2019, NUMFSM / NOR; January 2008 was about 16% and 13%). The
    # intercepts put the pupil-weighted shares there once LA and school spread is added.
    intercept = np.where(phase == "secondary", -1.97, -1.81)
    fsm = 1 / (1 + np.exp(-(intercept + 0.45 * la_dep + rng.normal(0, 0.6, n))))
    # Special schools: 38.3% in the same census.
    fsm = np.where(phase == "special", np.clip(fsm * 2.3, 0, 0.7), fsm)

    streets = rng.choice(_SCHOOL_STREETS, size=n)
    ways = rng.choice(_WAYS, size=n)
    villages = rng.choice([root + suffix for root in _ROOTS for suffix in _SUFFIXES], size=n)
    by_village = rng.random(n) < 0.5
    names, types = [], []
    la_names_ = las["name"].to_numpy()[la_index]
    for i in range(n):
        kinds = {"primary": _PRIMARY_KINDS, "secondary": _SECONDARY_KINDS}.get(
            phase[i], _SPECIAL_KINDS
        )
        label, school_type = kinds[rng.integers(len(kinds))]
        if phase[i] != "primary":
            place = la_names_[i] if rng.random() < 0.5 else f"{streets[i]}{ways[i]}"
        else:
            place = villages[i] if by_village[i] else f"{streets[i]}{ways[i]}"
        names.append(f"{place} {label}")
        types.append(school_type)
    names = _deduplicate(names)
    old_codes = las["old_code"].to_numpy()[la_index]
    estab = np.where(phase == "primary", 2000, np.where(phase == "secondary", 4000, 7000))
    estab = estab + _running_count(la_index, phase)
    return pd.DataFrame(
        {
            "urn": [str(900001 + i) for i in range(n)],
            "laestab": [f"{old}{e:04d}" for old, e in zip(old_codes, estab, strict=True)],
            "name": names,
            "la_code": las["code"].to_numpy()[la_index],
            "phase": phase,
            "school_type": types,
            "status": "open",
            "number_on_roll": roll,
            "percent_fsm": np.round(fsm * 100, 1),
            "fictional": True,
        }
    )


def _running_count(la_index: np.ndarray, phase: np.ndarray) -> np.ndarray:
    """1, 2, 3, ... within each LA and phase (for establishment numbers)."""
    frame = pd.DataFrame({"la": la_index, "phase": phase})
    return frame.groupby(["la", "phase"]).cumcount().to_numpy() + 1


def _deduplicate(names: list[str]) -> list[str]:
    """Make names unique by adding a distinguishing word where two schools share one."""
    seen: dict[str, int] = {}
    result = []
    for name in names:
        count = seen.get(name, 0)
        seen[name] = count + 1
        result.append(name if count == 0 else f"{name} ({_ORDINALS[min(count, 9)]} site)")
    return result


_ORDINALS = (
    "",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
)
