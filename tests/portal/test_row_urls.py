"""row_url: the same URL as reverse(), reversed once per name."""

import pytest
from django.urls import reverse

from portal.row_urls import row_url


@pytest.mark.parametrize("name, args", [
    ("connectors:edit", [7]), ("connectors:export", [123456]), ("review:status", [1]),
    ("submissions:icon", [42, "icon_with_background"]), ("submissions:public_connector", [98765]),
])
def test_it_gives_what_reverse_gives(name, args):
    assert row_url(name, *args) == reverse(name, args=args)


def test_it_refuses_what_is_not_a_number():
    with pytest.raises(ValueError):
        row_url("connectors:edit", "1/../../admin")
