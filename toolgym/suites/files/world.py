"""A home directory drawn from a seed: documents, notes, projects, downloads and logs.

Every file has text content (binary files hold a placeholder line), so cat and grep work on all of
them. Names and contents vary with the seed; the layout is always::

    /home/user/notes.txt, todo.txt
    /home/user/documents/{letter.txt, budget_<year>.csv, report_<year>.txt, notes/<topic>.md ...}
    /home/user/projects/<project>/{README.md, config.ini, src/main.py, src/<module>.py, tests/test_main.py}
    /home/user/downloads/{<photos>.jpg, <papers>.pdf, <files>.tmp, <files>.log, <data>.csv ...}
    /home/user/logs/{app.log, <service>.log ...}
"""

from __future__ import annotations

import random
from typing import Any

from .tools import HOME

__all__ = ["build_fs"]

PROJECTS = ("atlas", "beacon", "comet", "delta", "ember", "falcon", "garnet", "harbor", "iris", "juniper",
            "kepler", "lumen", "mosaic", "nimbus", "orbit", "pixel", "quartz", "raven", "sierra", "tundra")
MODULES = ("utils", "parser", "client", "models", "storage", "render", "config", "auth", "cache", "metrics")
TOPICS = ("standup", "roadmap", "budget", "hiring", "offsite", "retro", "launch", "security", "design", "sales")
SERVICES = ("worker", "scheduler", "gateway", "billing", "search", "mailer", "indexer", "uploader")
PHOTOS = ("beach", "mountain", "birthday", "garden", "city", "sunset", "concert", "forest", "harbor", "snow")
PAPERS = ("thesis", "manual", "invoice", "ticket", "contract", "receipt", "syllabus", "brochure")
DATA = ("sales", "visits", "weather", "prices", "scores", "survey", "inventory", "traffic")
WORDS = ("alpha", "bravo", "cobalt", "dune", "echo", "fjord", "gamma", "helix", "ion", "jade", "kilo", "lotus")


def _tree(files: dict[str, str]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for path, content in files.items():
        parts = path.strip("/").split("/")
        for i in range(len(parts)):
            tree.setdefault("/" + "/".join(parts[:i]) if i else "/", {"type": "dir"})
        tree[path] = {"type": "dir"} if content is None else {"type": "file", "content": content}
    return tree


def _notes(rng: random.Random) -> dict[str, str]:
    files = {}
    for topic in rng.sample(TOPICS, 4):
        lines = [f"# {topic.title()} notes", f"- discussed {rng.choice(WORDS)} and {rng.choice(WORDS)}"]
        if rng.random() < 0.5:
            lines.append(f"- TODO: follow up on {rng.choice(WORDS)}")
        files[f"{HOME}/documents/notes/{topic}.md"] = "\n".join(lines) + "\n"
    if not any("TODO" in c for c in files.values()):
        first = sorted(files)[0]
        files[first] += "- TODO: send the summary\n"
    return files


def _project(rng: random.Random, name: str) -> dict[str, str]:
    root = f"{HOME}/projects/{name}"
    module = rng.choice(MODULES)
    return {
        f"{root}/README.md": f"# {name}\n\nA small {rng.choice(WORDS)} service.\n",
        f"{root}/config.ini": f"[server]\nhost = 127.0.0.1\nport = {rng.randint(3000, 9899)}\n"
                              f"workers = {rng.randint(2, 16)}\n\n[log]\nlevel = {rng.choice(('info', 'debug'))}\n",
        f"{root}/src/main.py": f"from {module} import run\n\nif __name__ == '__main__':\n    run()\n",
        f"{root}/src/{module}.py": f"def run():\n    print('{name} {module}')\n",
        f"{root}/tests/test_main.py": "def test_nothing():\n    assert True\n",
    }


def _downloads(rng: random.Random) -> dict[str, str]:
    d = f"{HOME}/downloads"
    files = {f"{d}/{p}.jpg": "<binary JPEG data>\n" for p in rng.sample(PHOTOS, rng.randint(2, 4))}
    files |= {f"{d}/{p}.pdf": "<binary PDF data>\n" for p in rng.sample(PAPERS, rng.randint(1, 3))}
    files |= {f"{d}/{w}_{rng.randint(1, 9)}.tmp": "partial download\n" for w in rng.sample(WORDS, rng.randint(2, 4))}
    files |= {f"{d}/{s}.log": f"{s} started\n{s} stopped\n" for s in rng.sample(SERVICES, rng.randint(2, 3))}
    files |= {f"{d}/{x}.csv": f"day,{x}\n1,{rng.randint(1, 99)}\n" for x in rng.sample(DATA, rng.randint(1, 3))}
    return files


def _logs(rng: random.Random) -> dict[str, str]:
    files = {}
    codes = rng.sample(range(100, 999), 4)
    for i, service in enumerate(rng.sample(SERVICES, 3)):
        lines = [f"2024-05-{10 + i:02d} 09:00:01 INFO {service} started"]
        lines.append(f"2024-05-{10 + i:02d} 09:14:{20 + i} ERROR E{codes[i]} {service} lost its connection")
        files[f"{HOME}/logs/{service}.log"] = "\n".join(lines) + "\n"
    files[f"{HOME}/logs/app.log"] = f"2024-05-09 08:00:00 INFO app ready\n2024-05-09 08:01:00 WARN code W{codes[3]}\n"
    return files


def build_fs(seed: int | str) -> dict[str, Any]:
    """A fresh file-system state drawn from `seed`; the same seed always gives the same state."""
    rng = random.Random(f"files-world:{seed}")
    year = rng.randint(2019, 2024)
    files: dict[str, str | None] = {
        f"{HOME}/notes.txt": f"call {rng.choice(WORDS)} on monday\nbuy milk\n",
        f"{HOME}/todo.txt": "- renew passport\n- TODO: file taxes\n",
        f"{HOME}/documents/letter.txt": f"Dear {rng.choice(WORDS).title()},\n\nThank you.\n",
        f"{HOME}/documents/budget_{year}.csv": f"month,spent\njan,{rng.randint(100, 999)}\n",
        f"{HOME}/documents/report_{year}.txt": f"Annual report {year}\nRevenue grew {rng.randint(2, 40)}%.\n",
        f"{HOME}/music": None,
    }
    files |= _notes(rng) | _downloads(rng) | _logs(rng)
    for name in rng.sample(PROJECTS, 2):
        files |= _project(rng, name)
    return {"cwd": HOME, "tree": _tree(files)}
