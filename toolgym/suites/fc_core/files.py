"""File tools: read, write, list, search, compress and move files."""

from __future__ import annotations

from typing import Any, Literal

from ...tools import tool
from . import pools
from .fake import rng_for
from .templates import Spec
from .values import Arg, Draw


@tool
def read_file(path: str, encoding: Literal["utf-8", "latin-1", "ascii"] = "utf-8") -> dict[str, Any]:
    """Read a text file and return its contents.

    Args:
        path: Absolute path of the file.
        encoding: Text encoding used to decode the file.
    """
    return {"path": path, "content": f"(contents of {path})", "encoding": encoding}


@tool
def write_file(path: str, content: str, overwrite: bool = False) -> dict[str, Any]:
    """Write text to a file, creating it if needed.

    Args:
        path: Absolute path of the file.
        content: Text to write.
        overwrite: Whether to replace the file if it already exists.
    """
    return {"path": path, "bytes_written": len(content.encode())}


@tool
def list_directory(
    path: str, show_hidden: bool = False, sort_by: Literal["name", "size", "modified"] = "name"
) -> dict[str, Any]:
    """List the files and folders in a directory.

    Args:
        path: Absolute path of the directory.
        show_hidden: Whether to include hidden files (names starting with a dot).
        sort_by: Order of the listing.
    """
    r = rng_for(path)
    return {"path": path, "entries": [f"file_{r.randint(1, 99)}.txt" for _ in range(3)], "sort_by": sort_by}


@tool
def search_files(query: str, directory: str | None = None, extension: str | None = None) -> dict[str, Any]:
    """Search for files whose names contain some text.

    Args:
        query: Text the file name must contain.
        directory: Directory to search (recursively); the whole home folder when omitted.
        extension: Only return files with this extension, without the dot, e.g. "pdf".
    """
    return {"query": query, "matches": []}


@tool
def compress_files(
    paths: list[str], archive_name: str, format: Literal["zip", "tar.gz", "7z"] = "zip"
) -> dict[str, Any]:
    """Compress files into a single archive.

    Args:
        paths: Absolute paths of the files to include.
        archive_name: Name of the archive, without the extension.
        format: Archive format.
    """
    return {"archive": f"{archive_name}.{format}", "files": len(paths)}


@tool
def move_file(source: str, destination: str) -> dict[str, Any]:
    """Move a file into another directory.

    Args:
        source: Absolute path of the file to move.
        destination: Absolute path of the target directory.
    """
    return {"from": source, "to": destination, "status": "moved"}


_CONTENTS = ("TODO: finish the {word} review by {weekday}", "Meeting notes: {word} kickoff with {first}",
             "{first}: {phone}", "Shopping list: {item}, milk, bread", "Remember to call {first} about {word}",
             "{Word} ideas - first draft", "Packing list for {city}: {item}", "Password hint: favorite {word}",
             "Status: {word} migration complete", "Draft agenda for the {word} workshop",
             "Backup of {word} settings", "Questions for {first} about the {word} budget")


def _content(d: Draw) -> str:
    word = d.word()
    return d.pick(_CONTENTS).format(word=word, Word=word.capitalize(), first=d.first(), city=d.city(),
                                    item=d.item(), phone=d.phone(), weekday=d.choice(pools.WEEKDAYS))


def _paths(d: Draw) -> Arg:
    paths: list[str] = []
    n, user = d.rng.randint(2, 3), d.first().lower()
    while len(paths) < n:
        p = d.path(user=user)
        if p not in paths:
            paths.append(p)
    return Arg(paths, d.say_list(paths), unordered=True)


def _archive(d: Draw) -> str:
    return d.choice((f"{d.word()}_{d.word()}", f"{d.word()}-backup", f"{d.word()}_{d.integer(2019, 2027)}"))


_TEXT = ("txt", "md", "csv", "json", "log", "yaml", "py", "html", "xml", "sql")


def _move(d: Draw) -> dict[str, Arg]:
    user = d.first().lower()
    source, destination = d.path(user=user), d.folder(user=user)
    return {"source": Arg(source), "destination": Arg(destination)}


def _different_folder(args: dict[str, Arg]) -> bool:
    return not args["source"].value.startswith(args["destination"].value + "/")


def _listing(d: Draw) -> dict[str, Arg]:
    sort = d.choice(("name", "size", "modified"))
    texts = {"name": ("by name", "alphabetically"), "size": ("by size", "by file size"),
             "modified": ("by modification date", "by last modified time")}
    return {"path": Arg(d.folder()), "show_hidden": Arg(True, d.choice(("including hidden files",
                                                                        "with hidden files shown"))),
            "sort_by": Arg(sort, d.choice(texts[sort]))}


def _search(d: Draw) -> dict[str, Arg]:
    return {"query": Arg(d.word()), "directory": Arg(d.folder()), "extension": Arg(d.pick(pools.EXTENSIONS))}


SPECS = [
    Spec(read_file, "files", lambda d: {
        "path": Arg(d.path(d.choice(_TEXT))), "encoding": Arg(d.choice(("latin-1", "ascii", "utf-8")))}, (
        "Open {path} and show me what's inside[ using {encoding} encoding].",
        "Read the file {path}[ as {encoding}].",
        "What's in {path}?",
        "Print the contents of {path}[ with {encoding} encoding].",
        "Can you read {path} for me[, decoding it as {encoding}]?",
        "Load {path} and display it[ as {encoding} text].",
        "Show me the text of {path}.",
        "Read {path}[ using the {encoding} charset].",
    ), (
        "Read the files {path*}.",
        "Show me the contents of {path*}.",
    )),
    Spec(write_file, "files", lambda d: {
        "path": Arg(d.path(d.choice(("txt", "md", "log", "csv")))), "content": Arg(_content(d)),
        "overwrite": d.choice((Arg(True, "and overwrite it if it already exists"),
                               Arg(True, "replacing any existing file"),
                               Arg(False, "but don't overwrite an existing file")))}, (
        "Write \"{content}\" to {path}[ {overwrite}].",
        "Create a file at {path} containing \"{content}\"[ {overwrite}].",
        "Save the text \"{content}\" into {path}.",
        "Put \"{content}\" in a file called {path}[ {overwrite}].",
        "Make a new file {path} with the content \"{content}\".",
        "Write the following to {path}: \"{content}\".",
        "Store \"{content}\" at {path}[ {overwrite}].",
        "Please save \"{content}\" as {path}[ {overwrite}].",
    )),
    Spec(list_directory, "files", _listing, (
        "List the files in {path}[ {show_hidden}][ sorted {sort_by}].",
        "What's in the folder {path}?",
        "Show me the contents of the directory {path}[, {show_hidden}].",
        "Give me a directory listing of {path}[ sorted {sort_by}].",
        "Which files are in {path}[, sorted {sort_by}]?",
        "List everything in {path}[ {show_hidden}].",
        "Show the directory {path}[ sorted {sort_by}][, {show_hidden}].",
        "Can you list {path} for me[ {show_hidden}]?",
    ), (
        "List the files in {path*}.",
        "Show me what's in the folders {path*}[ sorted {sort_by}].",
    )),
    Spec(search_files, "files", _search, (
        "Search my files for \"{query}\"[ in {directory}][ with the .{extension} extension].",
        "Find files named like \"{query}\"[ under {directory}].",
        "Look for {extension} files matching \"{query}\"[ in {directory}].",
        "Where is the file with \"{query}\" in its name?[ Search {directory}.]",
        "Locate any files containing \"{query}\" in the name[ inside {directory}][, only .{extension}].",
        "Search {directory} for files matching \"{query}\".",
        "Find all {extension} files with \"{query}\" in the name.",
        "File search for \"{query}\"[ in the folder {directory}][, type {extension}].",
    )),
    Spec(compress_files, "files", lambda d: {
        "paths": _paths(d), "archive_name": Arg(_archive(d)), "format": Arg(d.choice(("zip", "tar.gz", "7z")))}, (
        "Compress {paths} into an archive named \"{archive_name}\"[ as {format}].",
        "Bundle {paths} into an archive called \"{archive_name}\".",
        "Create a[ {format}] archive called \"{archive_name}\" containing {paths}.",
        "Put {paths} into an archive \"{archive_name}\"[ using the {format} format].",
        "Pack {paths} into one archive named \"{archive_name}\"[, format {format}].",
        "Please archive {paths} under the name \"{archive_name}\"[ ({format})].",
        "Make an archive \"{archive_name}\" from {paths}[ in {format} format].",
        "Compress these files into \"{archive_name}\"[ as {format}]: {paths}.",
    )),
    Spec(move_file, "files", _move, (
        "Move {source} to {destination}.",
        "Please move the file {source} into {destination}.",
        "Relocate {source} to the folder {destination}.",
        "Can you put {source} in {destination} instead?",
        "Transfer {source} over to {destination}.",
        "I want {source} moved into {destination}.",
        "Shift {source} to {destination}, please.",
        "Move the document at {source} to the directory {destination}.",
    ), check=_different_folder),
]
