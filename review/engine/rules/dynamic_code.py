from review.engine.registry import Hit, rule
from review.engine.scripts import member_path

GLOBAL_PREFIXES = ("", "window.", "self.", "globalThis.", "global.", "this.")
STRING_LIKE = {"string", "template_string", "binary_expression"}


@rule("dynamic-code", phase="security", severity="error",
      hint="Write the code out; code built from strings cannot be reviewed.")
def dynamic_code(ctx):
    for script in ctx.parsed_scripts():
        for node in script.nodes("call_expression", "new_expression"):
            callee = node.child_by_field_name("function" if node.type == "call_expression" else "constructor")
            path = member_path(script, callee) or ""
            args = node.child_by_field_name("arguments")
            first = args.named_children[0] if args is not None and args.named_children else None
            line, column = script.place(node)
            if path in {p + "eval" for p in GLOBAL_PREFIXES}:
                yield Hit(script.path, line, column, "eval() runs code built at run time.")
            elif path in {p + "Function" for p in GLOBAL_PREFIXES}:
                yield Hit(script.path, line, column, "The Function constructor runs code built at run time.")
            elif path in {p + n for p in GLOBAL_PREFIXES for n in ("setTimeout", "setInterval")}:
                if first is not None and first.type in STRING_LIKE:
                    yield Hit(script.path, line, column, f"{path.split('.')[-1]}() with a string runs it as code.")
        for node in script.nodes("with_statement"):
            line, column = script.place(node)
            yield Hit(script.path, line, column, "`with` makes every name in its block ambiguous.")
