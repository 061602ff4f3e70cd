"""The office's mapping, retraining from closed cases (corrections included), the admin."""

import datetime as dt

import pytest
from django.urls import reverse

from aduan.assist.services import complaint_set_service_type
from aduan.complaints import services as complaint_services
from aduan.complaints.tests.factories import register_complaint
from aduan.triage import api
from aduan.triage.mapping import load_demo_mapping
from aduan.triage.models import TriageModel
from aduan.triage.services import retrain_due, train_office_model


@pytest.fixture
def mapped(office):
    load_demo_mapping(office)
    return office


@pytest.mark.django_db
def test_suggestions_speak_in_the_office_terms(mapped):
    toko_obat = mapped.service_types.get(code="toko_obat")
    result = api.suggest(mapped, "mau tanya syarat izin toko obat di kecamatan mandau")
    assert result.category[0].code == "apotek_klinik"
    assert result.service_type[0].code == str(toko_obat.pk)
    assert result.service_type[0].label == "Izin Toko Obat"
    assert result.unit[0].code == "perizinan-a"
    error = api.suggest(mapped, "aplikasi epinter error terus, tidak bisa login dari pagi")
    assert error.category[0].code == "sistem_error"
    assert error.unit[0].code == "pengaduan"
    bphtb = api.suggest(mapped, "mau tanya cara bayar BPHTB untuk jual beli rumah")
    assert bphtb.authority[0].code == "lainnya"
    assert bphtb.agency[0].code == str(mapped.agencies.get(code="bappenda").pk)
    ktp = api.suggest(mapped, "KTP saya hilang, cetak ulang dimana")
    assert ktp.agency[0].code == str(mapped.agencies.get(code="disdukcapil").pk)
    assert ktp.agency[0].label.startswith("Dinas Kependudukan")


@pytest.mark.django_db
def test_retraining_picks_up_a_corrected_service_type(mapped, users):
    officer = users["petugas"]
    text = "mau urus izin sarang burung walet di kebun, syaratnya apa"
    galian = mapped.service_types.get(code="galian_c")
    first = train_office_model(mapped, cross_validate=False)
    before = api.suggest(mapped, text)
    assert before.model_version == first.version
    before_conf = next((r.confidence for r in before.service_type if r.code == str(galian.pk)),
                       0.0)
    oss = mapped.service_types.get(code="oss_nib")
    for i in range(4):
        case = register_complaint(
            mapped, subject="Izin sarang burung walet",
            description=f"Sarang burung walet di kebun kami ({i}), izinnya bagaimana?",
            service_type=oss, received=dt.datetime(2025, 5, 2 + i, 9, tzinfo=dt.UTC))
        # The officer corrects the service type, then answers and closes the case.
        complaint_set_service_type(complaint_id=case.pk, actor=officer, service_type_id=galian.pk)
        complaint_services.complaint_answer(complaint_id=case.pk, actor=officer,
                                            answer="Izin walet diurus melalui OSS.")
    second = train_office_model(mapped, cross_validate=False)
    assert second.training_size["office"] >= 4
    after = api.suggest(mapped, text)
    assert after.model_version == second.version
    assert after.service_type[0].code == str(galian.pk)
    assert after.service_type[0].confidence > before_conf + 0.1
    assert "mirip" in after.service_type[0].reason
    assert any(a.kind == "case" for a in after.answers)
    assert TriageModel.objects.filter(office=mapped, is_active=True).count() == 1


@pytest.mark.django_db
def test_scheduled_retraining_trains_only_when_due(mapped):
    assert list(retrain_due()) == [mapped.code]
    assert retrain_due() == {}
    assert TriageModel.objects.filter(office=mapped).count() == 1


@pytest.mark.django_db
def test_admin_shows_version_size_accuracy_and_retrains(mapped, admin_client):
    row = train_office_model(mapped, cross_validate=True)
    assert set(row.cv_accuracy) >= {"intent", "category", "authority"}
    url = reverse("admin:triage_triagemodel_changelist")
    page = admin_client.get(url).content.decode()
    assert row.version in page
    assert f"intent {row.cv_accuracy['intent']:.0%}" in page
    assert str(row.training_size["total"]) in page
    response = admin_client.post(reverse("admin:triage_triagemodel_train"))
    assert response.status_code == 302
    newest = TriageModel.objects.filter(office=mapped, is_active=True).get()
    assert newest.version != row.version
    detail = admin_client.get(reverse("admin:triage_triagemodel_change", args=[newest.pk]))
    assert newest.version in detail.content.decode()


@pytest.mark.django_db
def test_duplicates_and_automatic_answers_are_not_offered_as_case_answers(mapped, users):
    from aduan.triage.services import history_examples, mapping_for

    officer = users["petugas"]

    def answered(text: str, data: dict | None = None):  # type: ignore[no-untyped-def]
        case = register_complaint(mapped, subject="Syarat izin", description=text)
        complaint_services.complaint_answer(complaint_id=case.pk, actor=officer,
                                            answer=f"Jawaban untuk: {text}", data=data)
        return case

    kept = answered("Syarat izin toko obat apa saja?")
    duplicate = answered("Syarat izin toko obat apa saja ya?", {"duplicate_of": "1/2025"})
    automatic = answered("Syarat izin apotek?", {"automatic": True})
    _examples, answers = history_examples(mapped, mapping_for(mapped, fresh=True))
    refs = {a.ref for a in answers if a.kind == "case"}
    assert str(kept.pk) in refs
    assert str(duplicate.pk) not in refs and str(automatic.pk) not in refs
