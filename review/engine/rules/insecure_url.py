import re

from review.engine.registry import Hit, rule

HTTP_URL = re.compile(r"http://[^\s'\"`]+", re.IGNORECASE)
# XML namespaces are names, not addresses anything is fetched from.
NAMESPACE_HOSTS = ("www.w3.org/", "schemas.xmlsoap.org/", "schemas.microsoft.com/", "purl.org/")


@rule("insecure-url", phase="security", severity="warning",
      hint="Use https:// so credentials and data are encrypted in transit.")
def insecure_url(ctx):
    # Strings in code only: an http:// link in a comment is documentation.
    for script in ctx.parsed_scripts():
        for node in script.nodes("string", "template_string"):
            text = script.node_text(node)
            for match in HTTP_URL.finditer(text):
                if match.group(0)[7:].lower().startswith(NAMESPACE_HOSTS):
                    continue
                line, column = script.place(node)
                yield Hit(script.path, line, column, f"Insecure URL {match.group(0)[:80]}.")
                break
