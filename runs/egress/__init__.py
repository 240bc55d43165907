"""The egress policy of live runs (docs/design.md, "Live runs: the egress policy").

Pure Python, no Django: the sandbox worker process imports it to perform a connector's
requests, and the portal imports it to build the policy a run is given.
"""
