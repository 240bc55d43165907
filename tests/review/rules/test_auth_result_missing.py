import pytest

from tests.review.helpers import review

RULE = "auth-result-missing"


@pytest.mark.parametrize("auth", [
    "httprequest.get('https://api.example.com/me');",
    "if (httprequest.getStatusCode() === 999) { auth.authenticationSuccess(); }",
    "var ok = true; // auth.authenticationSuccess();",
])
def test_it_reports_an_authentication_without_result(auth):
    assert RULE in {f.rule for f in review(authentication=auth).findings}


@pytest.mark.parametrize("auth", [
    "auth.authenticationSuccess();",
    "auth.authenticationFailed('The key was refused.');",
    "httprequest.get('https://api.example.com/me');\n"
    "if (httprequest.getStatusCode() === 200) { auth.authenticationSuccess(); } else { auth.authenticationFailed('no'); }",
])
def test_it_accepts_either_result(auth):
    assert RULE not in {f.rule for f in review(authentication=auth).findings}
