"""`api.suggest` on an office: taxonomy fields, the office's terms, answers."""

import pytest

from aduan.triage import api, taxonomy


@pytest.mark.django_db
def test_suggest_on_a_new_office_without_history(office):
    from aduan.portal.demo import load_demo_faq

    load_demo_faq(office)
    result = api.suggest(office, "Sy mau perpanjangan SIP bidan gmn caranya pak?", channel="whatsapp")
    assert isinstance(result, api.Suggestions)
    assert result.model_version.startswith(office.code)
    for field in taxonomy.FIELDS:
        ranked = getattr(result, field)
        assert len(ranked) == 3 and len({r.code for r in ranked}) == 3
        assert all(0.0 <= r.confidence <= 1.0 and r.reason and r.label for r in ranked)
    assert result.category[0].code == "nakes"
    assert "sip" in result.category[0].reason
    sip = office.service_types.get(code="sip_bidan")
    assert result.service_type[0].code == str(sip.pk)
    assert result.service_type[0].label == sip.name
    assert result.unit[0].code == "perizinan-a"
    assert result.agency == []
    assert result.answers and all(a.kind in {"faq", "case"} and a.text for a in result.answers)


@pytest.mark.django_db
def test_suggest_names_the_agency_when_not_ours(office):
    result = api.suggest(office, "mau tanya BPJS kesehatan saya nonaktif, ngurusnya dimana")
    assert result.authority[0].code == "bpjs"
    assert result.intent[0].code == "bukan_kewenangan"
    bpjs = office.agencies.get(code="bpjs_kesehatan")
    assert result.agency and result.agency[0].code == str(bpjs.pk)
