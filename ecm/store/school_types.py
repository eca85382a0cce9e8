"""Which schools are state-funded, from the type the register or a results file names.

DfE's comparisons of schools are among state-funded schools (LA-maintained schools, academies,
free schools, city technology colleges): its national and LA totals in the performance tables
(KS2 ``RECTYPE`` 5 "England state-funded", KS4 7) and its school comparisons leave out
independent schools and non-maintained special schools. Three vocabularies name a school's type:
Get Information About Schools (``TypeOfEstablishment``: "Other independent school", "Non-maintained
special school", ...), the school census (``SCHOOLTYPE``: "Independent school", "State-funded
primary", ...) and the performance tables' ``NFTYPE`` codes (``IND``, ``INDSPEC``, ``NMSS``; the
2018-19 abbreviations list). A school whose type is not known is taken as state-funded: every
real file that lists schools names their type, and the demo's schools are all state-funded.
"""

from __future__ import annotations

#: ``NFTYPE`` codes of schools that are not state-funded (performance tables' abbreviations).
NOT_STATE_FUNDED_CODES = frozenset({"IND", "INDSPEC", "NMSS"})
#: The performance tables' ``NFTYPE`` codes in words (the 2018-19 abbreviations list and the
#: KS2 field guide), so that a school known only from a results file has a readable type.
NFTYPE_NAMES = {
    "AC": "Academy sponsor led",
    "ACC": "Academy converter",
    "ACS": "Academy special school",
    "ACCS": "Academy converter special school",
    "CTC": "City technology college",
    "CY": "Community school",
    "CYS": "Community special school",
    "F": "Free school",
    "FD": "Foundation school",
    "FDS": "Foundation special school",
    "FS": "Free special school",
    "FUTC": "University technical college",
    "IND": "Independent school",
    "INDSPEC": "Independent special school",
    "NMSS": "Non-maintained special school",
    "VA": "Voluntary aided school",
    "VC": "Voluntary controlled school",
}
#: Words in a type's name that mark a school as not state-funded (register and census names).
NOT_STATE_FUNDED_WORDS = ("independent", "non-maintained")


def type_name(code_or_name: str | None) -> str | None:
    """A school type in words: an ``NFTYPE`` code spelled out, any other name as given."""
    if code_or_name is None or not str(code_or_name).strip():
        return None
    name = str(code_or_name).strip()
    return NFTYPE_NAMES.get(name.upper(), name)


def is_state_funded(school_type: str | None) -> bool | None:
    """True for a state-funded school's type, False for an independent or non-maintained
    special school's, None when the type is not known."""
    if school_type is None or not str(school_type).strip():
        return None
    name = str(school_type).strip()
    if name.upper() in NOT_STATE_FUNDED_CODES:
        return False
    return not any(word in name.lower() for word in NOT_STATE_FUNDED_WORDS)


# --- special schools, compared apart from mainstream ones --------------------------------------

#: ``NFTYPE`` codes of special schools: community, foundation, academy (sponsored and
#: converter) and free special schools, independent and non-maintained special schools.
SPECIAL_CODES = frozenset({"CYS", "FDS", "ACS", "ACCS", "FS", "INDSPEC", "NMSS"})
#: A school's kind for comparisons: special schools are compared with special schools only.
MAINSTREAM, SPECIAL = "mainstream", "special"
#: The kinds in words, as the pages offer them.
SCHOOL_KINDS = {MAINSTREAM: "Mainstream schools", SPECIAL: "Special schools"}


def is_special(phase: str | None, school_type: str | None) -> bool:
    """True for a special school: its phase is "special" (the register's phase, a results
    file's special-school row), or its type is a special school's (an ``NFTYPE`` code of
    :data:`SPECIAL_CODES`, or a name with "special" in it: the register's "Community special
    school", "Academy special converter", "Free schools special", "Non-maintained special
    school"). A results file can name a special school's phase after its key stage
    ("primary"), so the type decides as well as the phase."""
    if phase is not None and str(phase).strip().lower() == SPECIAL:
        return True
    if school_type is None or not str(school_type).strip():
        return False
    name = str(school_type).strip()
    return name.upper() in SPECIAL_CODES or SPECIAL in name.lower()


def comparison_phase(phase: str | None, school_type: str | None) -> str | None:
    """The phase a school is compared within: "special" for a special school, whatever phase
    a file gave it, else its own phase (None when not known)."""
    if is_special(phase, school_type):
        return SPECIAL
    return phase if phase is not None and str(phase).strip() else None


# --- the set of schools a school is compared with ----------------------------------------------

#: Which schools a school is compared with: DfE's state-funded schools (the default), or every
#: school of the phase, independent and non-maintained special schools included.
STATE_FUNDED, ALL_SCHOOLS = "state_funded", "all"
#: The sets in words, as the pages offer them.
SCHOOL_SETS = {
    STATE_FUNDED: "state-funded schools",
    ALL_SCHOOLS: "all schools, including independent",
}
#: ``school_benchmark`` keeps the rows of the set with independent schools beside the
#: state-funded ones under the FSM band's label with this prefix ("i:8-20%", "i:all" for the
#: phase's quartiles), so that no schema change was needed; see
#: :func:`benchmark_band`.
WITH_INDEPENDENT = "i:"


def benchmark_band(band: str, schools: str = STATE_FUNDED) -> str:
    """The ``fsm_band`` label ``school_benchmark`` stores a band's (or, for ``all``, the
    phase's) rows under for the set ``schools``."""
    return band if schools == STATE_FUNDED else WITH_INDEPENDENT + band


def band_and_set(label: str) -> tuple[str, str]:
    """A stored ``fsm_band`` label back as (FSM band, set of schools)."""
    if label.startswith(WITH_INDEPENDENT):
        return label[len(WITH_INDEPENDENT) :], ALL_SCHOOLS
    return label, STATE_FUNDED


def in_set(state_funded: bool | None, schools: str) -> bool:
    """Whether a school (its ``state_funded`` flag: None when its type is not known, taken as
    state-funded) belongs to the set ``schools``."""
    # ``bool()``, not ``is not False``: a flag read through pandas may be numpy's False (and an
    # unknown one NaN, which counts as state-funded).
    return schools == ALL_SCHOOLS or state_funded is None or bool(state_funded)


def school_set_words(
    phase: str | None,
    schools: str,
    count: float | None = None,
    where: str = "",
    kind: str | None = None,
) -> str:
    """The schools a comparison is among, in words: "412 state-funded primary schools" or
    "all 449 primary schools (independent schools included)"; without a number when
    ``count`` is None, and ``where`` ("loaded", "in the 8-20% FSM band") after the noun.
    ``kind`` (:data:`MAINSTREAM` or :data:`SPECIAL`) names the kind too: "187 mainstream
    state-funded primary schools", "5 state-funded special schools"."""
    special = kind == SPECIAL and phase != SPECIAL
    noun = f"{phase} schools" if phase else "schools"
    noun = f"special {noun}" if special else noun
    noun += f" {where}" if where else ""
    mainstream = "mainstream " if kind == MAINSTREAM and phase != SPECIAL else ""
    if schools == ALL_SCHOOLS:
        number = "" if count is None else f"all {int(count):,} "
        return f"{number}{mainstream}{noun} (independent schools included)"
    number = "" if count is None else f"{int(count):,} "
    return f"{number}{mainstream}state-funded {noun}"
