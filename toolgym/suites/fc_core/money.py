"""Money tools: currency conversion, exchange rates, stocks, loans, interest, bills and expenses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from ...tools import tool
from . import pools
from .fake import rng_for
from .templates import Spec
from .values import Arg, Draw

Category = Literal["food", "transport", "housing", "utilities", "entertainment", "health", "shopping", "other"]


@tool
def convert_currency(amount: float, from_currency: str, to_currency: str) -> dict[str, Any]:
    """Convert an amount of money from one currency to another at the current rate.

    Args:
        amount: The amount to convert, in the source currency.
        from_currency: Three-letter ISO 4217 code of the source currency, e.g. "USD".
        to_currency: Three-letter ISO 4217 code of the target currency, e.g. "EUR".
    """
    rate = round(rng_for(from_currency, to_currency).uniform(0.05, 20), 4)
    return {"amount": amount, "from": from_currency, "to": to_currency, "rate": rate,
            "converted": round(amount * rate, 2)}


@tool
def get_exchange_rate(base_currency: str, target_currency: str, date: str | None = None) -> dict[str, Any]:
    """Get the exchange rate between two currencies, today or on a given day.

    Args:
        base_currency: ISO 4217 code of the currency being priced, e.g. "GBP".
        target_currency: ISO 4217 code of the currency the price is expressed in, e.g. "JPY".
        date: Day of the rate in YYYY-MM-DD format; the latest rate when omitted.
    """
    rate = round(rng_for(base_currency, target_currency, date).uniform(0.05, 20), 4)
    return {"base": base_currency, "target": target_currency, "date": date or "latest", "rate": rate}


@tool
def get_stock_price(symbol: str, include_after_hours: bool = False) -> dict[str, Any]:
    """Get the latest trading price of a stock.

    Args:
        symbol: Ticker symbol, e.g. "AAPL".
        include_after_hours: Whether to include after-hours and pre-market trading.
    """
    return {"symbol": symbol, "price": round(rng_for("px", symbol).uniform(5, 900), 2), "currency": "USD"}


@tool
def calculate_loan_payment(
    loan_amount: float,
    annual_rate_percent: float,
    term_years: int,
    payment_frequency: Literal["monthly", "biweekly", "weekly"] = "monthly",
) -> dict[str, Any]:
    """Calculate the fixed installment that repays a loan (an amortized loan or mortgage).

    Args:
        loan_amount: Amount borrowed.
        annual_rate_percent: Nominal annual interest rate in percent, e.g. 4.5 for 4.5%.
        term_years: Length of the loan in years.
        payment_frequency: How often a payment is made.
    """
    n_per_year = {"monthly": 12, "biweekly": 26, "weekly": 52}[payment_frequency]
    r, n = annual_rate_percent / 100 / n_per_year, term_years * n_per_year
    payment = loan_amount / n if r == 0 else loan_amount * r / (1 - (1 + r) ** -n)
    return {"payment": round(payment, 2), "payments": n, "frequency": payment_frequency}


@tool
def calculate_compound_interest(
    principal: float, annual_rate_percent: float, years: int, compounds_per_year: Literal[1, 4, 12, 365] = 12
) -> dict[str, Any]:
    """Calculate how much a deposit grows with compound interest.

    Args:
        principal: Amount deposited at the start.
        annual_rate_percent: Annual interest rate in percent, e.g. 3.5 for 3.5%.
        years: Number of years the money stays invested.
        compounds_per_year: How many times a year interest is compounded (1 annually, 4 quarterly, 12 monthly,
            365 daily).
    """
    final = principal * (1 + annual_rate_percent / 100 / compounds_per_year) ** (compounds_per_year * years)
    return {"final_amount": round(final, 2), "interest_earned": round(final - principal, 2)}


@tool
def split_bill(total: float, people: int, tip_percent: float = 15.0) -> dict[str, Any]:
    """Split a restaurant bill evenly, with a tip added on top.

    Args:
        total: Bill total before the tip.
        people: Number of people sharing the bill.
        tip_percent: Tip in percent of the total.
    """
    with_tip = total * (1 + tip_percent / 100)
    return {"total_with_tip": round(with_tip, 2), "per_person": round(with_tip / people, 2)}


@tool
def log_expense(amount: float, category: Category, note: str | None = None, date: str | None = None) -> dict[str, Any]:
    """Record an expense in the personal budget.

    Args:
        amount: Amount spent.
        category: Budget category of the expense.
        note: Short free-text description.
        date: Day of the expense in YYYY-MM-DD format; today when omitted.
    """
    return {"id": f"exp_{rng_for(amount, category, note, date).randrange(10**6):06d}", "status": "recorded"}


def _currency_pair(d: Draw, a: str, b: str) -> dict[str, Arg]:
    first = d.pick(pools.CURRENCIES)
    second = d.pick(pools.CURRENCIES)
    return {a: Arg(first), b: Arg(second)}


def _distinct(a: str, b: str) -> Callable[[dict[str, Arg]], bool]:
    return lambda args: args[a].value != args[b].value


_NOTES = {
    "food": ("lunch with {first}", "groceries for the week", "dinner in {city}", "coffee beans"),
    "transport": ("taxi to the {city} airport", "train ticket to {city}", "bus pass", "fuel"),
    "housing": ("rent for {month}", "new {item}", "plumber visit", "home insurance"),
    "utilities": ("electricity bill", "internet for {month}", "water bill", "phone plan"),
    "entertainment": ("concert tickets", "movie night with {first}", "{word} festival pass", "board game"),
    "health": ("pharmacy", "dentist checkup", "gym membership", "physiotherapy session"),
    "shopping": ("{item}", "birthday gift for {first}", "new {item}", "{item} for {first}"),
    "other": ("donation to the {word} fund", "{word} course fee", "parking fine", "gift for {first}"),
}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def _expense(d: Draw) -> dict[str, Arg]:
    category = d.choice(tuple(_NOTES))
    note = d.pick(_NOTES[category], period=4).format(
        first=d.first(), city=d.city(), item=d.item(), word=d.word(), month=d.choice(_MONTHS))
    return {"amount": d.money_arg(3, 900), "category": Arg(category), "note": Arg(note), "date": d.date_arg(2024, 2026)}


_FREQ = {1: ("annually", "yearly"), 4: ("quarterly",), 12: ("monthly",), 365: ("daily",)}


def _interest(d: Draw) -> dict[str, Arg]:
    n = d.choice((1, 4, 12, 365))
    return {"principal": d.money_arg(500, 250000), "annual_rate_percent": d.number_arg(0.5, 9.5),
            "years": d.int_arg(2, 40), "compounds_per_year": Arg(n, d.choice(_FREQ[n]))}


def _tip(d: Draw) -> Arg:
    x = d.own(lambda: d.choice((5.0, 7.5, 8.0, 10.0, 12.0, 12.5, 15.0, 17.5, 18.0, 20.0, 22.0, 22.5, 25.0, 30.0)))
    return Arg(x, str(int(x)) if x.is_integer() else repr(x))  # digits: "twelve%" reads badly


def _after_hours(d: Draw) -> Arg:
    if d.rng.random() < 0.75:
        return Arg(True, d.choice(("including after-hours trading", "with after-hours included")))
    return Arg(False, d.choice(("regular session only", "without after-hours trading")))


SPECS = [
    Spec(convert_currency, "money", lambda d: {
        "amount": d.money_arg(5, 20000, symbol=False), **_currency_pair(d, "from_currency", "to_currency")}, (
        "Convert {amount} {from_currency} to {to_currency}.",
        "How much is {amount} {from_currency} in {to_currency}?",
        "I have {amount} {from_currency}. What would that be in {to_currency}?",
        "What do I get if I exchange {amount} {from_currency} for {to_currency}?",
        "Please convert {amount} {from_currency} into {to_currency}.",
        "Change {amount} {from_currency} to {to_currency} at today's rate.",
        "Can you tell me what {amount} {from_currency} is worth in {to_currency}?",
        "I'm paying {amount} {from_currency}. How much is that in {to_currency}?",
    ), (
        "Convert {amount} {from_currency} into {to_currency*}.",
        "How much is {amount} {from_currency} in each of {to_currency*}?",
    ), check=_distinct("from_currency", "to_currency")),
    Spec(get_exchange_rate, "money",
         lambda d: {**_currency_pair(d, "base_currency", "target_currency"), "date": d.date_arg(2024, 2026)}, (
        "What's the exchange rate from {base_currency} to {target_currency}[ on {date}]?",
        "Give me the {base_currency}/{target_currency} exchange rate[ for {date}].",
        "Look up the {base_currency} to {target_currency} rate[ on {date}].",
        "How many {target_currency} does one {base_currency} buy[ as of {date}]?",
        "Check the exchange rate of {base_currency} against {target_currency}[ on {date}].",
        "What was the {base_currency} to {target_currency} exchange rate on {date}?",
        "Exchange rate, {base_currency} to {target_currency}[, {date}]?",
        "Find the rate for converting {base_currency} to {target_currency}[ as of {date}].",
    ), (
        "What are the exchange rates from {base_currency} to {target_currency*}[ on {date}]?",
        "Get me the {base_currency} exchange rate against {target_currency*}.",
    ), check=_distinct("base_currency", "target_currency")),
    Spec(get_stock_price, "money",
         lambda d: {"symbol": Arg(d.pick(pools.TICKERS)), "include_after_hours": _after_hours(d)}, (
        "What's {symbol} trading at right now?",
        "Get the latest stock price for {symbol}[, {include_after_hours}].",
        "How much is one share of {symbol} right now[, {include_after_hours}]?",
        "Check the stock price of {symbol}[, {include_after_hours}].",
        "Stock quote for {symbol}[, {include_after_hours}], please.",
        "Look up the current share price of {symbol}.",
        "I'd like the latest quote on {symbol}[, {include_after_hours}].",
        "Pull up the current price of {symbol} stock[, {include_after_hours}].",
    ), (
        "Get the current stock prices of {symbol*}[, {include_after_hours}].",
        "How are {symbol*} trading right now?",
    )),
    Spec(calculate_loan_payment, "money", lambda d: {
        "loan_amount": d.money_arg(2000, 900000), "annual_rate_percent": d.number_arg(1.0, 12.0),
        "term_years": d.int_arg(2, 30), "payment_frequency": Arg(d.choice(("monthly", "biweekly", "weekly")))}, (
        "What would my[ {payment_frequency}] payment be on a {loan_amount} loan at {annual_rate_percent}% "
        "interest over {term_years} years?",
        "Calculate the[ {payment_frequency}] repayment for borrowing {loan_amount} at an annual rate of "
        "{annual_rate_percent}% for {term_years} years.",
        "I'm taking out a loan of {loan_amount} for {term_years} years at {annual_rate_percent}% a year. "
        "How much will each payment be?[ I'd pay {payment_frequency}.]",
        "Loan payment for {loan_amount} at {annual_rate_percent}% over {term_years} years[, paid "
        "{payment_frequency}]?",
        "If I borrow {loan_amount} over {term_years} years with {annual_rate_percent}% annual interest, what "
        "are the payments[ on a {payment_frequency} schedule]?",
        "Work out the[ {payment_frequency}] installment on a loan of {loan_amount} at {annual_rate_percent}% "
        "for {term_years} years.",
        "How much would I pay[ {payment_frequency}] for a {loan_amount} mortgage at {annual_rate_percent}% "
        "over {term_years} years?",
        "Estimate the payments on {loan_amount} borrowed at {annual_rate_percent}% for {term_years} years[ "
        "({payment_frequency} payments)].",
    )),
    Spec(calculate_compound_interest, "money", _interest, (
        "If I invest {principal} at {annual_rate_percent}% for {years} years[ compounded {compounds_per_year}], "
        "how much will I have?",
        "Calculate the compound interest on {principal} at {annual_rate_percent}% a year over {years} years[, "
        "compounding {compounds_per_year}].",
        "How much will {principal} grow to in {years} years at {annual_rate_percent}% annual interest[ "
        "compounded {compounds_per_year}]?",
        "What's the future value of a {principal} deposit earning {annual_rate_percent}% for {years} years[, "
        "compounded {compounds_per_year}]?",
        "Savings projection: {principal} at {annual_rate_percent}% for {years} years[, compounded "
        "{compounds_per_year}].",
        "I put {principal} in an account paying {annual_rate_percent}% interest[ compounded "
        "{compounds_per_year}]. What will it be worth after {years} years?",
        "Compute compound growth for {principal} over {years} years at a rate of {annual_rate_percent}%[, "
        "compounding {compounds_per_year}].",
        "What will {principal} become after {years} years at {annual_rate_percent}%[ if interest compounds "
        "{compounds_per_year}]?",
    )),
    Spec(split_bill, "money", lambda d: {
        "total": d.money_arg(12, 900), "people": d.int_arg(2, 16), "tip_percent": _tip(d)}, (
        "Split a {total} bill between {people} people[ with a {tip_percent}% tip].",
        "We're {people} people and the bill is {total}. How much does each of us owe[ if we tip {tip_percent}%]?",
        "Divide {total} evenly among {people} friends[, adding {tip_percent}% for the tip].",
        "Our dinner came to {total}. What's each share for {people} people[ including a {tip_percent}% tip]?",
        "How much should each person pay if {people} of us split {total}[ and leave a {tip_percent}% tip]?",
        "The bill is {total}, split {people} ways[, {tip_percent}% tip]. What's the per-person amount?",
        "Work out the per-person cost for a {total} check shared by {people}[ with a {tip_percent}% gratuity].",
        "Can you split {total} across {people} people[ plus a {tip_percent}% tip]?",
    )),
    Spec(log_expense, "money", _expense, (
        "Log an expense of {amount} under {category}[ with the note \"{note}\"].",
        "Add a {category} expense for {amount}[ dated {date}].",
        "Record that I spent {amount} on {category}[ on {date}][, note: \"{note}\"].",
        "Track a {amount} expense in the {category} category[ from {date}].",
        "Please file {amount} as a {category} expense[ with the description \"{note}\"].",
        "I just paid {amount}. Put it in my expenses as {category}[ and write \"{note}\" as the note].",
        "New expense: {amount}, category {category}[, date {date}][, note \"{note}\"].",
        "Save an expense entry of {amount} in {category}[ for {date}].",
    )),
]
