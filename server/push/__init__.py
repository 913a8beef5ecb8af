"""Web push notifications: who should hear about what, and getting it to their devices.

    events.py         flush hook: a change worth telling someone about -> outbox rows,
                      in the same transaction as the change
    reminders.py      ``flask send-reminders``: a row's end date or its påbud's frist due
                      soon / passed -> outbox rows, once per (user, item, kind, date),
                      enforced by a unique key
    outbox.py         writes outbox rows; a duplicate key is skipped, never an error
    delivery.py       ``send_push`` (the one function that talks to a push service) and the
                      outbox loop: preferences, quiet hours, retries with backoff, pruning
    messages.py       the payload: a title in the user's language, a link, the kind, and
                      what it is about where a kind says two things (end date or frist,
                      carrying a row out or following it up)
    endpoints.py      which endpoints the server will POST to: push services on the
                      allow-list with public addresses (subscribe time and send time)
    vapid.py          the server's VAPID key pair (environment or instance folder)
    subscriptions.py  subscribe, unsubscribe, preferences (used by server/api/push.py)
    worker.py         ``flask push-worker``: delivery right after the commit (PostgreSQL
                      LISTEN/NOTIFY, SQLite a short poll), through ``deliver_pending``
    cli.py            ``send-reminders``, ``send-notifications`` and ``push-worker``

Nothing here imports Flask except ``cli.py``; docs/push.md describes cron, idempotency and
the payload.
"""
