"""Mail servers that fail, for the delivery tests: a real backend class Django loads."""

from smtplib import SMTPRecipientsRefused, SMTPServerDisconnected

from django.core.mail.backends.base import BaseEmailBackend


class DisconnectingBackend(BaseEmailBackend):
    """A mail server that drops the connection: a failure worth retrying."""

    def send_messages(self, email_messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses the address: no retry will help."""

    def send_messages(self, email_messages):
        raise SMTPRecipientsRefused({"x@example.org": (550, b"No such mailbox")})
