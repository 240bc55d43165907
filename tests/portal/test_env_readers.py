"""portal.env: a bad value still stops start-up with Django's ImproperlyConfigured.

Django is imported only for that message now (review_bundle's fast path reads its
settings here without it).
"""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.env import env_bool, env_float, env_int

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("reader, raw", [(env_bool, "maybe"), (env_int, "2.5"), (env_float, "fast")])
def test_a_bad_value_names_its_variable(monkeypatch, reader, raw):
    monkeypatch.setenv("PORTAL_TEST_VALUE", raw)
    with pytest.raises(ImproperlyConfigured, match="PORTAL_TEST_VALUE"):
        reader("PORTAL_TEST_VALUE", 1)


def test_good_values_are_read_without_importing_django():
    code = ("import os, sys; os.environ.update(A='yes', B='3', C='0.5')\n"
            "from portal.env import env_bool, env_float, env_int\n"
            "print(env_bool('A'), env_int('B', 1), env_float('C', 1.0), env_int('UNSET_X', 7), 'django' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["True", "3", "0.5", "7", "False"], done.stderr
