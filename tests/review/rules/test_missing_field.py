import pytest

from review.engine.registry import ReviewContext
from review.engine.rules import rules_for
from tests.review.helpers import FAST, make_bundle

RULE = "missing-field"


def findings(bundle):
    ctx = ReviewContext(bundle=bundle, scripts=[], config=FAST)
    return [f for r in rules_for("static") if r.id == RULE for f in r.findings(ctx)]


@pytest.mark.parametrize("manifest", [
    {"description": ""},
    {"reports": []},
    {"auth": {"method": "oauth2"}},
])
def test_it_reports_each_missing_part_with_where(manifest):
    found = findings(make_bundle(manifest=manifest))
    assert found and all(f.line is None and f.column is None for f in found)
    assert all(f.file for f in found)


@pytest.mark.parametrize("manifest", [
    {"description": "Pulls items."},
    {"reports": ["Items", "Others"]},
    {"auth": {"method": "api_key"}},
])
def test_it_is_quiet_about_parts_that_are_there(manifest):
    from connectors.bundle.reader import read_bundle
    from tests.review.test_sample_bundles import BUNDLES

    complete = read_bundle(BUNDLES / "sales-crm")
    bundle = type(complete)(manifest={**complete.manifest, **manifest}, files=complete.files)
    assert findings(bundle) == []
