"""Presentation mode on the two projector screens Boards meet around, 1366x768 and 1920x1080:
every panel of the school, area and region pages starts on screen without scrolling (its first
table row, tile, chart or line of text inside the viewport), the header is one line, no text
on screen is smaller than the projector's floor, and text keeps WCAG's 4.5:1 contrast (its ink
blended with what lies behind it where the colour or an element is translucent). On the
fictional demo and on a store built from the real files.

Each panel's screenshot (what the room sees, no scrolling) is saved for people to look at.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from ecm.figures.queries import load_local_authorities, load_regions, resolve_area
from ecm.store.engine import make_engine
from ecm.ui.presenting import SMALLEST_TYPE_PX
from tests.e2e.helpers import RUN_TIMEOUT_MS, serve_dashboard, sign_in, wait_for_app_run
from tests.helpers import school_with_headline_gap

pytestmark = pytest.mark.e2e

SCREENS = {"1366x768": (1366, 768), "1920x1080": (1920, 1080)}

#: The panel's first content: its first table row, chart, tile (a bordered box), list item or
#: paragraph after the panel's title, and how tall the one-line header is; every visible text
#: with its size, and its contrast against the first opaque background behind it.
MEASURE = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const title = main.querySelector('h2');
  const header = document.querySelector('.st-key-present_header');
  const after = selector => [...main.querySelectorAll(selector)].filter(
    e => title.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING
         && e.getBoundingClientRect().height > 0);
  // A table row, chart or tile first; a panel of sentences only is judged by its first line.
  // A chart is judged by its drawing (plotly's svg), which can outgrow its element.
  const first = after('[data-testid="stTable"] tbody tr, [data-testid="stPlotlyChart"] .main-svg, '
                      + '[data-testid="stVerticalBlock"][class*="border"]')[0]
    || after('[data-testid="stMarkdownContainer"] li, [data-testid="stMarkdownContainer"] p')[0];
  const box = first.getBoundingClientRect();
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => v / 255)
    .map(v => v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
    .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const behind = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length >= 3 && (c.length < 4 || c[3] > 0.9)) return c;
    }
    return [255, 255, 255];
  };
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el) continue;
    const range = document.createRange(); range.selectNodeContents(node);
    const r = range.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.bottom <= 0 || r.top >= innerHeight) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.fontFamily.includes('Material')) continue;
    // Chart text sits on coloured cells whose ink is chosen for contrast (ecm.charts.ink):
    // only the page's own text is measured here.
    const inSvg = el instanceof SVGElement;
    // Text drawn in a translucent colour, or inside a faded element, is the blend of its ink
    // and what lies behind it: that blend is what the room reads.
    let alpha = style.color.startsWith('rgba') ? rgb(style.color)[3] : 1;
    for (let e = el; e; e = e.parentElement) alpha *= parseFloat(getComputedStyle(e).opacity);
    const bg = behind(el);
    const fg = rgb(style.color).slice(0, 3).map((v, i) => v * alpha + bg[i] * (1 - alpha));
    const [a, b] = [lum(fg) + 0.05, lum(bg.slice(0, 3)) + 0.05];
    texts.push({
      text: node.textContent.trim().slice(0, 40), size: parseFloat(style.fontSize),
      contrast: inSvg ? 21 : Math.max(a, b) / Math.min(a, b),
      disabled: !!el.closest('button:disabled, [aria-disabled="true"]'),
    });
  }
  return {
    first: {tag: first.tagName, test: first.dataset.testid || '', top: box.top, bottom: box.bottom,
            text: first.textContent.trim().slice(0, 60)},
    title: title.textContent, header: header ? header.getBoundingClientRect().height : null,
    root: parseFloat(getComputedStyle(document.documentElement).fontSize),
    grids: main.querySelectorAll('[data-testid="stDataFrame"]').length,
    texts,
  };
}"""


def presented(page: Page, url: str) -> dict:
    """Open ``url`` (a page in presentation mode) and measure what the room sees."""
    page.goto(url, timeout=RUN_TIMEOUT_MS)
    expect(page.locator(".st-key-present_header h1")).to_be_visible(timeout=RUN_TIMEOUT_MS)
    expect(page.get_by_role("heading", level=2)).to_be_visible(timeout=RUN_TIMEOUT_MS)
    wait_for_app_run(page)
    return page.evaluate(MEASURE)


def panel_count(page: Page) -> int:
    """The N of "Panel n of N" in the header."""
    text = page.locator(".st-key-present_header").get_by_text(re.compile(r"Panel \d+ of \d+"))
    return int(re.search(r"of (\d+)", text.inner_text()).group(1))


def check_every_panel(browser: Browser, url: str, name: str, folder: Path) -> list[str]:
    """Check each panel of the page at ``url`` on both screens (screenshots in ``folder``);
    return what failed, one line each, so one run reports every panel."""
    failures = []
    for screen, (width, height) in SCREENS.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        sign_in(context, url)
        page = context.new_page()
        try:
            presented(page, f"{url}&present=1")
            for number in range(1, panel_count(page) + 1):
                seen = presented(page, f"{url}&present=1&panel={number}")
                page.screenshot(path=str(folder / f"{name}-{screen}-panel{number}.png"))
                where = f"{name} {screen} panel {number} ({seen['title']})"
                failures += panel_failures(seen, height, where)
        finally:
            context.close()
    return failures


def panel_failures(seen: dict, height: int, where: str) -> list[str]:
    """What is wrong with one presented panel, as sentences (none when it is right)."""
    failures = []
    first = seen["first"]
    if first["bottom"] > height:
        failures.append(f"{where}: first content ends at {first['bottom']:.0f} px > {height}")
    # One line of header: its buttons are 2.5rem tall; a second line would add 2rem or more.
    if seen["header"] is None or seen["header"] > 3.2 * seen["root"]:
        failures.append(f"{where}: header {seen['header']} px tall, more than one line")
    if seen["grids"]:
        failures.append(f"{where}: a data grid (canvas, fixed small type) is on screen")
    small = [t for t in seen["texts"] if t["size"] < SMALLEST_TYPE_PX]
    if small:
        failures.append(f"{where}: text below {SMALLEST_TYPE_PX} px: {small[:3]}")
    faint = [t for t in seen["texts"] if t["contrast"] < 4.5 and not t["disabled"]]
    if faint:
        failures.append(f"{where}: contrast below 4.5:1: {faint[:3]}")
    return failures


@pytest.fixture(scope="module")
def screenshots() -> Path:
    """A temporary folder for the panels' screenshots, left for people to look at after the
    run (pytest's own temporary folders are pruned by later runs); its path is printed."""
    folder = Path(tempfile.mkdtemp(prefix="ecm-presentation-"))
    print(f"presentation screenshots: {folder}")
    return folder


@pytest.fixture(scope="module")
def demo_places(demo_database_url: str) -> dict[str, str]:
    """A school with a headline gap, the first LA and the first region of the demo."""
    engine = make_engine(demo_database_url)
    places = {
        "school": f"urn={resolve_area(engine, 'school', school_with_headline_gap(engine))['code']}",
        "area": f"la={load_local_authorities(engine).iloc[0]['code']}",
        "region": f"code={load_regions(engine).iloc[0]['code']}",
    }
    engine.dispose()
    return places


@pytest.mark.parametrize("name", ["school", "area", "region"])
def test_every_demo_panel_starts_on_a_projector_screen_in_large_type(
    browser: Browser, app_url: str, demo_places: dict, screenshots: Path, name: str
) -> None:
    failures = check_every_panel(
        browser, f"{app_url}/{name}?{demo_places[name]}", f"demo-{name}", screenshots
    )
    assert not failures, "\n".join(failures)


@pytest.fixture(scope="module")
def real_url(real_stores) -> Iterator[str]:
    """The dashboard on the store holding every real file."""
    with serve_dashboard(real_stores.url("everything")) as url:
        yield url


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("name", "place"),
    [
        ("school", "urn=115852&period=2018/19"),  # Balksbury Junior School, Hampshire
        ("area", "la=E10000014&period=2018/19"),  # Hampshire
        ("region", "code=E12000008&period=2018/19"),  # South East
    ],
)
def test_every_real_panel_starts_on_a_projector_screen_in_large_type(
    browser: Browser, real_url: str, screenshots: Path, name: str, place: str
) -> None:
    failures = check_every_panel(browser, f"{real_url}/{name}?{place}", f"real-{name}", screenshots)
    assert not failures, "\n".join(failures)
