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
