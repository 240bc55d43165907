"""Each script parsed once: V8's verdict on syntax, and one tree-sitter tree for the AST rules.

Why two parsers: the question "does it parse?" belongs to the engine that will run
the script, so V8 (in a sandbox worker, via the Function constructor, which compiles
without running) answers it with its line and column. The AST rules need a tree of
ES2020+ code, fast: tree-sitter-javascript parses ES2022 (`?.`, `??`, class fields) and
takes ~0.12 s for 1 MiB, where esprima 4 stops at ES2017 and takes seconds (see
bench/review_speed.py and the measurements in the engine's notes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import tree_sitter_javascript
from tree_sitter import Language, Node, Parser, Tree

JS_LANGUAGE = Language(tree_sitter_javascript.language())
_parser = Parser(JS_LANGUAGE)


@dataclass
class SyntaxProblem:
    message: str
    line: int | None
    column: int | None


@dataclass(frozen=True)
class Call:
    node: Node  # the call_expression
    callee: str  # "httprequest.get"; "" when the callee is not a chain of names
    args: list[Node]


@dataclass
class ParsedScript:
    path: str
    role: str  # "authentication", "processdata" or "discovery:<parameter>"
    text: str
    syntax_error: SyntaxProblem | None = None
    tree: Tree | None = None
    _source: bytes = field(default=b"", repr=False)
    _by_type: dict | None = field(default=None, repr=False)  # node type -> nodes, in document order
    _calls: list | None = field(default=None, repr=False)

    @property
    def parses(self) -> bool:
        return self.syntax_error is None and self.tree is not None

    def nodes(self, *types: str) -> list[Node]:
        """The script's nodes of these types, in document order.

        The first call files every named node by type in one walk of the tree; a
        tree-sitter query per rule walked it a dozen times (0.5 s on a 1 MiB script).
        """
        if self._by_type is None:
            self._by_type = _named_nodes_by_type(self.tree)
        if len(types) == 1:
            return self._by_type.get(types[0], [])
        return sorted((node for t in types for node in self._by_type.get(t, ())), key=_document_order)

    def calls(self) -> list[Call]:
        """Every call with its callee resolved, once for all the rules that look at calls."""
        if self._calls is None:
            self._calls = []
            for node in self.nodes("call_expression"):
                args = node.child_by_field_name("arguments")
                callee = member_path(self, node.child_by_field_name("function")) or ""
                self._calls.append(Call(node, callee, args.named_children if args is not None else []))
        return self._calls

    def node_text(self, node: Node) -> str:
        return self._source[node.start_byte : node.end_byte].decode("utf-8", "replace")

    def place(self, node: Node) -> tuple[int, int]:
        """1-based line and column in characters (tree-sitter counts bytes)."""
        row, byte_col = node.start_point
        line_start = node.start_byte - byte_col
        column = len(self._source[line_start : node.start_byte].decode("utf-8", "replace")) + 1
        return row + 1, column


def _named_nodes_by_type(tree: Tree) -> dict[str, list[Node]]:
    """Type -> named nodes, in document order: a pre-order walk with a tree cursor."""
    by_type: dict[str, list[Node]] = {}
    cursor = tree.walk()
    while True:
        node = cursor.node
        if node.is_named:
            by_type.setdefault(node.type, []).append(node)
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return by_type


def _document_order(node: Node) -> tuple[int, int]:
    return node.start_byte, -node.end_byte  # an outer node before the inner one starting with it


def parse_script(path: str, role: str, text: str, syntax_error: SyntaxProblem | None) -> ParsedScript:
    """Build the tree only for scripts V8 accepts: AST rules never see a broken script."""
    source = text.encode("utf-8")
    script = ParsedScript(path=path, role=role, text=text, syntax_error=syntax_error, _source=source)
    if syntax_error is None:
        script.tree = _parser.parse(source)
    return script


# ---- small helpers the AST rules share ----

NOT_CONSTANT = object()


def fold_string(script: ParsedScript, node: Node | None):
    """The string value of a constant expression ('XMLHttp' + 'Request'), else NOT_CONSTANT."""
    if node is None:
        return NOT_CONSTANT
    kind = node.type
    if kind == "string":
        return "".join(
            script.node_text(c) if c.type == "string_fragment" else _escape_value(script.node_text(c))
            for c in node.named_children
        )
    if kind == "template_string":
        if any(c.type == "template_substitution" for c in node.named_children):
            return NOT_CONSTANT
        return script.node_text(node)[1:-1]
    if kind == "number":
        return script.node_text(node)
    if kind == "parenthesized_expression" and node.named_child_count == 1:
        return fold_string(script, node.named_children[0])
    if kind == "binary_expression" and _operator(script, node) == "+":
        left = fold_string(script, node.child_by_field_name("left"))
        right = fold_string(script, node.child_by_field_name("right"))
        if left is NOT_CONSTANT or right is NOT_CONSTANT:
            return NOT_CONSTANT
        return left + right
    return NOT_CONSTANT


def fold_prefix(script: ParsedScript, node: Node | None) -> str | None:
    """The constant start of a string expression ('https://host/x?o=' + offset), if any."""
    if node is None:
        return None
    value = fold_string(script, node)
    if value is not NOT_CONSTANT:
        return value
    if node.type == "binary_expression" and _operator(script, node) == "+":
        return fold_prefix(script, node.child_by_field_name("left"))
    if node.type == "template_string":
        prefix = ""
        for child in node.named_children:
            if child.type != "string_fragment":
                break
            prefix += script.node_text(child)
        return prefix or None
    if node.type == "parenthesized_expression" and node.named_child_count == 1:
        return fold_prefix(script, node.named_children[0])
    return None


def _operator(script: ParsedScript, node: Node) -> str:
    op = node.child_by_field_name("operator")
    return script.node_text(op) if op is not None else ""


_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "'": "'", '"': '"', "\\": "\\", "0": "\0"}


def _escape_value(text: str) -> str:
    body = text[1:]
    if body in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[body]
    if body[:1] in "xu":
        try:
            return chr(int(body[1:].strip("{}"), 16))
        except ValueError:
            return body
    return body


def member_path(script: ParsedScript, node: Node | None) -> str | None:
    """'metadata.account.password' for a chain of identifiers and constant members, else None."""
    if node is None:
        return None
    if node.type in ("identifier", "this"):
        return script.node_text(node)
    if node.type == "member_expression":
        base = member_path(script, node.child_by_field_name("object"))
        prop = node.child_by_field_name("property")
        if base is None or prop is None:
            return None
        return f"{base}.{script.node_text(prop)}"
    if node.type == "subscript_expression":
        base = member_path(script, node.child_by_field_name("object"))
        key = fold_string(script, node.child_by_field_name("index"))
        if base is None or key is NOT_CONSTANT:
            return None
        return f"{base}.{key}"
    if node.type == "parenthesized_expression" and node.named_child_count == 1:
        return member_path(script, node.named_children[0])
    return None
