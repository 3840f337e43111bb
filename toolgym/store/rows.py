"""Conversions between toolgym's objects and table rows, both ways."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from ..errors import UserError, invalid_input
from ..redact import redact_text
from ..types import FailureKind, Message, Rollout, Usage, Verdict
from .images import Blob, take_images
from .liveness import read_status
from .manifest import RunManifest
from .records import ResultRecord, RunInfo
from .schema import VERDICT

__all__ = ["RECORD_COLUMNS", "record", "rollout", "rollout_row", "run_info", "transcript_row", "verdict"]

#: The `rollouts` columns a ResultRecord is made of, in its field order.
RECORD_COLUMNS = (
    "task_id", "category", "sample", "passed", "reward", "failure", "explanation",
    "latency_s", "prompt_tokens", "completion_tokens", "error", "model_s",
)

_FAILURES = {kind.value: kind for kind in FailureKind}


def rollout_row(run_id: int, r: Rollout, category: str, v: Verdict | None, now: datetime) -> dict[str, Any]:
    """The `rollouts` row of one attempt; the verdict columns are NULL when `v` is None."""
    row = {
        "run_id": run_id, "task_id": r.task_id, "sample": r.sample, "seed": r.seed, "category": category,
        "prompt_tokens": r.usage.prompt_tokens, "completion_tokens": r.usage.completion_tokens,
        "latency_s": r.latency_s, "model_s": r.model_s, "error": _text(r.error), "end_reason": r.end_reason,
        "created_at": now,
    }
    dumped = v.model_dump(mode="json") if v else {}
    row.update({k: dumped.get(k) for k in VERDICT})
    row["explanation"] = _text(row["explanation"])
    return row


def _text(value: str | None) -> str | None:
    # PostgreSQL text cannot hold NUL, and an error or explanation may quote model output; an error
    # may quote a server URL, whose credentials never reach the database
    return redact_text(value.replace("\x00", "\ufffd")) if value else value


def transcript_row(run_id: int, r: Rollout, images: dict[str, Blob]) -> dict[str, Any]:
    """The `transcripts` row of one attempt (defaults left out: they come back on reading).

    Its images are replaced by references and added to `images` (digest -> bytes), stored once each.
    """
    messages = take_images([m.model_dump(mode="json", exclude_defaults=True) for m in r.messages], images)
    return {"run_id": run_id, "task_id": r.task_id, "sample": r.sample, "messages": messages}


def record(row: Any) -> ResultRecord:
    """A ResultRecord from a row selecting RECORD_COLUMNS, in that order."""
    (task_id, category, sample, passed, reward, failure, explanation,
     latency_s, prompt_tokens, completion_tokens, error, model_s) = row
    if failure and failure not in _FAILURES:
        raise _bad_value(task_id, sample, "failure", failure, f"not a failure kind ({', '.join(_FAILURES)})")
    return ResultRecord(
        task_id, category, sample, passed, reward, _FAILURES[failure] if failure else None,
        explanation or "", latency_s, prompt_tokens, completion_tokens, error, model_s,
    )


_STALE_FIX = ("it was written by another toolgym version or edited by hand: re-run that run under a new name, "
              "or delete it")


def _bad_value(task_id: Any, sample: Any, column: str, value: Any, problem: str) -> UserError:
    shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:77] + "..."
    return UserError(f"stored rollout of task {task_id!r} sample {sample}: column {column} holds {shown}, {problem}; "
                     f"{_STALE_FIX}")


def _invalid(row: Mapping[str, Any], error: ValidationError, where: str = "") -> UserError:
    """A stored value the types refuse, worded by `errors.invalid_input` (field, problem, value)."""
    return UserError(f"stored rollout of task {row['task_id']!r} sample {row['sample']}: "
                     f"{invalid_input(error, where)}; {_STALE_FIX}")


def rollout(row: Mapping[str, Any], messages: list[dict[str, Any]]) -> Rollout:
    """A Rollout from its `rollouts` row and stored transcript."""
    if not isinstance(messages, list):
        raise _bad_value(row["task_id"], row["sample"], "messages (transcripts)", messages, "not a list of messages")
    parsed = []
    for i, m in enumerate(messages):
        try:
            parsed.append(Message.model_validate(m))
        except ValidationError as e:
            raise _invalid(row, e, f"transcript message {i}") from None
    try:
        return Rollout(
            task_id=row["task_id"], sample=row["sample"], seed=row["seed"], messages=parsed,
            usage=Usage(prompt_tokens=row["prompt_tokens"], completion_tokens=row["completion_tokens"]),
            latency_s=row["latency_s"], model_s=row.get("model_s") or 0.0, error=row["error"],
            end_reason=row["end_reason"],
        )
    except ValidationError as e:
        raise _invalid(row, e) from None


def verdict(row: Mapping[str, Any]) -> Verdict | None:
    """The Verdict stored in a `rollouts` row; None when the attempt was not scored."""
    if row["passed"] is None:
        return None
    try:
        return Verdict.model_validate({k: row[k] for k in VERDICT})
    except ValidationError as e:
        raise _invalid(row, e) from None


def run_info(row: Mapping[str, Any], url: str) -> RunInfo:
    """A RunInfo from a `runs` row joined with its counts."""
    try:
        manifest = RunManifest.model_validate(row["manifest"])
    except ValueError as e:
        version = row["manifest"].get("toolgym_version", "?") if isinstance(row["manifest"], dict) else "?"
        raise UserError(
            f"run {row['name']!r} in {url} has a manifest this toolgym cannot read "
            f"(written by toolgym {version}); upgrade toolgym to read it. {e}"
        ) from None
    created = row["created_at"]  # SQLite gives it back naive, PostgreSQL in the session's zone
    created = created.astimezone(UTC) if created.tzinfo else created.replace(tzinfo=UTC)
    counts = {k: row[k] for k in ("rollouts", "done", "passed", "infra_errors", "unscored")}
    status = read_status(row["status"], row.get("pid"), row.get("host"), row.get("heartbeat_at"))
    return RunInfo(
        id=row["id"], name=row["name"], manifest=manifest, created_at=created, status=status,
        cause=row["cause"], **counts
    )
