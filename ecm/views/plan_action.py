"""One action as its page shows it: its details, the targets it aims to move, its history."""

from __future__ import annotations

import pandas as pd

from ecm import units
from ecm.catalogue import group_title
from ecm.store.models import action_status_words
from ecm.views.markdown import escape_markdown
from ecm.views.plan import SCOPE_WORDS, gap_key, plan_link

#: A target's baseline or target value the plan did not state (not a missing figure).
NOT_SET = "not set"


def _date(value: object) -> str:
    return f"{value:%d %b %Y}" if hasattr(value, "strftime") else "–"


def detail_lines(
    action: dict, schools: pd.DataFrame, spend: pd.DataFrame, evidence: pd.DataFrame
) -> str:
    """An action's particulars in words: lead, partners, reported status and what the figures
    say of each of its targets, dates, scope, spend."""
    partners = (action.get("contributing_partners") or "").replace(";", ", ") or "none"
    scope = SCOPE_WORDS.get(action["scope"], action["scope"])
    if action.get("scope_detail"):
        scope += f" ({action['scope_detail']})"
    if action["scope"] == "schools":
        scope += f", {len(schools)} schools"
    total = float(spend["amount"].sum()) if not spend.empty else 0.0
    by_year = (
        ", ".join(
            f"{year} £{amount:,.0f}"
            for year, amount in spend.groupby("financial_year")["amount"].sum().items()
        )
        if not spend.empty
        else "none recorded"
    )
    mine = evidence[evidence["action_id"] == action["id"]] if not evidence.empty else evidence
    says = (
        "; ".join(escape_markdown(r) for r in mine["reason"].dropna())
        if not mine.empty
        else "no measurable target"
    )
    return (
        f"**Lead:** {escape_markdown(action['lead_partner'] or '')}  \n"
        f"**Contributing:** {escape_markdown(partners)}  \n"
        f"**Reported status:** {action_status_words(action['status'])}  \n"
        f"**The figures say:** {says}  \n"
        f"**Dates:** {_date(action.get('start_date'))} to {_date(action.get('due_date'))}  \n"
        f"**Scope:** {scope}  \n"
        f"**Spend:** £{total:,.0f} ({by_year})"
    )


def target_table(targets: pd.DataFrame, titles: dict[str, str], la_code: str) -> pd.DataFrame:
    """An action's targets: indicator, group, baseline, target, and a link to the curve."""
    if targets.empty:
        return pd.DataFrame()
    rows = []
    for t in targets.to_dict("records"):
        gap = t["group_code"] != "all"
        baseline = t["baseline_gap"] if gap else t["baseline_value"]
        target = t["target_gap"] if gap else t["target_value"]
        rows.append(
            {
                "Indicator": titles.get(t["indicator_code"], t["indicator_code"]),
                "Group": group_title(t["group_code"]),
                "Measure": "gap" if gap else "value",
                "Baseline": f"{units.number(baseline)} ({t['baseline_period']})"
                if pd.notna(baseline)
                else NOT_SET,
                "Target": f"{units.number(target)} ({t['target_period']})"
                if pd.notna(target)
                else NOT_SET,
                "Turn the curve": plan_link(
                    la_code, gap=gap_key(t["indicator_code"], t["group_code"])
                ),
            }
        )
    return pd.DataFrame(rows)


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    """An action's audited changes in words, newest first: when, who, what, before, after."""
    if history.empty:
        return pd.DataFrame(columns=["When (UTC)", "Who", "What", "Before", "After"])
    what = {
        ("action", "insert"): "added the action",
        ("action", "update"): "edited the action",
        ("action", "import"): "changed it by loading a plan file",
        ("action_target", "insert"): "linked a target",
        ("action_target", "delete"): "removed a target",
        ("action_note", "insert"): "wrote a progress note",
    }
    return pd.DataFrame(
        {
            "When (UTC)": pd.to_datetime(history["changed_at"]).dt.strftime("%d %b %Y %H:%M"),
            "Who": history["user_name"],
            "What": [
                what.get((t, c), f"{c} {t}")
                for t, c in zip(history["table_name"], history["change"], strict=True)
            ],
            "Before": history["before"].map(_fields_words),
            "After": history["after"].map(_fields_words),
        }
    )


def _fields_words(fields: dict | None) -> str:
    if not fields:
        return ""
    return "; ".join(
        f"{name.replace('_', ' ')}: {action_status_words(value)}"
        for name, value in fields.items()
        if name != "version"
    )
