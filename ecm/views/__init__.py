"""Views: results as people read them, one module per page (school, area, region, gap
explorer, plan) and the profile as screen and CSV tables (:mod:`~ecm.views.profile_tables`).

Pure functions from the analyses' results to words, tables and choices: headlines, labels,
units, markers for withheld figures, the order of rows. No SQL, no Streamlit. It may import the
place analyses, the plan, the statistics, the charts' geometry, the catalogue's words, the
store's code lists and :mod:`ecm.periods`; only the Streamlit boundary (:mod:`ecm.ui`), the
pages and the command line import it.
"""
