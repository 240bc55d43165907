from review.engine.registry import Hit, rule


@rule("missing-field", phase="automated", severity="error",
      hint="Add the missing part in the connector's settings, then submit again.")
def missing_field(ctx):
    # Imported here: completeness.py is owned by the bundle package and the engine
    # must keep working while it is absent or broken.
    try:
        from connectors.bundle.completeness import missing_parts
    except ImportError:
        return
    for part in missing_parts(ctx.bundle):
        where = ": ".join(x for x in (part.file, part.json_path) if x)
        yield Hit(part.file, None, None, f"{where}: {part.message}" if where else part.message)
