"""Browser tests: the dashboard served by ``streamlit run`` and driven in Chromium."""
