"""Rules every compiled function of the engine keeps, checked in its source.

Both keep numba's reference-count pruning working: a path that can raise (Python's division
by zero) or allocate (an array made inside a step kernel) makes numba count every array a
kernel takes in and out at each call, about a sixth of a default run before they held
(benchmarks/README.md, "The engine being measured").
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import fentflow.sim

SIM = Path(fentflow.sim.__file__).parent
MODULES = sorted((SIM / "modules").glob("*.py"))
ALLOCATING = {"empty", "zeros", "ones", "full", "empty_like", "zeros_like", "ones_like", "full_like", "copy",
              "new_die", "array", "arange"}


def _functions(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    return [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]


def _decorators(function: ast.FunctionDef) -> list[str]:
    return [ast.unparse(decorator) for decorator in function.decorator_list]


def _compiled(path: Path):
    return [f for f in _functions(path) if any(d in ("kernel", "inlined") for d in _decorators(f))]


def test_every_compiled_function_is_a_kernel_or_inlined():
    """Compiled with `kernels.kernel` or `kernels.inlined` only: cached, and dividing as NumPy does."""
    bare = [f"{path.relative_to(SIM)}:{f.name}" for path in SIM.rglob("*.py") for f in _functions(path)
            if any("njit" in d or d.startswith("numba.jit") for d in _decorators(f))]
    assert bare == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.stem)
def test_step_kernels_allocate_nothing(path):
    """A step kernel and its inlined helpers use what the module's state holds (scratch included)."""
    made = [f"{f.name}: {ast.unparse(call.func)}" for f in _compiled(path) for call in ast.walk(f)
            if isinstance(call, ast.Call) and isinstance(call.func, (ast.Attribute, ast.Name))
            and (call.func.attr if isinstance(call.func, ast.Attribute) else call.func.id) in ALLOCATING]
    assert made == []


def test_the_rules_see_the_step_kernels():
    """The checks above read the nine step kernels (a rename would make them vacuous)."""
    steps = {f.name for path in MODULES for f in _compiled(path) if f.name.endswith("_step")}
    assert len(steps) == 9
