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


#: kind -> unit -> (spellings, typical low, typical high)
_UNITS: dict[str, dict[str, tuple[tuple[str, ...], float, float]]] = {
    "length": {"mm": (("mm", "millimeters"), 1, 900), "cm": (("cm", "centimeters"), 1, 500),
               "m": (("meters",), 1, 5000), "km": (("km", "kilometers"), 0.5, 2000), "in": (("inches",), 1, 200),
               "ft": (("feet", "ft"), 1, 20000), "yd": (("yards",), 1, 2000), "mi": (("miles",), 0.5, 1500)},
    "temperature": {"celsius": (("degrees Celsius", "°C", "Celsius"), -40, 250),
                    "fahrenheit": (("degrees Fahrenheit", "°F", "Fahrenheit"), -40, 480),
                    "kelvin": (("kelvin", "K"), 50, 600)},
    "weight": {"mg": (("mg", "milligrams"), 1, 5000), "g": (("grams", "g"), 1, 5000),
               "kg": (("kg", "kilograms"), 0.1, 500), "oz": (("ounces", "oz"), 0.5, 200),
               "lb": (("pounds", "lb"), 0.5, 800), "st": (("stone",), 1, 40)},
    "volume": {"ml": (("ml", "milliliters"), 5, 5000), "l": (("liters",), 0.1, 500),
               "tsp": (("teaspoons",), 0.5, 20), "tbsp": (("tablespoons",), 0.5, 20), "cup": (("cups",), 0.25, 12),
               "fl_oz": (("fluid ounces",), 1, 128), "gal": (("gallons",), 0.5, 200)},
    "data": {"B": (("B", "bytes"), 10, 900000), "KB": (("KB", "kilobytes"), 1, 900000),
             "MB": (("MB", "megabytes"), 1, 50000), "GB": (("GB", "gigabytes"), 0.5, 20000),
             "TB": (("TB", "terabytes"), 0.5, 500)},
    "speed": {"km/h": (("km/h", "kilometers per hour"), 1, 1200), "mph": (("mph", "miles per hour"), 1, 800),
              "m/s": (("m/s", "meters per second"), 0.5, 350), "knots": (("knots",), 1, 600)},
}


def _sampler(kind: str) -> Callable[[Draw], dict[str, Arg]]:
    units = _UNITS[kind]

    def sample(d: Draw) -> dict[str, Arg]:
        a, b = d.choice(tuple(units)), d.choice(tuple(units))
        names, lo, hi = units[a]
        value = d.quantity(lo, hi)
        args = {"value": Arg(value, d.say_digits(value)), "from_unit": Arg(a, d.choice(names)),
                "to_unit": Arg(b, d.choice(units[b][0]))}
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


def _spec(tool_: Any, kind: str, specific: tuple[str, ...]) -> Spec:
    return Spec(tool_, "units", _sampler(kind), _GENERIC + specific, _TOGETHER, check=_different)


SPECS = [
    _spec(convert_length, "length", (
        "The distance is {value} {from_unit}. How long is that in {to_unit}?",
        "I measured {value} {from_unit}. Give me that in {to_unit}.",
        "A length of {value} {from_unit}: what's that in {to_unit}?",
        "Convert a length of {value} {from_unit} to {to_unit}.",
    )),
    Spec(convert_temperature, "units", _sampler("temperature"), (
        "Convert {value} {from_unit} to {to_unit}.",
        "What is {value} {from_unit} in {to_unit}?",
        "A thermometer reads {value} {from_unit}. What's that in {to_unit}?",
        "The sensor logged {value} {from_unit}. What is that in {to_unit}?",
        "Express a temperature of {value} {from_unit} in {to_unit}.",
        "Change {value} {from_unit} into {to_unit}, please.",
        "If it's {value} {from_unit}, how much is that in {to_unit}?",
        "Could you convert a reading of {value} {from_unit} to {to_unit}?",
    ), _TOGETHER, check=_different),
    _spec(convert_weight, "weight", (
        "The package weighs {value} {from_unit}. What is that in {to_unit}?",
        "I have {value} {from_unit} of flour. How much is that in {to_unit}?",
        "Convert a weight of {value} {from_unit} to {to_unit}.",
        "How heavy is {value} {from_unit} in {to_unit}?",
    )),
    _spec(convert_volume, "volume", (
        "The recipe needs {value} {from_unit} of milk. Convert that to {to_unit}.",
        "How much is {value} {from_unit} of water in {to_unit}?",
        "Convert a volume of {value} {from_unit} to {to_unit}.",
        "The container holds {value} {from_unit}. What's that in {to_unit}?",
    )),
    _spec(convert_data_size, "data", (
        "The file is {value} {from_unit}. How big is that in {to_unit}[, {binary}]?",
        "My plan includes {value} {from_unit} of storage. What's that in {to_unit}[ {binary}]?",
        "Convert a size of {value} {from_unit} to {to_unit}[, {binary}].",
        "How many {to_unit} does {value} {from_unit} of data make[ {binary}]?",
    )),
    _spec(convert_speed, "speed", (
        "Something is moving at {value} {from_unit}. What's that in {to_unit}?",
        "The recorded speed is {value} {from_unit}. Convert it to {to_unit}.",
        "Convert a speed of {value} {from_unit} to {to_unit}.",
        "How fast is {value} {from_unit} in {to_unit}?",
    )),
]
