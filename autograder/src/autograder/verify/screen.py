"""Read a submission's own code for anything that could change how the checks run after it.

The hidden checks run in the learner's kernel, after the learner's code, so that code could
rewrite them: an IPython input or AST transformer, a patched builtin, helper or test client,
a name the checks rely on bound to something else. Doing any of that takes one of a few kinds
of statement, which ordinary answers to these labs never need:

- the machinery itself: ``get_ipython``, ``globals()``/``vars()``/``locals()``, ``setattr``,
  ``exec``/``eval``/``compile``/``__import__``, ``builtins``, the dangerous dunders
  (``__dict__``, ``__class__``, ``__subclasses__``...) and frames;
- modules made for it: ``sys`` beyond its streams, ``importlib``, ``ctypes``, ``gc``,
  ``inspect``, ``types``, ``unittest.mock``, ``pickle``/``marshal``, IPython's own;
- assigning to an attribute of something imported or given, or of a name that may hold one
  (``TestClient.get = ...``, ``T = TestClient; T.get = ...``, ``for T in [TestClient]: ...``,
  ``store.count = ...``), or of a computed object (``type(x).y = ...``). Attributes of objects
  the learner's code made (``app = FastAPI()``, ``order = await session.get(...)``, parameters)
  are the learner's own to set;
- binding again a name the lab's given code bound (``TestClient = Fake``, ``def seed(): ...``),
  except by importing the same thing again; a star import; importing a module that is not
  installed (a file the submission wrote or brought).

A submission in which this screen finds anything is run again in a clean process without
IPython (:mod:`autograder.verify.rerun`), where its checks must pass too. The screen only
decides who pays for that second run: it takes no points itself, and an honest answer that
trips it loses nothing (its second run passes as the first did).
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import re
import sys
from collections.abc import Iterable
from typing import Any

FORBIDDEN_NAMES = {
    "get_ipython",
    "globals",
    "locals",
    "vars",
    "setattr",
    "delattr",
    "exec",
    "eval",
    "compile",
    "__import__",
    "__builtins__",
    "builtins",
    "breakpoint",
}
FORBIDDEN_MODULES = {
    "builtins",
    "importlib",
    "ctypes",
    "gc",
    "inspect",
    "types",
    "unittest",
    "mock",
    "pickle",
    "marshal",
    "dill",
    "copyreg",
    "runpy",
    "code",
    "codeop",
    "IPython",
    "ipykernel",
    "traitlets",
    "_thread",
    "sys",
    "labkit",
}
MUTATING_METHODS = {"update", "setdefault", "pop", "popitem", "clear", "__setitem__", "__delitem__"}
GROWING_METHODS = {"append", "extend", "insert", "remove"}
SAFE_SYS = {"stdout", "stderr", "stdin", "version", "version_info", "platform", "maxsize", "byteorder"}
DANGEROUS_ATTRIBUTES = {
    "__dict__",
    "__globals__",
    "__code__",
    "__closure__",
    "__subclasses__",
    "__builtins__",
    "__bases__",
    "__base__",
    "__mro__",
    "__getattribute__",
    "__setattr__",
    "__delattr__",
    "__class__",
    "__func__",
    "__self__",
    "__defaults__",
    "__kwdefaults__",
    "__import__",
    "__loader__",
    "__spec__",
    "__wrapped__",
    "__reduce__",
    "__reduce_ex__",
    "__setstate__",
    "f_globals",
    "f_locals",
    "f_back",
    "f_builtins",
    "gi_frame",
    "cr_frame",
    "ag_frame",
    "tb_frame",
    "settrace",
    "setprofile",
    "meta_path",
    "path_hooks",
}


# Calls whose result is not an object the caller made: binding a name to them does not make
# the name the learner's own (``T = type(client)``, ``T = getattr(module, "TestClient")``).
INTROSPECTION = FORBIDDEN_NAMES | {"type", "getattr"}


def screen(learner_cells: Iterable[str], given_cells: Iterable[str]) -> list[str]:
    """What in ``learner_cells`` could change how later checks run (one line each); empty if nothing.

    Cells are plain Python (IPython syntax already turned into calls). A cell that does not
    parse is reported too: it cannot be screened.
    """
    given = _given_bindings("\n".join(given_cells))
    imported = set(given.imports)
    findings: list[str] = []
    sources = list(learner_cells)
    parsed: list[ast.Module | None] = []  # each cell parsed once; None: it does not parse
    for source in sources:
        try:
            parsed.append(ast.parse(source))
        except SyntaxError:
            parsed.append(None)
    module_bindings: dict[str, set[str]] = {}  # module-level name -> the names its values came from
    for tree in parsed:  # what every learner cell binds counts in every other cell
        if tree is None:
            continue
        imported |= set(_bindings_of(tree).imports)
        for name, roots in _scope_bindings(tree).items():
            module_bindings.setdefault(name, set()).update(roots)
    trusted = imported | given.names
    tainted = _tainted(module_bindings, trusted)
    mutators = _mutators([tree for tree in parsed if tree is not None])
    for number, tree in enumerate(parsed, start=1):
        if tree is None:
            findings.append(f"cell {number}: does not parse, so it cannot be read")
            continue
        findings_of = _Findings(given, trusted, tainted)
        findings_of.mutators = mutators
        findings += [f"cell {number}: {what}" for what in findings_of.visit_all(tree)]
    return findings


def _mutators(trees: list[ast.AST]) -> frozenset[str]:
    """Functions that set an attribute of one of their parameters: given a trusted object, they patch it."""
    found = set()
    for tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue
            arguments = node.args
            parameters = {a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)}
            for inner in ast.walk(node):
                target = None
                if isinstance(inner, ast.Attribute | ast.Subscript) and isinstance(inner.ctx, ast.Store | ast.Del):
                    target = _root(inner)[0]
                elif (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Name)
                    and inner.func.id in ("setattr", "delattr")
                    and inner.args
                ):
                    target = inner.args[0]
                if isinstance(target, ast.Name) and target.id in parameters and not isinstance(node, ast.Lambda):
                    found.add(node.name)
    return frozenset(found)


def _roots(value: ast.AST | None) -> set[str]:
    """The names an expression's value may be, or be part of (``T = TestClient``, ``for c in [A, B]``).

    A call's result is a new object (``FastAPI()``, ``await session.get(...)``): no roots; except
    for the introspecting ones, whose result is what they were given (``type(x)``, ``getattr(m, n)``).
    """
    if value is None:
        return set()
    if isinstance(value, ast.Name):
        return {value.id}
    if isinstance(value, ast.Attribute | ast.Subscript | ast.Starred | ast.NamedExpr):
        return _roots(value.value)
    if isinstance(value, ast.Await):
        return _roots(value.value)
    if isinstance(value, ast.Call):
        callee, _ = _root(value.func)
        if isinstance(callee, ast.Name) and callee.id in INTROSPECTION:
            return set().union(*(_roots(arg) for arg in value.args)) if value.args else set()
        return set()
    if isinstance(value, ast.Tuple | ast.List | ast.Set):
        return set().union(*(_roots(element) for element in value.elts)) if value.elts else set()
    if isinstance(value, ast.IfExp):
        return _roots(value.body) | _roots(value.orelse)
    if isinstance(value, ast.BoolOp):
        return set().union(*(_roots(v) for v in value.values))
    return set()


def _targets(target: ast.AST) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Tuple | ast.List | ast.Starred):
        inner = target.elts if not isinstance(target, ast.Starred) else [target.value]
        return [name for element in inner for name in _targets(element)]
    return []


def _scope_bindings(owner: ast.AST) -> dict[str, set[str]]:
    """Each name a body binds (not inside nested functions), with the roots of what it is bound to."""
    found: dict[str, set[str]] = {}

    def bind(names: list[str], roots: set[str]) -> None:
        for name in names:
            found.setdefault(name, set()).update(roots)

    def walk(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                bind([child.name], set())
                continue
            if isinstance(child, ast.Lambda):
                continue
            if isinstance(child, ast.Assign):
                for target in child.targets:
                    bind(_targets(target), _roots(child.value))
            elif isinstance(child, ast.AnnAssign | ast.AugAssign):
                bind(_targets(child.target), _roots(child.value))
            elif isinstance(child, ast.For | ast.AsyncFor | ast.comprehension):
                bind(_targets(child.target), _roots(child.iter))
            elif isinstance(child, ast.withitem) and child.optional_vars is not None:
                bind(_targets(child.optional_vars), _roots(child.context_expr))
            elif isinstance(child, ast.NamedExpr):
                bind(_targets(child.target), _roots(child.value))
            walk(child)

    walk(owner)
    return found


def _tainted(bindings: dict[str, set[str]], trusted: set[str]) -> set[str]:
    """Names that may hold a trusted object (an import, a given name), directly or through another."""
    tainted: set[str] = set()
    while True:
        more = {name for name, roots in bindings.items() if roots & (trusted | tainted)} - tainted
        if not more:
            return tainted
        tainted |= more


class _Bindings(ast.NodeVisitor):
    """Names bound at the top level of some code, and the dotted origin of those bound by import."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.imports: dict[str, str] = {}

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            bound = alias.asname or alias.name.split(".")[0]
            self.imports[bound] = alias.name if alias.asname else alias.name.split(".")[0]
            self.names.add(bound)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            bound = alias.asname or alias.name
            self.imports[bound] = f"{node.module}.{alias.name}"
            self.names.add(bound)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Store | ast.Del):
            self.names.add(node.id)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        self.names.add(node.name)  # not its body: names bound inside a function are its own

    visit_AsyncFunctionDef = visit_FunctionDef
    visit_ClassDef = visit_FunctionDef


def _bindings_of(tree: ast.AST) -> _Bindings:
    found = _Bindings()
    found.visit(tree)
    return found


@functools.lru_cache(maxsize=16)
def _given_bindings(source: str) -> _Bindings:
    """The lab's given code's bindings: the same for every submission of a lab, found once a process."""
    return _bindings_of(ast.parse(source))


class _Findings(ast.NodeVisitor):
    def __init__(self, given: _Bindings, trusted: set[str], tainted: set[str]) -> None:
        self.given, self.trusted, self.tainted = given, trusted, tainted
        self.found: list[str] = []
        self.depth = 0  # inside a function or class body: local names there are the learner's own
        self.parameters: list[set[str]] = []  # of the functions being visited, innermost last
        self.scopes: list[tuple[set[str], set[str]]] = []  # per function: (names it binds, of them tainted)
        self.allowed: set[int] = set()  # Name nodes found harmless in their call (see visit_Call)

    def visit_all(self, tree: ast.AST) -> list[str]:
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                child.parent = node  # type: ignore[attr-defined]
        self.visit(tree)
        return list(dict.fromkeys(self.found))

    mutators: frozenset[str] = frozenset()  # the learner's functions that change their arguments (set by screen)

    def visit_Call(self, node: ast.Call) -> None:
        """Two everyday uses are harmless: ``vars(obj)`` read (a log record's fields), and
        ``setattr(param, ...)`` on a parameter of the function it is in (a logging filter)."""
        func = node.func
        if isinstance(func, ast.Name) and func.id == "vars" and len(node.args) == 1 and not node.keywords:
            parent = getattr(node, "parent", None)
            mutated = (isinstance(parent, ast.Subscript) and not isinstance(parent.ctx, ast.Load)) or (
                isinstance(parent, ast.Attribute) and parent.attr in MUTATING_METHODS
            )
            if not mutated:
                self.allowed.add(id(func))
        if isinstance(func, ast.Name) and func.id in ("setattr", "delattr") and node.args:
            target = node.args[0]
            if isinstance(target, ast.Name) and self.parameters and target.id in self.parameters[-1]:
                self.allowed.add(id(func))
        if isinstance(func, ast.Attribute) and func.attr in MUTATING_METHODS | GROWING_METHODS:
            root, computed = _root(func.value)
            if isinstance(func.value, ast.Attribute | ast.Subscript) and (
                computed or (isinstance(root, ast.Name) and self._may_be_trusted(root.id))
            ):
                self.add(node, f"changes a container of an object the checks may use (`.{func.attr}`)")
        if isinstance(func, ast.Name) and func.id in self.mutators:
            passed = set().union(*(_roots(arg) for arg in (*node.args, *(k.value for k in node.keywords))))
            if any(self._may_be_trusted(name) for name in passed):
                self.add(node, f"passes an object the checks may use to `{func.id}`, which changes its arguments")
        self.generic_visit(node)

    def add(self, node: ast.AST, what: str) -> None:
        self.found.append(f"line {getattr(node, 'lineno', '?')}: {what}")

    # -- names and modules

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in FORBIDDEN_NAMES and id(node) not in self.allowed:
            self.add(node, f"uses `{node.id}`")
        if isinstance(node.ctx, ast.Store | ast.Del) and self.depth == 0:
            self._rebinding(node, node.id)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._module(node, alias.name)
            bound = alias.asname or alias.name.split(".")[0]
            origin = alias.name if alias.asname else alias.name.split(".")[0]
            self._rebinding(node, bound, origin)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if node.level:
            self.add(node, "a relative import")
        self._module(node, module)
        for alias in node.names:
            if alias.name == "*":
                self.add(node, f"`from {module} import *` can bind any name")
                continue
            self._rebinding(node, alias.asname or alias.name, f"{module}.{alias.name}")

    def _module(self, node: ast.AST, dotted: str) -> None:
        top = dotted.split(".")[0]
        if top in FORBIDDEN_MODULES and top != "sys":
            self.add(node, f"imports `{dotted}`")
        elif top and top not in sys.stdlib_module_names and importlib.util.find_spec(top) is None:
            self.add(node, f"imports `{dotted}`, which is not installed (a file of the submission's own?)")

    def _rebinding(self, node: ast.AST, name: str, origin: str | None = None) -> None:
        if name not in self.given.names:
            return
        if origin is not None and self.given.imports.get(name) == origin:
            return  # importing the same thing again changes nothing
        self.add(node, f"binds `{name}` again, which the lab's given code defines")

    def visit_Global(self, node: ast.Global) -> None:
        for name in node.names:
            self._rebinding(node, name)

    # -- attributes

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in DANGEROUS_ATTRIBUTES:
            self.add(node, f"uses `.{node.attr}`")
        root, computed = _root(node)
        if isinstance(node.value, ast.Name) and node.value.id == "sys" and node.attr not in SAFE_SYS:
            self.add(node, f"uses `sys.{node.attr}`")
        if isinstance(node.ctx, ast.Store | ast.Del):
            if computed or not isinstance(root, ast.Name):
                self.add(node, "assigns to an attribute of a computed object")
            elif self._may_be_trusted(root.id):
                self.add(node, f"assigns to an attribute of `{root.id}`, which may be an object the checks use")
        self.generic_visit(node)

    def _may_be_trusted(self, name: str) -> bool:
        """Whether ``name`` may hold an import, a given object, or an alias of one, where it is used."""
        for (bound, tainted), parameters in zip(reversed(self.scopes), reversed(self.parameters), strict=True):
            if name in parameters:
                return False
            if name in bound:
                return name in tainted
        return name in self.trusted or name in self.tainted

    def visit_Subscript(self, node: ast.Subscript) -> None:
        """A given container is there to be written (``NOTES[id] = note``); a module's, or one
        reached through a given object's attributes (``store.rows[1] = ...``), is not."""
        if isinstance(node.ctx, ast.Store | ast.Del):
            root, computed = _root(node)
            direct = isinstance(node.value, ast.Name)
            if computed or (
                isinstance(root, ast.Name)
                and self._may_be_trusted(root.id)
                and (not direct or root.id in self.given.imports or root.id not in self.given.names)
            ):
                self.add(node, "writes into a container of an object the checks may use")
        self.generic_visit(node)

    # -- scopes: what is bound inside a function or class body is the learner's own

    def _scoped(self, node: ast.AST) -> None:
        for decorator in getattr(node, "decorator_list", []):
            self.visit(decorator)
        self.depth += 1
        for child in ast.iter_child_nodes(node):
            if child not in getattr(node, "decorator_list", []):
                self.visit(child)
        self.depth -= 1

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        if self.depth == 0:
            self._rebinding(node, node.name)
        arguments = getattr(node, "args", None)
        names = (
            {a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)} if arguments else set()
        )
        if arguments is not None:
            names |= {a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None}
        bindings = _scope_bindings(node)
        self.parameters.append(names)
        self.scopes.append((set(bindings), _tainted(bindings, self.trusted | self.tainted)))
        self._scoped(node)
        self.parameters.pop()
        self.scopes.pop()

    visit_AsyncFunctionDef = visit_FunctionDef
    visit_ClassDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1


def _root(node: ast.AST) -> tuple[ast.AST, bool]:
    """The name an attribute chain starts from, and whether a call stands in the chain (``type(x).y``)."""
    computed = False
    while isinstance(node, ast.Attribute | ast.Subscript | ast.Call):
        if isinstance(node, ast.Call):
            computed, node = True, node.func
        else:
            node = node.value
    return node, computed


# The check the learner edition's README suggests running from a notebook (`!course check lab01`):
# a shell command, nothing the checks' code can see; under grading it does nothing (labkit.cli).
COURSE_CHECK_CELL = re.compile(r"!course check [\w./-]+(?: [\w./-]+)?(?: --timeout \d+)?")


def screen_notebook(nb: Any) -> list[str]:
    """:func:`screen` of a notebook's own code, found once and kept in its metadata (``autograder.screen``).

    The learner's code is every code cell that is neither the lab's given code nor a test
    cell (answer cells, and any cell the learner added).
    """
    record = nb.metadata.setdefault("autograder", {})
    if "screen" not in record:
        from autograder.verify.runner import plain_python
        from labkit.notebooks import is_autograded_test, is_given

        code = [cell for cell in nb.cells if cell.cell_type == "code"]
        learner = [
            plain_python(c.source)
            for c in code
            if not is_given(c) and not is_autograded_test(c) and not COURSE_CHECK_CELL.fullmatch(c.source.strip())
        ]
        record["screen"] = screen(learner, [plain_python(c.source) for c in code if is_given(c)])
    return list(record["screen"])
