"""Chart builders: pandas DataFrames in, ``plotly.graph_objects.Figure`` out, no Streamlit.

Every builder has a companion ``describe_<name>(...) -> str`` that writes a one-paragraph text
alternative of what the chart shows, for screen readers, reports and the "view as text" toggle.
Import them from here (``from ecm import charts``); the modules hold one job each:

- :mod:`~ecm.charts.style`: palette, marker shapes, sizes, number formats and the common frame
- :mod:`~ecm.charts.spine`: the spine chart
- :mod:`~ecm.charts.funnel_chart`: the funnel plot (its statistics are in :mod:`ecm.stats.funnel`)
- :mod:`~ecm.charts.trend_lines`: the trend chart
- :mod:`~ecm.charts.gap_chart`: ranked gaps
- :mod:`~ecm.charts.heat`: the heat map
- :mod:`~ecm.charts.histogram`: the distribution of one measure across places
- :mod:`~ecm.charts.map_charts`: hex and boundary maps (their geometry is in
:mod:`ecm.charts.map_geometry`)

Accessibility
-------------
- **Palette.** Okabe and Ito's colour-blind-safe set (Okabe & Ito 2008, *Color Universal
  Design*). *Better* is blue (#0072B2) and *worse* vermillion (#D55E00): blue against
  orange-red is the contrast that survives protanopia, deuteranopia and tritanopia. *Similar*
  is orange (#E69F00), which sits between them in hue but well apart in lightness (CIE L* 71
  against 54 for vermillion, still 15-19 apart after simulating each of the three
  dichromacies with Machado et al. 2009), and *not compared* is mid grey. Context measures
  with no polarity are *lower* (sky blue) or *higher* (reddish purple), neither of which reads
  as good or bad. Figures that cannot be tested but can be ranked take their quarter among the
  places ranked (LAIT's bands A-D: *best quarter* to *worst quarter*) in shades of one purple,
  darkest for the worst, with the band letter as their text symbol: a hue none of the tested
  words uses, so an untested position is never read as significant.
- **Never colour alone.** Each word has its own marker shape (``SYMBOLS``) and text symbol
  (``TEXT_SYMBOLS``); legends and hover text say the word; heat-map cells and hexes print the
  symbol. Markers carry a dark outline because orange and grey alone fall short of 3:1
  contrast with a white background; text on a coloured cell is black or white, whichever
  contrasts more.
- **Presentation mode.** ``presentation=True`` on any builder sets a 22px base font (14px
  otherwise) and larger markers and lines, for a meeting-room screen.

Maps
----
``boundary_map`` draws a ``go.Choropleth`` without a basemap. plotly.js still asks its CDN for a
world outline whenever a choropleth is drawn, and without a network the whole map fails, so
pass ``PLOTLY_CONFIG`` as the chart's config (``st.plotly_chart(fig, config=PLOTLY_CONFIG)``,
``fig.to_html(config=PLOTLY_CONFIG)``): it points that request at an empty outline held in the
page itself.
"""

from ecm.charts.funnel_chart import (
    FUNNEL_LIMIT_COLUMNS,
    FUNNEL_POINT_COLUMNS,
    FUNNEL_POSITIONS,
    describe_funnel_plot,
    funnel_plot,
)
from ecm.charts.gap_chart import GAP_COLUMNS, describe_ranked_gaps, ranked_gaps
from ecm.charts.heat import HEAT_COLUMNS, cell_text, describe_heat_map, heat_map
from ecm.charts.histogram import describe_distribution, distribution
from ecm.charts.map_charts import (
    AREA_COLUMNS,
    HEX_COLUMNS,
    boundary_map,
    describe_boundary_map,
    describe_hex_map,
    hex_map,
    short_label,
    unique_labels,
)
from ecm.charts.spine import (
    IQR_GREY,
    RANGE_GREY,
    SPINE_COLUMNS,
    SPINE_LEGEND,
    describe_spine_chart,
    spine_chart,
    spine_positions,
)
from ecm.charts.style import (
    BETTER,
    COLOURS,
    COMPARISONS,
    EMPTY_TOPOJSON_URL,
    ENGLAND_COLOUR,
    EXTRA_COLOURS,
    HIGHER,
    LOWER,
    NOT_COMPARED,
    OUTLINE,
    PLOTLY_CONFIG,
    QUARTERS,
    SERIES_COLOURS,
    SERIES_SYMBOLS,
    SIMILAR,
    SYMBOLS,
    TEXT_SYMBOLS,
    WORSE,
    Style,
    fmt,
    ink,
    label,
    style_for,
    wrap,
)
from ecm.charts.trend_lines import TREND_COLUMNS, describe_trend_chart, trend_chart

__all__ = [
    "AREA_COLUMNS",
    "BETTER",
    "COLOURS",
    "COMPARISONS",
    "EMPTY_TOPOJSON_URL",
    "ENGLAND_COLOUR",
    "EXTRA_COLOURS",
    "FUNNEL_LIMIT_COLUMNS",
    "FUNNEL_POINT_COLUMNS",
    "FUNNEL_POSITIONS",
    "GAP_COLUMNS",
    "HEAT_COLUMNS",
    "HEX_COLUMNS",
    "HIGHER",
    "IQR_GREY",
    "LOWER",
    "NOT_COMPARED",
    "OUTLINE",
    "PLOTLY_CONFIG",
    "RANGE_GREY",
    "QUARTERS",
    "SERIES_COLOURS",
    "SERIES_SYMBOLS",
    "SIMILAR",
    "SPINE_COLUMNS",
    "SPINE_LEGEND",
    "SYMBOLS",
    "TEXT_SYMBOLS",
    "TREND_COLUMNS",
    "WORSE",
    "Style",
    "boundary_map",
    "cell_text",
    "describe_boundary_map",
    "describe_distribution",
    "describe_funnel_plot",
    "describe_heat_map",
    "describe_hex_map",
    "describe_ranked_gaps",
    "describe_spine_chart",
    "describe_trend_chart",
    "distribution",
    "fmt",
    "funnel_plot",
    "heat_map",
    "hex_map",
    "ink",
    "label",
    "ranked_gaps",
    "short_label",
    "unique_labels",
    "spine_chart",
    "spine_positions",
    "style_for",
    "trend_chart",
    "wrap",
]
