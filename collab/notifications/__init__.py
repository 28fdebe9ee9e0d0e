"""Notifications: events declared by each app, written to an outbox, delivered by Celery.

- events.py    how an app declares an event (who is told, what they are told)
- outbox.py    notify(): writes the rows in the caller's transaction, enqueues after commit
- delivery.py  sends one waiting email, records failures and backoff
- digests.py   daily and weekly digests
- channels.py  the email channel (a new channel is one class there)
"""
