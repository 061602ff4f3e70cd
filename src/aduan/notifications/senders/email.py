"""E-mail through Django's mail backend (SMTP in production) with a random Message-ID.

The Message-ID is random (a bounce can name only a message we really sent, never one guessed
from a counter) and stored on the outbox row before the SMTP call, so a resend after a crash
carries the same id.
"""

from __future__ import annotations

import secrets
import smtplib

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMessage, get_connection

from aduan.notifications.models import OutboxMessage, TemplateCode
from aduan.notifications.reply_tokens import reply_address, reply_token_for, subject_with_token
from aduan.notifications.senders import (
    PermanentSendError,
    TransientSendError,
    sends_as,
)


def mail_domain() -> str:
    sender = settings.DEFAULT_FROM_EMAIL
    return sender.rsplit("@", 1)[-1].strip("> ") if "@" in sender else "aduan.localhost"


def message_id_for(message: OutboxMessage) -> str:
    """The row's Message-ID: the one stored on it, else a new random one, stored now (before
    sending) so a resend after a crash carries the same id and a bounce can find the row."""
    if message.provider_message_id.startswith("<"):
        return message.provider_message_id
    message_id = f"<{secrets.token_hex(16)}@{mail_domain()}>"
    OutboxMessage.objects.filter(pk=message.pk).update(provider_message_id=message_id)
    message.provider_message_id = message_id
    return message_id


class EmailSender:
    def send(self, message: OutboxMessage) -> str:
        if _has_line_break(message.recipient) or _has_line_break(message.subject):
            # Header injection or a broken template: the same text fails every time.
            raise PermanentSendError("baris baru (CR/LF) di alamat atau subjek e-mail")
        message_id = message_id_for(message)
        headers = {"Message-ID": message_id, "Auto-Submitted": "auto-generated"}
        subject = message.subject
        if message.complaint_id and message.template_code != TemplateCode.REMINDER:
            # The reporter's reply finds the case by this token (and their address), never by
            # the number in the subject alone.
            token = reply_token_for(complaint_id=message.complaint_id, email=message.recipient)
            subject = subject_with_token(subject, token)
            if reply_to := reply_address(token):
                headers["Reply-To"] = reply_to
        if message.complaint_id:
            # Mail clients thread on References as well as on the number in the subject.
            thread = f"<complaint-{message.complaint_id}@{mail_domain()}>"
            headers.update({"References": thread, "In-Reply-To": thread})
        # The office's own mailbox when it has one (Channel.sends_as); replies still go to
        # the polled Reply-To address above, so none is lost to a mailbox we do not read.
        from_email = sends_as(message) or settings.DEFAULT_FROM_EMAIL
        if _has_line_break(from_email):
            raise PermanentSendError("baris baru (CR/LF) di alamat pengirim e-mail")
        email = EmailMessage(
            subject=subject,
            body=message.body,
            from_email=from_email,
            to=[message.recipient],
            headers=headers,
            connection=get_connection(fail_silently=False),
        )
        try:
            email.send(fail_silently=False)
        except (BadHeaderError, ValueError) as exc:
            # Django refuses headers with CR/LF and addresses it cannot encode: permanent.
            raise PermanentSendError(f"header e-mail tidak sah: {exc}") from exc
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


def _has_line_break(text: str) -> bool:
    return "\r" in text or "\n" in text
