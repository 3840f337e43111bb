"""Unit conversion tools: length, temperature, weight, volume, data size and speed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from ...tools import tool
from .templates import Spec
from .values import Arg, Draw

Length = Literal["mm", "cm", "m", "km", "in", "ft", "yd", "mi"]
Temperature = Literal["celsius", "fahrenheit", "kelvin"]
Weight = Literal["mg", "g", "kg", "oz", "lb", "st"]
Volume = Literal["ml", "l", "tsp", "tbsp", "cup", "fl_oz", "gal"]
DataSize = Literal["B", "KB", "MB", "GB", "TB"]
Speed = Literal["km/h", "mph", "m/s", "knots"]


def _result(value: float, from_unit: str, to_unit: str) -> dict[str, Any]:
    return {"value": value, "from_unit": from_unit, "to_unit": to_unit}


@tool
def convert_length(value: float, from_unit: Length, to_unit: Length) -> dict[str, Any]:
    """Convert a length or distance between metric and imperial units.

    Args:
        value: The length to convert.
        from_unit: Unit of `value` (mm, cm, m, km, in, ft, yd or mi).
        to_unit: Unit to convert to.
    """
    return _result(value, from_unit, to_unit)


@tool
def convert_temperature(value: float, from_unit: Temperature, to_unit: Temperature) -> dict[str, Any]:
    """Convert a temperature between Celsius, Fahrenheit and kelvin.

    Args:
        value: The temperature to convert.
        from_unit: Scale of `value`.
        to_unit: Scale to convert to.
    """
    return _result(value, from_unit, to_unit)


@tool
def convert_weight(value: float, from_unit: Weight, to_unit: Weight) -> dict[str, Any]:
    """Convert a weight (mass) between metric and imperial units.

    Args:
        value: The weight to convert.
        from_unit: Unit of `value` (mg, g, kg, oz, lb or st for stone).
        to_unit: Unit to convert to.
    """
    return _result(value, from_unit, to_unit)


@tool
def convert_volume(value: float, from_unit: Volume, to_unit: Volume) -> dict[str, Any]:
    """Convert a volume between metric units and US cooking measures.

    Args:
        value: The volume to convert.
        from_unit: Unit of `value` (ml, l, tsp, tbsp, cup, fl_oz or gal).
        to_unit: Unit to convert to.
    """
    return _result(value, from_unit, to_unit)


@tool
def convert_data_size(value: float, from_unit: DataSize, to_unit: DataSize, binary: bool = False) -> dict[str, Any]:
    """Convert an amount of digital data between bytes, kilobytes, megabytes, gigabytes and terabytes.

    Args:
        value: The amount to convert.
        from_unit: Unit of `value`.
        to_unit: Unit to convert to.
        binary: Use powers of 1024 instead of powers of 1000.
    """
    return _result(value, from_unit, to_unit)


@tool
def convert_speed(value: float, from_unit: Speed, to_unit: Speed) -> dict[str, Any]:
    """Convert a speed between km/h, mph, m/s and knots.

    Args:
        value: The speed to convert.
        from_unit: Unit of `value`.
        to_unit: Unit to convert to.
    """
    return _result(value, from_unit, to_unit)


_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "length": {"mm": ("mm", "millimeters"), "cm": ("cm", "centimeters"), "m": ("meters",),
               "km": ("km", "kilometers"), "in": ("inches",), "ft": ("feet", "ft"), "yd": ("yards",),
               "mi": ("miles",)},
    "temperature": {"celsius": ("degrees Celsius", "°C", "Celsius"),
                    "fahrenheit": ("degrees Fahrenheit", "°F", "Fahrenheit"), "kelvin": ("kelvin", "K")},
    "weight": {"mg": ("mg", "milligrams"), "g": ("grams", "g"), "kg": ("kg", "kilograms"), "oz": ("ounces", "oz"),
               "lb": ("pounds", "lb"), "st": ("stone",)},
    "volume": {"ml": ("ml", "milliliters"), "l": ("liters",), "tsp": ("teaspoons",), "tbsp": ("tablespoons",),
               "cup": ("cups",), "fl_oz": ("fluid ounces",), "gal": ("gallons",)},
    "data": {u: (u, n) for u, n in (("B", "bytes"), ("KB", "kilobytes"), ("MB", "megabytes"),
                                    ("GB", "gigabytes"), ("TB", "terabytes"))},
    "speed": {"km/h": ("km/h", "kilometers per hour"), "mph": ("mph", "miles per hour"),
              "m/s": ("m/s", "meters per second"), "knots": ("knots",)},
}


def _sampler(kind: str, lo: float, hi: float) -> Callable[[Draw], dict[str, Arg]]:
    names = _NAMES[kind]

    def sample(d: Draw) -> dict[str, Arg]:
        a, b = d.choice(tuple(names)), d.choice(tuple(names))
        args = {"value": d.number_arg(lo, hi), "from_unit": Arg(a, d.choice(names[a])),
                "to_unit": Arg(b, d.choice(names[b]))}
        if kind == "data":
            args["binary"] = d.choice((Arg(True, "using binary (1024-based) units"),
                                       Arg(False, "using decimal (1000-based) units")))
        return args

    return sample


def _different(args: dict[str, Arg]) -> bool:
    return args["from_unit"].value != args["to_unit"].value


_GENERIC = (
    "Convert {value} {from_unit} to {to_unit}.",
    "How many {to_unit} is {value} {from_unit}?",
    "What is {value} {from_unit} in {to_unit}?",
    "Please express {value} {from_unit} in {to_unit}.",
    "Change {value} {from_unit} into {to_unit}.",
    "{value} {from_unit} is how many {to_unit}?",
    "Can you convert {value} {from_unit} into {to_unit} for me?",
    "What does {value} {from_unit} come to in {to_unit}?",
)
_TOGETHER = ("Convert {value*} {from_unit} to {to_unit}.", "Convert {value} {from_unit} to {to_unit*}.")


def _spec(tool_: Any, kind: str, lo: float, hi: float, specific: tuple[str, ...]) -> Spec:
    return Spec(tool_, "units", _sampler(kind, lo, hi), _GENERIC + specific, _TOGETHER, check=_different)


SPECS = [
    _spec(convert_length, "length", 0.5, 5000, (
        "The trail is {value} {from_unit} long. How long is that in {to_unit}?",
        "My desk is {value} {from_unit} wide. Give me that in {to_unit}.",
        "The race is {value} {from_unit}. What's that in {to_unit}?",
        "Convert a length of {value} {from_unit} to {to_unit}.",
    )),
    Spec(convert_temperature, "units", _sampler("temperature", -40, 450), (
        "Convert {value} {from_unit} to {to_unit}.",
        "What is {value} {from_unit} in {to_unit}?",
        "It's {value} {from_unit} outside. What's that in {to_unit}?",
        "The recipe says to bake at {value} {from_unit}. What is that in {to_unit}?",
        "Express a temperature of {value} {from_unit} in {to_unit}.",
        "Change {value} {from_unit} into {to_unit}, please.",
        "If it's {value} {from_unit}, how much is that in {to_unit}?",
        "Could you convert a reading of {value} {from_unit} to {to_unit}?",
    ), _TOGETHER, check=_different),
    _spec(convert_weight, "weight", 0.5, 2000, (
        "My suitcase weighs {value} {from_unit}. What is that in {to_unit}?",
        "The recipe calls for {value} {from_unit} of flour. How much is that in {to_unit}?",
        "Convert a weight of {value} {from_unit} to {to_unit}.",
        "How heavy is {value} {from_unit} in {to_unit}?",
    )),
    _spec(convert_volume, "volume", 0.5, 500, (
        "The recipe needs {value} {from_unit} of milk. Convert that to {to_unit}.",
        "How much is {value} {from_unit} of water in {to_unit}?",
        "Convert a volume of {value} {from_unit} to {to_unit}.",
        "The tank holds {value} {from_unit}. What's that in {to_unit}?",
    )),
    _spec(convert_data_size, "data", 0.5, 9000, (
        "The file is {value} {from_unit}. How big is that in {to_unit}[, {binary}]?",
        "My plan includes {value} {from_unit} of storage. What's that in {to_unit}[ {binary}]?",
        "Convert a size of {value} {from_unit} to {to_unit}[, {binary}].",
        "How many {to_unit} does {value} {from_unit} of data make[ {binary}]?",
    )),
    _spec(convert_speed, "speed", 2, 900, (
        "The car is going {value} {from_unit}. What's that in {to_unit}?",
        "Wind speed is {value} {from_unit}. Convert it to {to_unit}.",
        "Convert a speed of {value} {from_unit} to {to_unit}.",
        "How fast is {value} {from_unit} in {to_unit}?",
    )),
]
