"""E-mail through Django's mail backend (SMTP in production) with a traceable Message-ID."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from aduan.notifications.models import OutboxMessage
from aduan.notifications.senders import (
    PermanentSendError,
    TransientSendError,
    outbox_idempotency_key,
)


def mail_domain() -> str:
    sender = settings.DEFAULT_FROM_EMAIL
    return sender.rsplit("@", 1)[-1].strip("> ") if "@" in sender else "aduan.localhost"


def message_id_for(message: OutboxMessage) -> str:
    """`<outbox-<id>@domain>`: a duplicate sent after a crash carries the same id."""
    return f"<{outbox_idempotency_key(message)}@{mail_domain()}>"


class EmailSender:
    def send(self, message: OutboxMessage) -> str:
        message_id = message_id_for(message)
        headers = {"Message-ID": message_id, "Auto-Submitted": "auto-generated"}
        if message.complaint_id:
            # Mail clients thread on References as well as on the number in the subject.
            thread = f"<complaint-{message.complaint_id}@{mail_domain()}>"
            headers.update({"References": thread, "In-Reply-To": thread})
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            headers=headers,
            connection=get_connection(fail_silently=False),
        )
        try:
            email.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            raise PermanentSendError(f"alamat ditolak server surat: {exc.recipients}") from exc
        except smtplib.SMTPResponseException as exc:
            error = f"SMTP {exc.smtp_code}: {exc.smtp_error!r}"
            if 500 <= exc.smtp_code < 600:
                raise PermanentSendError(error) from exc
            raise TransientSendError(error) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise TransientSendError(f"server surat tidak dapat dihubungi: {exc}") from exc
        return message_id
