"""The Jinja2 environment of the pages and the report: autoescaped, strict about missing names."""
from __future__ import annotations

from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup


def _num(value) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("claimledger.web", "templates"),
        autoescape=True,  # every template, whatever its name: text from input is always escaped
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = _num
    return env


def stylesheet() -> Markup:
    """The pages' CSS, for the report to inline (our own file: no input in it)."""
    return Markup(resources.files("claimledger.web").joinpath("static", "style.css").read_text(encoding="utf-8"))
