from review.engine.registry import Hit, rule

# tree-sitter node type -> what a developer calls it
NEWER_THAN_ES5 = {
    "lexical_declaration": "let/const",
    "arrow_function": "arrow functions",
    "template_string": "template literals",
    "class_declaration": "classes",
    "class": "classes",
    "spread_element": "spread (...)",
    "rest_pattern": "rest parameters/elements",
    "object_pattern": "destructuring",
    "array_pattern": "destructuring",
    "assignment_pattern": "default values",
    "generator_function_declaration": "generators",
    "generator_function": "generators",
    "await_expression": "async/await",
    "optional_chain": "optional chaining (?.)",
    "shorthand_property_identifier": "shorthand properties",
    "computed_property_name": "computed property names",
    "import_statement": "modules",
    "export_statement": "modules",
}


@rule("es5-syntax", phase="automated", severity="warning",
      hint="Domo's documentation asks for ES5; the engine accepts newer syntax, so this is a warning only.")
def es5_syntax(ctx):
    for script in ctx.parsed_scripts():
        first_seen = {}
        for node in script.nodes(*NEWER_THAN_ES5):
            first_seen.setdefault(NEWER_THAN_ES5[node.type], node)
        for node in script.nodes("binary_expression"):
            op = node.child_by_field_name("operator")
            if op is not None and op.type in ("??", "**"):
                first_seen.setdefault(f"the {op.type} operator", node)
        for node in script.nodes("for_in_statement"):
            if any(c.type == "of" for c in node.children):
                first_seen.setdefault("for...of", node)
        for feature, node in sorted(first_seen.items(), key=lambda kv: kv[1].start_byte):
            line, column = script.place(node)
            yield Hit(script.path, line, column, f"Syntax newer than ES5: {feature}.")
