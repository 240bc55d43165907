"""The account every run is given (review/engine/account_values.py): every declared field
has a value, and the secret variant's fresh values keep the shape and change every letter."""

import string

import pytest

from review.engine.account_values import fresh_account, fresh_value, run_account
from review.engine.sandbox import sample_setup
from tests.review.helpers import make_bundle


@pytest.mark.parametrize("auth,fields", [
    ({"method": "username_password"}, ["username", "password"]),
    ({"method": "api_key"}, ["apikey"]),
    ({"method": "oauth2"}, ["accesstoken"]),
    ({"method": "custom", "fields": [{"key": "tenant", "label": "T"}, {"key": "token", "label": "K", "secret": True}]},
     ["tenant", "token"]),
])
def test_every_declared_field_has_a_value_when_the_sample_has_none(auth, fields):
    for account in (None, {}, {f: "" for f in fields}):
        manifest = {"auth": auth, "samples": {"account": account} if account is not None else {}}
        filled = run_account(manifest)
        assert all(isinstance(filled[f], str) and len(filled[f]) >= 8 for f in fields)
        assert filled == run_account(manifest)  # generated the same in every review


def test_the_samples_own_values_are_kept():
    manifest = {"auth": {"method": "username_password"}, "samples": {"account": {"username": "u", "password": "pw-1"}}}
    assert run_account(manifest) == {"username": "u", "password": "pw-1"}


def test_the_run_setup_carries_the_filled_account_one_clock_and_one_seed():
    bundle = make_bundle(manifest={"auth": {"method": "api_key"}, "samples": {"responses": []}})
    setup = sample_setup(bundle)
    assert setup["account"]["apikey"] and setup["now"] and setup["seed"]
    again = sample_setup(bundle)
    assert again["account"] == setup["account"] and again["seed"] == setup["seed"]


@pytest.mark.parametrize("value", ["sample-key-9f8e7d", "ABCdef123", "pw with spaces!", "x", "----"])
def test_a_fresh_value_keeps_the_shape_and_changes_every_letter_and_digit(value):
    fresh = fresh_value(value)
    assert len(fresh) == len(value) and fresh != value
    for old, new in zip(value, fresh):
        for alphabet in (string.ascii_lowercase, string.ascii_uppercase, string.digits):
            if old in alphabet:
                assert new in alphabet and new != old
        if not old.isalnum() and any(c.isalnum() for c in value):
            assert new == old


def test_only_the_secrets_are_replaced():
    manifest = {"auth": {"method": "username_password"}, "samples": {"account": {"username": "u", "password": "pw-12"}}}
    fresh = fresh_account(manifest, run_account(manifest))
    assert fresh["username"] == "u" and fresh["password"] != "pw-12"
