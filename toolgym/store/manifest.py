"""RunManifest: what defines a run, stored with it, compared on resume."""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..types import SamplingConfig

__all__ = ["RunManifest", "diff_manifests"]

# model_options land in the database in clear text, so a secret there would leak into every copy of it
_SECRET_KEY = re.compile(r"(api_?key|token|secret|password)$", re.IGNORECASE)


class RunManifest(BaseModel):
    """The settings that define a run; a run resumes only under an equal manifest.

    The scheduler builds it from the resolved config, the suite's content hash and the model spec,
    and `Store.open_run` stores it as JSON beside the run.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    suite: str
    """Suite name as given on the CLI (`fc-core`, `bfcl:DIR:simple`)."""
    suite_version: str
    """Content hash of the suite's tasks; a changed task makes a different run."""
    model: str
    """Model spec (`tiny`, `hf:PATH`, `openai:NAME`)."""
    model_options: dict[str, Any] = Field(default_factory=dict)
    """Backend options that change what the model answers (JSON-able; never secrets such as API keys)."""
    sampling: SamplingConfig = Field(default_factory=SamplingConfig)
    """Temperature, top_p, max_tokens and seed."""
    repeats: int = Field(default=1, ge=1)
    """Samples per task."""
    mode: str = "toolgym"
    """Verifier mode (`toolgym` or `bfcl`)."""
    split: str | None = None
    """Split evaluated (`train`, `test`); None for all tasks."""
    limit: int | None = Field(default=None, ge=1)
    """N tasks of the split, the first of each category in proportion (`head_by_category`); None for all."""
    toolgym_version: str = ""
    """Version of toolgym that started the run."""
    sandbox: str | None = None
    """Isolation that ran model-written code (`bwrap`; `namespaces`, `process` when named); None: no code runs."""

    @field_validator("model_options")
    @classmethod
    def _json_without_secrets(cls, value: dict[str, Any]) -> dict[str, Any]:
        try:
            json.dumps(value, allow_nan=False)
        except (TypeError, ValueError) as e:
            raise ValueError(f"must be JSON-able (it is stored in the database): {e}") from None
        secrets = sorted(k for k, v in value.items() if v is not None and _SECRET_KEY.search(k))
        if secrets:
            raise ValueError(
                f"holds {', '.join(secrets)}, which would be stored in clear text in the database; "
                "leave secrets out of the manifest"
            )
        return value

    def diff(self, other: RunManifest) -> list[str]:
        """Lines `field: self value -> other value` for each field that differs (dict fields by key)."""
        return diff_manifests(self.model_dump(mode="json"), other.model_dump(mode="json"))

    def default_run_name(self) -> str:
        """A readable run name from suite, model and split, e.g. `fc-core-tiny-test`.

        Deterministic, so running the same command twice resumes the same run.
        """
        parts = [self.suite, self.model] + ([self.split] if self.split else [])
        slug = re.sub(r"[^a-z0-9.]+", "-", "-".join(parts).lower()).strip("-.")
        return slug[:120] or "run"


_ABSENT = object()


def diff_manifests(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Compare two manifests in their JSON form (as stored); one line per differing field.

    Works on plain dicts so a manifest stored by another toolgym version can still be compared.
    Dict-valued fields (`sampling`, `model_options`) are compared key by key, as `sampling.seed`.
    """
    lines: list[str] = []
    for key in sorted(old.keys() | new.keys(), key=_field_order):
        a, b = old.get(key, _ABSENT), new.get(key, _ABSENT)
        if a in (_ABSENT, None) and b in (_ABSENT, None):  # a field added later and unset: older runs resume
            continue
        if isinstance(a, dict) and isinstance(b, dict):
            lines += [f"{key}.{line}" for line in diff_manifests(a, b)]
        elif a != b:
            lines.append(f"{key}: {_show(a)} -> {_show(b)}")
    return lines


def _field_order(key: str) -> tuple[int, str]:
    fields = list(RunManifest.model_fields)
    return (fields.index(key), "") if key in fields else (len(fields), key)


def _show(value: Any) -> str:
    return "(absent)" if value is _ABSENT else json.dumps(value)
