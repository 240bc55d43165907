"""The sandbox runtime's modules (review/engine/sandbox_js/): each parses alone, the one
list of assembly names each once, and each reads only what it takes.

A module is one factory, `function makeX({ takes }) { ...; return { gives }; }`. Read
with tree-sitter here (the worker imports no parser): a name a module reads is one it
declares, one it takes, or a standard global, and a standard global is read only at the
factory's top level, which runs when the runtime is assembled, before any connector
code: a built-in read later would be the script's replacement.
"""

from pathlib import Path

import pytest
import tree_sitter_javascript
from py_mini_racer import JSParseException, MiniRacer
from tree_sitter import Language, Parser

import review.engine.sandbox_worker  # noqa: F401  (initialises V8 with the sandbox's flags)
from review.engine.sandbox_runtime import MODULES, MODULES_DIR, module_source, runtime_source

PARSER = Parser(Language(tree_sitter_javascript.language()))
# Read by the modules when the runtime is assembled (`undefined`, `NaN`, `arguments` at any time).
STANDARD_GLOBALS = {
    "Array", "ArrayBuffer", "BigInt", "Boolean", "Date", "Error", "EvalError", "Function", "JSON", "Math", "Number", "Object",
    "Proxy", "Reflect", "RegExp", "String", "TypeError", "decodeURIComponent", "encodeURIComponent", "escape",
    "isNaN", "parseInt", "unescape", "Int32Array", "Uint16Array",
}
ALWAYS = {"undefined", "NaN", "Infinity", "arguments"}
FUNCTIONS = {"function_declaration", "function_expression", "arrow_function", "method_definition",
             "generator_function", "generator_function_declaration"}


def walk(node):
    yield node
    for child in node.children:
        yield from walk(child)


def factory_of(source: str):
    tree = PARSER.parse(source.encode())
    assert not tree.root_node.has_error
    declarations = [n for n in tree.root_node.named_children if n.type != "comment"]
    assert len(declarations) == 1 and declarations[0].type == "function_declaration", "one factory a file"
    return declarations[0]


def takes(factory) -> set[str]:
    params = factory.child_by_field_name("parameters")
    return {n.text.decode() for n in walk(params) if n.type == "shorthand_property_identifier_pattern"}


def gives(factory) -> set[str]:
    body = factory.child_by_field_name("body")
    returned = [n for n in body.named_children if n.type == "return_statement"][-1]
    literal = returned.named_children[0]
    assert literal.type == "object"
    names = set()
    for entry in literal.named_children:
        key = entry if entry.type == "shorthand_property_identifier" else entry.child_by_field_name("key")
        names.add(key.text.decode())
    return names


def is_declaration(node) -> bool:
    parent = node.parent
    if parent.type == "variable_declarator" or parent.type in FUNCTIONS or parent.type == "catch_clause":
        return parent.child_by_field_name("name") == node or parent.child_by_field_name("parameter") == node
    if parent.type == "formal_parameters":
        return True
    return parent.type == "for_in_statement" and parent.child_by_field_name("left") == node and any(
        c.type == "var" for c in parent.children)


def free_reads(factory) -> list[tuple[str, int, bool]]:
    """(name, line, read inside a nested function) of each name the module reads but does not declare."""
    names = list(walk(factory))
    declared = {n.text.decode() for n in names if n.type == "identifier" and is_declaration(n)}
    declared |= takes(factory)
    reads = []
    for n in names:
        if n.type in ("identifier", "shorthand_property_identifier") and not is_declaration(n):
            name = n.text.decode()
            if name not in declared and name not in ALWAYS:
                nested, up = False, n.parent
                while up is not None and up != factory:
                    nested = nested or up.type in FUNCTIONS
                    up = up.parent
                reads.append((name, n.start_point[0] + 1, nested))
    return reads


def test_the_assembly_list_names_every_module_in_the_folder_once():
    files = sorted(p.name for p in MODULES_DIR.iterdir() if p.suffix == ".js")
    assert len(set(MODULES)) == len(MODULES)
    assert sorted(MODULES) == files


@pytest.mark.parametrize("name", MODULES)
def test_each_module_parses_alone_in_strict_mode(name):
    source = module_source(name)
    factory_of(source)
    ctx = MiniRacer()
    try:
        ctx.eval("'use strict';\n" + source)  # V8's own parser, as the runtime is compiled
    finally:
        ctx.close()


def test_a_module_takes_only_what_earlier_modules_gave_and_gives_each_name_once():
    given = {"global"}
    for name in MODULES:
        factory = factory_of(module_source(name))
        assert takes(factory) <= given, f"{name} takes {sorted(takes(factory) - given)} that no earlier module gives"
        assert not gives(factory) & given, f"{name} gives {sorted(gives(factory) & given)} again"
        given |= gives(factory)
    assert "entryPoints" in given


@pytest.mark.parametrize("name", MODULES)
def test_a_module_reads_only_what_it_takes_and_built_ins_only_at_assembly(name):
    reads = free_reads(factory_of(module_source(name)))
    assert [(n, line) for n, line, _ in reads if n not in STANDARD_GLOBALS] == [], "reads a name it does not take"
    assert [(n, line) for n, line, nested in reads if nested] == [], "reads a built-in after assembly"


def test_the_checks_catch_a_module_that_reads_another_modules_name():
    source = ("function makeX({ list }) {\n  var MD5_K = Math.floor(1);\n"
              "  function f() { return toHex(list()) + String(1); }\n  return { f: f };\n}\n")
    reads = free_reads(factory_of(source))
    assert reads == [("Math", 2, False), ("toHex", 3, True), ("String", 3, True)]


def test_a_name_given_twice_stops_the_assembly():
    ctx = MiniRacer()
    try:
        twice = runtime_source().replace("return { tampered: tampered,", "return { list: list, tampered: tampered,")
        with pytest.raises(Exception, match="refusals.js gives list, which an earlier module gave"):
            ctx.eval(twice)
    finally:
        ctx.close()


def test_a_module_that_does_not_parse_is_reported_by_v8():
    ctx = MiniRacer()
    try:
        with pytest.raises(JSParseException):
            ctx.eval("'use strict';\nfunction makeX({ a }) { var x = ; }")
    finally:
        ctx.close()


def test_the_folder_is_what_the_worker_assembles():
    assert Path(MODULES_DIR).name == "sandbox_js"
    assert review.engine.sandbox_worker.RUNTIME_JS == runtime_source()
