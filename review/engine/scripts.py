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
    _paths: dict = field(default_factory=dict, repr=False)  # node id -> member_path

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
        for kind in types:
            if kind in NOT_INDEXED and kind not in self._by_type:
                self._by_type[kind] = _named_nodes_by_type(self.tree, kind).get(kind, [])
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


# The most numerous node types, which no rule asks for: not kept by the one walk that
# files the others (1 MiB of `a.a.a...` is a million property names); asked for, one
# walk of their own finds them.
NOT_INDEXED = frozenset({"property_identifier", "string_fragment", "escape_sequence", "arguments",
                         "expression_statement", "number", "comment", "statement_block",
                         "parenthesized_expression", "program"})


def _named_nodes_by_type(tree: Tree, only: str | None = None) -> dict[str, list[Node]]:
    """Type -> named nodes, in document order: a pre-order walk with a tree cursor."""
    by_type: dict[str, list[Node]] = {}
    cursor = tree.walk()
    while True:
        node = cursor.node
        if node.is_named and (node.type == only if only else node.type not in NOT_INDEXED):
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


# Constant folding and member paths walk the tree with a loop, never a call per term:
# an honest script may concatenate a thousand strings, and 1 MiB of `'a' + 'a' + ...`
# or `a.a.a...` must cost time in proportion to its size (no RecursionError, no
# quadratic re-walk). Longer member paths than MAX_PATH_DEPTH are not names any rule
# looks for; longer folded strings than MAX_FOLDED are cut off as not constant.
MAX_PATH_DEPTH = 200
MAX_FOLDED = 1 << 20


def _plus_leaves(script: ParsedScript, node: Node):
    """The operands of a chain of `+` (through parentheses), left to right."""
    stack = [node]
    while stack:
        current = stack.pop()
        while current.type == "parenthesized_expression" and current.named_child_count == 1:
            current = current.named_children[0]
        if current.type == "binary_expression" and _operator(script, current) == "+":
            left, right = current.child_by_field_name("left"), current.child_by_field_name("right")
            if left is None or right is None:
                yield current
                continue
            stack.append(right)
            stack.append(left)
        else:
            yield current


def _leaf_value(script: ParsedScript, node: Node):
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
    return NOT_CONSTANT


def fold_string(script: ParsedScript, node: Node | None, limit: int = MAX_FOLDED):
    """The string value of a constant expression ('XMLHttp' + 'Request'), else NOT_CONSTANT."""
    if node is None:
        return NOT_CONSTANT
    parts, size = [], 0
    for leaf in _plus_leaves(script, node):
        value = _leaf_value(script, leaf)
        if value is NOT_CONSTANT:
            return NOT_CONSTANT
        size += len(value)
        if size > limit:
            return NOT_CONSTANT
        parts.append(value)
    return "".join(parts)


def fold_prefix(script: ParsedScript, node: Node | None) -> str | None:
    """The constant start of a string expression ('https://host/x?o=' + offset), if any."""
    if node is None:
        return None
    parts, size = [], 0
    for leaf in _plus_leaves(script, node):
        value = _leaf_value(script, leaf)
        if value is NOT_CONSTANT:
            if leaf.type == "template_string":  # `https://host/${path}`: its leading text
                for child in leaf.named_children:
                    if child.type != "string_fragment":
                        break
                    parts.append(script.node_text(child))
            break
        size += len(value)
        if size > MAX_FOLDED:
            break
        parts.append(value)
    return "".join(parts) or None


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
    """'metadata.account.password' for a chain of identifiers and constant members, else None.

    Rules ask for the path of every member of a chain, so each node's (path, depth) is
    remembered, and one walk down a chain settles every node on it: 1 MiB of `a.a.a...`
    costs one pass, not one pass per member.
    """
    if node is None:
        return None
    memo = script._paths
    known = memo.get(node.id)
    if known is not None:
        return known[0]
    chain, below, current = [], (None, 0), node
    while current is not None:
        known = memo.get(current.id)
        if known is not None:
            below = known
            break
        kind = current.type
        if kind not in ("identifier", "this", "member_expression", "subscript_expression", "parenthesized_expression"):
            break
        if kind == "parenthesized_expression" and current.named_child_count != 1:
            break
        chain.append(current)
        if kind in ("identifier", "this"):
            break
        current = current.named_children[0] if kind == "parenthesized_expression" else \
            current.child_by_field_name("object")
    path, depth = below
    for current in reversed(chain):
        kind = current.type
        if kind in ("identifier", "this"):
            path, depth = script.node_text(current), 1
        elif kind == "member_expression":
            prop = current.child_by_field_name("property")
            depth += 1
            path = f"{path}.{script.node_text(prop)}" if path is not None and prop is not None \
                and depth <= MAX_PATH_DEPTH else None
        elif kind == "subscript_expression":
            depth += 1
            key = fold_string(script, current.child_by_field_name("index"), MAX_KEY) \
                if path is not None and depth <= MAX_PATH_DEPTH else NOT_CONSTANT
            path = None if key is NOT_CONSTANT else f"{path}.{key}"
        memo[current.id] = (path, depth)
    return memo[node.id][0] if node.id in memo else None


MAX_KEY = 200  # characters of one constant member name
