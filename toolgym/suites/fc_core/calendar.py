"""Calendar tools: events, agenda, reminders, free slots and public holidays."""

from __future__ import annotations

from typing import Any, Literal

from ...tools import tool
from . import pools
from .fake import rng_for
from .templates import Spec
from .values import Arg, Draw


@tool
def create_event(
    title: str,
    date: str,
    start_time: str,
    duration_minutes: int = 60,
    attendees: list[str] | None = None,
    location: str | None = None,
) -> dict[str, Any]:
    """Create an event in the user's calendar.

    Args:
        title: Title of the event.
        date: Day of the event in YYYY-MM-DD format.
        start_time: Start time in 24-hour HH:MM format.
        duration_minutes: Length of the event in minutes.
        attendees: E-mail addresses of the people to invite.
        location: Where the event takes place.
    """
    return {"event_id": f"EV-{rng_for(title, date, start_time).randrange(10**5):05d}", "status": "created"}


@tool
def list_events(date: str, calendar: Literal["work", "personal", "family"] = "work") -> dict[str, Any]:
    """List the events scheduled on a day.

    Args:
        date: The day in YYYY-MM-DD format.
        calendar: Which of the user's calendars to read.
    """
    return {"date": date, "calendar": calendar, "events": []}


@tool
def cancel_event(event_id: str, notify_attendees: bool = True, reason: str | None = None) -> dict[str, Any]:
    """Cancel a calendar event.

    Args:
        event_id: Identifier of the event, e.g. "EV-20417".
        notify_attendees: Whether to send a cancellation notice to the attendees.
        reason: Reason shown in the cancellation notice.
    """
    return {"event_id": event_id, "status": "cancelled", "notified": notify_attendees}


@tool
def set_reminder(message: str, date: str, time: str) -> dict[str, Any]:
    """Set a reminder that notifies the user at a given moment.

    Args:
        message: What the reminder says.
        date: Day of the reminder in YYYY-MM-DD format.
        time: Time of the reminder in 24-hour HH:MM format.
    """
    return {"reminder_id": f"rem_{rng_for(message, date, time).randrange(10**6):06d}", "status": "scheduled"}


@tool
def find_free_slots(attendees: list[str], date: str, duration_minutes: int = 30) -> dict[str, Any]:
    """Find times on a day when all the given people are free to meet.

    Args:
        attendees: E-mail addresses of the people who must attend.
        date: The day in YYYY-MM-DD format.
        duration_minutes: Length of the meeting in minutes.
    """
    return {"date": date, "slots": ["09:30", "13:00", "16:15"], "duration_minutes": duration_minutes}


@tool
def get_public_holidays(country: str, year: int) -> dict[str, Any]:
    """List the public holidays of a country in a year.

    Args:
        country: Country name in English, e.g. "Japan".
        year: The year, e.g. 2026.
    """
    return {"country": country, "year": year, "holidays": [{"date": f"{year}-01-01", "name": "New Year's Day"}]}


def _minutes(d: Draw, choices: tuple[int, ...]) -> Arg:
    m = d.own(lambda: d.choice(choices))
    if m % 60 == 0 and d.rng.random() < 0.5:
        return Arg(m, "an hour" if m == 60 else f"{d.say_int(m // 60)} hours")
    return Arg(m, f"{d.say_int(m)} minutes")


_TITLES = ("{Word} review", "Lunch with {first}", "{Word} {kind}", "Call with {first}", "{first}'s farewell party",
           "Dentist appointment", "{Word} team {kind}", "Coffee with {first}", "{Word} deadline check")
_REASONS = ("scheduling conflict", "{first} is out sick", "the venue is unavailable", "moved to next week",
            "the {word} project was paused", "not enough attendees", "double-booked", "{first} is travelling")
_REMINDERS = ("call {first} about the {word} report", "pick up the {item}", "pay the {word} invoice",
              "send {first} the {word} slides", "renew the {word} subscription", "water the plants",
              "book a table for {first}'s birthday", "submit the {word} form", "take the {item} to be repaired",
              "email {first} about {city}", "check in for the flight to {city}", "order a new {item}")


def _fill(d: Draw, pattern: str) -> str:
    word = d.word()
    return pattern.format(first=d.first(), word=word, Word=word.capitalize(), item=d.item(), city=d.city(),
                          kind=d.choice(pools.MEETING_KINDS))


def _location(d: Draw) -> str:
    """A place name that reads well after "at" and needs no article ("Maple Hall", "Conference Room B2")."""
    return d.choice((f"{d.pick(pools.STREETS)} Hall", f"Conference Room {d.code('A#')}", f"{d.street()}, {d.city()}",
                     f"{d.pick(pools.STREETS)} Cafe"))


def _event(d: Draw) -> dict[str, Arg]:
    return {"title": Arg(_fill(d, d.pick(_TITLES))), "date": d.date_arg(2025, 2027), "start_time": d.time_arg(),
            "duration_minutes": _minutes(d, (15, 20, 30, 45, 60, 75, 90, 120, 150, 180, 240)),
            "attendees": d.emails_arg(1, 3), "location": Arg(_location(d))}


def _notify(d: Draw) -> Arg:
    if d.rng.random() < 0.6:
        return Arg(False, d.choice(("without notifying the attendees", "but don't notify anyone")))
    return Arg(True, d.choice(("and notify the attendees", "and let everyone know")))


def _country(d: Draw) -> Arg:
    name = d.country()
    bare = name.removeprefix("the ")
    return Arg(bare, name, also=(name,) if bare != name else ())


SPECS = [
    Spec(create_event, "calendar", _event, (
        "Schedule a meeting called \"{title}\" on {date} at {start_time}[ for {duration_minutes}][ with "
        "{attendees}].",
        "Create a calendar event \"{title}\" for {date} starting at {start_time}[, lasting {duration_minutes}][, "
        "at {location}].",
        "Put \"{title}\" on my calendar on {date} at {start_time}[ and invite {attendees}].",
        "Book \"{title}\" for {date}, {start_time}[, {duration_minutes} long][, location: {location}].",
        "Add an event titled \"{title}\" on {date} from {start_time}[ for {duration_minutes}][ at {location}].",
        "Set up \"{title}\" at {start_time} on {date}[ with {attendees}][ for {duration_minutes}].",
        "I need a calendar entry \"{title}\" on {date} at {start_time}[; invite {attendees}][; it will take "
        "{duration_minutes}].",
        "Can you block {date} at {start_time} for \"{title}\"[ ({duration_minutes})][ at {location}]?",
    )),
    Spec(list_events, "calendar", lambda d: {
        "date": d.date_arg(2025, 2027), "calendar": Arg(d.choice(("work", "personal", "family")))}, (
        "What's on my calendar for {date}[ in the {calendar} calendar]?",
        "List my events on {date}[ from my {calendar} calendar].",
        "Do I have anything scheduled on {date}?[ Check the {calendar} calendar.]",
        "Show me my agenda for {date}[ ({calendar} calendar)].",
        "What meetings do I have on {date}[ in my {calendar} calendar]?",
        "Pull up my schedule for {date}[, {calendar} calendar only].",
        "Read me the events on {date}[ from the {calendar} calendar].",
        "Tell me everything on my calendar for {date}[ in my {calendar} calendar].",
    ), (
        "What's on my calendar on {date*}?",
        "List my events for {date*}[ in the {calendar} calendar].",
    )),
    Spec(cancel_event, "calendar", lambda d: {
        "event_id": Arg(d.code("EV-#####")), "notify_attendees": _notify(d),
        "reason": Arg(_fill(d, d.pick(_REASONS)))}, (
        "Cancel event {event_id}[ {notify_attendees}].",
        "Please delete the calendar event with ID {event_id}[, giving the reason \"{reason}\"].",
        "Event {event_id} is off. Cancel it[ {notify_attendees}].",
        "Remove event {event_id} from the calendar[ {notify_attendees}].",
        "Cancel the meeting with event ID {event_id}[ and note \"{reason}\" as the reason].",
        "I can't make event {event_id}. Cancel it[ {notify_attendees}].",
        "Drop event {event_id}[ with the reason \"{reason}\"][ {notify_attendees}].",
        "Please cancel calendar event {event_id}[ {notify_attendees}].",
    ), (
        "Cancel events {event_id*}[ {notify_attendees}].",
        "Delete the calendar events with IDs {event_id*}.",
    )),
    Spec(set_reminder, "calendar", lambda d: {
        "message": Arg(_fill(d, d.pick(_REMINDERS))), "date": d.date_arg(2025, 2027), "time": d.time_arg()}, (
        "Set a reminder \"{message}\" for {date} at {time}.",
        "Remind me on {date} at {time}: \"{message}\".",
        "Create a reminder for {time} on {date} that says \"{message}\".",
        "Can you set a reminder saying \"{message}\" for {date}, {time}?",
        "Please remind me at {time} on {date} with the note \"{message}\".",
        "Add a reminder: \"{message}\", {date} at {time}.",
        "On {date} at {time}, remind me \"{message}\".",
        "I need a reminder at {time} on {date}: \"{message}\".",
    )),
    Spec(find_free_slots, "calendar", lambda d: {
        "attendees": d.emails_arg(2, 3), "date": d.date_arg(2025, 2027),
        "duration_minutes": _minutes(d, (15, 20, 30, 45, 60, 75, 90, 120))}, (
        "Find a free slot[ of {duration_minutes}] for {attendees} on {date}.",
        "When are {attendees} all available on {date}?[ We need {duration_minutes}.]",
        "Check the calendars of {attendees} and find a common opening on {date}[ lasting {duration_minutes}].",
        "Find time on {date} when {attendees} are free[ for {duration_minutes}].",
        "Look for an open slot on {date} that works for {attendees}[, {duration_minutes} long].",
        "Is there a window on {date} where {attendees} can all meet[ for {duration_minutes}]?",
        "Suggest meeting times on {date} for {attendees}[ (duration: {duration_minutes})].",
        "Find overlapping free time for {attendees} on {date}[, at least {duration_minutes}].",
    )),
    Spec(get_public_holidays, "calendar", lambda d: {
        "country": _country(d), "year": Arg(d.integer(2024, 2031))}, (
        "What are the public holidays in {country} in {year}?",
        "List the {year} bank holidays for {country}.",
        "Which days are national holidays in {country} during {year}?",
        "I'm planning leave. Show me the public holidays of {country} for {year}.",
        "Get the official holiday calendar for {country}, year {year}.",
        "When are the public holidays in {country} in {year}?",
        "Give me all statutory holidays in {country} for {year}.",
        "Look up {year} public holidays in {country}.",
    ), (
        "List the public holidays in {country*} for {year}.",
        "What are the {year} national holidays in {country*}?",
    )),
]
