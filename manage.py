#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    if sys.argv[1:2] == ["review_bundle"] and os.environ["DJANGO_SETTINGS_MODULE"] == "portal.settings":
        # A bundle review needs none of Django's start-up (bench/review_bundle_vs_eslint.py).
        from review.cli import main

        sys.exit(main(sys.argv[2:]))
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
