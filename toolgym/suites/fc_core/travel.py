"""Travel tools: flight search, hotel booking and flight status."""

from __future__ import annotations

from typing import Any, Literal

from ...tools import tool
from . import pools
from .fake import rng_for
from .templates import Spec
from .values import Arg, Draw


@tool
def search_flights(
    origin: str,
    destination: str,
    departure_date: str,
    return_date: str | None = None,
    passengers: int = 1,
    cabin_class: Literal["economy", "premium_economy", "business", "first"] = "economy",
) -> dict[str, Any]:
    """Search for flights between two airports.

    Args:
        origin: IATA code of the departure airport, e.g. "LIS".
        destination: IATA code of the arrival airport, e.g. "JFK".
        departure_date: Outbound day in YYYY-MM-DD format.
        return_date: Return day in YYYY-MM-DD format, for a round trip; one way when omitted.
        passengers: Number of travellers.
        cabin_class: Cabin class of the seats.
    """
    r = rng_for(origin, destination, departure_date)
    return {"flights": [{"flight": f"XY{r.randint(100, 9999)}", "price": round(r.uniform(60, 3000), 2)}
                        for _ in range(3)], "cabin_class": cabin_class, "passengers": passengers}


@tool
def book_hotel(city: str, check_in: str, check_out: str, guests: int = 1, rooms: int = 1) -> dict[str, Any]:
    """Book a hotel stay.

    Args:
        city: City of the hotel.
        check_in: Arrival day in YYYY-MM-DD format.
        check_out: Departure day in YYYY-MM-DD format.
        guests: Number of guests in total.
        rooms: Number of rooms.
    """
    return {"booking_id": f"HB{rng_for(city, check_in, check_out).randrange(10**6):06d}", "status": "confirmed"}


@tool
def get_flight_status(flight_number: str, date: str | None = None) -> dict[str, Any]:
    """Get the live status of a flight (on time, delayed, landed).

    Args:
        flight_number: Airline code and number without a space, e.g. "BA287".
        date: Scheduled departure day in YYYY-MM-DD format; today when omitted.
    """
    r = rng_for(flight_number, date)
    return {"flight": flight_number, "status": r.choice(("on time", "delayed", "landed", "boarding")),
            "delay_minutes": r.choice((0, 0, 15, 40))}


_CABINS = {"economy": ("economy",), "premium_economy": ("premium economy",), "business": ("business class",),
           "first": ("first class",)}


def _people(d: Draw, noun: str, lo: int, hi: int) -> Arg:
    n = d.integer(lo, hi)
    return Arg(n, f"{d.say_int(n)} {noun}{'s' if n > 1 else ''}")


def _flights(d: Draw) -> dict[str, Arg]:
    leave = d.date(2026, 2027)
    back = d.date_after(leave, 2, 21)
    cabin = d.choice(tuple(_CABINS))
    return {"origin": Arg(d.pick(pools.AIRPORTS)), "destination": Arg(d.pick(pools.AIRPORTS)),
            "departure_date": Arg(leave, d.say_date(leave)), "return_date": Arg(back, d.say_date(back)),
            "passengers": _people(d, "passenger", 2, 6), "cabin_class": Arg(cabin, d.choice(_CABINS[cabin]))}


def _hotel(d: Draw) -> dict[str, Arg]:
    arrive = d.date(2026, 2027)
    leave = d.date_after(arrive, 1, 14)
    return {"city": Arg(d.city()), "check_in": Arg(arrive, d.say_date(arrive)),
            "check_out": Arg(leave, d.say_date(leave)), "guests": _people(d, "guest", 2, 8),
            "rooms": _people(d, "room", 1, 4)}


def _airports_apart(args: dict[str, Arg]) -> bool:
    return args["origin"].value != args["destination"].value


SPECS = [
    Spec(search_flights, "travel", _flights, (
        "Find flights from {origin} to {destination} on {departure_date}[ for {passengers}][ in {cabin_class}].",
        "Search for a flight from {origin} to {destination} departing {departure_date}[, returning "
        "{return_date}][, {cabin_class}].",
        "I need to fly from {origin} to {destination} on {departure_date}[ with {passengers}]. What's available?",
        "Are there flights from {origin} to {destination} on {departure_date}[ coming back {return_date}]?",
        "Look up {origin} to {destination} flights for {departure_date}[, {passengers}][, {cabin_class}].",
        "Show me[ {cabin_class}] flights leaving {origin} for {destination} on {departure_date}.",
        "Check flight options from {origin} to {destination} on {departure_date}[ with a return on "
        "{return_date}][ for {passengers}].",
        "What flights go from {origin} to {destination} on {departure_date}[ in {cabin_class}]?",
    ), (
        "Find flights from {origin} to {destination*} on {departure_date}.",
        "Search flights on {departure_date} from {origin} to {destination*}[ for {passengers}].",
    ), check=_airports_apart),
    Spec(book_hotel, "travel", _hotel, (
        "Book a hotel in {city} from {check_in} to {check_out}[ for {guests}].",
        "Reserve a hotel in {city}, checking in {check_in} and out {check_out}[, {rooms}].",
        "I need a hotel in {city} from {check_in} until {check_out}[ for {guests}][ with {rooms}].",
        "Get me a hotel in {city}: arriving {check_in}, leaving {check_out}[, {guests}].",
        "Please book hotel accommodation in {city} for {check_in} to {check_out}[, {rooms}][, {guests}].",
        "Book me a hotel in {city}, check-in {check_in}, check-out {check_out}[, {guests}].",
        "Can you reserve a hotel in {city} from {check_in} to {check_out}[ for {guests}][ in {rooms}]?",
        "Hotel booking in {city}: check in on {check_in}, check out on {check_out}[, {rooms}].",
    ), (
        "Book a hotel from {check_in} to {check_out} in each of {city*}.",
        "Reserve hotels in {city*}, all from {check_in} to {check_out}[ for {guests}].",
    )),
    Spec(get_flight_status, "travel", lambda d: {
        "flight_number": Arg(d.pick(pools.AIRLINES, period=5) + str(d.integer(10, 2999))),
        "date": d.date_arg(2025, 2027)}, (
        "What's the status of flight {flight_number}[ on {date}]?",
        "Is flight {flight_number} on time[ on {date}]?",
        "Check whether {flight_number} is delayed[ on {date}].",
        "Track flight {flight_number}[ for {date}].",
        "My friend is on {flight_number}[ on {date}]. Has it landed yet?",
        "Give me the latest status for flight {flight_number}[, date {date}].",
        "Any delays on {flight_number}[ on {date}]?",
        "Look up flight {flight_number}[ departing {date}] and tell me its status.",
    ), (
        "What's the status of flights {flight_number*}?",
        "Are flights {flight_number*} on time[ on {date}]?",
    )),
]
