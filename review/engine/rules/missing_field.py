from connectors.bundle.completeness import missing_parts
from review.engine.registry import Hit, rule


@rule("missing-field", phase="automated", severity="error",
      hint="Add the missing part in the editor (its list of what is missing links to each), then submit again.")
def missing_field(ctx):
    # The same list Submit shows: one definition of what a complete connector is.
    for part in missing_parts(ctx.bundle):
        where = ": ".join(x for x in (part.file, part.json_path) if x)
        yield Hit(part.file, None, None, f"{where}: {part.message}" if where else part.message)
