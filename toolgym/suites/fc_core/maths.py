"""Maths tools: statistics, quadratic equations, percentage change, GCD, primality and areas."""

from __future__ import annotations

import math
from typing import Any, Literal

from ...tools import tool
from .templates import Spec
from .values import Arg, Draw

Measure = Literal["mean", "median", "mode", "stdev", "min", "max", "range"]


@tool
def calculate_statistics(numbers: list[float], measures: list[Measure] | None = None) -> dict[str, Any]:
    """Compute descriptive statistics of a list of numbers.

    Args:
        numbers: The data values.
        measures: Which statistics to compute; all of them when omitted.
    """
    data = sorted(numbers)
    mid = len(data) // 2
    median = data[mid] if len(data) % 2 else (data[mid - 1] + data[mid]) / 2
    return {"mean": sum(data) / len(data), "median": median, "min": data[0], "max": data[-1]}


@tool
def solve_quadratic(a: float, b: float, c: float) -> dict[str, Any]:
    """Solve a quadratic equation a*x^2 + b*x + c = 0.

    Args:
        a: Coefficient of x^2 (not zero).
        b: Coefficient of x.
        c: Constant term.
    """
    disc = b * b - 4 * a * c
    if disc < 0:
        return {"roots": [], "discriminant": disc}
    return {"roots": sorted({(-b - math.sqrt(disc)) / (2 * a), (-b + math.sqrt(disc)) / (2 * a)}),
            "discriminant": disc}


@tool
def calculate_percentage_change(old_value: float, new_value: float) -> dict[str, Any]:
    """Calculate the percentage change from an old value to a new one.

    Args:
        old_value: The starting value.
        new_value: The final value.
    """
    return {"percent_change": round((new_value - old_value) / abs(old_value) * 100, 2) if old_value else None}


@tool
def find_gcd(numbers: list[int]) -> dict[str, Any]:
    """Find the greatest common divisor of two or more integers.

    Args:
        numbers: The integers.
    """
    return {"gcd": math.gcd(*numbers)}


@tool
def check_prime(number: int) -> dict[str, Any]:
    """Check whether an integer is a prime number.

    Args:
        number: The integer to test.
    """
    is_prime = number > 1 and all(number % k for k in range(2, math.isqrt(number) + 1))
    return {"number": number, "is_prime": is_prime}


@tool
def calculate_area(shape: Literal["circle", "rectangle", "triangle"], dimensions: dict[str, float]) -> dict[str, Any]:
    """Calculate the area of a flat shape.

    Args:
        shape: The kind of shape.
        dimensions: Measurements by name: "radius" for a circle, "width" and "length" for a rectangle, "base" and
            "height" for a triangle.
    """
    if shape == "circle":
        area = math.pi * dimensions["radius"] ** 2
    elif shape == "rectangle":
        area = dimensions["width"] * dimensions["length"]
    else:
        area = dimensions["base"] * dimensions["height"] / 2
    return {"shape": shape, "area": round(area, 4)}


_MEASURES = {"mean": ("mean", "average"), "median": ("median",), "mode": ("mode",),
             "stdev": ("standard deviation",), "min": ("minimum",), "max": ("maximum",), "range": ("range",)}


def _statistics(d: Draw) -> dict[str, Arg]:
    whole = d.rng.random() < 0.6
    numbers = [float(d.integer(0, 500)) if whole else d.number(0, 500, 1) for _ in range(d.rng.randint(4, 8))]
    texts = [str(int(x)) if x.is_integer() else repr(x) for x in numbers]  # no "1,250": commas separate items
    shown = d.choice((d.say_list(texts), ", ".join(texts), f"[{', '.join(texts)}]"))
    names = d.rng.sample(sorted(_MEASURES), d.rng.randint(1, 3))
    return {"numbers": Arg(numbers, shown),
            "measures": Arg(names, d.say_list([d.choice(_MEASURES[m]) for m in names]), unordered=True)}


def _term(coef: int, power: str, first: bool) -> str:
    if coef == 0:
        return ""
    sign = ("-" if coef < 0 else "") if first else (" - " if coef < 0 else " + ")
    size = abs(coef)
    return f"{sign}{'' if size == 1 and power else size}{power}"


def _quadratic(d: Draw) -> dict[str, Arg]:
    a = d.own(lambda: d.choice([k for k in range(-9, 10) if k]))
    b, c = d.integer(-20, 20), d.integer(-40, 40)
    equation = (_term(a, "x^2", True) + _term(b, "x", False) + _term(c, "", False)) + " = 0"
    return {"a": Arg(float(a), str(a)), "b": Arg(float(b), str(b)), "c": Arg(float(c), str(c)),
            "equation": Arg(None, equation)}


def _gcd(d: Draw) -> dict[str, Arg]:
    g = d.rng.choice((2, 3, 4, 5, 6, 7, 8, 9, 12, 15, 16, 18, 21, 24, 25))
    numbers: list[int] = []
    n = d.rng.randint(2, 4)
    while len(numbers) < n:
        k = d.own(lambda: g * d.rng.randint(2, 60))
        if k not in numbers:
            numbers.append(k)
    return {"numbers": Arg(numbers, d.say_list([str(k) for k in numbers]))}


def _area(d: Draw) -> dict[str, Arg]:
    shape = d.choice(("circle", "rectangle", "triangle"))
    keys = {"circle": ("radius",), "rectangle": ("width", "length"), "triangle": ("base", "height")}[shape]
    dims = {k: d.number(0.5, 120, d.choice((0, 1))) for k in keys}
    said = [d.choice((f"{k} {d.say_number(v)}", f"a {k} of {d.say_number(v)}")) for k, v in dims.items()]
    return {"shape": Arg(shape), "dimensions": Arg(dims, d.say_list(said))}


SPECS = [
    Spec(calculate_statistics, "maths", _statistics, (
        "Calculate the {measures} of {numbers}.",
        "Give me summary statistics for {numbers}.",
        "What are the {measures} of these numbers: {numbers}?",
        "I have the values {numbers}. Compute their statistics[, just the {measures}].",
        "Find the {measures} for the data set {numbers}.",
        "Run descriptive statistics on {numbers}[ (I only need the {measures})].",
        "Here are my test scores: {numbers}. What's the {measures}?",
        "Compute statistics over {numbers}[, specifically the {measures}].",
    )),
    Spec(solve_quadratic, "maths", _quadratic, (
        "Solve {equation}.",
        "Find the roots of {equation}.",
        "What are the solutions of the quadratic equation {equation}?",
        "Solve the quadratic with coefficients a = {a}, b = {b} and c = {c}.",
        "For which x does {equation} hold?",
        "Compute the roots of ax^2 + bx + c = 0 where a is {a}, b is {b} and c is {c}.",
        "Help me solve {equation} for x.",
        "Find x in {equation}.",
    ), covers={"equation": ("a", "b", "c")}),
    Spec(calculate_percentage_change, "maths", lambda d: {
        "old_value": d.number_arg(1, 90000), "new_value": d.number_arg(1, 90000)}, (
        "What's the percentage change from {old_value} to {new_value}?",
        "Our revenue went from {old_value} to {new_value}. By what percent did it change?",
        "Calculate the percent change from an old value of {old_value} to a new value of {new_value}.",
        "The price moved from {old_value} to {new_value}. What's the percentage change?",
        "If something goes from {old_value} to {new_value}, what percent change is that?",
        "Percentage change from {old_value} to {new_value}, please.",
        "Last year we had {old_value} visitors and this year {new_value}. What's the change in percent?",
        "Work out the relative change from {old_value} to {new_value} as a percentage.",
    )),
    Spec(find_gcd, "maths", _gcd, (
        "What's the greatest common divisor of {numbers}?",
        "Find the GCD of {numbers}.",
        "Compute the highest common factor of {numbers}.",
        "What is the largest number that divides {numbers} evenly?",
        "Give me the greatest common divisor for {numbers}.",
        "GCD of {numbers}, please.",
        "Determine the greatest common factor of {numbers}.",
        "I need the GCD of these integers: {numbers}.",
    )),
    Spec(check_prime, "maths", lambda d: {"number": Arg(d.integer(2, 99999))}, (
        "Is {number} a prime number?",
        "Check whether {number} is prime.",
        "Tell me if {number} is prime or not.",
        "Is {number} prime, or does it have other divisors?",
        "Determine if {number} is a prime.",
        "Primality check for {number}, please.",
        "Is the number {number} prime?",
        "Find out whether {number} is a prime number.",
    ), (
        "Which of {number*} are prime?",
        "Check if {number*} are prime numbers.",
    )),
    Spec(calculate_area, "maths", _area, (
        "What's the area of a {shape} with {dimensions}?",
        "Calculate the area of a {shape} that has {dimensions}.",
        "I have a {shape} with {dimensions}. How big is its area?",
        "Find the area of this {shape}: {dimensions}.",
        "Compute the area enclosed by a {shape} with {dimensions}.",
        "How much area does a {shape} with {dimensions} cover?",
        "Area of a {shape} with {dimensions}, please.",
        "Work out the area for a {shape} with {dimensions}.",
    )),
]
