from review.engine.registry import Hit, rule
from review.engine.scripts import NOT_CONSTANT, fold_string

FORBIDDEN = {"XMLHttpRequest", "ActiveXObject", "fetch"}
# Objects through which a browser global can be reached.
GLOBAL_OBJECTS = {"window", "self", "globalThis", "global", "this", "top", "parent", "frames"}
# Names nobody uses for their own property: any object.x of these is the browser API.
UNAMBIGUOUS = {"XMLHttpRequest", "ActiveXObject"}


def _declared_names(script):
    """Names the script defines itself: its own `fetch` function is not the browser's."""
    names = set()
    for node in script.nodes("function_declaration", "variable_declarator", "formal_parameters"):
        if node.type == "formal_parameters":
            names.update(script.node_text(c) for c in node.named_children if c.type == "identifier")
        else:
            name = node.child_by_field_name("name")
            if name is not None and name.type == "identifier":
                names.add(script.node_text(name))
    return names


@rule("no-xmlhttprequest", phase="automated", severity="error",
      hint="Use httprequest.get() or httprequest.post() instead.")
def no_xmlhttprequest(ctx):
    for script in ctx.parsed_scripts():
        own = _declared_names(script)
        for node in script.nodes("identifier"):
            name = script.node_text(node)
            if name in FORBIDDEN and name not in own:
                yield _hit(script, node, name)
        for node in script.nodes("member_expression", "subscript_expression"):
            obj = node.child_by_field_name("object")
            if node.type == "member_expression":
                prop = node.child_by_field_name("property")
                name = script.node_text(prop) if prop is not None else ""
            else:
                name = fold_string(script, node.child_by_field_name("index"))
                if name is NOT_CONSTANT:
                    continue
            if name not in FORBIDDEN:
                continue
            if name in UNAMBIGUOUS or (obj is not None and script.node_text(obj) in GLOBAL_OBJECTS):
                yield _hit(script, node, name)


def _hit(script, node, name):
    line, column = script.place(node)
    label = "fetch" if name == "fetch" else name
    return Hit(script.path, line, column, f"{label} is not available to connectors.")
