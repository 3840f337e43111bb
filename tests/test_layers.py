"""The package's shape: imports only go up the layer order of DESIGN.md, and `import toolgym` is light."""

import ast
import subprocess
import sys
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "toolgym"

# DESIGN.md's order, with one change recorded in the notes: store/ sits above run/, because the
# scheduler writes each result to the store as it finishes and plans resumes from it.
LAYERS = [
    {"_version", "types", "errors", "registry", "inputs", "outputs", "redact", "images"},
    {"tools"},
    {"check"},
    {"envs"},
    {"suites"},
    {"models"},
    {"store"},
    {"run"},
    {"stats"},
    {"arena"},
    {"train"},
    {"audit"},
    {"report"},
    {"server", "serve"},
    {"view"},
    {"cli", "__main__"},
    {"__init__"},  # the public API (toolgym/__init__.py) re-exports from every layer, lazily
]


def layer_of(top: str) -> int:
    for i, names in enumerate(LAYERS):
        if top in names:
            return i
    raise AssertionError(f"toolgym/{top} is not in the layer list of tests/test_layers.py; add it")


def imported_tops(path: Path) -> set[str]:
    rel = path.relative_to(PKG)
    depth = len(rel.parts) - 1  # package depth of the module
    tops = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(rel.parts[:-1])[: depth - (node.level - 1)] if node.level - 1 <= depth else []
                parts = base + (node.module.split(".") if node.module else [])
                if not parts:  # `from .. import x` at the top: x is the module
                    parts = [a.name for a in node.names]
                    tops.update(parts)
                    continue
                tops.add(parts[0])
            elif node.module and node.module.split(".")[0] == "toolgym":
                mod = node.module.split(".")
                tops.add(mod[1] if len(mod) > 1 else node.names[0].name)
        elif isinstance(node, ast.Import):
            for a in node.names:
                mod = a.name.split(".")
                if mod[0] == "toolgym" and len(mod) > 1:
                    tops.add(mod[1])
    return tops


def test_imports_follow_the_layer_order():
    bad = []
    for path in PKG.rglob("*.py"):
        own = path.relative_to(PKG).parts[0].removesuffix(".py")
        for top in imported_tops(path):
            if layer_of(top) > layer_of(own):
                bad.append(f"{path.relative_to(PKG.parent)} imports toolgym.{top} (a lower layer)")
    assert not bad, "\n".join(sorted(bad))


def test_no_module_imports_the_package_root():
    """`from .. import x` of a name that is not a module, or `from toolgym import x`, would import the API root."""
    modules = {p.stem for p in PKG.iterdir() if p.suffix == ".py" or (p / "__init__.py").is_file()}
    bad = []
    for path in PKG.rglob("*.py"):
        if path == PKG / "__init__.py":
            continue
        for top in imported_tops(path):
            if top not in modules:
                bad.append(f"{path.relative_to(PKG.parent)} imports {top!r} from the package root")
    assert not bad, "\n".join(sorted(bad))


def test_import_toolgym_stays_light():
    code = ("import sys, toolgym, toolgym.types, toolgym.check, toolgym.suites, toolgym.models, toolgym.run, "
            "toolgym.stats, toolgym.cli, toolgym.serve; "
            "heavy = [m for m in ('torch', 'transformers', 'trl', 'fastapi', 'datasets', 'verifiers', 'nemo_gym') "
            "if m in sys.modules]; "
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"importing toolgym pulled in heavy modules: {out.stdout.strip()}"


def test_training_code_lives_in_train():
    """The tiny model's recipe is in train/tiny/; models/ (weights and loaders) never imports TRL."""
    trainers = []
    for path in (PKG / "models").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            trainers += [f"{path.relative_to(PKG.parent)} imports {n}" for n in names if n.split(".")[0] == "trl"]
    assert not trainers, "\n".join(trainers)
    assert (PKG / "train" / "tiny" / "recipe.py").is_file() and not (PKG / "models" / "tiny" / "train.py").exists()
