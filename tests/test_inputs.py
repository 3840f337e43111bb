"""One located error for every bad input file: configs, suites (JSONL, BFCL), replay files, votes, prompts.

Each case asserts the UserError names the file (and line where there is one) and the fix, and that
nothing else (OSError, UnicodeDecodeError, RecursionError, a constructed Python object) comes out.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from toolgym.arena import read_votes
from toolgym.arena.prompts import load_prompts
from toolgym.cli import main
from toolgym.errors import UserError
from toolgym.models.replay import load_replay
from toolgym.run import RunConfig, load_config_file
from toolgym.suites import load_suite
from toolgym.suites.bfcl import load_bfcl

DEEP = "[" * 100_000 + "]" * 100_000
TASK = {"id": "t1", "messages": [{"role": "user", "content": "hi"}], "category": "c"}


def lines(path: Path, *rows: object, raw: bytes = b"") -> Path:
    path.write_bytes("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows).encode() + raw)
    return path


# --config files


@pytest.mark.parametrize(("text", "message"), [
    (b"seed: 1\nrepeats: [1, 2\n", r"c\.yaml:3:1: YAML syntax error: .*fix the file"),
    (b"seed: 1\n  split: test\n", r"c\.yaml:2:\d+: YAML syntax error"),
    (b"seed: !!python/object/apply:os.system ['touch PWNED']\n",
     r"c\.yaml:1: tag !!python/object/apply:os\.system is not allowed.*remove the tag"),
    (b"model: !!python/name:os.system\n", r"c\.yaml:1: tag !!python/name:os\.system is not allowed"),
    (b"seed: 1\nsplit: test\nseed: 2\n", r"c\.yaml:3: key 'seed' is given twice \(first on line 1\); keep one"),
    (b"seed: 1\nrun: caf\xe9\n", r"c\.yaml:2: not UTF-8 text \(byte 0xe9 at column 9\); save the file as UTF-8"),
    (b"repeats: 0\n", r"c\.yaml:1: field repeats: Input should be greater than or equal to 1 \(got 0\)"),
    (b"seed: 1\nrepaets: 2\n", r"c\.yaml:2: unknown key 'repaets'; did you mean 'repeats'\?"),
    (b"- seed\n- 1\n", r"c\.yaml: expected a mapping of option names to values"),
    (b"seed: " + b"[" * 5000 + b"]" * 5000 + b"\n", r"c\.yaml: nested too deeply to read"),
    (b"? [a, b]\n: 1\n", r"c\.yaml:1: a key must be a plain value"),
    (b"seed: 1\x07\n", r"c\.yaml: not a YAML file"),
])
def test_bad_config_files_are_located(tmp_path: Path, monkeypatch, text: bytes, message: str) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "c.yaml"
    path.write_bytes(text)
    with pytest.raises(UserError, match=message):
        load_config_file(path, RunConfig)
    assert not (tmp_path / "PWNED").exists()


def test_a_config_folder_or_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=f"config file {tmp_path} is a folder; give the file inside it"):
        load_config_file(tmp_path, RunConfig)
    with pytest.raises(UserError, match="config file .*nope.yaml does not exist"):
        load_config_file(tmp_path / "nope.yaml", RunConfig)


def test_a_good_config_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("seed: 3\nsplit: train\nmodel: hf:x  # a comment\n", encoding="utf-8")
    assert load_config_file(path, RunConfig) == {"seed": 3, "split": "train", "model": "hf:x"}


def test_the_cli_prints_a_config_error_as_one_line(tmp_path: Path, capsys) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("seed: 1\nseed: 2\n")
    with pytest.raises(SystemExit) as exit_info:
        main(["eval", "fc-core", "--config", str(path), "--db", str(tmp_path / "x.db")])
    assert exit_info.value.code == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "c.yaml:2: key 'seed' is given twice" in err and "Traceback" not in err
    assert not (tmp_path / "x.db").exists()


# data files: JSONL suites, replay files, votes, prompts


def test_jsonl_suite_bad_files(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"s\.jsonl:2: JSON nested too deeply to read"):
        load_suite(f"jsonl:{lines(tmp_path / 's.jsonl', TASK, DEEP)}")
    latin = lines(tmp_path / "latin.jsonl", TASK, raw=b'{"\xff"}\n')
    with pytest.raises(UserError, match=r"latin\.jsonl:2: not UTF-8 text \(byte 0xff at column 3\)"):
        load_suite(f"jsonl:{latin}")
    with pytest.raises(UserError, match=f"suite file {tmp_path} is a folder"):
        load_suite(f"jsonl:{tmp_path}")
    with pytest.raises(UserError, match=r"s\.jsonl:1: expected a JSON object \(a task\), got list"):
        load_suite(f"jsonl:{lines(tmp_path / 's.jsonl', [1, 2])}")
    nested = {**TASK, "metadata": {"x": json.loads("[" * 900 + "]" * 900)}}
    with pytest.raises(UserError, match=r"s\.jsonl:1: task cannot be read"):
        load_suite(f"jsonl:{lines(tmp_path / 's.jsonl', nested)}")


def test_replay_file_bad_files(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"r\.jsonl:2: JSON nested too deeply to read"):
        load_replay(lines(tmp_path / "r.jsonl", {"id": "t1", "content": "x"}, DEEP))
    with pytest.raises(UserError, match=r"r\.jsonl:1: not UTF-8 text \(byte 0xc3 at column 23\)"):
        load_replay(lines(tmp_path / "r.jsonl", raw=b'{"id": "t1", "text": "\xc3("}\n'))
    with pytest.raises(UserError, match=f"replay file {tmp_path} is a folder"):
        load_replay(tmp_path)


def test_votes_file_bad_files(tmp_path: Path) -> None:
    vote = {"model_a": "x", "model_b": "y", "winner": "tie"}
    with pytest.raises(UserError, match=r"v\.jsonl:2: JSON nested too deeply to read"):
        read_votes(lines(tmp_path / "v.jsonl", vote, DEEP), "s")
    with pytest.raises(UserError, match=r"v\.jsonl:2: not UTF-8 text"):
        read_votes(lines(tmp_path / "v.jsonl", vote, raw=b"\xfe\n"), "s")
    with pytest.raises(UserError, match=f"votes file {tmp_path} is a folder"):
        read_votes(tmp_path, "s")


def test_prompts_file_bad_files(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"p\.jsonl:1: JSON nested too deeply to read"):
        load_prompts(str(lines(tmp_path / "p.jsonl", DEEP)))
    with pytest.raises(UserError, match=r"p\.jsonl:1: not UTF-8 text"):
        load_prompts(str(lines(tmp_path / "p.jsonl", raw=b"\x80\n")))


def test_bfcl_files_bad_files(tmp_path: Path) -> None:
    q = tmp_path / "BFCL_v4_irrelevance.json"
    lines(q, DEEP)
    with pytest.raises(UserError, match=r"BFCL_v4_irrelevance\.json:1: line: JSON nested too deeply"):
        load_bfcl(tmp_path)
    lines(q, raw=b'{"id": "\xff"}\n')
    with pytest.raises(UserError, match=r"BFCL_v4_irrelevance\.json:1: not UTF-8 text"):
        load_bfcl(tmp_path)
    q.unlink()
    q.mkdir()
    with pytest.raises(UserError, match="is a folder"):
        load_bfcl(tmp_path)
