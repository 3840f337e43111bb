"""Weather tools: current conditions, forecasts, air quality, UV, alerts and history."""

from __future__ import annotations

from typing import Any, Literal

from ...tools import tool
from .fake import rng_for
from .templates import Spec
from .values import Arg, Draw

Unit = Literal["celsius", "fahrenheit"]
_CONDITIONS = ("sunny", "partly cloudy", "overcast", "light rain", "heavy rain", "snow", "fog", "windy")


def _temperature(city: str, unit: str, salt: str = "") -> float:
    c = round(rng_for("temp", city, salt).uniform(-8, 36), 1)
    return c if unit == "celsius" else round(c * 9 / 5 + 32, 1)


@tool
def get_current_weather(city: str, unit: Unit = "celsius") -> dict[str, Any]:
    """Get the current weather conditions in a city.

    Args:
        city: City name, e.g. "Lisbon" or "San Francisco".
        unit: Temperature unit of the reply.
    """
    r = rng_for("now", city)
    return {"city": city, "temperature": _temperature(city, unit), "unit": unit,
            "condition": r.choice(_CONDITIONS), "humidity_percent": r.randint(20, 95)}


@tool
def get_weather_forecast(
    city: str, days: int = 3, unit: Unit = "celsius", include_hourly: bool = False
) -> dict[str, Any]:
    """Get the daily weather forecast for a city.

    Args:
        city: City name, e.g. "Lisbon".
        days: Number of days to forecast, from 1 to 14.
        unit: Temperature unit of the reply.
        include_hourly: Whether to add an hour-by-hour breakdown for each day.
    """
    daily = [{"day": i + 1, "high": _temperature(city, unit, f"h{i}"), "low": _temperature(city, unit, f"l{i}"),
              "condition": rng_for(city, i).choice(_CONDITIONS)} for i in range(days)]
    return {"city": city, "unit": unit, "daily": daily, "hourly": [] if not include_hourly else ["..."]}


@tool
def get_air_quality(city: str, pollutant: Literal["PM2.5", "PM10", "ozone", "NO2", "all"] = "all") -> dict[str, Any]:
    """Get the current air quality index (AQI) and pollutant levels in a city.

    Args:
        city: City name.
        pollutant: Which pollutant to report; "all" returns every measured pollutant.
    """
    r = rng_for("aqi", city)
    return {"city": city, "aqi": r.randint(5, 180), "pollutant": pollutant, "level": r.choice(("good", "moderate"))}


@tool
def get_uv_index(city: str, date: str | None = None) -> dict[str, Any]:
    """Get the UV index forecast for a city.

    Args:
        city: City name.
        date: Day in YYYY-MM-DD format; today when omitted.
    """
    return {"city": city, "date": date or "today", "uv_index": rng_for("uv", city, date).randint(0, 11)}


@tool
def get_weather_alerts(
    location: str, min_severity: Literal["minor", "moderate", "severe", "extreme"] = "minor"
) -> dict[str, Any]:
    """List the active weather alerts (storms, floods, heat) issued for a place.

    Args:
        location: City or region name.
        min_severity: Lowest severity to include.
    """
    return {"location": location, "alerts": [], "min_severity": min_severity}


@tool
def get_historical_weather(city: str, date: str) -> dict[str, Any]:
    """Get the weather recorded in a city on a past day.

    Args:
        city: City name.
        date: The day, in YYYY-MM-DD format.
    """
    r = rng_for("past", city, date)
    return {"city": city, "date": date, "high_c": round(r.uniform(-5, 38), 1),
            "precipitation_mm": round(r.uniform(0, 30), 1)}


def _unit(d: Draw) -> Arg:
    value = d.choice(("celsius", "fahrenheit"))
    return Arg(value, d.choice((value, value.capitalize(), f"degrees {value.capitalize()}")))


def _hourly(d: Draw) -> Arg:
    if d.rng.random() < 0.75:
        return Arg(True, d.choice(("with an hourly breakdown", "including hourly details")))
    return Arg(False, d.choice(("without the hourly breakdown", "with no hourly details")))


SPECS = [
    Spec(get_current_weather, "weather", lambda d: {"city": Arg(d.city()), "unit": _unit(d)}, (
        "What's the weather like in {city} right now[ in {unit}]?",
        "Tell me the current weather in {city}[, with temperatures in {unit}].",
        "How warm is it in {city} at the moment?[ Please answer in {unit}.]",
        "I'm about to head out in {city}. What are the conditions there right now?[ Use {unit}.]",
        "Current weather for {city}[ in {unit}], please.",
        "Can you check the current weather in {city}[ and give me the temperature in {unit}]?",
        "Is it cold in {city} today? Check the current weather there[ in {unit}].",
        "Look up the present weather conditions in {city}[ (temperature in {unit})].",
    ), (
        "What's the current weather in {city*}[ in {unit}]?",
        "Compare the weather right now in {city*}[, with temperatures in {unit}].",
    )),
    Spec(get_weather_forecast, "weather",
         lambda d: {"city": Arg(d.city()), "days": d.int_arg(2, 14), "unit": _unit(d), "include_hourly": _hourly(d)}, (
        "What's the {days}-day forecast for {city}[ {include_hourly}]?",
        "Give me the weather forecast for {city} for the next {days} days[ in {unit}].",
        "What's the forecast for {city}?[ I need {days} days of it.]",
        "I'm travelling to {city} soon. What does the forecast look like for the next {days} days[, {include_hourly}]?",
        "Show me the upcoming weather forecast in {city}[ in {unit}][ {include_hourly}].",
        "Pull the {city} weather forecast[ for {days} days][ in {unit}].",
        "Get me a forecast for {city}[ covering {days} days][, {include_hourly}].",
        "Forecast for {city}[, next {days} days], please[, in {unit}].",
    ), (
        "Get the {days}-day forecast for {city*}.",
        "What's the weather forecast for {city*}[ in {unit}]?",
    )),
    Spec(get_air_quality, "weather", lambda d: {
        "city": Arg(d.city()), "pollutant": Arg(d.choice(("PM2.5", "PM10", "ozone", "NO2")))}, (
        "How's the air quality in {city} today[, specifically {pollutant}]?",
        "Check the air quality index for {city}[ for {pollutant}].",
        "Is the air clean enough to go running in {city}?[ Look at {pollutant} levels.]",
        "What are the pollution levels in {city} right now[ for {pollutant}]?",
        "Get me the current AQI in {city}[, {pollutant} only].",
        "I have asthma. How bad is the air in {city} today?[ Check {pollutant}.]",
        "Air quality report for {city}[ ({pollutant})], please.",
        "Look up air pollution in {city}[ with a focus on {pollutant}].",
    ), (
        "Compare the air quality in {city*}[ for {pollutant}].",
        "What's the AQI right now in {city*}?",
    )),
    Spec(get_uv_index, "weather", lambda d: {"city": Arg(d.city()), "date": d.date_arg(2025, 2027)}, (
        "What's the UV index in {city}[ on {date}]?",
        "How strong is the sun in {city}[ on {date}]? I need the UV index.",
        "Check the UV index for {city}[ for {date}] so I know whether to bring sunscreen.",
        "UV forecast for {city}[ on {date}], please.",
        "Do I need sunscreen in {city}[ on {date}]? Get the UV index.",
        "Tell me the UV level in {city}[ for {date}].",
        "Look up the ultraviolet index for {city}[ on {date}].",
        "Get the UV index in {city}[ for {date}].",
    ), (
        "What's the UV index in {city*}[ on {date}]?",
        "Check the UV levels in {city*}[ for {date}].",
    )),
    Spec(get_weather_alerts, "weather", lambda d: {
        "location": Arg(d.city()), "min_severity": Arg(d.choice(("minor", "moderate", "severe", "extreme")))}, (
        "Are there any weather alerts for {location} right now[ at {min_severity} level or above]?",
        "Check for active weather warnings in {location}[, {min_severity} or worse].",
        "Any storm or flood warnings in effect for {location}?[ Only show {min_severity} and above.]",
        "List the active weather alerts in {location}[ with severity at least {min_severity}].",
        "I'm driving through {location} tonight. Are there weather warnings?[ Minimum severity: {min_severity}.]",
        "Show current weather alerts for {location}[ of {min_severity} severity or higher].",
        "Get active weather warnings for {location}[ (minimum severity {min_severity})].",
        "Has a weather warning been issued for {location}?[ Filter to {min_severity} and above.]",
    ), (
        "Are there weather alerts for {location*}[ at {min_severity} level or above]?",
        "Check active weather warnings in {location*}.",
    )),
    Spec(get_historical_weather, "weather", lambda d: {"city": Arg(d.city()), "date": d.date_arg(2024, 2025)}, (
        "What was the weather like in {city} on {date}?",
        "Look up the historical weather for {city} on {date}.",
        "I need past weather data for {city} for {date}.",
        "How hot was it in {city} on {date}?",
        "Get the recorded weather conditions in {city} for {date}.",
        "What were the conditions in {city} on {date}? I need the historical record.",
        "Pull the weather history for {city}, date {date}.",
        "Did it rain in {city} on {date}? Check the historical weather.",
    ), (
        "What was the weather in {city*} on {date}?",
        "Get the historical weather for {city*} for {date}.",
    )),
]
