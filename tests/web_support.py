"""What the web tests share: a ledger of the example corpus plus hostile and awkward inputs, a real uvicorn
on 127.0.0.1, the browser to drive, and a way to tell a blank screenshot from a page."""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import threading
import time
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimledger.cli import app as cli

EXAMPLES = Path(str(resources.files("claimledger").joinpath("examples", "corpus")))
HOSTILE_ID = "hostile/<script>alert(4)</script>"
HOSTILE_TITLE = "<script>alert(1)</script> Tarvel <img src=x onerror=alert(2)>"
HOSTILE_TEXT = (
    "<script>alert(1)</script> Tarvel report <img src=x onerror=alert(2)>\n\n"
    "TARVEL, Ostrevia — At least 19 people were killed when the old bridge over the Lussa river collapsed in"
    " Tarvel on Wednesday, according to <b onmouseover=alert(6)>rescuers</b>."
    ' <a href="javascript:alert(3)">Read more</a> javascript:alert(7)\n'
)
SLASH_ID = "2024/report-7"
SLASH_TEXT = (
    "Tarvel bridge collapse: toll rises\n\n"
    "TARVEL, Ostrevia, 4 May 2023 — At least 14 people were killed when the old bridge over the Lussa river"
    " collapsed in Tarvel on Wednesday, the fire brigade said.\n"
)
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync"]


def write_corpus(folder: Path) -> Path:
    """The bundled example corpus, a document whose id has a slash, a hostile one, and a broken input."""
    corpus = folder / "corpus"
    shutil.copytree(EXAMPLES, corpus)
    (corpus / "2024").mkdir()
    (corpus / "2024" / "report-7.txt").write_text(SLASH_TEXT, encoding="utf-8")
    record = {"id": HOSTILE_ID, "title": HOSTILE_TITLE, "url": "javascript:alert(3)", "published": "2023-05-05",
              "text": HOSTILE_TEXT}
    (corpus / "hostile.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    (corpus / "broken.jsonl").write_text('{"id": "broken", "text": \n', encoding="utf-8")
    return corpus


def build_ledger(folder: Path) -> Path:
    """Ingest the test corpus with the real pipeline, as a user would (the CLI, serial engine)."""
    db = folder / "ledger.db"
    result = CliRunner().invoke(cli, ["ingest", str(write_corpus(folder)), "--db", str(db), "--engine", "serial",
                                      "--quiet"])
    assert result.exit_code == 0, result.output
    return db


@contextmanager
def served(app):
    """Run an ASGI app on a real uvicorn on 127.0.0.1 (a free port) in a thread; yields its base URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_chromium() -> str | None:
    """Debian's chromium (or one named by CLAIMLEDGER_CHROMIUM); never a browser Playwright downloads."""
    named = os.environ.get("CLAIMLEDGER_CHROMIUM")
    if named:
        return named if Path(named).exists() else None
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


# Runs in a blank page of the browser: decode the screenshot there and count what a reader would see.
PNG_STATS_JS = """async (b64) => {
  const img = new Image();
  img.src = "data:image/png;base64," + b64;
  await img.decode();
  const canvas = document.createElement("canvas");
  canvas.width = img.width; canvas.height = img.height;
  const ctx = canvas.getContext("2d");
  ctx.drawImage(img, 0, 0);
  const data = ctx.getImageData(0, 0, img.width, img.height).data;
  const colours = new Set();
  let inked = 0, seen = 0;
  for (let i = 0; i < data.length; i += 4 * 3) {
    colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    seen += 1;
    if (Math.min(data[i], data[i + 1], data[i + 2]) < 235) inked += 1;
  }
  return {width: img.width, height: img.height, colours: colours.size, inked: inked / seen};
}"""


def png_stats(browser, png: bytes) -> dict:
    """Size, distinct colours and the share of non-white pixels of a PNG, decoded by the browser itself."""
    import base64

    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    page = browser.new_page()
    try:
        return page.evaluate(PNG_STATS_JS, base64.b64encode(png).decode("ascii"))
    finally:
        page.close()


class Watch:
    """What a page did that it should not: dialogs (alert), console messages, uncaught errors."""

    def __init__(self, page):
        self.dialogs, self.console, self.errors = [], [], []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def assert_quiet(self):
        assert self.dialogs == [] and self.console == [] and self.errors == []




def keep_screenshot(page, name: str, tmp_path: Path, full_page: bool = True) -> bytes:
    png = page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=full_page)
    folder = os.environ.get("CLAIMLEDGER_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / f"{name}.png").write_bytes(png)
    return png


def assert_lands_on_sentence(page, figure_text: str):
    """The URL names a claim; that claim's figure is the page's :target, visible, inside a highlighted sentence."""
    page.wait_for_url(re.compile(r".*/documents/.+#claim-\d+$"))
    target = page.locator(":target")
    assert target.count() == 1
    digits = re.sub(r"\D", "", figure_text.split("–")[0])
    assert digits and digits in re.sub(r"\D", "", target.inner_text())
    sentence = page.locator("mark.evidence:has(:target)")
    assert sentence.count() == 1
    assert sentence.is_visible() and target.is_visible()
    assert target.evaluate(
        "el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }")
    colour = sentence.evaluate("el => getComputedStyle(el).backgroundColor")
    other = page.locator("mark.evidence:not(:has(:target))")
    if other.count():
        assert colour != other.first.evaluate("el => getComputedStyle(el).backgroundColor")  # it stands out


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium, headless, driven by Playwright (import this fixture into a test module)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=find_chromium(), args=BROWSER_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page 1280 pixels wide that records what it should not do (see Watch)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.watch = Watch(page)
    yield page
    context.close()
