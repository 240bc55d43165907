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
