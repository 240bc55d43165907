from urllib.parse import quote

from django import template
from django.contrib.admin.templatetags.base import InclusionAdminNode

from review import admin_queue
from review.code_viewer import line_anchor

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


@register.tag(name="queue_result_list")
def queue_result_list_tag(parser, token):
    """Django's {% result_list %} for the review queue, with rows from review.admin_queue."""
    return InclusionAdminNode(parser, token, func=admin_queue.queue_result_list,
                              template_name="change_list_results.html", takes_context=False)
