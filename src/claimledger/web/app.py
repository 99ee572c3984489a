"""`claimledger serve`: the ledger in a browser (FastAPI), read-only.

Pages: /events (every event, conflicts first), /events/{event} (a row per
measure and subgroup: figures as written, status and reason, sources; charts
where figures differ; evidence), /documents/{doc_id} (the text with every
claim's sentence highlighted; a figure anywhere links to
/documents/{doc_id}#claim-{idx}), /claims/{claim_id} (a figure's permalink:
it leads there), /corpus (documents and skipped inputs), /search?q= (the
documents' text and titles). Every page has a JSON twin with the same
content: the same path with `.json` added, or `Accept: application/json`.
Every error has one shape, `{"ok": false, "status", "title", "error"}`, as
JSON or as an HTML page.

One SQLite connection serves every request: it holds the TEMP full-text
index (built by the first search), and a SQLite connection belongs to the thread that opened it, so the
ledger is opened in the server's event loop and the routes run there
(`async def`); each page is read inside one snapshot.
"""
from __future__ import annotations

import gc
from collections import OrderedDict
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from markupsafe import Markup
from starlette.exceptions import HTTPException as StarletteHTTPException

from claimledger.errors import ClaimledgerError
from claimledger.present.charts import group_charts
from claimledger.store import Ledger
from claimledger.web import pages, queries
from claimledger.web.highlight import document_html
from claimledger.web.links import WebLinks
from claimledger.web.render import environment
from claimledger.web.search import DocumentIndex

# No script runs on these pages (none is needed): a page that somehow carried input as markup still runs nothing.
CSP = ("default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; script-src 'none';"
       " form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HTML_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
PAGES_KEPT = 64  # pages of events kept for the ledger's current state
TITLES = {400: "Bad request", 404: "Not found", 405: "Method not allowed", 422: "Bad request",
          500: "Internal error"}


class _Served:
    """What the app holds while it runs: the ledger, its search index (built by the first search) and the
    pages it computed for the ledger as it is now."""

    def __init__(self, db_path: Path):
        self.ledger = Ledger(db_path, readonly=True)
        self.index = DocumentIndex(self.ledger.db)
        self.pages: OrderedDict[tuple, dict] = OrderedDict()

    def page(self, key: tuple, compute) -> dict:
        """A page's data, computed once for each state of the ledger (call inside a snapshot).

        A page is a function of the ledger, which only another process (an
        ingest) changes; SQLite's `data_version` says when it has, and every
        page kept from before is dropped then. An event of 10,000 claims is
        computed once, not on every visit.
        """
        version = queries.data_version(self.ledger.db)
        if self.pages and next(iter(self.pages))[0] != version:
            self.pages.clear()
        key = (version, *key)
        page = self.pages.get(key)
        if page is None:
            page = self.pages[key] = compute()
            if len(self.pages) > PAGES_KEPT:
                self.pages.popitem(last=False)
        else:
            self.pages.move_to_end(key)
        return page

    def close(self) -> None:
        self.ledger.close()


def _wants_json(request: Request, suffix: bool = False) -> bool:
    if suffix or request.url.path.endswith(".json"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _json_href(request: Request) -> str:
    path = request.url.path  # decoded: an id may hold "<", "#" or "?", so it is quoted again
    href = quote(path if path.endswith(".json") else path.rstrip("/") + ".json", safe="/")
    return href + (f"?{request.url.query}" if request.url.query else "")


def _split_json(raw: str, exists) -> tuple[str, bool]:
    """`name.json` asks for the JSON twin of `name`, unless `name.json` itself is what exists."""
    if raw.endswith(".json") and not exists(raw):
        return raw[: -len(".json")], True
    return raw, False


def create_app(db_path: str | Path, freeze_gc: bool = False) -> FastAPI:
    """The web app over one ledger file, opened read-only when the app starts.

    `freeze_gc`: the app owns its process (`claimledger serve`), so it may tune the garbage collector.
    """
    db_path = Path(db_path)
    env = environment()
    links = WebLinks()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        served = _Served(db_path)
        app.state.served = served
        if freeze_gc:
            # What starting loaded (the templates, the libraries) lives as long as the server: keep it out of
            # the collector's full passes, which a page of 10,000 claims would otherwise trigger over and over.
            gc.collect()
            gc.freeze()
        try:
            yield
        finally:
            served.close()

    app = FastAPI(title="claimledger", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.mount("/static", StaticFiles(packages=[("claimledger.web", "static")]), name="static")

    def served(request: Request) -> _Served:
        return request.app.state.served

    def respond(request: Request, template: str, page: dict, as_json: bool, **extra) -> Response:
        if as_json:
            return JSONResponse({"ok": True, **page})
        html = env.get_template(template).render(
            page=page, links=links, json_href=_json_href(request), ledger_name=db_path.name, query="", report=False,
            **extra)
        return HTMLResponse(html, headers=HTML_HEADERS)

    def error(request: Request, status: int, message: str) -> Response:
        body = {"ok": False, "status": status, "title": TITLES.get(status, "Error"), "error": message}
        if _wants_json(request):
            return JSONResponse(body, status_code=status)
        html = env.get_template("error.html").render(
            error=body, links=links, json_href=_json_href(request), ledger_name=db_path.name, query="", nav="")
        return HTMLResponse(html, status_code=status, headers=HTML_HEADERS)

    @app.exception_handler(pages.NotFound)
    async def not_found(request: Request, exc: pages.NotFound):
        return error(request, 404, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        message = "No page at this address." if exc.status_code == 404 else str(exc.detail)
        return error(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
        return error(request, 400, f"Bad request: {problems}")

    @app.exception_handler(ClaimledgerError)
    async def ledger_error(request: Request, exc: ClaimledgerError):
        return error(request, 500, str(exc))

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception):  # pragma: no cover - a bug; keep the one shape
        return error(request, 500, f"Internal error: {type(exc).__name__}")

    @app.get("/", include_in_schema=False)
    async def home(request: Request):
        return RedirectResponse("/events.json" if _wants_json(request) else "/events", status_code=302)

    @app.get("/events")
    @app.get("/events.json")
    async def events(request: Request):
        s = served(request)
        with s.ledger.snapshot():
            page = s.page(("events",), lambda: pages.events_page(s.ledger, links))
        return respond(request, "events.html", page, _wants_json(request), nav="events")

    @app.get("/events/{event_id}")
    async def event(request: Request, event_id: str, show_all: bool = Query(False, alias="all")):
        s = served(request)
        with s.ledger.snapshot():
            event_id, suffix = _split_json(event_id, lambda e: queries.event_exists(s.ledger.db, e))
            page = s.page(("event", event_id, show_all), lambda: pages.event_page(s.ledger, event_id, links, show_all))
        as_json = _wants_json(request, suffix)
        svgs = [] if as_json else [{k: Markup(v) for k, v in group_charts(g).items()} for g in page["groups"]]
        show_all_href = f"{links.event(event_id)}?all=1"
        return respond(request, "event.html", page, as_json, svgs=svgs, show_all_href=show_all_href, nav="events")

    @app.get("/documents/{doc_id:path}")
    async def document(request: Request, doc_id: str):
        s = served(request)
        with s.ledger.snapshot():
            doc_id, suffix = _split_json(doc_id, lambda d: queries.document(s.ledger.db, d) is not None)
            page = pages.document_page(s.ledger, doc_id, links)
        as_json = _wants_json(request, suffix)
        text_html = "" if as_json else document_html(page["text"], page["boilerplate"], page["claims"], page["relations"])
        return respond(request, "document.html", page, as_json, text_html=text_html, nav="corpus")

    @app.get("/claims/{claim_id:path}")
    async def claim(request: Request, claim_id: str):
        s = served(request)
        with s.ledger.snapshot():
            claim_id, suffix = _split_json(claim_id, lambda c: queries.claim_by_id(s.ledger.db, c) is not None)
            target = pages.claim_target(s.ledger, claim_id, links)
        if _wants_json(request, suffix):
            return JSONResponse({"ok": True, "claim_id": claim_id, "href": target})
        return RedirectResponse(target, status_code=302)

    @app.get("/corpus")
    @app.get("/corpus.json")
    async def corpus(request: Request, show_all: bool = Query(False, alias="all")):
        s = served(request)
        with s.ledger.snapshot():
            page = pages.corpus_page(s.ledger, links, show_all)
        return respond(request, "corpus.html", page, _wants_json(request), nav="corpus")

    @app.get("/search")
    @app.get("/search.json")
    async def search(request: Request, q: str = "", event: str = "", measure: str = ""):
        s = served(request)
        if q.strip():
            s.index.ensure_current()  # outside the snapshot: it may build the TEMP index
        with s.ledger.snapshot():
            page = pages.search_page(s.ledger, s.index, q, links, event, measure)
        return respond(request, "search.html", page, _wants_json(request), nav="")

    return app
