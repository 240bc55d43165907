import pytest

from tests.review.helpers import static_findings

RULE = "minified-code"
READABLE = "".join(f"var v{i} = compute({i});\nif (v{i} > 3) {{\n  total += v{i};\n}}\n" for i in range(30))
PACKED = READABLE.replace("\n", "")


@pytest.mark.parametrize("source", [
    PACKED,
    "var _0x1a2b=['a'],_0x3c4d=1,_0x5e6f=2,_0x7a8b=3,_0x9c0d=4;_0x1a2b[_0x3c4d];",
    ";".join(f"a{i}=b(c{i})" for i in range(60)) + ";",
    "var s = ['\\x68\\x65\\x6c\\x6c', '\\x6f\\x77\\x6f\\x72', '\\x6c\\x64\\x21\\x21', '\\x61\\x62\\x63\\x64', '\\x65\\x66\\x67\\x68'];",
])
def test_it_reports_packed_or_obfuscated_code_once(source):
    [finding] = static_findings(source, RULE)
    assert "minified" in finding.message


@pytest.mark.parametrize("source", [
    READABLE,
    READABLE + "var data = " + repr([{"id": i, "name": f"n{i}"} for i in range(200)]).replace("'", '"') + ";\n",
    READABLE + "var url = 'https://api.example.com/v1/export?" + "&".join(f"f{i}=x;y" for i in range(80)) + "';\n",
])
def test_it_ignores_readable_code_with_long_data_lines(source):
    assert static_findings(source, RULE) == []
