"""Desk forms: one per case action, the manual recording form and the register period.

Forms only parse and validate input; the services in complaints.services decide whether the
step is allowed and write it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from aduan.complaints.attachments import MAX_ATTACHMENT_NOTE, MAX_ATTACHMENTS
from aduan.complaints.workflow import Action
from aduan.offices.models import Channel, Classification, Office, ReferralAgency, ServiceType, Unit
from aduan.offices.selectors import office_selects, offices_routable_from

YES_NO = [("1", _("Ya")), ("0", _("Tidak"))]


def _text(label: str, *, required: bool = True, rows: int = 4) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=20_000,
                           widget=forms.Textarea(attrs={"rows": rows}))


class VerifyForm(forms.Form):
    """Formulir Tindak Lanjut, section C: documents seen, authority, conclusion."""

    ktp_seen = forms.BooleanField(label=_("Fotokopi KTP pelapor"), required=False)
    kk_seen = forms.BooleanField(label=_("Fotokopi Kartu Keluarga"), required=False)
    power_of_attorney_seen = forms.BooleanField(
        label=_("Surat kuasa (bila tidak diajukan sendiri)"), required=False)
    chronology_present = forms.BooleanField(label=_("Kronologis permasalahan"), required=False)
    within_authority = forms.TypedChoiceField(
        label=_("Materi pengaduan merupakan kewenangan kantor ini"), choices=YES_NO,
        coerce=lambda v: v == "1", widget=forms.RadioSelect, initial="1")
    meets_requirements = forms.TypedChoiceField(
        label=_("Kesimpulan: memenuhi syarat untuk ditindaklanjuti"), choices=YES_NO,
        coerce=lambda v: v == "1", widget=forms.RadioSelect, initial="1")
    note = _text(_("Catatan verifikasi (wajib bila tidak memenuhi syarat: kelengkapan yang "
                   "diminta)"), required=False, rows=3)
    note.help_text = _(
        "Catatan ini tampil untuk pelapor pada riwayat pengaduan (halaman Lihat pengaduan di "
        "portal) segera setelah verifikasi disimpan. Hal yang tidak untuk pelapor tulis di "
        "\u201cCatatan internal\u201d.")


class NoteRequiredForm(forms.Form):
    note = _text(_("Catatan"))


class NoteOptionalForm(forms.Form):
    note = _text(_("Catatan"), required=False, rows=3)


class RequestCompletionForm(forms.Form):
    note = _text(_("Kelengkapan yang harus dipenuhi pelapor"))


class RequestDocumentsForm(forms.Form):
    note = _text(_("Dokumen yang harus dikirim pelapor"))
    note.help_text = _(
        "Pelapor diberi tahu lewat salurannya dan diberi waktu 30 hari (UU 25/2009). Status "
        "dan disposisi tidak berubah; bila batas lewat, pengaduan tetap ditindaklanjuti "
        "dengan dokumen yang ada.")


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Kelengkapan tidak dipenuhi dalam batas waktu; anggap pengaduan dicabut"))


class ReferForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Instansi yang berwenang"),
                                    queryset=ReferralAgency.objects.none())
    reply = _text(_("Jawaban kepada pelapor (ke mana harus menghubungi)"))
    findings = _text(_("Hasil pemeriksaan (untuk laporan)"), required=False, rows=2)

    def __init__(self, *args: object, office: Office, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["agency"].queryset = ReferralAgency.objects.filter(  # type: ignore[attr-defined]
            office=office, is_active=True)
        _memo_choices(self, "agency", office_selects(office.pk).agencies)


def _memo_choices(form: forms.Form, name: str, pairs: Sequence[tuple[int, str]]) -> None:
    """An unbound form (the case page's GET) shows the select from the office's memoised
    (id, name) pairs instead of running its queryset; a submitted form still validates
    against the queryset."""
    if form.is_bound:
        return
    field = form.fields[name]
    empty = field.empty_label  # type: ignore[attr-defined]
    field.choices = ([("", empty)] if empty is not None else []) + list(pairs)  # type: ignore[attr-defined]


class ForwardForm(forms.Form):
    """Forward the case to another office of the instance (complaints/transfers.py)."""

    to_office = forms.ModelChoiceField(label=_("Instansi tujuan"),
                                       queryset=Office.objects.none())
    reason = _text(_("Alasan diteruskan (disampaikan kepada pelapor)"), rows=3)
    confirm = forms.BooleanField(
        label=_("Saya mengerti: pengaduan beserta riwayat dan lampirannya dipindahkan ke "
                "instansi tujuan, mendapat nomor register baru di sana, dan tidak lagi terlihat "
                "oleh kantor ini."))

    def __init__(self, *args: object, office: Office, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["to_office"].queryset = (  # type: ignore[attr-defined]
            Office.objects.filter(is_active=True).exclude(pk=office.pk).order_by("name"))
        self.office_id = office.pk

    def suggest(self, authorities: Sequence[str]) -> None:
        """Offices whose authority the triage suggestion ranks come first, marked (from the
        memoised list of offices: no query)."""
        field = self.fields["to_office"]
        offices = list(offices_routable_from(self.office_id))
        rank = {code: n for n, code in enumerate(authorities)}
        offices.sort(key=lambda o: (rank.get(o.authority, len(rank)), o.name))
        suggested = {o.pk for o in offices if o.authority in rank}
        field.choices = [("", "---------")] + [  # type: ignore[attr-defined]
            (o.pk, format_lazy("{} ({})", o.name, _("disarankan")) if o.pk in suggested
             else o.name) for o in offices]


class RefuseForwardForm(forms.Form):
    reason = _text(_("Alasan penolakan (disampaikan kepada pelapor dan kantor pengirim)"),
                   rows=3)


class AnswerForm(forms.Form):
    answer = _text(_("Jawaban kepada pelapor"))
    findings = _text(_("Hasil pemeriksaan (untuk laporan)"), required=False, rows=2)


class _UnitForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Bidang tujuan"), queryset=Unit.objects.none())
    note = _text(_("Catatan disposisi"), required=False, rows=3)

    def __init__(self, *args: object, office: Office, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            office=office, is_active=True, is_complaint_team=False)
        _memo_choices(self, "unit", office_selects(office.pk).units)


class ProposeDispositionForm(_UnitForm):
    pass


class DisposeForm(_UnitForm):
    def __init__(self, *args: object, office: Office, **kwargs: object) -> None:
        super().__init__(*args, office=office, **kwargs)
        self.fields["unit"].required = False
        self.fields["unit"].help_text = _("Kosongkan untuk menyetujui bidang yang diusulkan.")


class ReturnDispositionForm(forms.Form):
    note = _text(_("Alasan usulan dikembalikan"))


class ClarifyForm(forms.Form):
    clarification = _text(_("Klarifikasi bidang teknis"), rows=5)


class FollowUpForm(forms.Form):
    note = _text(_("Uraian tindak lanjut"))
    fault = forms.ChoiceField(label=_("Penyebab masalah"), required=False, choices=[
        ("", _("Belum diketahui / tidak relevan")),
        ("applicant", _("Persyaratan pemohon belum lengkap")),
        ("office", _("Kesalahan pada kantor (diperbaiki bidang)")),
    ])
    internal_meeting_on = forms.DateField(
        label=_("Tanggal rapat intern"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    meeting_participants = forms.CharField(
        label=_("Peserta rapat intern (kepala, sekretaris, bidang)"), required=False,
        max_length=1000)
    technical_team = forms.CharField(label=_("Tim teknis lintas instansi / SKPD"),
                                     required=False, max_length=1000)


class RespondForm(forms.Form):
    response = _text(_("Tanggapan kepada pelapor (dikirim melalui saluran pelapor)"))
    findings = _text(_("Hasil pemeriksaan (untuk laporan)"), required=False, rows=2)


class ConcludeForm(forms.Form):
    proven = forms.TypedChoiceField(
        label=_("Hasil pemeriksaan"), widget=forms.RadioSelect, coerce=lambda v: v == "1",
        choices=[("1", _("Terbukti")), ("0", _("Tidak terbukti"))])
    conclusion = _text(_("Kesimpulan"))


class ReopenForm(forms.Form):
    reason = _text(_("Alasan dibuka kembali"))


class NoteForm(forms.Form):
    body = _text(_("Catatan internal (tidak terlihat oleh pelapor)"), rows=3)


# Action (or "note") -> form class. The order is the order on the case page.
ACTION_FORMS: dict[str, type[forms.Form]] = {
    Action.VERIFY: VerifyForm,
    Action.REQUEST_COMPLETION: RequestCompletionForm,
    Action.COMPLETE: NoteOptionalForm,
    Action.WITHDRAW: WithdrawForm,
    Action.REFER: ReferForm,
    Action.ANSWER: AnswerForm,
    Action.PROPOSE_DISPOSITION: ProposeDispositionForm,
    Action.DISPOSE: DisposeForm,
    Action.RETURN_DISPOSITION: ReturnDispositionForm,
    Action.CLARIFY: ClarifyForm,
    Action.FOLLOW_UP: FollowUpForm,
    Action.RESPOND: RespondForm,
    Action.CONCLUDE: ConcludeForm,
    Action.CLOSE: NoteOptionalForm,
    Action.REOPEN: ReopenForm,
    Action.REQUEST_DOCUMENTS: RequestDocumentsForm,
    Action.DOCUMENTS_RECEIVED: NoteOptionalForm,
    Action.FORWARD: ForwardForm,
    Action.REFUSE_FORWARD: RefuseForwardForm,
    "note": NoteForm,
}
OFFICE_FORMS = (ReferForm, ProposeDispositionForm, DisposeForm, ForwardForm)


def action_form(action: str, office: Office, data: object = None,
                initial: dict | None = None) -> forms.Form:
    cls = ACTION_FORMS[action]
    kwargs: dict = {"data": data, "initial": initial, "prefix": action}
    if cls in OFFICE_FORMS:
        kwargs["office"] = office
    return cls(**kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; their content is checked by the service."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self, data: object, initial: object = None) -> object:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return super().clean(data, initial)


class RecordForm(forms.Form):
    """A complaint received at the desk, by phone, letter, suggestion box or social media."""

    channel = forms.ModelChoiceField(label=_("Saluran pengaduan"), queryset=Channel.objects.none())
    received_at = forms.DateTimeField(
        label=_("Tanggal dan jam diterima"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"])
    classification = forms.ChoiceField(label=_("Klasifikasi"), choices=Classification.choices,
                                       initial=Classification.COMPLAINT)
    subject = forms.CharField(label=_("Perihal"), max_length=300, required=False,
                              help_text=_("Kosongkan untuk memakai baris pertama isi pengaduan."))
    description = _text(_("Isi pengaduan"), rows=6)
    service_type = forms.ModelChoiceField(label=_("Jenis perizinan / layanan"), required=False,
                                          queryset=ServiceType.objects.none())
    company_name = forms.CharField(label=_("Nama perusahaan"), max_length=200, required=False)
    location = forms.CharField(
        label=_("Lokasi kejadian"), max_length=300, required=False,
        help_text=_("Tempat yang diadukan, misalnya alamat usaha atau nama desa. Bila "
                    "dikosongkan, lokasi tetap kosong (tidak diisi otomatis)."))
    is_by_proxy = forms.BooleanField(label=_("Diajukan oleh kuasa (dengan surat kuasa)"),
                                     required=False)
    lapor_tracking_id = forms.CharField(label=_("Nomor tiket SP4N-LAPOR! (bila ada)"),
                                        max_length=50, required=False)
    # The form's single-use key (complaints.submissions): a double click or a resent POST
    # opens the complaint already recorded instead of recording it twice.
    submission_token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    # Checked by content in the service; the field only carries the files.
    attachments = MultipleFileField(
        label=_("Lampiran (surat, pindaian formulir, tangkapan layar)"), required=False,
        help_text=_("PDF, JPG, PNG, WebP, DOCX atau XLSX; maksimal 5 berkas."))
    # Reporter (pelapor).
    reporter_name = forms.CharField(label=_("Nama pelapor"), max_length=200, required=False)
    reporter_nik = forms.CharField(label=_("NIK"), max_length=20, required=False)
    reporter_address = forms.CharField(label=_("Alamat"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))
    reporter_occupation = forms.CharField(label=_("Pekerjaan"), max_length=200, required=False)
    reporter_phone = forms.CharField(label=_("Nomor telepon / WhatsApp"), max_length=30,
                                     required=False)
    reporter_email = forms.EmailField(label=_("E-mail"), required=False)
    is_anonymous = forms.BooleanField(label=_("Anonim (identitas tidak disimpan)"),
                                      required=False)
    is_confidential = forms.BooleanField(
        label=_("Rahasiakan identitas (hanya petugas pengaduan yang melihat)"), required=False)
    consent = forms.BooleanField(
        label=_("Pelapor menyetujui data pribadinya diproses untuk penanganan pengaduan"),
        required=False)

    OPTIONAL_MARKED = ("subject", "service_type", "company_name", "location", "attachments",
                       "reporter_nik", "reporter_occupation")

    def __init__(self, *args: object, office: Office, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["channel"].queryset = Channel.objects.filter(  # type: ignore[attr-defined]
            office=office, is_active=True)
        self.fields["service_type"].queryset = ServiceType.objects.filter(  # type: ignore[attr-defined]
            office=office, is_active=True)
        if not self.is_bound:
            self.initial.setdefault("received_at", timezone.localtime().replace(
                second=0, microsecond=0))
        # The form says what may be left empty.
        for name in self.OPTIONAL_MARKED:
            field = self.fields[name]
            field.label = format_lazy("{} ({})", field.label, _("opsional"))

    def clean(self) -> dict:
        data = super().clean() or {}
        if not data.get("is_anonymous") and not data.get("reporter_name"):
            self.add_error("reporter_name",
                           _("Isi nama pelapor, atau tandai pengaduan sebagai anonim."))
        if not data.get("is_anonymous") and not (data.get("reporter_phone")
                                                 or data.get("reporter_email")
                                                 or data.get("reporter_address")):
            self.add_error("reporter_phone",
                           _("Isi paling sedikit satu kontak pelapor (telepon, e-mail atau "
                             "alamat) agar tanggapan dapat disampaikan."))
        return data


class AttachmentAddForm(forms.Form):
    """Documents added to an existing case. The service checks their content and the limits;
    the form reports the files the upload handler skipped as too large."""

    files = MultipleFileField(
        label=_("Berkas"), required=False,
        widget=MultipleFileInput(attrs={
            "accept": ".pdf,.jpg,.jpeg,.png,.webp,.docx,.xlsx,application/pdf,image/*"}))
    note = forms.CharField(
        label=_("Keterangan (opsional)"), required=False, max_length=MAX_ATTACHMENT_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Misalnya: fotokopi izin yang kurang, dibawa pelapor ke meja pengaduan."))

    def __init__(self, *args: object, oversized: Sequence[str] = (), **kwargs: object) -> None:
        kwargs.setdefault("prefix", "attach")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.oversized = list(oversized)
        self.fields["files"].help_text = _(
            "PDF, JPG, PNG, WebP, DOCX atau XLSX; paling banyak %(n)s berkas sekaligus, "
            "masing-masing maksimal %(mb)s MB.") % {
            "n": MAX_ATTACHMENTS, "mb": settings.ADUAN_MAX_ATTACHMENT_BYTES // (1024 * 1024)}

    def clean(self) -> dict:
        data = super().clean() or {}
        for name in self.oversized:
            self.add_error("files", _("Berkas \u201c%(name)s\u201d terlalu besar (maksimal "
                                      "%(max)s MB).") % {
                "name": name, "max": settings.ADUAN_MAX_ATTACHMENT_BYTES // (1024 * 1024)})
        if not self.oversized and not data.get("files") and "files" not in self.errors:
            self.add_error("files", _("Pilih setidaknya satu berkas."))
        return data


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("Dari tanggal"),
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=_("Sampai tanggal"),
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    MAX_DAYS = 366

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(
                    _("Tanggal akhir tidak boleh sebelum tanggal awal."))
            if (end - start) > dt.timedelta(days=self.MAX_DAYS):
                raise forms.ValidationError(_("Periode paling panjang satu tahun."))
        return data
