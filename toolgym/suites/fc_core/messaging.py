"""Messaging tools: e-mail, SMS, team chat channels, mail search and contacts."""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict

from ...tools import tool
from . import pools
from .fake import rng_for
from .templates import Spec
from .values import Arg, Draw


class Contact(TypedDict):
    """A person in the address book.

    Attributes:
        name: Full name.
        email: E-mail address.
        phone: Phone number in international format.
    """

    name: str
    email: str
    phone: NotRequired[str]


@tool
def send_email(
    to: list[str],
    subject: str,
    body: str,
    cc: list[str] | None = None,
    priority: Literal["low", "normal", "high"] = "normal",
) -> dict[str, Any]:
    """Send an e-mail from the user's account.

    Args:
        to: Recipient e-mail addresses.
        subject: Subject line.
        body: Text of the message.
        cc: Addresses to copy.
        priority: Importance flag shown to the recipients.
    """
    return {"message_id": f"<{rng_for(to, subject).randrange(10**9)}@mail>", "status": "sent"}


@tool
def send_sms(phone_number: str, message: str) -> dict[str, Any]:
    """Send a text message (SMS) to a phone number.

    Args:
        phone_number: Recipient number in international format, e.g. "+1 415 555 0134".
        message: Text to send.
    """
    return {"status": "sent", "segments": 1 + len(message) // 160}


@tool
def post_channel_message(channel: str, text: str, notify_channel: bool = False) -> dict[str, Any]:
    """Post a message in a team chat channel.

    Args:
        channel: Channel name without the leading "#", e.g. "design-review".
        text: Message to post.
        notify_channel: Whether to notify every member of the channel (@channel).
    """
    return {"channel": channel, "status": "posted"}


@tool
def search_emails(
    query: str,
    folder: Literal["inbox", "sent", "archive", "spam"] = "inbox",
    unread_only: bool = False,
    max_results: int = 10,
) -> dict[str, Any]:
    """Search the user's mailbox.

    Args:
        query: Words to look for in senders, subjects and bodies.
        folder: Mail folder to search.
        unread_only: Whether to return only unread messages.
        max_results: Maximum number of messages to return.
    """
    return {"query": query, "folder": folder, "messages": []}


@tool
def add_contact(contact: Contact, favorite: bool = False) -> dict[str, Any]:
    """Add a person to the user's address book.

    Args:
        contact: The person's details.
        favorite: Whether to mark the contact as a favorite.
    """
    return {"contact_id": f"c_{rng_for(contact['name']).randrange(10**6):06d}", "status": "added"}


_SUBJECTS = ("{Word} update", "Question about the {word} plan", "Notes from {weekday}'s meeting",
             "{Word} review next week", "Invoice for the {word} work", "Quick favor", "Welcome to the {word} team",
             "Trip to {city}", "{Word} draft for comments", "Lunch on {weekday}?", "Follow-up on {word}",
             "Agenda for the {word} workshop")
_BODIES = ("Hi {first}, the {word} report is attached.", "Can we move our {word} call to {weekday}?",
           "Thanks for your help with the {word} project.", "Please review the {word} draft by {weekday}.",
           "I'll be in {city} next week. Want to meet?", "The {word} numbers look good, nice work.",
           "Reminder: the {word} deadline is {weekday}.", "Could you send me the {item} receipt?",
           "Let's push the {word} launch by a week.", "Great meeting you in {city}, {first}!",
           "Can you share the {word} slides before {weekday}?", "Happy to help with the {word} rollout.")
_SMS = ("Running late, sorry!", "I'm outside the {word} office.", "Can you pick up the {item} on the way home?",
        "Meeting moved to {weekday}.", "Happy birthday, {first}!", "Landed in {city}, call you soon.",
        "Don't forget the {word} forms tomorrow.", "On my way, see you in {city}.", "Call me when you're free.",
        "Dinner at {first}'s tonight?", "Left the {item} at your place.", "Tickets for {weekday} are booked.")
_POSTS = ("The {word} deploy is done.", "Reminder: {word} review starts soon.", "Who has the {item}?",
          "{Word} numbers are in, see the dashboard.", "Welcome {first} to the team!", "Heads up: {word} is down.",
          "Lunch in {city} office today.", "Please update your {word} tickets.", "Great job on the {word} launch!",
          "{first} is out on {weekday}.", "New {word} doc is up for comments.", "{Word} retro moved to {weekday}.")
_QUERIES = ("{word} invoice", "{first} {word}", "flight to {city}", "{word} contract", "{item} order",
            "{word} meeting notes", "receipt from {city}", "{first}'s {word} proposal")


def _fill(d: Draw, pool: tuple[str, ...]) -> str:
    word = d.word()
    return d.pick(pool).format(word=word, Word=word.capitalize(), first=d.first(), city=d.city(), item=d.item(),
                               weekday=d.choice(pools.WEEKDAYS))


def _email(d: Draw) -> dict[str, Arg]:
    to, cc = d.emails_arg(1, 2), d.emails_arg(1, 1)
    priority = d.choice(("low", "high", "normal"))
    return {"to": to, "subject": Arg(_fill(d, _SUBJECTS)), "body": Arg(_fill(d, _BODIES)), "cc": cc,
            "priority": Arg(priority)}


def _channel(d: Draw) -> Arg:
    name = f"{d.word()}-{d.pick(pools.CHANNEL_SUFFIXES, period=3)}"
    return Arg(name, d.choice((f"#{name}", f"the {name} channel")), also=(f"#{name}",))


def _notify(d: Draw) -> Arg:
    if d.rng.random() < 0.7:
        return Arg(True, d.choice(("and notify everyone", "with an @channel notification")))
    return Arg(False, d.choice(("without notifying anyone", "quietly, with no notification")))


_FOLDERS = {"inbox": "inbox", "sent": "sent folder", "archive": "archive", "spam": "spam folder"}


def _search(d: Draw) -> dict[str, Arg]:
    folder = d.choice(tuple(_FOLDERS))
    n = d.integer(3, 50)
    return {"query": Arg(_fill(d, _QUERIES)), "folder": Arg(folder, _FOLDERS[folder]),
            "unread_only": Arg(True, d.choice(("unread only", "only unread ones"))),
            "max_results": Arg(n, d.say_int(n))}


def _contact(d: Draw) -> dict[str, Arg]:
    name = d.person()
    email = d.email(name)
    value = {"name": name, "email": email}
    if d.rng.random() < 0.5:
        value["phone"] = phone = d.phone()
        text = d.choice((f"{name}, email {email}, phone {phone}", f"{name} ({email}, {phone})",
                         f"{name} with email {email} and phone number {phone}"))
    else:
        text = d.choice((f"{name}, email {email}", f"{name} ({email})", f"{name} with email {email}"))
    favorite = d.choice((Arg(True, "mark them as a favorite"), Arg(False, "don't mark them as a favorite")))
    return {"contact": Arg(value, text), "favorite": favorite}


SPECS = [
    Spec(send_email, "messaging", _email, (
        "Send an email to {to} with the subject \"{subject}\" and the body \"{body}\".",
        "Email {to}: subject \"{subject}\", message \"{body}\"[, priority {priority}].",
        "Write to {to}[ and cc {cc}] with the subject \"{subject}\". The body should say \"{body}\".",
        "Please email {to} about \"{subject}\" saying \"{body}\"[ and mark it {priority} priority].",
        "Can you send {to} an email titled \"{subject}\"[, copying {cc}], with the text \"{body}\"?",
        "Compose an email to {to}. Subject: \"{subject}\". Body: \"{body}\".[ Priority: {priority}.]",
        "Shoot an email over to {to}[ (cc {cc})] with the subject \"{subject}\" and the body \"{body}\".",
        "Send {to} an email with the subject line \"{subject}\" and the content \"{body}\"[, flagged as "
        "{priority} priority].",
    )),
    Spec(send_sms, "messaging", lambda d: {"phone_number": Arg(d.phone()), "message": Arg(_fill(d, _SMS))}, (
        "Text {phone_number} saying \"{message}\".",
        "Send an SMS to {phone_number}: \"{message}\".",
        "Can you message {phone_number} by text with \"{message}\"?",
        "Send a text message to {phone_number} that reads \"{message}\".",
        "SMS {phone_number} the following: \"{message}\".",
        "Please text \"{message}\" to {phone_number}.",
        "Drop a quick text to {phone_number}: \"{message}\".",
        "Send \"{message}\" as an SMS to {phone_number}.",
    ), (
        "Text {phone_number*} saying \"{message}\".",
        "Send the SMS \"{message}\" to {phone_number*}.",
    )),
    Spec(post_channel_message, "messaging", lambda d: {
        "channel": _channel(d), "text": Arg(_fill(d, _POSTS)), "notify_channel": _notify(d)}, (
        "Post \"{text}\" in {channel}[ {notify_channel}].",
        "Send a message to {channel} saying \"{text}\"[ {notify_channel}].",
        "Can you drop \"{text}\" into {channel}?",
        "Share this with {channel}: \"{text}\".",
        "Announce \"{text}\" in {channel}[ {notify_channel}].",
        "Please write \"{text}\" in {channel}[ {notify_channel}].",
        "Post an update to {channel} that says \"{text}\"[ {notify_channel}].",
        "Message {channel} with \"{text}\"[ {notify_channel}].",
    ), (
        "Post \"{text}\" in {channel*}.",
        "Send \"{text}\" to {channel*}[ {notify_channel}].",
    )),
    Spec(search_emails, "messaging", _search, (
        "Search my emails for \"{query}\"[ in my {folder}].",
        "Find emails matching \"{query}\"[, {unread_only}].",
        "Look through my {folder} for messages about \"{query}\".",
        "Do I have any emails about \"{query}\"[ in my {folder}]?[ Show up to {max_results}.]",
        "Search my email for \"{query}\"[, {unread_only}][, max {max_results} results].",
        "Pull up emails containing \"{query}\"[ from my {folder}].",
        "Any messages mentioning \"{query}\"[ in my {folder}][, {unread_only}]?",
        "Find the[ {max_results}] most recent emails about \"{query}\".",
    )),
    Spec(add_contact, "messaging", _contact, (
        "Add {contact} to my contacts[ and {favorite}].",
        "Create a contact for {contact}[ and {favorite}].",
        "Please save {contact} in my address book.",
        "New contact: {contact}.[ Please {favorite}.]",
        "Store the contact details of {contact}[, and {favorite}].",
        "I just met {contact}. Add them to my contacts[ and {favorite}].",
        "Put {contact} into my contact list.",
        "Save this person to my contacts: {contact}.[ Also {favorite}.]",
    )),
]
