"""The Children and Young People's Plan: how its actions answer the area's gaps.

Loaders of actions, targets, spend and schools (:mod:`~ecm.plan.loaders`); coverage of the
gaps and turn the curve (:mod:`~ecm.plan.coverage`), with the path to a target and the
forecast if nothing changes (:mod:`~ecm.plan.trajectory`), the evidence that an action is off
track (:mod:`~ecm.plan.evidence`) and who spends what (:mod:`~ecm.plan.spend`); version-checked
edits with their audit trail (:mod:`~ecm.plan.edits`), the refs that name actions in plan files
(:mod:`~ecm.plan.refs`), and the plan as a workbook or CSV, in and out (:mod:`ecm.plan.io`).
It builds on the place analyses (:mod:`ecm.places`), the figures and the statistics; nothing
below it imports it.
"""
