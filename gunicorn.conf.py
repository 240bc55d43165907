"""gunicorn's settings for the portal; gunicorn reads this file from the working folder.

Every value can be changed through the environment, so the same file serves a 2-core
machine and a large one.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Sync workers: a page is a few short queries and a template, CPU-bound in Python, so
# one process per core (plus one to cover a worker waiting on the database) serves
# best; threads would only contend for the GIL.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
worker_class = "sync"
# Uploads (bundles up to 20 MiB) arrive through the proxy, which buffers slow clients.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# A worker is replaced now and then, so a slow leak in a library cannot grow forever.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 5000))
max_requests_jitter = max_requests // 10
# Heartbeat files in memory: a worker on a slow disk is not taken for a hung one.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# The application is loaded once and forked: workers share its memory and start fast.
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
