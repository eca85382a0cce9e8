"""Every Child Matters outcomes dashboard: the entry point (router and frame only).

Run with ``streamlit run dashboard.py``. On first start an empty store is filled with the small
fictional demo, with a progress indicator.
"""

from __future__ import annotations

import streamlit as st

from ecm import ui

st.set_page_config(
    page_title="ECM outcomes dashboard",
    page_icon=":material/child_care:",
    layout="wide",
    initial_sidebar_state="expanded",
)

ui.ensure_store()
ui.follow_store_changes()  # another process's import or plan edit: read afresh
account = ui.current_account()

pages = [
    st.Page("app_pages/home.py", title="Home", icon=":material/home:", default=True),
    st.Page("app_pages/school.py", title="School", icon=":material/school:", url_path="school"),
    st.Page("app_pages/area.py", title="Area", icon=":material/location_city:", url_path="area"),
    st.Page("app_pages/region.py", title="Region", icon=":material/map:", url_path="region"),
    st.Page(
        "app_pages/gaps.py", title="Gap explorer", icon=":material/compare_arrows:", url_path="gaps"
    ),
    st.Page("app_pages/plan.py", title="Plan", icon=":material/checklist:", url_path="plan"),
    st.Page(
        "app_pages/changes.py",
        title="What changed",
        icon=":material/difference:",
        url_path="changes",
    ),
    st.Page(
        "app_pages/profile.py", title="Profile", icon=":material/insights:", url_path="profile"
    ),
    st.Page(
        "app_pages/indicators.py",
        title="Indicators",
        icon=":material/menu_book:",
        url_path="indicators",
    ),
    st.Page("app_pages/data.py", title="Data sources", icon=":material/database:", url_path="data"),
    st.Page(
        "app_pages/accessibility.py",
        title="Accessibility",
        icon=":material/accessibility:",
        url_path="accessibility",
    ),
]
# Signed out, no page runs: the address (a deep link) is kept, and opens once signed in.
navigation = st.navigation(pages, position="sidebar" if account else "hidden")
if account is None:
    ui.clear_cookie_if_signed_out()
    ui.sign_in_form()
    st.stop()
ui.write_cookie()

with st.sidebar:
    ui.search_box()
    st.caption(
        "Every Child Matters outcomes for schools, local authorities and regions in England: "
        "where disadvantaged children fall behind, and what the plan does about it."
    )
    ui.account_panel(account)

ui.begin_address()  # before the page: its malformed parameters named at the top
# Every figure the page reads is read for this account's remit (ecm.access.scope).
with ui.reading_for(account), ui.page_provenance():
    navigation.run()
ui.rerun_if_store_changed()  # a change committed during the run: never leave a mixed page
