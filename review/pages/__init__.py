"""What the review's pages show: one submission's summary, what changed since the last
approved version, the code with its findings, and the scopes of the cached page parts."""
