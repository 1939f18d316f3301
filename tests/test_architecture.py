"""The house's shape, checked from the source: no import cycle, no arrow from a stage back to a
later stage, to the flows or to the command line, one installed top-level name, every command
documented. Imports are read with `ast` (module-level and in-function alike: a lazy import is an
arrow too)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# checkout folder → import name (pyproject.toml's [tool.setuptools.package-dir])
FOLDERS = {"planscope": "planscope", "extractors": "planscope.extractors", "pipeline": "planscope.pipeline",
           "models": "planscope.models", "flows": "planscope.flows"}
# The data's order: a module may import its own layer and the layers before it, never one after.
LAYERS = [
    ("foundation", ("planscope", "planscope.settings", "planscope.errors")),
    ("extractors", ("planscope.extractors",)),
    ("models", ("planscope.models",)),
    ("fetch", ("planscope.pipeline.fetch",)),
    ("structure", ("planscope.pipeline.structure",)),
    ("normalise", ("planscope.pipeline.normalise",)),
    ("process", ("planscope.pipeline.process", "planscope.pipeline.isolate")),
    ("load", ("planscope.pipeline.load",)),
    ("report", ("planscope.pipeline.report",)),
    ("stages", ("planscope.pipeline",)),  # the package itself (its docstring only)
    ("flows", ("planscope.flows",)),
    ("cli", ("planscope.cli", "planscope.__main__")),
]


def modules() -> dict[str, Path]:
    out = {}
    for folder, name in FOLDERS.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT / folder).with_suffix("").parts
            parts = [name, *rel]
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join(parts)] = path
    return out


def layer_of(module: str) -> int:
    best, rank = -1, None
    for i, (_, prefixes) in enumerate(LAYERS):
        for p in prefixes:
            if (module == p or module.startswith(p + ".")) and len(p) > best:
                best, rank = len(p), i
    assert rank is not None, f"{module} belongs to no layer: add it to LAYERS"
    return rank


def imports(module: str, path: Path, known: set[str]) -> set[str]:
    """The project modules ``module`` imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            # "from pkg import sub" is an arrow to pkg.sub when that is a module, to pkg otherwise
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        else:
            continue
        for n in names:
            while n and n not in known:
                n = n.rpartition(".")[0]
            if n and n != module:
                found.add(n)
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {m: imports(m, p, known) for m, p in mods.items()}


def test_no_top_level_name_but_planscope_is_imported():
    offenders = []
    for m, p in modules().items():
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and not node.level and node.module:
                top = node.module.split(".")[0]
            elif isinstance(node, ast.Import):
                top = node.names[0].name.split(".")[0]
            else:
                continue
            if top in ("pipeline", "extractors", "models", "flows"):
                offenders.append(f"{m}: imports {top} (use planscope.{top})")
    assert not offenders, offenders


def test_every_module_is_in_a_layer_and_imports_only_backwards():
    g = graph()
    back = [f"{m} ({LAYERS[layer_of(m)][0]}) → {d} ({LAYERS[layer_of(d)][0]})"
            for m, deps in g.items() for d in deps if layer_of(d) > layer_of(m)]
    assert not back, "arrows against the data's order:\n" + "\n".join(back)


def test_the_import_graph_has_no_cycle():
    g = graph()
    # planscope.X → planscope (the package __init__) is how Python imports anything: not an arrow
    g = {m: {d for d in deps if d != "planscope"} for m, deps in g.items()}
    state, stack, cycles = {}, [], []

    def visit(m):
        state[m] = "open"
        stack.append(m)
        for d in sorted(g.get(m, ())):
            if state.get(d) == "open":
                cycles.append(stack[stack.index(d):] + [d])
            elif d not in state:
                visit(d)
        stack.pop()
        state[m] = "done"

    for m in sorted(g):
        if m not in state:
            visit(m)
    assert not cycles, "import cycles:\n" + "\n".join(" → ".join(c) for c in cycles)


def test_a_cycle_would_be_caught(tmp_path):
    """The checker itself: two modules importing each other form a cycle it reports."""
    a, b = tmp_path / "a.py", tmp_path / "b.py"
    a.write_text("from planscope.pipeline.load import b\n")
    b.write_text("def f():\n    from planscope.pipeline.load import a\n")
    known = {"planscope.pipeline.load.a", "planscope.pipeline.load.b"}
    assert imports("planscope.pipeline.load.a", a, known) == {"planscope.pipeline.load.b"}
    assert imports("planscope.pipeline.load.b", b, known) == {"planscope.pipeline.load.a"}


def test_pyproject_lists_every_package():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    listed = set(re.findall(r'"(planscope(?:\.[a-z_]+)*)"', text))
    packages = {m for m, p in modules().items() if p.name == "__init__.py"}
    assert packages <= listed, f"packages missing from pyproject.toml: {sorted(packages - listed)}"


@pytest.mark.parametrize("limit", [500])
def test_long_modules_say_why(limit):
    """A module over ~500 lines states at its top why it is one module."""
    long = [f"{m} ({n} lines)" for m, p in modules().items()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > limit * 1.1
            and not re.search(r"one module because|why one (?:file|module)", p.read_text(encoding="utf-8")[:3000], re.I)]
    assert not long, "split these or write why they are one module ('One module because …') in their docstring: " + ", ".join(long)


def test_the_wheel_installs_one_top_level_package(tmp_path):
    """`pip install .` puts `planscope` (and its dist-info) in site-packages, nothing named
    `pipeline`, `models`, `extractors` or `flows`; rule data and migrations travel with it."""
    import shutil
    import subprocess
    import sys
    import zipfile

    src = tmp_path / "src"  # a copy: setuptools writes build/ and *.egg-info into the tree it builds
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for folder in FOLDERS:
        shutil.copytree(ROOT / folder, src / folder, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    res = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                          "-w", str(tmp_path), str(src)], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    (wheel,) = tmp_path.glob("planscope-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")} == {"planscope"}
    for needed in ("planscope/pipeline/data/lexicon.json", "planscope/models/migrations/env.py",
                   "planscope/models/migrations/script.py.mako", "planscope/flows/prefect.yaml",
                   "planscope/cli/main.py"):
        assert needed in names


def test_no_test_reaches_into_bench():
    """Benchmarks may use the tests' generators (tests/plan_inputs.py, tests/synthetic_db.py), not
    the other way round."""
    here = Path(__file__).resolve().parent
    offenders = [p.name for p in sorted(here.glob("*.py")) if p.name != Path(__file__).name
                 and re.search(r"""["']bench["']|/ ?"bench"|bench/""", p.read_text(encoding="utf-8"))
                 and "sys.path" in p.read_text(encoding="utf-8")]
    assert not offenders, offenders
