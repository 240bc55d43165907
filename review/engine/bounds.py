"""A review's output, bounded whatever the script does (bundle-format.md, "The sandbox").

Every string a review stores or shows is cut, the findings of one rule and the request
rows are capped (a finding says how many more there were), and the whole result stays
under MAX_OUTPUT_BYTES as JSON: it is stored in the database and shown on the status
page, the admin page, the API and in emails.
"""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass, replace

from review.engine.findings import Finding
from review.engine.preview import MAX_LOG_LINES, MAX_TEXT

MAX_MESSAGE = 1_000  # characters of a finding's message
MAX_HINT = 500
MAX_FILE = 255  # as the database column
MAX_FINDINGS_PER_RULE = 20
MAX_REQUEST_ROWS = 500  # requests to undeclared hosts come first
MAX_URL = 500  # characters of a URL in a request row
MAX_NAME = 200  # characters of a report name, a method, a host
MAX_OUTPUT_BYTES = 1024 * 1024
# What is stored beside the contract's JSON for people (where the data goes, DOMO.log
# lines): its own share, so that both together stay under MAX_OUTPUT_BYTES + this.
MAX_FOR_PEOPLE_BYTES = 256 * 1024


def cut(text, limit: int):
    if not isinstance(text, str) or len(text) <= limit:
        return text
    return text[: limit - 3] + "..."


def bounded_finding(finding: Finding) -> Finding:
    return replace(finding, message=cut(finding.message, MAX_MESSAGE), hint=cut(finding.hint, MAX_HINT),
                   file=cut(finding.file, MAX_FILE))


def capped_findings(findings: list[Finding], per_rule: int = MAX_FINDINGS_PER_RULE) -> list[Finding]:
    """At most `per_rule` findings of each rule, then one that says how many more there were."""
    kept, counts = [], {}
    for finding in findings:
        counts[finding.rule] = counts.get(finding.rule, 0) + 1
        if counts[finding.rule] <= per_rule:
            kept.append(bounded_finding(finding))
    for finding in findings:
        more = counts.get(finding.rule, 0) - per_rule
        if more > 0:
            kept.append(Finding(finding.rule, finding.severity, finding.phase, None, None, None,
                                f"... and {more:,} more {finding.rule} finding{'' if more == 1 else 's'} like {'this' if more == 1 else 'these'}."))
            counts[finding.rule] = 0
    return kept


def capped_requests(rows: list[dict], limit: int = MAX_REQUEST_ROWS) -> list[dict]:
    """The rows to undeclared hosts first, then the others, in their order, each cut."""
    undeclared = [i for i, row in enumerate(rows) if not row.get("declared")]
    declared = [i for i, row in enumerate(rows) if row.get("declared")]
    chosen = sorted((undeclared + declared)[:limit])
    return [{**rows[i], "url": cut(rows[i].get("url"), MAX_URL), "host": cut(rows[i].get("host"), MAX_NAME),
             "method": cut(rows[i].get("method"), MAX_NAME), "report": cut(rows[i].get("report"), MAX_NAME)}
            for i in chosen]


def bound_for_people(result) -> None:
    """Fewer DOMO.log lines a run, then fewer sites, until `for_people()` fits its share."""
    lines, sites = MAX_LOG_LINES, len(result.sites)
    logs, all_sites = result.logs, result.sites
    while True:
        result.logs = [{**log, "lines": [cut(line, MAX_TEXT) for line in log.get("lines", [])[:lines]]} for log in logs]
        result.sites = all_sites[:sites]
        if len(json.dumps(result.for_people())) < MAX_FOR_PEOPLE_BYTES or (lines == 0 and sites == 0):
            return
        if lines > 0:
            lines //= 2
        else:
            sites //= 2


# What a NUL character in a script's output is stored and shown as: PostgreSQL refuses
# it in text and in jsonb, and a review must never fail on what a connector printed.
NUL_SHOWN_AS = "\\u0000"


def without_nul(value):
    """`value` with every NUL character in its strings (and dict keys) written out."""
    if isinstance(value, str):
        return value.replace("\x00", NUL_SHOWN_AS) if "\x00" in value else value
    if isinstance(value, dict):
        return {without_nul(k): without_nul(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(without_nul(v) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        return replace(value, **{f.name: without_nul(getattr(value, f.name)) for f in fields(value)})
    return value


def bound_result(result) -> None:
    """Cut and cap the result in place until its JSON fits MAX_OUTPUT_BYTES, with no NUL
    character left in it (without_nul).

    The performance table keeps one row a report; only a bundle of thousands of reports
    loses rows from its end, after the findings and request rows were capped.
    """
    for f in fields(result):
        setattr(result, f.name, without_nul(getattr(result, f.name)))
    bound_for_people(result)
    per_rule, rows = MAX_FINDINGS_PER_RULE, MAX_REQUEST_ROWS
    findings, requests = result.findings, result.requests
    performance = [{**row, "report": cut(row.get("report"), MAX_NAME)} for row in result.performance]
    reports = len(performance)
    while True:
        result.findings = capped_findings(findings, per_rule)
        result.requests = capped_requests(requests, rows)
        result.performance = performance[:reports]
        if len(json.dumps(result.to_dict())) < MAX_OUTPUT_BYTES or reports == 0:
            return
        if per_rule > 1 or rows > 0:
            rows //= 2
            per_rule = max(1, per_rule // 2)
        else:
            reports //= 2
