"""Every Child Matters outcomes dashboard: the domain package.

Data flows one way: importers -> store -> queries -> analysis -> charts -> pages.
Nothing in this package imports streamlit except :mod:`ecm.ui`.
"""

__version__ = "0.1.0"
