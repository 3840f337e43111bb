"""Commands whose options are made from config classes: one `--field-name` per field, its docstring as help.

A new field of `RunConfig`, `SFTRunConfig`, `LoopConfig`... gets its flag, its config-file key and its
help text from one place. `ModelFlags` is how every command that takes a model reaches it (server
URL, key, tool mode, parser, per-request timeout, extra request fields, GPUs of a model server on Ray);
`UserFlags` the simulated user's own server. Precedence: defaults < TOOLGYM_DB < `--config FILE` < flags.
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

import typer
from pydantic import BaseModel, ConfigDict, Field, create_model
from pydantic_core import PydanticUndefined

from ..models import ModelOptions
from ..run import load_config_file
from .app import build_config, json_object, model_options

__all__ = ["CONFIG_HELP", "ModelFlags", "UserFlags", "config_command"]

CONFIG_HELP = "YAML or JSON file of options; flags override it."


def _doc(name: str) -> str | None:
    return ModelOptions.model_fields[name].description


class ModelFlags(BaseModel):
    """How to reach the model: the same flags and config-file keys on every command that takes one."""

    model_config = ConfigDict(extra="forbid")

    base_url: str | None = Field(default=None, description=_doc("base_url"))
    api_key: str | None = Field(default=None, description=_doc("api_key"))
    tool_mode: str | None = Field(default=None, description=_doc("tool_mode"))
    parser: str | None = Field(default=None, description=_doc("parser"))
    request_timeout: float | None = Field(default=None, gt=0, description=_doc("timeout_s"))
    extra_body: dict | None = Field(default=None, description=_doc("extra_body"))
    gpus_per_model: float | None = Field(default=None, ge=0, le=1, description=_doc("gpus_per_model"))

    def options(self) -> ModelOptions:
        """The backend options; the environment fills what the flags leave out."""
        return model_options(self.base_url, self.tool_mode, self.parser, api_key=self.api_key,
                             request_timeout=self.request_timeout, extra_body=self.extra_body,
                             gpus_per_model=self.gpus_per_model)


class UserFlags(BaseModel):
    """Where the simulated user's model is served, when not beside the model under test."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    user_base_url: str | None = None
    """Simulated user's server URL (else --base-url)."""
    user_api_key: str | None = None
    """Simulated user's API key (else --api-key)."""

    def options(self, model: ModelFlags) -> ModelOptions | None:
        """The simulated user's backend options; None when it shares the model's server."""
        if not (self.user_base_url or self.user_api_key):
            return None
        return model_options(self.user_base_url or model.base_url, None, None,
                             api_key=self.user_api_key or model.api_key, request_timeout=model.request_timeout,
                             flag_prefix="--user-")


def config_command(
    config_cls: type[BaseModel],
    handler: Callable[..., None],
    doc: str,
    *,
    extra: tuple[type[BaseModel], ...] = (),
    flags: Mapping[str, tuple[str, ...]] | None = None,
    arguments: tuple[str, ...] = (),
    skip: tuple[str, ...] = (),
) -> Callable[..., None]:
    """A Typer command with one option per field of `config_cls` and of each `extra` class, and --config.

    `handler` receives the validated instances, `config_cls`'s first, then one per `extra` class.
    `flags` renames a field's option (`timeout_s` -> `--timeout`, short forms); `arguments` are
    fields taken as required positional arguments; `skip` fields get no flag (a config file may
    still set them). A field without a default is a required option. The config file may hold the
    keys of every class.
    """
    groups = (config_cls, *extra)
    file_cls = create_model(f"{config_cls.__name__}File", __base__=groups) if extra else config_cls
    flags = dict(flags or {})

    def command(**values: Any) -> None:
        config_file = values.pop("config", None)
        from_file = load_config_file(config_file, file_cls) if config_file else {}
        built = []
        for cls in groups:
            given = {}
            for name in cls.model_fields:
                value = values.get(name)
                if isinstance(value, str) and _is_mapping(cls.model_fields[name].annotation):
                    value = json_object(value, _decls(name, flags)[0])
                given[name] = value
            built.append(build_config(cls, {k: v for k, v in from_file.items() if k in cls.model_fields}, given))
        handler(*built)

    params = []
    for cls in groups:
        for name, field in cls.model_fields.items():
            if name in skip:
                continue
            kind = _option_type(field.annotation)
            if name in arguments:
                params.insert(0, inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[
                    kind, typer.Argument(help=field.description, show_default=False)]))
                continue
            decls = _decls(name, flags)
            if kind is bool:
                decls = [f"{decls[0]}/--no-{decls[0][2:]}", *decls[1:]]
            option = typer.Option(*decls, help=field.description, show_default=_shown(field.default))
            if field.is_required():  # a required option, as Typer checks it
                params.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY,
                                                annotation=Annotated[kind, option]))
                continue
            params.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None,
                                            annotation=Annotated[kind | None, option]))
    params.append(inspect.Parameter("config", inspect.Parameter.KEYWORD_ONLY, default=None,
                                    annotation=Annotated[Path | None, typer.Option("--config", help=CONFIG_HELP)]))
    command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in params}
    command.__doc__ = doc
    return command


def _decls(name: str, flags: Mapping[str, tuple[str, ...]]) -> list[str]:
    return list(flags.get(name) or ("--" + name.replace("_", "-"),))


def _is_mapping(annotation: Any) -> bool:
    return _option_type(annotation) is str and (annotation is dict or dict in get_args(annotation))


def _option_type(annotation: Any) -> type:
    """The plain type Typer parses for a field (Literal and Optional unwrapped, a mapping as JSON text)."""
    origin = get_origin(annotation)
    if origin is Literal:
        return type(get_args(annotation)[0])
    if origin in (types.UnionType, typing.Union):
        inner = [a for a in get_args(annotation) if a is not type(None)]
        return _option_type(inner[0])
    if annotation is dict or origin is dict:
        return str
    if origin is tuple:  # a repeatable option (`--category a --category b`)
        return list[get_args(annotation)[0]]  # type: ignore[misc,return-value]
    return annotation


def _shown(default: Any) -> str | bool:
    if default is None or default is ... or default is PydanticUndefined or default == ():
        return False
    return ",".join(map(str, default)) if isinstance(default, tuple) else str(default)
