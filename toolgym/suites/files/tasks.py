"""Files task generators: one function per category, each drawing a request and its gold actions.

From one call (make a folder, read a value) to six or more (sort downloads by type, back up a
folder, scaffold a project). Gold actions use absolute paths; an agent may use relative ones, `cd`
first, or another valid order: only the resulting tree is compared.
"""

from __future__ import annotations

import posixpath
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ...types import ToolCall
from ..gold import call
from .tools import HOME
from .world import PROJECTS, WORDS

__all__ = ["GENERATORS", "Draft", "Scene"]

NEW_DIRS = ("archive", "drafts", "receipts", "travel", "recipes", "scans", "taxes", "letters", "old", "shared")
GENRES = ("jazz", "rock", "classical", "folk", "ambient", "soul", "blues", "opera")


@dataclass
class Draft:
    """A generated request before it becomes a Task."""

    category: str
    text: str
    gold: list[ToolCall]
    facts: list[str] = field(default_factory=list)


class Scene:
    """A file system being prepared for one task, with lookups the generators share."""

    def __init__(self, fs: dict[str, Any], rng: random.Random) -> None:
        self.fs = fs
        self.rng = rng

    def files(self, directory: str, suffix: str = "", recursive: bool = False) -> list[str]:
        """Files in `directory` (absolute) whose names end with `suffix`, sorted."""
        prefix = directory.rstrip("/") + "/"
        return sorted(p for p, n in self.fs["tree"].items() if n["type"] == "file" and p.startswith(prefix)
                      and p.endswith(suffix) and (recursive or "/" not in p[len(prefix):]))

    def projects(self) -> list[str]:
        """Names of the existing projects."""
        return sorted(p.rsplit("/", 1)[1] for p, n in self.fs["tree"].items()
                      if posixpath.dirname(p) == f"{HOME}/projects" and n["type"] == "dir")

    def new_name(self, pool: tuple[str, ...], directory: str) -> str:
        """A name from `pool` not yet used in `directory`."""
        free = [n for n in pool if f"{directory}/{n}" not in self.fs["tree"]]
        return self.rng.choice(free)


def _short(path: str) -> str:
    return "~" + path[len(HOME):] if path.startswith(HOME) else path


def mkdir_one(s: Scene) -> Draft:
    parent = s.rng.choice((f"{HOME}/documents", f"{HOME}/music", f"{HOME}/projects/{s.projects()[0]}"))
    name = s.new_name(NEW_DIRS, parent)
    return Draft("mkdir", f"Create a folder named {name} in {_short(parent)}.",
                 [call("mkdir", path=f"{parent}/{name}")])


def two_dirs(s: Scene) -> Draft:
    a, b = s.rng.sample(GENRES, 2)
    return Draft("two_dirs", f"In ~/music, create two folders: {a} and {b}.",
                 [call("mkdir", path=f"{HOME}/music/{a}"), call("mkdir", path=f"{HOME}/music/{b}")])


def write_new(s: Scene) -> Draft:
    name, words = s.new_name(NEW_DIRS, f"{HOME}/documents"), s.rng.sample(WORDS, 3)
    content = f"Remember {words[0]}, {words[1]} and {words[2]}."
    path = f"{HOME}/documents/{name}.txt"
    return Draft("write", f"Create a file {_short(path)} whose only line is: {content}",
                 [call("write_file", path=path, content=content + "\n")])


def append_line(s: Scene) -> Draft:
    item = f"- TODO: {s.rng.choice(('call', 'email', 'visit', 'pay'))} {s.rng.choice(WORDS)}"
    path = f"{HOME}/todo.txt"
    return Draft("append", f"Add the line '{item}' at the end of ~/todo.txt, keeping what is there.",
                 [call("cat", path=path), call("write_file", path=path, content=item + "\n", append=True)])


def rename(s: Scene) -> Draft:
    src = s.rng.choice(s.files(f"{HOME}/documents"))
    stem, ext = posixpath.splitext(posixpath.basename(src))
    new = f"{posixpath.dirname(src)}/{stem}_final{ext}"
    return Draft("rename", f"Rename {_short(src)} to {posixpath.basename(new)} (same folder).",
                 [call("mv", source=src, destination=new)])


def move_into(s: Scene) -> Draft:
    src = s.rng.choice((f"{HOME}/notes.txt", *s.files(f"{HOME}/downloads", ".pdf")))
    return Draft("move", f"Move {_short(src)} into ~/documents.",
                 [call("mv", source=src, destination=f"{HOME}/documents")])


def copy_backup(s: Scene) -> Draft:
    src = s.rng.choice(s.files(f"{HOME}/projects/{s.projects()[0]}") + s.files(f"{HOME}/documents"))
    return Draft("copy", f"Make a copy of {_short(src)} called {posixpath.basename(src)}.bak in the same folder.",
                 [call("cp", source=src, destination=src + ".bak")])


def delete_file(s: Scene) -> Draft:
    src = s.rng.choice(s.files(f"{HOME}/downloads", ".pdf") + s.files(f"{HOME}/downloads", ".csv"))
    return Draft("delete", f"Delete {_short(src)}.", [call("rm", path=src)])


def delete_dir(s: Scene) -> Draft:
    target = f"{HOME}/projects/{s.rng.choice(s.projects())}/tests"
    return Draft("delete_dir", f"Delete the folder {_short(target)} and everything in it.",
                 [call("rm", path=target, recursive=True)])


def read_value(s: Scene) -> Draft:
    project = s.rng.choice(s.projects())
    path = f"{HOME}/projects/{project}/config.ini"
    port = next(x for x in s.fs["tree"][path]["content"].splitlines() if x.startswith("port")).split("=")[1]
    return Draft("read_value", f"Which port does the {project} project's config.ini set?",
                 [call("cat", path=path)], facts=[port.strip()])


def find_error(s: Scene) -> Draft:
    logs = s.files(f"{HOME}/logs", ".log")
    target = s.rng.choice([p for p in logs if "ERROR" in s.fs["tree"][p]["content"]])
    code = next(w for w in s.fs["tree"][target]["content"].split() if w.startswith("E") and w[1:].isdigit())
    return Draft("find_error", f"Which log file in ~/logs mentions error {code}? Tell me its file name.",
                 [call("grep", pattern=code, path=f"{HOME}/logs", recursive=True)],
                 facts=[posixpath.basename(target)])


def organize(s: Scene) -> Draft:
    d = f"{HOME}/downloads"
    ext = s.rng.choice([e for e in ("jpg", "tmp", "log", "pdf") if len(s.files(d, "." + e)) >= 2])
    folder = f"{d}/{ext}_files"
    moves = [call("mv", source=f, destination=folder) for f in s.files(d, "." + ext)]
    return Draft("organize", f"Move every .{ext} file in ~/downloads into a new folder ~/downloads/{ext}_files.",
                 [call("find", path=d, name=f"*.{ext}"), call("mkdir", path=folder), *moves])


def backup(s: Scene) -> Draft:
    source = s.rng.choice((f"{HOME}/documents/notes", f"{HOME}/projects/{s.projects()[1]}/src"))
    name = posixpath.basename(source) if source.endswith("notes") else f"{s.projects()[1]}_src"
    target = f"{HOME}/backup/{name}"
    copies = [call("cp", source=f, destination=target) for f in s.files(source)]
    return Draft("backup", f"Back up every file of {_short(source)} into a new folder {_short(target)} "
                 "(copies; keep the originals).",
                 [call("ls", path=source), call("mkdir", path=target, parents=True), *copies])


def scaffold(s: Scene) -> Draft:
    name = s.rng.choice([p for p in PROJECTS if p not in s.projects()])
    root = f"{HOME}/projects/{name}"
    text = (f"Set up a new project folder ~/projects/{name} with subfolders src and tests, an empty file "
            f"src/__init__.py, an empty file tests/__init__.py, and a README.md whose only line is: # {name}")
    return Draft("scaffold", text, [
        call("mkdir", path=root), call("mkdir", path=f"{root}/src"), call("mkdir", path=f"{root}/tests"),
        call("touch", path=f"{root}/src/__init__.py"), call("touch", path=f"{root}/tests/__init__.py"),
        call("write_file", path=f"{root}/README.md", content=f"# {name}\n"),
    ])


def cleanup(s: Scene) -> Draft:
    d = f"{HOME}/downloads"
    return Draft("cleanup", "Delete every .tmp file in ~/downloads; leave the other files alone.",
                 [call("find", path=d, name="*.tmp"), *(call("rm", path=f) for f in s.files(d, ".tmp"))])


def collect_todos(s: Scene) -> Draft:
    d = f"{HOME}/documents/notes"
    todo = [f for f in s.files(d) if "TODO" in s.fs["tree"][f]["content"]]
    return Draft("collect_todos", "Move every note in ~/documents/notes that contains 'TODO' into a new folder "
                 "~/documents/notes/todo.",
                 [call("grep", pattern="TODO", path=d, recursive=True), call("mkdir", path=f"{d}/todo"),
                  *(call("mv", source=f, destination=f"{d}/todo") for f in todo)])


def build_keep(s: Scene) -> Draft:
    project = s.rng.choice(s.projects())
    root = f"{HOME}/projects/{project}"
    return Draft("build_dir", f"Go to the {project} project, create a folder build in it, and put an empty "
                 "file named .keep inside build.",
                 [call("cd", path=root), call("mkdir", path="build"), call("touch", path="build/.keep")])


#: every category's generator, in a fixed order (part of the suite's identity)
GENERATORS: tuple[Callable[[Scene], Draft], ...] = (
    mkdir_one, two_dirs, write_new, append_line, rename, move_into, copy_backup, delete_file, delete_dir,
    read_value, find_error, organize, backup, scaffold, cleanup, collect_todos, build_keep,
)
