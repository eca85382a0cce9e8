"""The command line, ``python -m ecm``: the same layers as the pages, one module per command
group (:mod:`~ecm.cli.main`: init, demo, import, profile, bench; :mod:`~ecm.cli.plan`: plan
import, export, coverage) and what they print (:mod:`~ecm.cli.output`). A top layer: it may
import anything in ``ecm`` except the Streamlit boundary, and nothing imports it.
"""
