"""CompactTasks: a suite's tasks kept as their JSON text, turned into `Task` objects only when read.

A `Task` object costs about 4 KB in memory; its JSON line about 0.5 KB. A 100,000-task suite read
from a file therefore stays ~60 MB instead of ~400 MB, and the run engine, which touches each task
once, materialises only the ones in flight. Splits and categories are kept beside the text so
filtering never parses.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import overload

from ..types import Task

__all__ = ["CompactTasks"]


class CompactTasks(Sequence[Task]):
    """A read-only sequence of tasks stored as validated JSON text."""

    def __init__(self, raw: list[bytes], ids: list[str], splits: list[str], categories: list[str]) -> None:
        self._raw = raw
        self._ids = ids
        self._splits = splits
        self._categories = categories

    @classmethod
    def empty(cls) -> CompactTasks:
        """A sequence to `append` to."""
        return cls([], [], [], [])

    def append(self, raw: bytes, task_id: str, split: str, category: str) -> None:
        """Add one task's JSON text (already validated by the caller) with its id, split and category."""
        self._raw.append(raw)
        self._ids.append(task_id)
        self._splits.append(split)
        self._categories.append(category)

    def ids(self) -> list[str]:
        """Task ids in order, without parsing (resume planning skips finished tasks by id)."""
        return self._ids

    def __len__(self) -> int:
        return len(self._raw)

    @overload
    def __getitem__(self, index: int) -> Task: ...
    @overload
    def __getitem__(self, index: slice) -> CompactTasks: ...
    def __getitem__(self, index: int | slice) -> Task | CompactTasks:
        if isinstance(index, slice):
            return CompactTasks(self._raw[index], self._ids[index], self._splits[index], self._categories[index])
        return Task.model_validate_json(self._raw[index])

    def __iter__(self) -> Iterator[Task]:
        for raw in self._raw:
            yield Task.model_validate_json(raw)

    def where(self, split: str | None) -> CompactTasks:
        """The tasks of one split (all of them when `split` is None), without parsing any."""
        if split is None:
            return self
        keep = [i for i, s in enumerate(self._splits) if s == split]
        return CompactTasks([self._raw[i] for i in keep], [self._ids[i] for i in keep], [split] * len(keep),
                            [self._categories[i] for i in keep])

    def take(self, indices: list[int]) -> CompactTasks:
        """The tasks at `indices`, in that order, without parsing any."""
        return CompactTasks([self._raw[i] for i in indices], [self._ids[i] for i in indices],
                            [self._splits[i] for i in indices], [self._categories[i] for i in indices])

    def category_list(self) -> list[str]:
        """Each task's category, in order, without parsing."""
        return self._categories

    def categories(self) -> list[str]:
        """Category names in first-seen order."""
        return list(dict.fromkeys(self._categories))
