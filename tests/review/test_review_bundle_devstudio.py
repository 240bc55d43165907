"""review_bundle takes a Domo Dev Studio export (folder or zip) as well as a bundle of ours."""

import json
from pathlib import Path

from tests.review.helpers import run_review_bundle


def test_it_reviews_a_dev_studio_export_and_says_what_the_conversion_dropped():
    export = Path(__file__).parents[1] / "fixtures" / "devstudio" / "aws-copy"
    code, out, _err = run_review_bundle(str(export), "--format", "json")
    data = json.loads(out)
    assert data["converted_from"] == "devstudio"
    assert any("domoClientSecret" in note for note in data["import_notes"])
    assert code == (1 if data["verdict"] == "fail" else 0)
    code, text, _err = run_review_bundle(str(export))
    assert text.startswith("converted from Domo Connector Dev Studio's layout:")
