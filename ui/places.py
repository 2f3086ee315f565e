"""Places a project can take place in: a call's area and the places under it, from the registry,
and the application form's choice among them."""

from __future__ import annotations

import streamlit as st

from nlc.registry.v1 import jurisdictions_pb2 as jpb
from ui.client import PAGE_SIZE, call, services
from ui.drafting import Draft

PLACES_KEY = "nlc_places_within"
# How many levels under the area are offered (a county's municipalities, and their districts).
DEPTH = 2
SEPARATOR = " / "


def _children(parent: str) -> list[jpb.Jurisdiction]:
    """The places directly under parent; the countries when parent is empty."""
    if parent:
        request = jpb.ListJurisdictionsRequest(parent=parent, page_size=PAGE_SIZE)
    else:
        country = jpb.JURISDICTION_LEVEL_COUNTRY
        request = jpb.ListJurisdictionsRequest(level=country, page_size=PAGE_SIZE)
    return list(call(services().registry.ListJurisdictions, request).jurisdictions)


def _walk(area: str) -> dict[str, str]:
    """Resource name -> path label ("Riverton County / Riverton") of area and its places."""
    if area:
        top = call(services().registry.GetJurisdiction, jpb.GetJurisdictionRequest(name=area))
        level = [(top, top.display_name)]
    else:
        level = [(unit, unit.display_name) for unit in _children("")]
    places: dict[str, str] = {}
    for depth in range(DEPTH + 1):
        below = []
        for unit, label in level:
            places[unit.name] = label
            if depth < DEPTH:
                below += [(c, label + SEPARATOR + c.display_name) for c in _children(unit.name)]
        level = below
    return dict(sorted(places.items(), key=lambda item: item[1]))


def places_within(area: str) -> dict[str, str]:
    """The area (a jurisdiction's resource name; empty for anywhere) and the places down to
    DEPTH levels under it, by resource name, labelled with their path; read once a session."""
    remembered = st.session_state.setdefault(PLACES_KEY, {})
    if area not in remembered:
        remembered[area] = _walk(area)
    return remembered[area]


def place_label(name: str) -> str:
    """A place outside the offered ones, by its registry name."""
    found = call(services().registry.GetJurisdiction, jpb.GetJurisdictionRequest(name=name))
    return f"{found.display_name} (outside the call's area)"


def place_choice(draft: Draft) -> str:
    """Where the project takes place, chosen among the call's area and the places under it."""
    area = draft.call.eligibility.jurisdiction
    places = dict(places_within(area))
    saved = draft.saved.jurisdiction if draft.saved else ""
    if saved and saved not in places:
        places[saved] = place_label(saved)
    within = places.get(area, "any place") if area else "any place"
    return st.selectbox(
        "Where the project takes place",
        ["", *places],
        format_func=lambda name: places.get(name, "Not chosen yet"),
        key=draft.key("place"),
        help=f"The call funds projects in {within}.",
    )
