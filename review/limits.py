"""Numbers of the review contract (bundle-format.md) that pages show as well as enforce.

A module of its own with no imports, so the web process can read them without
loading the review engine (tree-sitter, detect-secrets, every rule).
"""

# A report passes the performance test at this many projected records per 5 minutes.
RECORDS_PER_5_MIN_REQUIRED = 1000
