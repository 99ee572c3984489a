"""The ledger as a journalist reads it, in a real Chromium: the demo's ledger and the seeds' ledger.

On the seeds (real web pages about one event, `../shared/seeds`; skipped
where absent) the event page says in plain words that "killed" differs but
can all be true, and why; shows "hundreds" and "at least 161" as the reports
wrote them; names documents by outlet or title rather than by file-hash id;
stays shorter than 5,000 pixels at 1280 wide; and a figure's permalink opens
it highlighted. On the demo ledger (made by `claimledger demo`) the same
reading holds for fictional reports. Set CLAIMLEDGER_SCREENSHOTS=DIR to keep
the screenshots (events, event and document pages of both ledgers).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimledger.cli import app as cli
from claimledger.web import create_app
from conftest import SEEDS
from web_support import assert_lands_on_sentence, browser, find_chromium, keep_screenshot, page, served  # noqa: F401

pytest.importorskip("playwright.sync_api", reason="playwright is a test dependency")
pytestmark = pytest.mark.skipif(
    find_chromium() is None, reason="no Chromium found for the browser tests: apt-get install chromium")
MAX_EVENT_PAGE_HEIGHT = 5000  # pixels at 1280 wide
HEX_ID = re.compile(r"\b\d{3}_[0-9a-f]{16}\b|\b[0-9a-f]{16}\b")


def _ingest(folder: Path, db: Path) -> Path:
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--db", str(db), "--engine", "serial", "--quiet"])
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture(scope="module")
def seeds_url(tmp_path_factory):
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside this clone")
    db = _ingest(SEEDS, tmp_path_factory.mktemp("seeds") / "seeds.db")
    with served(create_app(db)) as url:
        yield url


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory):
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    result = CliRunner().invoke(cli, ["demo", "--db", str(db), "--engine", "serial"])
    assert result.exit_code == 0, result.output
    with served(create_app(db)) as url:
        yield url


def _json(page, url: str) -> dict:
    response = page.request.get(url, headers={"Accept": "application/json"})
    assert response.ok
    return response.json()


def _main_event(page, base: str) -> dict:
    """The event with the most claims: the one the corpus is about."""
    events = _json(page, f"{base}/events.json")["events"]
    return max(events, key=lambda e: e["claims"])


def _row(page, label: str):
    return page.locator("table.measures tr").filter(has=page.locator("th.what", has_text=re.compile(f"^{label}$")))


def _visible_text(page) -> str:
    return page.evaluate("document.body.innerText")


def test_seeds_killed_differs_but_can_all_be_true_and_says_why(page, seeds_url, tmp_path):
    event = _main_event(page, seeds_url)
    page.goto(seeds_url + event["href"])
    killed = _row(page, "killed")
    assert killed.count() == 1
    badge = killed.locator(".badge")
    assert badge.inner_text().lower() == "differ · compatible"
    reason = killed.locator(".reason").inner_text()
    assert "613" in reason and "“at least 161”" in reason and "“hundreds”" in reason
    figures = killed.locator("td.figures a.figure-link").all_inner_texts()
    assert "at least 161" in figures and "hundreds" in figures and "613" in figures  # as the reports wrote them
    assert "200–999" not in killed.locator("td.figures").inner_text()  # the tool's reading is a tooltip
    reported, *notes = killed.locator("td.range").inner_text().splitlines()
    assert reported == "at least 161 to 613"  # only bounds someone reported...
    assert "999" in notes[0] and "convention" in notes[0]  # ...and a convention's bound marked as such
    legend = page.locator("dl.statuses").inner_text()
    assert "one number fits them all" in legend and "cannot both be true" in legend
    keep_screenshot(page, "seeds-event", tmp_path)
    page.watch.assert_quiet()


def test_seeds_pages_name_documents_not_file_hashes(page, seeds_url, tmp_path):
    documents = _json(page, f"{seeds_url}/corpus.json")["documents"]
    named = [d["doc_id"] for d in documents if d["title"] or d["site"]]
    assert named, "the seeds have titles or outlets"
    event = _main_event(page, seeds_url)
    for path, shot in ((event["href"], None), ("/events", "seeds-events")):  # the corpus page lists ids too
        page.goto(seeds_url + path)
        shown = _visible_text(page)
        for doc_id in named:
            assert doc_id not in shown, (path, doc_id)
        if shot:
            keep_screenshot(page, shot, tmp_path)
    page.goto(seeds_url + event["href"])
    for fold in page.locator("details.folded").all():  # what a reader sees once every fold is opened
        fold.locator("summary").first.click()
    shown = _visible_text(page)
    assert not [d for d in named if d in shown]
    page.watch.assert_quiet()


def test_seeds_event_page_is_compact(page, seeds_url):
    event = _main_event(page, seeds_url)
    page.goto(seeds_url + event["href"])
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < MAX_EVENT_PAGE_HEIGHT, height
    data = _json(page, seeds_url + event["href"] + ".json")
    charted = [g for g in data["groups"] if g["charts"]["interval"]]
    assert all(g["figures_differ"] for g in charted)
    assert page.locator("figure.chart svg").count() == len(charted) + sum(bool(g["charts"]["time"]) for g in charted)
    single = [g for g in data["groups"] if g["reading"] == "single"]
    if single:
        assert not page.locator("details.folded", has_text="given by one claim only").first.get_attribute("open")
    for legend in page.locator("ul.chart-legend").all():  # only sources drawn, named, no internal ids
        assert "claim" not in legend.inner_text()


def test_seeds_figure_permalink_opens_it_highlighted(page, seeds_url, tmp_path):
    event = _main_event(page, seeds_url)
    data = _json(page, seeds_url + event["href"] + ".json")
    killed = next(g for g in data["groups"] if g["measure"] == "killed" and g["subgroup"] is None)
    row = next(r for r in killed["rows"] if r["figure"] == "at least 161")
    page.goto(seeds_url + event["href"])
    permalink = page.locator(f'a.permalink[href="{row["permalink"]}"]')
    assert permalink.count() == 1
    page.goto(seeds_url + row["permalink"])
    assert_lands_on_sentence(page, row["figure"])
    assert page.locator(":target").inner_text().startswith("at least 161")
    keep_screenshot(page, "seeds-document", tmp_path, full_page=False)
    page.watch.assert_quiet()


def test_demo_ledger_reads_the_same_way(page, demo_url, tmp_path):
    page.goto(demo_url + "/events")
    keep_screenshot(page, "demo-events", tmp_path)
    event = _main_event(page, demo_url)
    page.locator(f'.event-card h2 a[href="{event["href"]}"]').click()
    killed = _row(page, "killed")
    assert killed.locator(".badge").inner_text().lower() == "conflicting"
    assert "cannot both be true" in killed.locator(".reason").inner_text()
    assert "at least 27" in killed.locator("td.figures a.figure-link").all_inner_texts()
    wounded = _row(page, "wounded")
    assert "some 60" in wounded.locator("td.figures").inner_text()
    assert "54–66" not in wounded.locator("td.range").inner_text().splitlines()[0]
    assert page.evaluate("document.documentElement.scrollHeight") < MAX_EVENT_PAGE_HEIGHT
    keep_screenshot(page, "demo-event", tmp_path)
    keep_screenshot(page, "demo-event-top", tmp_path, full_page=False)
    link = killed.locator("a.figure-link").first
    figure = link.inner_text()
    link.click()
    assert_lands_on_sentence(page, figure)
    keep_screenshot(page, "demo-document", tmp_path, full_page=False)
    page.goto(demo_url + "/search?q=Osvany")
    assert page.locator("ol.results li").count() >= 1
    page.watch.assert_quiet()


def test_chart_tooltips_give_the_reading(page, demo_url):
    event = _main_event(page, demo_url)
    page.goto(demo_url + event["href"])
    titles = page.locator("figure.chart svg a title").all_text_contents()
    assert titles and all("read as" in t for t in titles)
    assert any("by convention" in t or "a convention" in t for t in titles)
    assert json.dumps(titles).count("claim ") == 0
