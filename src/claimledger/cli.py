"""The command line: a thin shell over the library (Typer + Rich).

Exit codes of `ingest`: 0 the run finished (skipped inputs are listed and
counted); 3 with --strict when anything was skipped; 1 the run could not do
its job (ledger unusable or busy, no input found); 2 wrong usage; 130
stopped by Ctrl-C (after the document being written; the next run goes on).
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import tempfile
import threading
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from claimledger.errors import ClaimledgerError, UsageError
from claimledger.limits import DEFAULT_MAX_DOC_CHARS, DEFAULT_MAX_DOC_SECONDS

app = typer.Typer(
    help="claimledger: a ledger of every reported casualty figure, reconciled across sources.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console()
err = Console(stderr=True)

EXIT_FAILED = 1
EXIT_SKIPPED_STRICT = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a command stopped by Ctrl-C

DbOption = Annotated[Path, typer.Option("--db", help="The ledger file (SQLite).")]
STALE_NOTE = ("the findings are out of date: an ingest is writing the ledger now, or stopped before reconciling"
              " (run it again)")


def _fail(message: str) -> None:
    err.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True)
    raise typer.Exit(EXIT_FAILED)


@contextmanager
def _stop_on_interrupt(stop: threading.Event):
    """Ctrl-C sets `stop` (the run ends after the document being written); a second Ctrl-C stops at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_interrupt(signum, frame):
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        # os.write, not the console: the handler may run in the middle of the progress bar's own printing.
        os.write(2, b"\ninterrupted: stopping once the document being written is stored (Ctrl-C again to stop at once)\n")

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def run_ingest(paths: list[Path], db: Path, engine: str, workers: int | None, quiet: bool = False,
               limits=None, scheduler: str | None = None):
    """Ingest with a progress bar and one line per skipped input; returns the run summary.

    Ctrl-C ends the run with exit code 130 once the document being written is
    in the ledger; the ledger stays consistent and the same command finishes it.
    """
    from claimledger.engines import make_engine
    from claimledger.records import Skipped
    from claimledger.runner import count_inputs, ingest
    from claimledger.store import Ledger

    existing = [p for p in paths if p.exists() or p.is_symlink()]
    if not existing:
        _fail("no input found: " + ", ".join(str(p) for p in paths))
    try:
        runner_engine = make_engine(engine, workers, limits=limits, scheduler=scheduler)
    except UsageError as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from None
    progress = Progress(
        TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("{task.description}"), console=err, disable=quiet, transient=False,
    )

    def on_document(item, result) -> None:  # a Document or Skipped, and its DocumentResult (or None)
        if isinstance(item, Skipped):
            progress.console.print(f"[yellow]skipped[/] {escape(item.origin)}: {escape(item.reason)}", soft_wrap=True)
        elif result is not None and result.status != "ok":
            progress.console.print(f"[yellow]skipped[/] {escape(item.origin)}: {escape(result.reason or '')}",
                                   soft_wrap=True)
        done = progress.tasks[task].completed + 1
        if progress.tasks[task].total is not None and done > progress.tasks[task].total:
            progress.update(task, total=done)  # a crawl file holds more records than files counted
        progress.update(task, advance=1, description=escape(getattr(item, "doc_id", None) or ""))

    stop = threading.Event()
    try:
        # The writer lock first: a busy ledger fails fast. An engine that holds a cluster closes it at the end.
        with _stop_on_interrupt(stop), Ledger(db) as ledger, contextlib.ExitStack() as held:
            if hasattr(runner_engine, "close"):
                held.callback(runner_engine.close)
            total = count_inputs(existing)
            with progress:
                task = progress.add_task("", total=total or None)
                summary = ingest(paths, ledger, runner_engine, on_document, limits=limits, stop=stop)
    except ClaimledgerError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        err.print("[bold red]stopped[/]: the document being written was rolled back; the ledger is consistent."
                  " Run the same command again to finish.", soft_wrap=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    for warning in summary.warnings:
        err.print(f"[yellow]warning[/] {escape(warning)}", soft_wrap=True)
    return summary


def print_summary(summary) -> None:
    out.print(
        f"inputs {summary.documents_seen}: new or changed {summary.processed}, unchanged {summary.unchanged}, "
        f"skipped {len(summary.skipped)}"
    )
    for reason, n in sorted(summary.skip_reasons.items()):
        out.print(f"  skipped {n}: {escape(reason)}")
    out.print(f"claims {summary.claims}, groups {summary.groups}, conflicts {summary.conflicts}")
    if summary.interrupted:
        out.print("interrupted: the documents written so far are in the ledger; the findings are not recomputed"
                  " yet. Run the same command again to finish.")


@app.command("ingest")
def ingest_command(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders: .txt, .html, .jsonl (each also .gz).")],
    db: DbOption,
    engine: Annotated[str, typer.Option(
        help="serial | local (process pool, default) | dask (a Dask cluster; needs the dask extra)")] = "local",
    workers: Annotated[int | None, typer.Option(
        help="Worker processes: of the local pool, or of the local Dask cluster (default: one per core).")
    ] = None,
    scheduler: Annotated[str | None, typer.Option(
        help="With --engine dask: the address of a running Dask scheduler (tcp://host:8786) instead of a local"
             " cluster.")] = None,
    strict: Annotated[bool, typer.Option(help="Exit with code 3 when any input was skipped.")] = False,
    quiet: Annotated[bool, typer.Option(help="No progress bar.")] = False,
    max_doc_chars: Annotated[int, typer.Option(
        min=0, help="Skip a document longer than this many characters (HTML as read); 0: no limit.")
    ] = DEFAULT_MAX_DOC_CHARS,
    max_doc_seconds: Annotated[float, typer.Option(
        min=0, help="Stop cleaning and extracting one document after this many seconds and skip it; 0: no limit.")
    ] = DEFAULT_MAX_DOC_SECONDS,
) -> None:
    """Read reports into the ledger, then reconcile the figures.

    Exit codes: 0 finished (skipped inputs are listed and counted); 3 with
    --strict when anything was skipped; 1 the ledger could not be used (or
    another ingest is writing it) or no input was found; 2 wrong usage;
    130 stopped by Ctrl-C after the document being written (run the same
    command again to finish).
    """
    from claimledger.runner import Limits

    limits = Limits(max_doc_chars=max_doc_chars or None, max_doc_seconds=max_doc_seconds or None)
    summary = run_ingest(paths, db, engine, workers, quiet, limits, scheduler)
    print_summary(summary)
    if summary.interrupted:
        raise typer.Exit(EXIT_INTERRUPTED)
    if strict and summary.skipped:
        raise typer.Exit(EXIT_SKIPPED_STRICT)


@app.command("export")
def export_command(
    db: DbOption,
    what: Annotated[str, typer.Option(help="claims | groups | documents")],
    format: Annotated[str, typer.Option("--format", help="jsonl | csv | parquet")] = "jsonl",
    output: Annotated[Path, typer.Option("-o", "--output", help="The file to write; - for standard output.")
                      ] = Path("-"),
    excel: Annotated[bool, typer.Option(
        help="Start the CSV with a byte-order mark, so Excel reads it as UTF-8 (dashes, quotes, names).")] = False,
) -> None:
    """Write claims, groups or documents in the export contract's format (extra columns after its own)."""
    from claimledger.present.export import export, export_bytes
    from claimledger.store import Ledger

    to_stdout = str(output) == "-"
    try:
        with Ledger(db, readonly=True) as ledger:
            if to_stdout:
                data, n = export_bytes(ledger, what, format, excel)
            else:
                n = export(ledger, what, format, output, excel)
            stale = ledger.findings_state() == "1"
    except UsageError as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from None
    except ClaimledgerError as exc:
        _fail(str(exc))
    if to_stdout:
        stream = typer.get_binary_stream("stdout")
        stream.write(data)
        stream.flush()
    err.print(f"wrote {n} {what} to {'standard output' if to_stdout else escape(str(output))}")
    if stale and what == "groups":
        err.print(f"[yellow]note:[/] {STALE_NOTE}", soft_wrap=True)


def print_findings(ledger) -> None:
    """The findings table (conflicts first) and what its statuses mean."""
    from claimledger.present.tables import findings_tables, status_legend
    from claimledger.web.links import WebLinks
    from claimledger.web.pages import events_page

    with ledger.snapshot():
        overview = events_page(ledger, WebLinks())
    if not overview["events"]:
        out.print("The ledger holds no findings yet.")
        return
    for table in findings_tables(overview):
        out.print(table)
    out.print("What the statuses mean:\n" + status_legend(), soft_wrap=True, highlight=False)


@app.command("show")
def show_command(db: DbOption) -> None:
    """Print the findings as a table, conflicts first: each figure as written, with the sources behind it."""
    from claimledger.store import Ledger

    try:
        with Ledger(db, readonly=True) as ledger:
            if ledger.findings_state() == "1":
                err.print(f"[yellow]note:[/] {STALE_NOTE}", soft_wrap=True)
            print_findings(ledger)
            skipped = ledger.skipped()
    except ClaimledgerError as exc:
        _fail(str(exc))
    if skipped:
        out.print(f"{len(skipped)} input(s) were skipped; `claimledger export --what documents` lists them.")


DEMO_LEDGER = Path("claimledger-demo.db")


@app.command("demo")
def demo_command(
    db: Annotated[Path, typer.Option("--db", help="Where to keep the demo ledger.")] = DEMO_LEDGER,
    engine: Annotated[str, typer.Option(help="serial | local | dask")] = "local",
) -> None:
    """Ingest the bundled example corpus (fictional reports) into a ledger you keep, show the findings, and
    say what to try next."""
    from claimledger.store import Ledger

    corpus = resources.files("claimledger").joinpath("examples", "corpus")
    with tempfile.TemporaryDirectory(prefix="claimledger-demo-") as tmp:
        folder = Path(tmp) / "corpus"
        with resources.as_file(corpus) as source:
            shutil.copytree(source, folder)
        out.print(f"Ingesting the bundled example corpus (fictional reports) into {escape(str(db))}")
        summary = run_ingest([folder], db, engine, None)
    print_summary(summary)
    try:
        with Ledger(db, readonly=True) as ledger:
            print_findings(ledger)
    except ClaimledgerError as exc:
        _fail(str(exc))
    name = escape(str(db) if " " not in str(db) else f'"{db}"')
    # As the user ran it: `.venv/bin/claimledger` when called by that path, so the lines work as pasted.
    prog = escape(sys.argv[0] if Path(sys.argv[0]).name == "claimledger" else "claimledger")
    out.print(
        f"\nThe ledger is kept in {escape(str(db))}. Next:\n"
        f"  {prog} serve --db {name}                  # browse it at http://127.0.0.1:8000/\n"
        f"  {prog} report --db {name} -o report.html  # one HTML file to send to an editor\n"
        f"  {prog} export --db {name} --what claims --format csv --excel -o claims.csv  # a spreadsheet",
        soft_wrap=True, highlight=False)


@app.command("check")
def check_command(db: DbOption) -> None:
    """Check a ledger: SQLite integrity, schema version, rows that refer to missing documents, stale findings.

    A ledger of an older schema is migrated first, after a backup copy
    (FILE.bak-v<old version>). Exit codes: 0 the ledger is fine; 1 a problem
    was found (one line each) or the file cannot be opened as a ledger.
    """
    from claimledger.store import Ledger
    from claimledger.store.check import check_ledger

    try:
        with Ledger(db, readonly=True) as ledger:
            report = check_ledger(ledger)
    except ClaimledgerError as exc:
        _fail(str(exc))
    out.print(f"ledger {escape(str(db))}: schema version {report.version}")
    if report.counts:
        out.print("  " + ", ".join(f"{table} {n}" for table, n in report.counts.items()), soft_wrap=True)
    for note in report.notes:
        out.print(f"note: {escape(note)}", soft_wrap=True)
    for problem in report.problems:
        out.print(f"problem: {escape(problem)}", soft_wrap=True)
    if not report.ok:
        raise typer.Exit(EXIT_FAILED)
    out.print("ok")


@app.command("serve")
def serve_command(
    db: DbOption,
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default: only this machine).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
) -> None:
    """Browse the ledger: events (conflicts first), each figure with its sentence, documents, search.

    Every page has a JSON twin (add .json to its address). The ledger is opened read-only.
    """
    from claimledger.store import Ledger

    try:
        Ledger(db, readonly=True).close()  # a missing or unreadable ledger fails here, with one line
        from claimledger.web import create_app
        from claimledger.web.serve import bound_port, listen, run

        web_app = create_app(db, freeze_gc=True)
        sock = listen(host, port)  # a port in use fails here, before anything says "Serving"
    except ImportError:
        _fail("the web app needs the web extra: pip install 'claimledger[web]'")
    except ClaimledgerError as exc:
        _fail(str(exc))
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[yellow]note:[/] listening on {escape(host)}: other machines can read this ledger", soft_wrap=True)
    shown = f"[{host}]" if ":" in host else host
    out.print(f"Serving {escape(str(db))} at http://{escape(shown)}:{bound_port(sock)}/ (Ctrl-C to stop)",
              soft_wrap=True)
    run(web_app, sock)


@app.command("report")
def report_command(
    db: DbOption,
    output: Annotated[Path, typer.Option("-o", "--output", help="The HTML file to write.")],
    title: Annotated[str | None, typer.Option(help="The report's title.")] = None,
) -> None:
    """Write one self-contained HTML file (inline CSS and SVG charts, no script) with every event, chart and sentence."""
    from claimledger.store import Ledger

    try:
        from claimledger.present.report import write_report

        with Ledger(db, readonly=True) as ledger:
            held = write_report(ledger, output, title)
    except ImportError:
        _fail("the report needs the web extra: pip install 'claimledger[web]'")
    except ClaimledgerError as exc:
        _fail(str(exc))
    err.print(f"wrote {escape(str(output))}: {held['events']} events, {held['claims']} claims,"
              f" {held['documents']} documents cited ({held['bytes'] // 1024} KiB)")


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # python -m claimledger.cli
    app()
