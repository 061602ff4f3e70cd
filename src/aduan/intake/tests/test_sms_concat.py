"""SMS: a concatenated SMS (UDH or concat-ref/part/total fields of the generic webhook) is put
together within a window, in order, whatever order the parts come in; a message without a
provider id repeated by the gateway (same sender, text, time) is recognised."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from aduan.complaints.models import Complaint
from aduan.intake.models import InboundMessage, ParseStatus
from aduan.intake.services import inbound_sweep
from aduan.intake.tests.conftest import SMS_SECRET

GENERIC = "/intake/sms/"
PARTS = ["Siti#Klinik Bunda#SIP Bidan#Sudah tiga bulan SIP saya ",
         "belum terbit padahal berkas lengkap sejak Maret, mohon ",
         "ditindaklanjuti segera."]


def send(client, **fields: object):
    return client.post(GENERIC, data=urlencode({**fields, "secret": SMS_SECRET}),
                       content_type="application/x-www-form-urlencoded")


@pytest.mark.django_db
@pytest.mark.parametrize("order", [[0, 1, 2], [2, 0, 1], [1, 2, 0]])
def test_three_part_sms_becomes_one_complaint_in_order(client, office, channel_settings,
                                                       order):
    for n in order:
        response = send(client, **{"from": "081234567890", "text": PARTS[n],
                                   "id": f"part-{n}", "concat-ref": "a7",
                                   "concat-total": "3", "concat-part": str(n + 1)})
        assert response.status_code == 200
        if n != order[-1]:
            assert Complaint.objects.count() == 0  # waiting for the other parts
    complaint = Complaint.objects.get()
    assert complaint.description == "".join(PARTS).split("#", 3)[3]
    assert complaint.reporter.name == "Siti"
    rows = InboundMessage.objects.order_by("pk")
    assert sorted(rows.values_list("parse_status", flat=True)) == ["created", "joined",
                                                                    "joined"]
    assert {r.complaint_id for r in rows} == {complaint.pk}


@pytest.mark.django_db
def test_udh_parts_are_reassembled_and_a_repeated_part_is_a_duplicate(client, office,
                                                                      channel_settings):
    # Kannel-style UDH: 05 00 03 <ref> <total> <part>.
    for n in (1, 1, 2):  # the gateway delivered part 1 twice, without an id
        assert send(client, **{"from": "081234567891", "text": f"bagian{n} ",
                               "udh": f"050003CC02{n:02X}"}).status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.description.strip() == "bagian1 bagian2"
    statuses = sorted(InboundMessage.objects.values_list("parse_status", flat=True))
    assert statuses == ["created", "ignored", "joined"]


@pytest.mark.django_db
def test_missing_part_is_marked_when_the_window_has_passed(client, office, channel_settings,
                                                           settings):
    settings.ADUAN_SMS_CONCAT_SECONDS = 60
    for n in (1, 3):
        send(client, **{"from": "081234567892", "text": PARTS[n - 1], "concat-ref": "77",
                        "concat-total": "3", "concat-part": str(n)})
    assert Complaint.objects.count() == 0
    InboundMessage.objects.update(received_at=timezone.now() - dt.timedelta(minutes=5))
    assert inbound_sweep()["processed"] == 2
    description = Complaint.objects.get().description
    assert "[bagian 2 dari 3 tidak diterima]" in description
    assert description.endswith(PARTS[2])


@pytest.mark.django_db
@pytest.mark.parametrize("fields", [
    {"concat-ref": "1", "concat-total": "2", "concat-part": "3"},
    {"concat-ref": "1", "concat-total": "999", "concat-part": "1"},
    {"concat-ref": "1", "concat-total": "x", "concat-part": "1"},
    {"udh": "zz"},
])
def test_impossible_part_numbers_are_quarantined(client, office, channel_settings, fields):
    assert send(client, **{"from": "081234567893", "text": "x", **fields}).status_code == 200
    assert InboundMessage.objects.get().parse_status == ParseStatus.QUARANTINED


@pytest.mark.django_db
def test_repeat_without_provider_id_is_recognised_by_sender_text_and_time(
        client, office, channel_settings, settings):
    fields = {"from": "081234567894", "text": "Izin usaha saya ditolak tanpa alasan"}
    for _ in range(3):
        assert send(client, **fields).status_code == 200
    complaint = Complaint.objects.get()
    rows = InboundMessage.objects.order_by("pk")
    assert [r.parse_status for r in rows] == ["created", "ignored", "ignored"]
    assert {r.complaint_id for r in rows} == {complaint.pk}
    assert "Duplikat pesan" in rows[1].error
    # The same text long after is a new message (it joins the open case).
    InboundMessage.objects.update(received_at=timezone.now() - dt.timedelta(
        seconds=settings.ADUAN_INBOUND_DUPLICATE_SECONDS + 60))
    assert send(client, **fields).status_code == 200
    assert InboundMessage.objects.order_by("pk").last().parse_status == ParseStatus.JOINED
    # Another text from the same sender is not a duplicate either.
    assert send(client, **{**fields, "text": "Tambahan: nomor berkas 123"}).status_code == 200
    assert InboundMessage.objects.order_by("pk").last().parse_status == ParseStatus.JOINED
