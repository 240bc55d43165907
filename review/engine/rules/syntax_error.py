from review.engine.registry import Hit, rule


@rule("syntax-error", phase="automated", severity="error",
      hint="Fix the syntax at this place; the other code checks run once the script parses.")
def syntax_error(ctx):
    for script in ctx.scripts:
        problem = script.syntax_error
        if problem is not None:
            yield Hit(script.path, problem.line, problem.column, problem.message)
