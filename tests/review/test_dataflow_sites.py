"""Sites: the registrable domain from the Public Suffix List, as the library reads its whole list."""

import pytest
from publicsuffixlist import PublicSuffixList

from review.engine.sites import site_of

HOSTS = ["api.acme.co.uk", "login.acme.co.uk", "s3.us-east-1.amazonaws.com", "bucket.s3.amazonaws.com",
         "foo.github.io", "telemetry.example-collector.net", "x.sub.example.ck", "www.ck", "a.b.xn--p1ai",
         "shop.example.xn--p1ai", "api.example.com", "eu.api.example.com", "deep.a.b.c.example.org",
         "app.herokuapp.com", "api.test", "svc.internal", "a.b.kawasaki.jp", "city.kawasaki.jp", "com"]


@pytest.mark.parametrize("host", HOSTS)
def test_it_finds_the_registrable_domain_the_whole_list_finds(host):
    assert site_of(host) == (PublicSuffixList().privatesuffix(host) or host)


def test_hosts_of_one_site_share_it_and_an_ip_address_is_its_own_site():
    assert site_of("api.acme.co.uk") == site_of("login.acme.co.uk") == "acme.co.uk"
    assert site_of("10.0.0.1") == "10.0.0.1" and site_of("[2001:db8::1]") == "[2001:db8::1]"
    assert site_of("API.Example.COM.") == "example.com" and site_of("api.example.com:8443") == "example.com"


def _whole_list_by_last_label():
    """Every rule of the bundled list, by its last label: how sites.py read it before."""
    from publicsuffixlist import PSLFILE

    rules = {}
    with open(PSLFILE, encoding="utf-8") as source:
        for line in source:
            rule = line.strip()
            if rule and not rule.startswith("//"):
                rule = rule.split()[0]
                rules.setdefault(rule.rsplit(".", 1)[-1].lstrip("!*").lower(), []).append(rule)
    return rules


def test_the_rules_found_for_a_label_are_the_lists_rules_ending_in_it():
    from review.engine.sites import _rules_ending_in

    whole = _whole_list_by_last_label()
    assert len(whole) > 1000
    for label, rules in whole.items():
        assert _rules_ending_in(label) == rules, label
    for label in ("test", "internal", "zz", "c", "o", "m", ".com", "*"):
        assert _rules_ending_in(label) == whole.get(label, []), label


def test_the_lists_rules_are_lower_case_as_the_plain_host_search_assumes():
    rules = [rule for rules in _whole_list_by_last_label().values() for rule in rules]
    assert rules and all(rule == rule.lower() for rule in rules)


def test_hosts_made_from_the_lists_own_rules_get_the_whole_lists_answer():
    whole = PublicSuffixList()
    rules = sorted(rule for rules in _whole_list_by_last_label().values() for rule in rules)
    tricky = [r for r in rules if r.startswith(("!", "*")) or r.endswith((".ck", ".jp", ".bd", ".com"))]
    hosts = set()
    for rule in rules[::40] + tricky[::8]:
        base = rule.lstrip("!").replace("*", "x")
        hosts.update({base, "a." + base, "a.b." + base, base.split(".", 1)[-1]})
    hosts = sorted(h for h in hosts if h.isascii())
    assert len(hosts) > 500
    for host in hosts:
        assert site_of(host) == (whole.privatesuffix(host) or host), host
