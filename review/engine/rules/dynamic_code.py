"""dynamic-code: code run from a string, by any route (bundle-format.md rule table).

Static half: eval and any reference to it (an alias is still eval), the Function
constructor however it is named or reached (`Function`, `window['Fun' + 'ction']`,
`(function () {}).constructor`, `Object.getPrototypeOf(f).constructor`, also through
Reflect.construct), a timer given a string, `with`. Routes the code cannot show
(`window[name]`, a timer given a variable, code downloaded and run) are caught by the
runtime half: V8 refuses every compilation from a string, and the sandbox records each
attempt with its line (sandbox_js/refusals.js).
"""

from review.engine.registry import Hit, rule
from review.engine.scripts import NOT_CONSTANT, fold_string, member_path

GLOBAL_PREFIXES = ("window.", "self.", "globalThis.", "global.", "this.", "top.", "parent.", "frames.")
TIMERS = {"setTimeout", "setInterval"}
STRING_LIKE = {"string", "template_string", "binary_expression"}
FUNCTION_VALUES = {"function_expression", "function", "arrow_function", "generator_function", "class"}
PROTOTYPE_GETTERS = {"Object.getPrototypeOf", "Reflect.getPrototypeOf"}
HINT = "Write the code out; code built from strings cannot be reviewed."


def _global_name(path):
    """'eval' for eval, window.eval, globalThis.eval, ...: the global a path names."""
    for prefix in GLOBAL_PREFIXES:
        if path.startswith(prefix):
            return path[len(prefix):]
    return path


def _unwrapped(node):
    while node is not None and node.type == "parenthesized_expression" and node.named_child_count == 1:
        node = node.named_children[0]
    return node


def _reaches_a_function_constructor(script, node):
    """`X.constructor` / `X['constructor']` where X is a function value or its prototype."""
    if node.type == "member_expression":
        prop = node.child_by_field_name("property")
        name = script.node_text(prop) if prop is not None else ""
    else:
        name = fold_string(script, node.child_by_field_name("index"))
    if name != "constructor":
        return False
    base = _unwrapped(node.child_by_field_name("object"))
    if base is None:
        return False
    if base.type in FUNCTION_VALUES:
        return True
    if base.type == "call_expression":
        return member_path(script, base.child_by_field_name("function")) in PROTOTYPE_GETTERS
    path = member_path(script, base) or ""
    return _global_name(path) in ("Function", "Function.prototype") or path.endswith(".prototype.constructor")


def _reference_message(script, node):
    """What a reference to eval or a function constructor is, or None."""
    if node.type == "identifier":
        name = script.node_text(node)
        parent = node.parent
        if name == "eval":
            return "eval runs code built at run time (an alias of it too)."
        if name == "Function" and parent is not None:
            if parent.type == "member_expression" and parent.child_by_field_name("object") == node:
                return None  # Function.prototype.bind polyfills, Function.length
            if parent.type == "binary_expression" and parent.child_by_field_name("right") == node:
                return None  # x instanceof Function
            return "The Function constructor runs code built at run time."
        return None
    if node.type in ("member_expression", "subscript_expression"):
        path = member_path(script, node)
        if path is not None and _global_name(path) == "eval" and path != "eval":
            return "eval runs code built at run time (an alias of it too)."
        if path is not None and _global_name(path) == "Function" and path != "Function":
            return "The Function constructor runs code built at run time."
        if _reaches_a_function_constructor(script, node):
            return "The Function constructor, reached through `.constructor`, runs code built at run time."
    return None


def _timer_message(script, call):
    name = _global_name(call.callee)
    if name in TIMERS and call.args:
        first = call.args[0]
        if first.type in STRING_LIKE or fold_string(script, first) is not NOT_CONSTANT:
            return f"{name}() with a string runs it as code."
    return None


@rule("dynamic-code", phase="security", severity="error", hint=HINT)
def dynamic_code(ctx):
    for script in ctx.parsed_scripts():
        lines = set()
        flagged = [(node, _reference_message(script, node))
                   for node in script.nodes("identifier", "member_expression", "subscript_expression")]
        flagged += [(call.node, _timer_message(script, call)) for call in script.calls()]
        for node, message in flagged:
            if not message:
                continue  # placing a node costs a decode of its line: only for a finding
            line, column = script.place(node)
            if line not in lines:
                lines.add(line)
                yield Hit(script.path, line, column, message)
        for node in script.nodes("with_statement"):
            line, column = script.place(node)
            yield Hit(script.path, line, column, "`with` makes every name in its block ambiguous.")


@rule("dynamic-code", phase="security", severity="error", stage="runtime", hint=HINT)
def dynamic_code_observed(ctx):
    for run in ctx.runs:
        for entry in run.record.get("dynamic_code") or []:
            if isinstance(entry, dict) and entry.get("what"):
                yield Hit(run.file, entry.get("line"), entry.get("column"),
                          f"The {run.label} tried to run code built from a string ({str(entry['what'])[:200]}); "
                          "the sandbox refused it.")
