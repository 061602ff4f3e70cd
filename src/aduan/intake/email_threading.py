"""Which case an e-mail belongs to (issue 14).

A mail joins a case only when it carries a reply token we issued for that case (in the
`pengaduan+<token>@…` address it was sent to, or `[ref:<token>]` in its subject) AND comes from
the address the token was issued to (or the case's reporter address). The From header is
the sender's claim and the register number is printed on public documents: neither alone
places a mail on a case. A mail that looks like it belongs to a case without that proof goes
to the officers' review list; a first mail from an address with no open case starts a case.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from aduan.complaints.models import Complaint, Reporter
from aduan.complaints.workflow import OPEN_STATUSES
from aduan.intake.models import Conversation, InboundMessage
from aduan.intake.parsing import register_number_regex
from aduan.offices.models import ChannelKind, Office


def email_target(message: InboundMessage, office: Office) -> Complaint | str | None:
    """The open case to join, a reason for review, or None for a new case."""
    from aduan.notifications.reply_tokens import reply_token_lookup

    sender = message.sender.lower()
    for token in message.data.get("reply_tokens") or []:
        issued = reply_token_lookup(str(token))
        # Our token names the case wherever it is now (another office's mailbox, or a case
        # forwarded since): the message follows the case's office (services._finish).
        if issued is None:
            continue
        complaint = issued.complaint
        if sender not in {issued.email.lower(), (complaint.reporter.email or "").lower()}:
            return _("E-mail membawa token balasan pengaduan %(number)s, tetapi pengirimnya "
                     "bukan alamat pelapor pengaduan itu.") % {
                "number": complaint.register_number}
        if complaint.status in OPEN_STATUSES:
            return complaint
        # A reply to a settled case is a new matter (SPEC §2: the next message starts a case).
        return None
    if message.subject:
        found = register_number_regex(office.register_number_pattern).search(message.subject)
        if found:
            cases = Complaint.objects.filter(office=office)
            named = (cases.filter(register_number=found.group(0)).first()
                     or cases.filter(register_number__iexact=found.group(0)).first())
            if named is not None:
                return _("Subjek menyebut nomor %(number)s tanpa token balasan yang sah; "
                         "periksa apakah e-mail ini dari pelapor pengaduan itu.") % {
                    "number": named.register_number}
    open_case = _open_case_of_address(sender, office)
    if open_case is not None:
        return _("Alamat pengirim memiliki pengaduan terbuka %(number)s, tetapi e-mail ini "
                 "tidak membawa token balasan; tidak digabungkan otomatis.") % {
            "number": open_case.register_number}
    return None


def _open_case_of_address(address: str, office: Office) -> Complaint | None:
    conversation = (Conversation.objects.select_related("complaint")
                    .filter(channel_kind=ChannelKind.EMAIL, address=address, is_open=True,
                            complaint__status__in=OPEN_STATUSES).first())
    if conversation is not None:
        return conversation.complaint
    reporter_ids = list(Reporter.objects.filter(email=address).values_list("pk", flat=True)[:200])
    if not reporter_ids:
        return None
    return (Complaint.objects.filter(office=office, status__in=OPEN_STATUSES,
                                     reporter_id__in=reporter_ids)
            .order_by("-received_at", "-id").first())
