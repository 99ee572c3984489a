"""Linking reports to incidents across documents (tests/data/events): several shootings in one
city on different days, two bombings in two cities on one day, follow-ups with updated tolls,
relative dates ("on Sunday", "last Tuesday") resolved against the day of publication."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from claimledger.dates import parse_full_date, resolve_relative, with_year
from claimledger.link import canonical_events, corpus_cues, link_across_documents
from claimledger.link.cues import RecordCues, record_cues
from claimledger.link.gazetteer import county_town, writes_month_first
from claimledger.link.people import people
from claimledger.link.places import entry_place, places
from claimledger.read import content_hash
from claimledger.records import Document
from scoring import link_corpus, pairwise

DATA = Path(__file__).parent / "data"
# (corpus, pairwise F1 floor, precision floor). Each set was written by a helper who never saw the rules, first
# measured unseen, then used for development (so today's figures are optimistic for new text):
# events (45 reports, 12 incidents): F1 0.80 unseen, now 0.97 (P 1.00 R 0.94: a report with no place no longer
# joins the one incident of its kind that day);
# events_heldout (48 reports, 13 incidents): F1 0.52 unseen, now 0.96 (P 1.00 R 0.93);
# events_heldout2 (44 reports, 12 incidents, by hand): F1 0.61 unseen, now 0.97 (P 1.00 R 0.94);
# events_heldout3 (40 reports, 12 incidents, by hand: event records, live pages): F1 0.53 unseen, now 0.90
# (P 1.00 R 0.82);
# events_heldout4 (50 texts, 19 incidents, 4 singletons: short atrocity descriptions and list entries, US local
# shooting news): F1 0.75 unseen (P 1.00 R 0.60), now 0.91 (P 1.00 R 0.83);
# events_heldout5 (70 local-news reports, 27 incidents: follow-ups weeks later, datelines, photo captions):
# F1 0.36 unseen (P 0.68 R 0.24, measured at e5e3c3a before any change for it), now 0.99 (P 1.00 R 0.97): a
# development set since 0.76, its errors read.
# events_heldout6 (76 local-news reports, 30 incidents, written in issue 16's fourth session by a helper who never
# saw the tool): F1 0.845 unseen (P 0.822 R 0.870); 0.869 (P 0.829 R 0.913) with that session's linking changes,
# none made for it; its false joins (two same-day pairs in one city whose reports mention each other's street)
# were then solved: 0.955 (P 1.00 R 0.91) in the fifth session. A development set since.
# events_heldout7 (77 local-news reports, 29 incidents, 7 countries, written in the fifth session by a helper who
# never saw the tool): F1 0.974 unseen (P 1.000 R 0.949, commit 011b7a3, before anyone read it). Its errors are
# left unread: it guards against rules that fit the development sets only.
CORPORA = [("events", 0.95, 0.95), ("events_heldout", 0.94, 0.95), ("events_heldout2", 0.94, 0.95),
           ("events_heldout3", 0.90, 0.95), ("events_heldout4", 0.90, 0.95), ("events_heldout5", 0.97, 0.95),
           ("events_heldout6", 0.95, 0.95), ("events_heldout7", 0.95, 0.95)]


def test_relative_days_count_back_from_publication():
    assert resolve_relative("Sunday", "on", "2023-05-15") == "2023-05-14"  # a Monday paper
    assert resolve_relative("Monday", "on", "2023-05-15") == "2023-05-15"
    assert resolve_relative("Monday", "last", "2023-05-15") == "2023-05-08"
    assert resolve_relative("yesterday", None, "2023-01-01") == "2022-12-31"
    assert with_year(12, 30, "2023-01-02") == "2022-12-30"


@pytest.mark.parametrize(("corpus", "f1_floor", "precision_floor"), CORPORA)
def test_reports_of_one_incident_share_an_event(pipeline, corpus, f1_floor, precision_floor):
    truth, canonical, cues, texts = link_corpus(DATA / corpus, pipeline)
    assert len(texts) >= 40
    assert set(canonical) == set(truth), "every report has an event"
    precision, recall, f1 = pairwise(truth, canonical)
    assert precision >= precision_floor and f1 >= f1_floor, (precision, recall, f1)
    assert canonical == canonical_events(dict(reversed(list(cues.items())))), "ids do not depend on order"


def test_a_wire_dateline_without_a_year_takes_the_year_of_its_incident(pipeline):
    """ "DUNMORE, June 12 (Wire) —": the year comes from the dated reports of the same place."""
    texts, claims = {}, {}
    reports = {
        "first": "Blast kills six in Oskemar\n\nPublished 10 March 2021 — The Plains Herald\n\n"
                 "A bomb killed six people at a bus depot in Oskemar on Wednesday, police said.",
        "wire": "Oskemar toll rises\n\nOSKEMAR, March 12 (Steppe Wire) — The toll from Wednesday's bombing of a bus "
                "depot in Oskemar rose to nine after three of the wounded died, officials said.",
    }
    for doc_id, body in reports.items():
        result = pipeline.process(Document(doc_id, f"{doc_id}.txt", "text/plain", body, content_hash(body)))
        texts[doc_id], claims[doc_id] = result.text, list(result.claims)
    cues = corpus_cues(texts, claims, pipeline.ontology)
    assert cues["wire"].date == "2021-03-10"
    assert len(set(canonical_events(cues).values())) == 1


def test_relative_expressions_count_back_from_publication():
    assert resolve_relative("ten days ago", None, "2024-10-22") == "2024-10-12"
    assert resolve_relative("a week ago", None, "2024-01-16") == "2024-01-09"
    assert resolve_relative("last weekend", None, "2024-05-31") == "2024-05-25"  # a Friday paper: last Saturday


def test_an_event_record_gives_its_place_and_day_in_its_fields():
    """Conflict-event records: labelled fields, or one line of fields separated by "|"."""
    labelled = ("ID: XR-2022-0042\nDate: 13/11/2021\nCountry: Norvania\nAdmin1: Velm Province\n"
                "Location: Oskar Bridge, Velm\nNotes: An explosive device killed 2 civilians.")
    assert record_cues(labelled) == RecordCues("oskar-bridge", "2021-11-13", ("norvania", "velm-province"))
    piped = ("24/10/2020 | Lakemont, Birch Hill neighbourhood (Alder Crescent) | Shooting at a private house "
             "party; 3 killed, 4 wounded. | Fatalities: 3")
    assert record_cues(piped).place == "lakemont" and record_cues(piped).date == "2020-10-24"
    byline = "By Ann Reddy | 3 March 2020 | The Valley Post"
    assert record_cues(byline) == RecordCues()


def test_dates_as_records_and_bylines_write_them():
    assert parse_full_date("Date: 13/11/2021") == "2021-11-13"  # day first
    assert parse_full_date("10/24/2020") == "2020-10-24"  # unless the second number cannot be a month
    assert parse_full_date("15th May 2023") == "2023-05-15"
    assert parse_full_date("Sunday, March 3rd, 2019") == "2019-03-03"
    assert parse_full_date("1.5 million") is None


def test_a_figure_recalling_an_earlier_incident_goes_to_that_incident(pipeline):
    """ "On March 2, three people were shot dead on Quarry Lane": in a report of a later shooting, those
    figures belong to the Quarry Lane shooting, not to a conflict with the later one's."""
    reports = {
        "quarry": "Three shot dead on Quarry Lane\n\nPublished 3 March 2022 — The Brenmoor Post\n\n"
                  "Three people were shot dead on Quarry Lane in Brenmoor on Wednesday night, police said.",
        "later": "Man killed in second Brenmoor shooting\n\nPublished 10 March 2022 — The Brenmoor Post\n\n"
                 "A 40-year-old man was shot dead outside a shop on Mill Row in Brenmoor on Wednesday, police said. "
                 "On March 2, three people were shot dead on Quarry Lane in Brenmoor.",
    }
    texts, claims = {}, []
    for doc_id, body in reports.items():
        result = pipeline.process(Document(doc_id, f"{doc_id}.txt", "text/plain", body, content_hash(body)))
        texts[doc_id] = result.text
        claims += result.claims
    linked = {(c.doc_id, c.low): c.event for c in link_across_documents(texts, claims, pipeline.ontology)}
    assert linked["later", 3] == linked["quarry", 3] != linked["later", 1]


def test_a_list_entry_opens_on_its_place():
    assert entry_place("27 June 1998 – Sutina, Drenza district: paramilitaries shot dead 17 villagers.") == "sutina"
    assert entry_place("Korrovo (Drenza district), 12 June 1998\n\nWitnesses said troops entered.") == "korrovo"
    assert entry_place("Mahrin village, Lower Tessa district: On the morning of 3 March 2016, ...") == "mahrin"
    lead = "Patrick Walsh, 55, of Addison, a village southwest of the city, pleaded guilty on Tuesday to threats."
    assert entry_place(lead, frozenset({"patrick", "walsh"})) is None  # a news lead opening on a person


def test_numeric_dates_in_the_writers_convention():
    assert parse_full_date("03/04/2019", month_first=True) == "2019-03-04"  # a US report
    assert parse_full_date("03/04/2019", month_first=False) == "2019-04-03"
    assert parse_full_date("03/04/2019", near="2019-03-06") == "2019-03-04"  # unknown: the day of writing decides
    assert parse_full_date("03/04/2019") == "2019-04-03"  # nothing tells: day first
    assert writes_month_first([], "AKRON, Ohio — A man was shot.") is None
    assert writes_month_first([], "Officers in Smyrna, Tenn. said a man was shot.") is True
    assert writes_month_first(["leeds"], "") is False and writes_month_first(["tampa"], "") is True


def test_the_gazetteer_keeps_known_towns_whole_and_states_never_alone():
    assert places(["A man was shot in New Haven on Friday."]) == Counter({"new-haven": 1})
    assert places(["Two were hurt in St. Paul late Sunday."]) == Counter({"st-paul": 1})
    assert "ohio" not in places(["A man was shot in Dayton. He had moved from Ohio in May."])
    assert places(["Deputies said a woman was stabbed in Nevada."]) == Counter({"nevada": 1})  # only as a region


def test_a_county_stands_for_its_principal_town_when_nothing_finer_is_told(pipeline):
    """A court story names the county ("a Bernalillo County judge"), the first report the city: one incident."""
    assert county_town("Bernalillo County", "") == "albuquerque"
    assert county_town("Jefferson County", "") is None  # Birmingham? Louisville? Denver? The text must tell
    assert county_town("Jefferson County", "He was booked into the jail in Louisville.") == "louisville"
    events = _linked(pipeline, {
        "first": "Man shot dead at Central Avenue motel\n\nFebruary 19, 2022\n\nA man was shot and killed early "
                 "Saturday in the parking lot of a motel on Central Avenue in Albuquerque, police said.",
        "court": "Judge orders man held until trial in motel shooting\n\nMarch 30, 2022\n\nA Bernalillo County "
                 "judge on Wednesday ordered Dario Quintana, 24, held without bond until trial in the Feb. 19 "
                 "shooting death at the motel. Prosecutors said he fired six times at a man in the parking lot.",
    })
    assert events["first"] == events["court"]


def test_victims_and_suspects_by_name_not_officials():
    opening = ("Man charged in killing of Orla Benning\n\nPolice said Tobias Wren, 31, was arrested on Monday. "
               "Det. Ruth Calder said the case was closed.")
    assert set(people(opening)) == {"orla-benning", "tobias-wren"}


def test_a_surname_stands_for_the_full_name_told_once():
    """Local news names a person in full once, then by surname: "Quill, 23, was shot" makes Omar Quill a victim;
    a coach who only speaks is no one's victim, and a place or a festival is no person."""
    text = ("'Let it be the last': Brenford vigil remembers Omar Quill\n\nAbout a hundred people stood in the rain "
            "on Friday. Quill, 23, was shot to death early Sunday. His coach, Dale Imber, said Quill was kind.\n\n"
            "Velden Heights' Summerfair has been held every July. The killing of Velden Heights store clerk left "
            "neighbors in Velden Heights shaken.")
    found = set(people(text))
    assert "omar-quill" in found
    assert not found & {"dale-imber", "velden-heights", "heights-summerfair"}


def test_a_victim_named_after_an_age_or_a_clause():
    assert set(people("A man was arrested in last month's fatal shooting of 17-year-old Tarek Lund.")) == {"tarek-lund"}
    assert "ines-varo" in people("Ines Varo, a family friend who was manning the grill, was killed.")
    assert "ines-varo" in people("He is accused of shooting his girlfriend, Ines Varo, inside their flat.")


def test_numeric_dates_in_the_convention_of_the_towns_a_report_names():
    assert writes_month_first([], "Updated: 03/06/2024\nA Camden man stabbed in Center City testified.") is True
    assert writes_month_first([], "Two men of Hayward and of Oakland were charged by Alameda County prosecutors.")
    assert writes_month_first([], "A teenager from Salford died at a hospital in Manchester on 05/03/2018.") is False


def _linked(pipeline, reports: dict[str, str]) -> dict[str, str]:
    texts, claims = {}, {}
    for doc_id, body in reports.items():
        result = pipeline.process(Document(doc_id, f"{doc_id}.txt", "text/plain", body, content_hash(body)))
        texts[doc_id], claims[doc_id] = result.text, list(result.claims)
    return canonical_events(corpus_cues(texts, claims, pipeline.ontology))


def test_other_incidents_a_report_tells_do_not_pull_it_into_theirs(pipeline):
    """Local news sets a killing beside the city's other violence of the weekend: "came a day after a man was shot
    near X", "the second shooting in 24 hours ... Early Sunday, a man was wounded on Y". Those are other incidents,
    and a stabbing is never the same incident as a shooting of the day before in the same city."""
    events = _linked(pipeline, {
        "north": "Man shot dead near Olive Avenue and Maple Street\n\nJune 11, 2022\n\nA 31-year-old man was shot "
                 "and killed Saturday near Olive Avenue and Maple Street in Fresno, police said.",
        "tavern": "Man stabbed outside Tower District tavern\n\nJune 13, 2022\n\nA 45-year-old man was seriously "
                  "hurt in a stabbing late Sunday outside a tavern on Wishon Avenue in Fresno's Tower District, "
                  "police said.\n\nThe stabbing came a day after a 31-year-old man was shot and killed near Olive "
                  "Avenue and Maple Street. Police have not connected the two cases.",
        "evening": "Man killed in Sunnyside shooting, hours after gunfire in Fig Garden\n\nJune 13, 2022\n\nA man "
                   "was shot and killed Sunday evening on Kings Canyon Road in Sunnyside, the second shooting in "
                   "Fresno in less than 24 hours.\n\nEarly Sunday, a 29-year-old man was wounded in a shooting on "
                   "Blackstone Avenue in Fig Garden. Police said nothing suggests the two shootings are connected.",
        "morning": "Man wounded in Fig Garden shooting\n\nJune 12, 2022\n\nA 29-year-old man was wounded early "
                   "Sunday in a shooting on Blackstone Avenue in Fig Garden, Fresno police said.",
        "named": "Coroner names man killed on Kings Canyon Road\n\nJune 14, 2022\n\nThe coroner has identified "
                 "the man shot and killed Sunday on Kings Canyon Road in Sunnyside as Arlo Medina, 45.",
    })
    assert events["named"] == events["evening"]
    assert len({events[d] for d in ("north", "tavern", "evening", "morning")}) == 4, events


def test_page_words_hometowns_and_institutions_are_no_places():
    """What local news puts in a place's position that is not where it happened."""
    assert not places(["Photo: the burned house. (Courtesy Cleveland Division of Fire)"])
    assert not places(["Spence grew up in Berens River First Nation and moved to the city."])
    assert not places(["Police said the two men had argued near East 13th Street."])  # a street, not "East"
    assert not places(["He was taken to North Memorial Health Hospital."])
    assert entry_place("Family, neighbors hold vigil for man killed outside store\n\nHis family said he was kind.") is None
    assert entry_place("Man, 27, appears in court over Saracen Street stabbing\n\nA man appeared in court.") is None
    assert entry_place("Korrovo (Drenza district), 12 June 1998: soldiers killed 41 people.") == "korrovo"


def test_reports_at_different_streets_of_one_city_on_one_day_are_two_incidents(pipeline):
    """A city has several shootings a week; a village, one incident a day that its reports place at its market,
    its church or its main road in turn."""
    events = _linked(pipeline, {
        "lounge": "Man killed outside Mid-City lounge\n\nJune 13, 2021\n\nA man was shot and killed early Sunday "
                  "outside the Blue Heron Lounge on Banks Street in New Orleans, police said.",
        "algiers": "Teen shot dead in Algiers\n\nJune 13, 2021\n\nA 16-year-old was shot and killed Saturday night "
                   "on Opelousas Avenue near Teche Street in New Orleans, police said.",
        "market": "Bomb kills 9 in Tandra\n\nMay 4, 2022\n\nA bomb killed nine people at the Kesh Road cattle "
                  "market in Tandra on Tuesday, police said.",
        "church": "Tandra mourns\n\nMay 4, 2022\n\nMourners gathered at the Tandra Parish Church on Tuesday after "
                  "the bombing in Tandra that killed nine people.",
    })
    assert events["lounge"] != events["algiers"]
    assert events["market"] == events["church"]
