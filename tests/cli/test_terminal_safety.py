"""The terminal is not an injection surface: names and model output are shown as text, never as rich
markup or raw escape sequences."""

from __future__ import annotations

import json

from tests.run.suite_factory import make_tasks
from toolgym.cli import main
from toolgym.cli.console import printable
from toolgym.store import Store

ESC = "\x1b"


def _hostile_suite(path):
    """Tasks whose ids, categories and tool names carry markup and escape sequences."""
    with path.open("w") as f:
        for i, task in enumerate(make_tasks(6)):
            category = f"cat[/]{ESC}]0;pwned{ESC}\\" if i % 2 else "[link=http://evil.example]click[/link]"
            task = task.model_copy(update={"id": f"t{i}[bold]{ESC}[2J", "category": category})
            f.write(task.model_dump_json() + "\n")
    return path


def _replay(path):
    with path.open("w") as f:
        for i in range(6):
            text = f"{ESC}[31mred [/] [link=http://evil.example]x[/link]"
            f.write(json.dumps({"id": f"t{i}[bold]{ESC}[2J", "text": text}) + "\n")
    return path


def test_runs_show_and_errors_print_names_as_text(tmp_path, capsys):
    db = str(tmp_path / "runs.db")
    suite, replay = _hostile_suite(tmp_path / "suite.jsonl"), _replay(tmp_path / "answers.jsonl")
    for name in ("[/]", f"run{ESC}[2J{ESC}]8;;http://evil.example{ESC}\\", "[link=http://evil.example]r[/link]"):
        main(["eval", f"jsonl:{suite}", "--model", f"replay:{replay}", "--split", "all", "--db", db, "--run", name])
    out = capsys.readouterr().out
    main(["runs", "--db", db])  # `[/]` as a run name crashed this for the whole database
    out += capsys.readouterr().out
    with Store(db) as store:
        names = [r.name for r in store.list_runs()]
    for name in names:
        main(["show", name, "--db", db])
    out += capsys.readouterr().out
    assert ESC not in out
    assert "[/]" in out and "[link=http://evil.example]" in out and "cat[/]" in out
    assert "\\x1b[2J" in out and "\\x1b]0;pwned" in out
    try:
        main(["show", f"nope{ESC}[2J[/]", "--db", db])
    except SystemExit as e:
        assert e.code == 2
    err = capsys.readouterr().err
    assert ESC not in err and "\\x1b[2J[/]" in err


def test_printable_escapes_every_control_character_and_bidi_override():
    assert printable("a\x1b[31mb\x07\x9b\u202eevil\tok\n") == "a\\x1b[31mb\\x07\\x9b\\u202eevil\tok\n"
    assert printable("[bold]plain[/]") == "[bold]plain[/]"
