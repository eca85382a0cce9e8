"""Who is putting in what: a plan's spend by outcome and partner, and the Children's Trust
partners with no part in any action. Pure functions on the plan's frames (see
``ecm.plan.coverage``)."""

from __future__ import annotations

import pandas as pd

#: The five Every Child Matters outcomes, in the order of the Children Act 2004.
OUTCOMES = (
    "be_healthy",
    "stay_safe",
    "enjoy_achieve",
    "positive_contribution",
    "economic_wellbeing",
)


def action_spend(spend: pd.DataFrame) -> pd.Series:
    """Total spend per action, all partners and years."""
    if spend.empty:
        return pd.Series(dtype=float)
    return spend.groupby("action_id")["amount"].sum().astype(float)


def spend_matrix(
    actions: pd.DataFrame,
    spend: pd.DataFrame,
    partners: pd.DataFrame | None = None,
    financial_year: str | None = None,
) -> pd.DataFrame:
    """Who is putting in what: total spend per outcome (rows, ``outcome_code``) and partner
    (one column each, in the partner list's order, then any others), with a ``total``
    column; all financial years, or only ``financial_year`` ("2008-09")."""
    if financial_year is not None and not spend.empty:
        spend = spend[spend["financial_year"] == financial_year]
    if spend.empty or actions.empty:
        return pd.DataFrame(columns=["outcome_code", "total"])
    rows = spend.merge(actions[["action_id", "outcome_code"]], on="action_id", how="inner")
    matrix = rows.pivot_table(
        index="outcome_code", columns="partner", values="amount", aggfunc="sum", fill_value=0.0
    ).astype(float)
    known = list(partners["name"]) if partners is not None and not partners.empty else []
    order = [p for p in known if p in matrix.columns]
    order += sorted(set(matrix.columns) - set(order))
    outcomes = [o for o in OUTCOMES if o in matrix.index]
    outcomes += sorted(set(matrix.index) - set(outcomes))
    matrix = matrix.loc[outcomes, order]
    matrix["total"] = matrix.sum(axis=1)
    matrix.columns.name = None
    return matrix.reset_index()


def spend_cells(
    actions: pd.DataFrame, spend: pd.DataFrame, financial_year: str | None = None
) -> pd.DataFrame:
    """The same spend as :func:`spend_matrix`, one row per partner and outcome (partner,
    outcome_code, amount): the long shape charts take."""
    matrix = spend_matrix(actions, spend, None, financial_year).drop(columns="total")
    cells = matrix.melt(id_vars="outcome_code", var_name="partner", value_name="amount")
    return cells[cells["amount"] > 0][["partner", "outcome_code", "amount"]].reset_index(drop=True)


def _partner_roles(actions: pd.DataFrame) -> set[str]:
    """Every partner named as lead or contributor (case and spacing ignored)."""
    names = set(actions["lead_partner"].dropna()) if not actions.empty else set()
    for listed in actions.get("contributing_partners", pd.Series(dtype=object)).dropna():
        names |= set(str(listed).split(";"))
    return {" ".join(n.split()).casefold() for n in names if n.strip()}


def partners_without_actions(actions: pd.DataFrame, partners: pd.DataFrame) -> pd.DataFrame:
    """The Children's Trust partners with no lead or contributing role in any action."""
    roles = _partner_roles(actions)
    keys = partners["name"].map(lambda n: " ".join(str(n).split()).casefold())
    return partners[~keys.isin(roles)].reset_index(drop=True)
