"""Domo's helpers in the sandbox, each checked against a reference computation.

hashlib/hmac for the hashes, PyJWT (with cryptography) for getJWT, the standard
library's XML parser for parseXML and magicParseXML.
"""

import base64
import hashlib
import hmac
import json
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from review.engine.sandbox_worker import run_script

SETUP = {"hosts": ["api.example.com", "s3.eu-west-1.amazonaws.com"], "account": {"apikey": "sample-key-123"},
         "parameters": {}, "report": "Items", "masks": ["sample-key-123"],
         "responses": [{"method": "GET", "url": "https://s3.eu-west-1.amazonaws.com/bucket/in/state.json",
                        "body": "{\"cursor\": 7}"}]}
TEXTS = ["", "abc", "héllo wörld ✓", "x" * 200, "line\nbreak\ttab", "😀 astral"]
KEYS = ["key", "", "k" * 64, "k" * 65, "clé ✓"]


def run(source, setup=SETUP):
    with ThreadPoolExecutor(max_workers=1) as executor:
        reply = executor.submit(run_script, source, setup, 5, 64).result()
    assert reply["status"] == "ok"
    assert reply["record"]["error"] is None, reply["record"]["error"]
    return reply["record"]


def values_of(expression_template, cases):
    """Each case's value of a JS expression, read back through DOMO.log lines."""
    source = "".join(f"DOMO.log({expression_template.format(*map(json.dumps, case))});\n" for case in cases)
    return run(source)["log_lines"]


def test_it_computes_md5_like_hashlib():
    assert values_of("DOMO.md5({0})", [(t,) for t in TEXTS]) == [hashlib.md5(t.encode()).hexdigest() for t in TEXTS]


@pytest.mark.parametrize("name,digest", [("hmacSHA1", "sha1"), ("hmacSHA256", "sha256")])
def test_it_computes_hmacs_like_the_hmac_module(name, digest):
    cases = [(t, k) for t in TEXTS for k in KEYS]
    expected = [hmac.new(k.encode(), t.encode(), digest).hexdigest() for t, k in cases]
    assert values_of(f"DOMO.{name}({{0}}, {{1}})", cases) == expected


def jwt_of(builder):
    record = run(f"var b = {json.dumps(builder)};\n"
                 "for (var k in b) { DOMO.jwtBuilder[k] = b[k]; }\nDOMO.log(DOMO.getJWT());\n")
    return record["log_lines"][0]


def test_it_signs_an_hs256_jwt_that_pyjwt_verifies_with_its_claims():
    token = jwt_of({"algorithm": "HS256", "authKey": "a-shared-secret-of-32-bytes-long", "issuer": "svc@example.com",
                    "subject": "user-1", "claims": {"scope": "read", "n": 3}, "expiration": 600})
    claims = jwt.decode(token, "a-shared-secret-of-32-bytes-long", algorithms=["HS256"], options={"verify_aud": False})
    assert claims["iss"] == "svc@example.com" and claims["sub"] == "user-1"
    assert claims["scope"] == "read" and claims["n"] == 3 and claims["exp"] - claims["iat"] == 600
    assert jwt.get_unverified_header(token) == {"alg": "HS256", "typ": "JWT"}
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, "another-secret-of-32-bytes-long!!", algorithms=["HS256"])


@pytest.mark.parametrize("fmt", [serialization.PrivateFormat.PKCS8, serialization.PrivateFormat.TraditionalOpenSSL])
def test_it_signs_an_rs256_jwt_that_verifies_with_the_public_key(fmt):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption()).decode()
    token = jwt_of({"algorithm": "RS256", "authKey": pem, "issuer": "robot", "claims": {"aud": "api"}})
    assert jwt.decode(token, key.public_key(), algorithms=["RS256"], audience="api")["iss"] == "robot"


@pytest.mark.parametrize("fmt", [serialization.PrivateFormat.PKCS8, serialization.PrivateFormat.TraditionalOpenSSL])
def test_it_signs_an_es256_jwt_that_verifies_with_the_public_key(fmt):
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption()).decode()
    token = jwt_of({"algorithm": "ES256", "authKey": pem, "subject": "svc"})
    assert jwt.decode(token, key.public_key(), algorithms=["ES256"])["sub"] == "svc"


def test_an_unknown_jwt_algorithm_is_an_error_that_names_it():
    with ThreadPoolExecutor(max_workers=1) as executor:
        reply = executor.submit(run_script, "DOMO.jwtBuilder.algorithm = 'none';\nDOMO.getJWT();\n",
                                SETUP, 5, 64).result()
    assert "algorithm none is not one of HS256, RS256, ES256" in reply["record"]["error"]["message"]


XML_DOCS = [
    '<?xml version="1.0"?><feed a="1"><item>x &amp; y</item><item>z</item><one b="2">t</one><e/></feed>',
    "<!-- lead --><r><![CDATA[<raw> & text]]></r>",
    "<r><p><q>1</q><q>2</q><q>3</q></p><s x='&#65;&#x42;'/></r>",
]


def reference_value(element):
    """bundle-format.md's parseXML shape, built from ElementTree."""
    children = list(element)
    if not children and not element.attrib:
        return element.text or ""
    out = {f"@{k}": v for k, v in element.attrib.items()}
    for child in children:
        value = reference_value(child)
        if child.tag not in out:
            out[child.tag] = value
        elif isinstance(out[child.tag], list) and child.tag in repeated_tags(element):
            out[child.tag].append(value)
        else:
            out[child.tag] = [out[child.tag], value]
    text = "".join([element.text or ""] + [c.tail or "" for c in children]).strip()
    if text:
        out["#text"] = text
    return out


def repeated_tags(element):
    tags = [c.tag for c in element]
    return {t for t in tags if tags.count(t) > 1}


def test_it_parses_xml_like_the_standard_library():
    lines = values_of("JSON.stringify(DOMO.parseXML({0}))", [(d,) for d in XML_DOCS])
    for doc, line in zip(XML_DOCS, lines):
        root = ET.fromstring(doc)
        assert json.loads(line) == {root.tag: reference_value(root)}


def test_magic_parse_xml_makes_a_row_per_repeated_element_with_leaves_and_attributes_as_cells():
    doc = ("<rows><row id='1'><name>Alpha Ltd</name><amount>10.5</amount></row>"
           "<row id='2'><name>Beta &amp; Co</name><amount>3</amount></row></rows>")
    record = run(f"datagrid.magicParseXML({json.dumps(doc)});\n")
    rows = ET.fromstring(doc)
    assert record["rows"] == len(rows)
    assert [c["name"] for c in record["columns"]] == ["id", "name", "amount"]
    assert [c["type"] for c in record["columns"]] == ["DOUBLE", "STRING", "DOUBLE"]
    assert set(record["cells"]) == {v for r in rows for v in [r.get("id"), r.find("name").text, r.find("amount").text]}


def test_broken_xml_is_an_error_that_says_where():
    with ThreadPoolExecutor(max_workers=1) as executor:
        reply = executor.submit(run_script, "DOMO.parseXML('<a><b></a>');\n", SETUP, 5, 64).result()
    assert reply["record"]["error"]["message"] == "XML: unexpected </a> at character 7"


def test_the_sql_store_creates_inserts_selects_updates_deletes_and_exports():
    record = run(
        "sql.createTable('deals', {id: 'int', name: 'string', stage: 'string'});\n"
        "sql.createTable('deals', 'id int', true);\n"
        "sql.insert('deals', [{id: 1, name: 'A', stage: 'won'}, {id: 2, name: 'B', stage: 'open'}]);\n"
        "sql.insert('deals', {id: 3, name: \"O'Hara\", stage: 'open'});\n"
        "DOMO.log(sql.select('*', 'deals', \"stage = 'open' AND id >= 2\"));\n"
        "sql.update('deals', {stage: 'won'}, {id: 2});\n"
        "DOMO.log(sql.select(['stage'], 'deals', null, true));\n"
        "sql.delete('deals', \"name = 'O''Hara'\");\n"
        "DOMO.log(sql.export());\n"
    )
    opened, stages, dump = (json.loads(line) for line in record["log_lines"])
    assert opened == [{"id": 2, "name": "B", "stage": "open"}, {"id": 3, "name": "O'Hara", "stage": "open"}]
    assert stages == [{"stage": "won"}, {"stage": "open"}]
    assert dump == {"deals": [{"id": 1, "name": "A", "stage": "won"}, {"id": 2, "name": "B", "stage": "won"}]}


def test_aws_calls_are_requests_answered_from_the_samples_and_recorded():
    record = run("aws.createClient('eu-west-1', 'AKIAEXAMPLE', 'aws-secret');\n"
                 "DOMO.log(aws.get('/bucket/in/', 'state.json'));\n"
                 "aws.put('bucket/out', 'rows.csv', 'a,b');\n")
    assert record["log_lines"] == ['{"cursor": 7}']
    get, put = record["flow"]
    assert (get["method"], get["url"], get["sample"]) == ("GET", "https://s3.eu-west-1.amazonaws.com/bucket/in/state.json", 0)
    assert (put["method"], put["url"], put["body"]) == ("PUT", "https://s3.eu-west-1.amazonaws.com/bucket/out/rows.csv", "a,b")
    assert "Credential=AKIAEXAMPLE/" in put["headers"]["authorization"] and "aws-secret" not in json.dumps(record)
    assert [r["matched"] for r in record["requests"]] == [True, False]


def test_aws_without_a_client_or_with_a_bad_region_is_an_error_that_says_so():
    with ThreadPoolExecutor(max_workers=1) as executor:
        first = executor.submit(run_script, "aws.get('b', 'k');\n", SETUP, 5, 64).result()
        second = executor.submit(run_script, "aws.createClient('evil.com/x', 'k', 's');\n", SETUP, 5, 64).result()
    assert "call aws.createClient(region, key, secret) first" in first["record"]["error"]["message"]
    assert "is not an AWS region" in second["record"]["error"]["message"]


def test_metadata_has_baseurl_and_parameter_as_domo_gives_them():
    record = run("DOMO.log(metadata.baseurl);\nDOMO.log(metadata.parameter === metadata.parameters);\n")
    assert record["log_lines"] == ["https://api.domo.com", "true"]


def test_log_lines_are_kept_bounded_cut_and_with_the_sample_secrets_masked():
    secret_b64 = base64.b64encode(b"sample-key-123").decode()
    setup = {**SETUP, "masks": ["sample-key-123", secret_b64]}
    record = run("DOMO.log('key=' + metadata.account.apikey, DOMO.b64EncodeUnicode(metadata.account.apikey));\n"
                 "DOMO.log('x'.repeat(600) + metadata.account.apikey);\n"
                 "for (var i = 0; i < 300; i++) { DOMO.log('line ' + i); }\n", setup)
    assert record["log_lines"][0] == "key=**** ****"
    assert record["log_lines"][1] == "x" * 500
    assert len(record["log_lines"]) == 200 and record["logs"] == 302
    assert "sample-key-123" not in json.dumps(record["log_lines"])


def test_a_helper_domo_does_not_document_still_throws_an_error_that_names_it():
    with ThreadPoolExecutor(max_workers=1) as executor:
        reply = executor.submit(run_script, "sql.vacuum();\n", SETUP, 5, 64).result()
    assert reply["record"]["error"]["message"] == "sql.vacuum is not provided by the review sandbox"


def test_a_huge_log_argument_is_cut_after_masking_and_costs_little():
    setup = {**SETUP, "masks": ["sample-key-123"]}
    record = run("var big = new Array(498).join('x') + metadata.account.apikey + new Array(200000).join('y');\n"
                 "DOMO.log(big);\n", setup)
    assert record["log_lines"] == ["x" * 497 + "***"]
