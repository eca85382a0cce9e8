"""Disclosure control: no figure on a screen or in an export rests on, or reveals, a count of
fewer pupils than the threshold in force, unless its publisher released it openly (then it is
shown as published, with the publisher's own suppression).

:mod:`ecm.disclosure.rules` holds the rules as pure functions on DataFrames (primary
suppression of small counts, secondary suppression of complements, groups and siblings);
:mod:`ecm.disclosure.decisions` takes those decisions over the whole store after each load,
stores them with each figure and applies them when figures are read. It may import the store's
models and engine; nothing that reads figures for a page is imported here.
"""
