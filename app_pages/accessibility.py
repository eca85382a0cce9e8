"""Accessibility statement."""

from __future__ import annotations

import streamlit as st

st.title("Accessibility statement")
st.markdown(
    """
This dashboard is meant to be used by everyone who needs it: on a laptop, with a screen reader,
with a keyboard only, and on a meeting-room projector. We aim to meet the Web Content
Accessibility Guidelines (WCAG) 2.2 at level AA.

**What we do**

- **Colour is never the only signal.** Comparisons use a colour-blind-safe palette (Okabe and
  Ito) and always a symbol and a word as well: ▲ better, ● similar, ▼ worse, ◆ not compared.
  Funnel-plot points differ in shape as well as colour; heat-map cells and map hexes print the
  symbol.
- **Every chart has a text alternative** written from the same numbers, shown under the chart,
  and **"View as table"** with a CSV download of exactly what the chart shows.
- **Keyboard.** Every control can be reached with Tab. In presentation mode the left and right
  arrow keys move between panels and Esc leaves presentation mode.
- **Presentation mode** (the toggle in the sidebar, or `?present=1` in the address) shows one
  panel at a time in large, high-contrast type without the sidebar, for reading from the back
  of a room.
- **Uncertainty in words.** Each figure states its 95% confidence interval, and "similar" means
  not significantly different; suppressed figures show their marker and what it means.
- Every page is tested automatically in Chromium with the axe-core accessibility engine; the
  tests fail on any serious or critical violation.

**Known limits**

- Data tables are drawn by Streamlit's data grid, which keyboard and screen-reader users can
  navigate, but which does not enlarge its text in presentation mode; the CSV downloads give the
  same figures for other tools.
- Interactive chart hover text is not read by screen readers; the text alternative under each
  chart carries the same information.

**Feedback.** If something stops you using the dashboard, please raise an issue in the
project's repository, saying which page and what you were trying to do.
"""
)
