from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "aduan.intake"
    label = "intake"
    verbose_name = _("Saluran masuk")

    def ready(self) -> None:
        from aduan.complaints import retention
        from aduan.intake.adapters import email_imap, sms, whatsapp
        from aduan.intake.models import Conversation, InboundMessage
        from aduan.intake.retention import inbound_purge_expired, inbound_purge_for_complaints
        from aduan.intake.services import (
            register_file_loader,
            register_identity_scrubber,
            register_parser,
            register_status_handler,
        )
        from aduan.offices.models import ChannelKind

        register_parser(whatsapp.PROVIDER, whatsapp.parse_item)
        register_parser(sms.PROVIDER_SMSGATE, sms.parse_smsgate)
        register_parser(sms.PROVIDER_GENERIC, sms.parse_generic)
        register_parser(email_imap.PROVIDER, email_imap.parse_stored)
        register_identity_scrubber(whatsapp.PROVIDER, whatsapp.scrub_identity)
        register_file_loader(ChannelKind.WHATSAPP, whatsapp.load_media)
        register_file_loader(ChannelKind.EMAIL, email_imap.load_attachments)
        register_status_handler(ChannelKind.WHATSAPP, whatsapp.record_status)
        register_status_handler(ChannelKind.SMS, sms.record_status)
        register_status_handler(ChannelKind.EMAIL, email_imap.record_bounce)
        retention.register_case_purger("inbound_messages", inbound_purge_for_complaints,
                                        models=(InboundMessage, Conversation))
        retention.register_expired_purger("inbound_messages", inbound_purge_expired)
