"""Maps tools: directions, nearby places, geocoding, local time and distances."""

from __future__ import annotations

from typing import Any, Literal

from ...tools import tool
from .fake import rng_for
from .templates import Spec
from .values import Arg, Draw

PlaceType = Literal["restaurant", "cafe", "pharmacy", "gas_station", "hotel", "museum", "park", "atm",
                    "supermarket", "hospital"]


@tool
def get_directions(
    origin: str,
    destination: str,
    mode: Literal["driving", "walking", "cycling", "transit"] = "driving",
    avoid_tolls: bool = False,
) -> dict[str, Any]:
    """Get step-by-step directions between two places.

    Args:
        origin: Starting address or place name.
        destination: Address or place name to reach.
        mode: How the user travels.
        avoid_tolls: Whether to avoid toll roads (driving only).
    """
    r = rng_for(origin, destination, mode)
    return {"distance_km": round(r.uniform(0.5, 800), 1), "duration_minutes": r.randint(3, 600), "steps": []}


@tool
def find_nearby_places(
    location: str, place_type: PlaceType, radius_meters: int = 1000, open_now: bool = False
) -> dict[str, Any]:
    """Search for places of a given type around a location.

    Args:
        location: Address or place name to search around.
        place_type: Kind of place to look for.
        radius_meters: Search radius in meters.
        open_now: Whether to return only places that are open right now.
    """
    return {"location": location, "results": [{"name": f"{place_type.title()} {i}"} for i in range(3)]}


@tool
def geocode_address(address: str) -> dict[str, Any]:
    """Turn a street address into latitude and longitude coordinates.

    Args:
        address: Full street address, e.g. "12 Maple Street, Lisbon".
    """
    r = rng_for("geo", address)
    return {"address": address, "latitude": round(r.uniform(-60, 70), 5), "longitude": round(r.uniform(-180, 180), 5)}


@tool
def reverse_geocode(latitude: float, longitude: float) -> dict[str, Any]:
    """Find the street address closest to a pair of coordinates.

    Args:
        latitude: Latitude in decimal degrees, from -90 to 90.
        longitude: Longitude in decimal degrees, from -180 to 180.
    """
    return {"latitude": latitude, "longitude": longitude, "address": "1 Main Street"}


@tool
def get_local_time(city: str, include_utc_offset: bool = False) -> dict[str, Any]:
    """Get the current local time in a city.

    Args:
        city: City name.
        include_utc_offset: Whether to also return the city's offset from UTC.
    """
    r = rng_for("tz", city)
    return {"city": city, "local_time": f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}",
            "utc_offset": f"+{r.randint(0, 12):02d}:00" if include_utc_offset else None}


@tool
def calculate_distance(origin: str, destination: str, unit: Literal["km", "miles"] = "km") -> dict[str, Any]:
    """Calculate the straight-line distance between two places.

    Args:
        origin: First place (city or address).
        destination: Second place (city or address).
        unit: Unit of the distance.
    """
    km = round(rng_for(*sorted((origin, destination))).uniform(5, 12000), 1)
    return {"distance": km if unit == "km" else round(km / 1.609, 1), "unit": unit}


_MODES = {"driving": ("by car", "driving"), "walking": ("on foot", "walking"), "cycling": ("by bike", "cycling"),
          "transit": ("by public transport", "using public transit")}
_PLACES = {"restaurant": "restaurants", "cafe": "cafes", "pharmacy": "pharmacies", "gas_station": "gas stations",
           "hotel": "hotels", "museum": "museums", "park": "parks", "atm": "ATMs", "supermarket": "supermarkets",
           "hospital": "hospitals"}


def _address(d: Draw) -> str:
    return f"{d.street()}, {d.city()}"


def _directions(d: Draw) -> dict[str, Arg]:
    mode = d.choice(tuple(_MODES))
    city = d.city()  # directions stay within one city
    origin, destination = f"{d.street()}, {city}", f"{d.street()}, {city}"
    tolls = Arg(True, d.choice(("avoiding toll roads", "with no toll roads"))) if d.rng.random() < 0.8 else Arg(
        False, d.choice(("toll roads are fine", "tolls are okay")))
    return {"origin": Arg(origin), "destination": Arg(destination), "mode": Arg(mode, d.choice(_MODES[mode])),
            "avoid_tolls": tolls}


def _nearby(d: Draw) -> dict[str, Arg]:
    kind = d.choice(tuple(_PLACES))
    meters = d.own(lambda: d.rng.randint(2, 60) * 100)
    return {"location": Arg(_address(d)), "place_type": Arg(kind, _PLACES[kind]),
            "radius_meters": Arg(meters, d.choice((f"{meters} meters", f"{meters} m", f"{d.say_int(meters)} meters"))),
            "open_now": Arg(True, d.choice(("that are open now", "open right now")))}


def _coordinates(d: Draw) -> dict[str, Arg]:
    lat, lon = d.number(-60, 70, 4), d.number(-179, 179, 4)
    return {"latitude": Arg(lat, repr(lat)), "longitude": Arg(lon, repr(lon))}


def _places_apart(args: dict[str, Arg]) -> bool:
    return args["origin"].value != args["destination"].value


SPECS = [
    Spec(get_directions, "maps", _directions, (
        "How do I get from {origin} to {destination}[ {mode}]?",
        "Give me driving directions from {origin} to {destination}[, {avoid_tolls}].",
        "Route me from {origin} to {destination}[ {mode}].",
        "I'm at {origin}. How do I get to {destination}[ {mode}]?",
        "Directions from {origin} to {destination}[ {mode}], please.",
        "Plan a drive from {origin} to {destination}[, {avoid_tolls}].",
        "What's the best way to get from {origin} to {destination}[ {mode}]?",
        "Navigate me by car from {origin} to {destination}[, {avoid_tolls}].",
    ), check=_places_apart),
    Spec(find_nearby_places, "maps", _nearby, (
        "Find {place_type} near {location}[ within {radius_meters}][ {open_now}].",
        "Are there any {place_type} around {location}[ {open_now}]?",
        "Show me {place_type} close to {location}[ in a radius of {radius_meters}].",
        "I'm near {location}. What {place_type} are nearby[ within {radius_meters}]?",
        "Search for {place_type} near {location}[, up to {radius_meters} away][ {open_now}].",
        "List {place_type} around {location}[ {open_now}].",
        "Where can I find {place_type} near {location}[ within a radius of {radius_meters}]?",
        "Look up nearby {place_type} for {location}[ {open_now}].",
    ), (
        "Find {place_type*} near {location}[ within {radius_meters}].",
        "Are there any {place_type*} around {location}?",
    )),
    Spec(geocode_address, "maps", lambda d: {"address": Arg(_address(d))}, (
        "What are the coordinates of {address}?",
        "Geocode {address}.",
        "Get the latitude and longitude for {address}.",
        "Where exactly is {address} on the map? I need the coordinates.",
        "Convert the address {address} to GPS coordinates.",
        "Find the lat/long of {address}.",
        "I need map coordinates for {address}.",
        "Look up the geographic coordinates of {address}.",
    )),
    Spec(reverse_geocode, "maps", _coordinates, (
        "What address is at latitude {latitude}, longitude {longitude}?",
        "Reverse geocode the coordinates {latitude}, {longitude}.",
        "Which place is at {latitude}, {longitude}?",
        "I have GPS coordinates {latitude}, {longitude}. What's the street address?",
        "Turn latitude {latitude} and longitude {longitude} into an address.",
        "Find the nearest address to latitude {latitude} and longitude {longitude}.",
        "What's located at coordinates ({latitude}, {longitude})?",
        "Look up the address for {latitude}, {longitude}.",
    )),
    Spec(get_local_time, "maps", lambda d: {
        "city": Arg(d.city()), "include_utc_offset": Arg(True, d.choice(("including the UTC offset",
                                                                         "with its UTC offset")))}, (
        "What time is it in {city} right now[, {include_utc_offset}]?",
        "Tell me the local time in {city}[, {include_utc_offset}].",
        "I need to call someone in {city}. What's the current time there?",
        "Current local time in {city}[, {include_utc_offset}], please.",
        "Check the clock in {city} for me[, {include_utc_offset}].",
        "What's the time over in {city} at the moment?",
        "Get the local time for {city}[, {include_utc_offset}].",
        "Is it morning or evening in {city} right now? Look up the local time[, {include_utc_offset}].",
    ), (
        "What's the local time in {city*}?",
        "Tell me the current time in {city*}[, {include_utc_offset}].",
    )),
    Spec(calculate_distance, "maps", lambda d: {
        "origin": Arg(d.city()), "destination": Arg(d.city()),
        "unit": d.choice((Arg("km", "km"), Arg("km", "kilometers"), Arg("miles")))}, (
        "What's the distance from {origin} to {destination}[ in {unit}]?",
        "How far is it from {origin} to {destination}[ in {unit}]?",
        "Calculate the distance from {origin} to {destination}[, in {unit}].",
        "I'm going from {origin} to {destination}. How far is that[ in {unit}]?",
        "Distance from {origin} to {destination}[ in {unit}], please.",
        "Measure the straight-line distance from {origin} to {destination}[ in {unit}].",
        "Give me the distance from {origin} to {destination}[, expressed in {unit}].",
        "From {origin} to {destination}, what's the distance[ in {unit}]?",
    ), (
        "What's the distance from {origin} to {destination*}[ in {unit}]?",
        "How far is it from {origin} to each of {destination*}?",
    ), check=_places_apart),
]
