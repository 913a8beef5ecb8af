"""The app for a WSGI server in production: ``gunicorn server.wsgi:app`` (docs/deploy.md).

Everything made while starting (models, schemas, routes, catalogues: some 180,000 objects)
lives as long as the worker. They are frozen out of garbage collection: a full collection
otherwise scanned them all, ~100 ms on the test machine, and when it fell inside a push that
held the sync clock, every other writer waited too (bench/README.md: W1 +25%, p95 halved).
"""

import gc

from server import create_app

app = create_app()
gc.collect()  # what starting left behind goes now, not into the frozen set
gc.freeze()
