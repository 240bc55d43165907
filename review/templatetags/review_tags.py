from urllib.parse import quote

from django import template

from review.pages.code_viewer import line_anchor

register = template.Library()


@register.filter
def code_link(finding, code_url: str) -> str:
    """Where a finding's line is shown: View Code (code_url) or this page ("")."""
    if not finding.file or not finding.line or not finding.file.endswith(".js"):
        return ""
    anchor = line_anchor(finding.file, finding.line)
    if code_url:
        return f"{code_url}?file={quote(finding.file)}#{anchor}"
    return f"#{anchor}"

