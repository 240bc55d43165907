"""Every rule module; importing this package fills review.engine.registry.RULES."""

from review.engine.rules import (  # noqa: F401
    credentials,
    data_flow,
    dynamic_code,
    es5_syntax,
    external_request,
    insecure_url,
    minified,
    missing_field,
    no_xmlhttprequest,
    performance,
    runtime,
    syntax_error,
    tampering,
)
