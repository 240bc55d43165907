from review.engine.registry import Hit, rule
from review.engine.scripts import member_path

GLOBAL_PREFIXES = ("window.", "self.", "globalThis.", "global.", "this.")
TIMERS = {"setTimeout", "setInterval"}
STRING_LIKE = {"string", "template_string", "binary_expression"}


def _global_name(path):
    """'eval' for eval, window.eval, globalThis.eval, ...: the global a path names."""
    for prefix in GLOBAL_PREFIXES:
        if path.startswith(prefix):
            return path[len(prefix):]
    return path


def _message(script, node):
    callee = node.child_by_field_name("function" if node.type == "call_expression" else "constructor")
    name = _global_name(member_path(script, callee) or "")
    if name == "eval":
        return "eval() runs code built at run time."
    if name == "Function":
        return "The Function constructor runs code built at run time."
    if name in TIMERS:
        args = node.child_by_field_name("arguments")
        first = args.named_children[0] if args is not None and args.named_children else None
        if first is not None and first.type in STRING_LIKE:
            return f"{name}() with a string runs it as code."
    return None


@rule("dynamic-code", phase="security", severity="error",
      hint="Write the code out; code built from strings cannot be reviewed.")
def dynamic_code(ctx):
    for script in ctx.parsed_scripts():
        for node in script.nodes("call_expression", "new_expression"):
            message = _message(script, node)
            if message:
                line, column = script.place(node)
                yield Hit(script.path, line, column, message)
        for node in script.nodes("with_statement"):
            line, column = script.place(node)
            yield Hit(script.path, line, column, "`with` makes every name in its block ambiguous.")
