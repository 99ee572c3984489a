"""The pages in a real headless Chromium (Debian's, driven by Playwright), served by a real uvicorn.

A reader opens the events, opens an event, clicks a figure and lands on the
document with that sentence highlighted; the event page is drawn (not a blank
screenshot); a hostile document is shown as text and runs nothing; the report
opens from a file with nothing fetched. Set CLAIMLEDGER_SCREENSHOTS=DIR to
keep a screenshot of each page there.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from typer.testing import CliRunner

from claimledger.cli import app as cli
from claimledger.web import create_app
from web_support import (HOSTILE_ID, HOSTILE_TITLE, assert_lands_on_sentence, browser, build_ledger,  # noqa: F401
                         find_chromium, keep_screenshot, page, png_stats, served)

pytest.importorskip("playwright.sync_api", reason="playwright is a test dependency")
pytestmark = pytest.mark.skipif(
    find_chromium() is None, reason="no Chromium found for the browser tests: apt-get install chromium")
VELMORA = "velmora-attack-2023-03-14"


@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> Path:
    return build_ledger(tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="module")
def base_url(ledger):
    with served(create_app(ledger)) as url:
        yield url


def test_open_an_event_click_a_figure_land_on_its_sentence(page, base_url, tmp_path):
    page.goto(f"{base_url}/events")
    keep_screenshot(page, "events", tmp_path)
    page.locator(f'.event-card h2 a[href="/events/{VELMORA}"]').click()
    page.wait_for_url(f"{base_url}/events/{VELMORA}")
    assert page.locator("section.group").first.locator(".badge").inner_text().lower() == "conflicting"
    link = page.locator("table.measures a.figure-link").first
    figure = link.inner_text()
    link.click()
    assert_lands_on_sentence(page, figure)
    keep_screenshot(page, "document-at-claim", tmp_path, full_page=False)
    page.watch.assert_quiet()


def test_a_figure_on_the_events_page_and_in_a_chart_opens_its_sentence(page, base_url):
    page.goto(f"{base_url}/events")
    link = page.locator("table.measures a.figure-link").first
    figure = link.inner_text()
    link.click()
    assert_lands_on_sentence(page, figure)
    page.goto(f"{base_url}/events/{VELMORA}")
    mark = page.locator("figure.chart svg a").first  # a mark of the interval chart
    mark.click()
    page.wait_for_url(re.compile(r".*/documents/.+#claim-\d+$"))
    assert page.locator("mark.evidence:has(:target)").is_visible()
    page.watch.assert_quiet()


def test_event_page_is_drawn(page, base_url, tmp_path):
    page.goto(f"{base_url}/events/{VELMORA}")
    charts = page.locator("figure.chart svg")
    assert charts.count() >= 2
    box = charts.first.bounding_box()
    assert box["width"] > 300 and box["height"] > 60
    png = keep_screenshot(page, "event", tmp_path)
    stats = png_stats(page.context.browser, png)
    assert stats["height"] > 900
    assert stats["colours"] > 100, stats  # text, badges, charts: not a blank page
    assert stats["inked"] > 0.03, stats
    conflict = page.locator(".badge.status-conflicting").first
    assert conflict.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(180, 35, 24)"
    page.watch.assert_quiet()


def test_hostile_document_is_shown_as_text_and_runs_nothing(page, base_url, tmp_path):
    doc_url = f"{base_url}/documents/{quote(HOSTILE_ID, safe='/')}"
    page.goto(doc_url)
    assert page.locator("h1").inner_text() == HOSTILE_TITLE
    assert page.get_by_text("<script>alert(1)</script> Tarvel report", exact=False).first.is_visible()
    assert page.get_by_text("javascript:alert(3)", exact=False).first.is_visible()
    page.locator(".doctext").hover()
    page.locator("mark.evidence").first.hover()
    event_href = page.locator("table.claims a[href^='/events/']").first.get_attribute("href")
    keep_screenshot(page, "hostile-document", tmp_path)
    for path in ("/events", event_href, "/corpus", "/search?q=rescuers"):
        page.goto(base_url + path)
        page.locator("main").hover()
    for path in (doc_url, base_url + event_href, base_url + "/corpus"):
        page.goto(path)
        injected = page.evaluate("""() => ({
            scripts: document.scripts.length,
            images: document.images.length,
            handlers: document.querySelectorAll('[onerror], [onmouseover], [onload], [onclick]').length,
            jsLinks: [...document.querySelectorAll('a')].filter(a => a.protocol === 'javascript:').length,
        })""")
        assert injected == {"scripts": 0, "images": 0, "handlers": 0, "jsLinks": 0}, path
    page.watch.assert_quiet()


def test_report_opens_from_a_file_with_nothing_fetched(page, ledger, tmp_path):
    report = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["report", "--db", str(ledger), "-o", str(report)])
    assert result.exit_code == 0, result.output
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(report.as_uri())
    assert requests == [report.as_uri()]
    assert page.locator("svg").count() >= 2
    assert page.get_by_text("<script>alert(1)</script>", exact=False).first.is_visible()
    link = page.locator("table.measures a.figure-link").first
    link.click()
    row = page.locator("tr:target")
    assert row.count() == 1 and row.is_visible()
    keep_screenshot(page, "report", tmp_path, full_page=False)
    assert requests == [report.as_uri()]
    page.watch.assert_quiet()
