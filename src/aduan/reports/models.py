"""The office's editable report texts and the generated-report jobs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from aduan.core.models import BaseModel

# Above this many complaints in the period, Tabel 3 goes to an XLSX annex and the document
# summarises it (a per-office field overrides it; settings give the default).
DEFAULT_TABLE3_MAX_ROWS = getattr(settings, "ADUAN_REPORT_TABLE3_MAX_ROWS", 300)

TEXT_HELP = _("Paragraf dipisah baris kosong. Baris berawalan '- ' menjadi butir daftar, "
              "'## ' menjadi subjudul. Penanda: {periode}, {tahun}, {jumlah}, {kantor}, "
              "{singkatan}.")


class ReportProfile(BaseModel):
    """The texts of the semester report (chapters, foreword, obstacles and efforts, closing)
    that the office edits; the tables and the chart are generated from the data."""

    office = models.OneToOneField("offices.Office", on_delete=models.PROTECT,
                                  related_name="report_profile")
    report_title = models.CharField(
        _("judul laporan"), max_length=300,
        default="Laporan Hasil Monitoring dan Evaluasi Penanganan Pengaduan")
    foreword = models.TextField(_("kata pengantar"), blank=True, help_text=TEXT_HELP)
    background = models.TextField(_("1.1 latar belakang"), blank=True, help_text=TEXT_HELP)
    legal_basis = models.TextField(_("1.2 dasar hukum"), blank=True, help_text=TEXT_HELP)
    purpose = models.TextField(_("1.3 maksud dan tujuan"), blank=True, help_text=TEXT_HELP)
    targets = models.TextField(_("2.1 sasaran"), blank=True, help_text=TEXT_HELP)
    scope = models.TextField(_("2.2 ruang lingkup"), blank=True, help_text=TEXT_HELP)
    definitions = models.TextField(_("2.3 pengertian"), blank=True, help_text=TEXT_HELP)
    activities = models.TextField(_("2.4 kegiatan penanganan pengaduan (A-G)"), blank=True,
                                  help_text=TEXT_HELP)
    report_intro = models.TextField(_("2.4 H. pengantar tabel"), blank=True,
                                    help_text=TEXT_HELP)
    obstacles = models.TextField(_("BAB III hambatan"), blank=True, help_text=TEXT_HELP)
    efforts = models.TextField(_("BAB III upaya"), blank=True, help_text=TEXT_HELP)
    closing = models.TextField(_("BAB IV penutup"), blank=True, help_text=TEXT_HELP)
    signatory_prefix = models.CharField(
        _("awalan jabatan penanda tangan"), max_length=50, blank=True,
        help_text=_("Misalnya 'Plt.' atau 'DIT.'; kosong bila kepala dinas sendiri."))
    table3_max_rows = models.PositiveIntegerField(
        _("batas baris Tabel 3 di dokumen"), default=DEFAULT_TABLE3_MAX_ROWS,
        help_text=_("Di atas batas ini Tabel 3 menjadi lampiran XLSX dan dokumen meringkasnya."))

    class Meta:
        verbose_name = _("teks laporan kantor")
        verbose_name_plural = _("teks laporan kantor")

    def __str__(self) -> str:
        return str(self.office)


class ReportKind(models.TextChoices):
    SEMESTER_DOCX = "semester_docx", _("Laporan semester (DOCX)")
    SEMESTER_PDF = "semester_pdf", _("Laporan semester (PDF)")
    SEMESTER_ANNEX = "semester_annex", _("Lampiran Tabel 3 (XLSX)")
    MONTHLY_PDF = "monthly_pdf", _("Laporan bulanan (PDF)")
    MONTHLY_XLSX = "monthly_xlsx", _("Laporan bulanan (XLSX)")
    REGISTER_XLSX = "register_xlsx", _("Buku register (XLSX)")
    REGISTER_PDF = "register_pdf", _("Buku register (PDF)")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Sedang dibuat")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class ReportJob(BaseModel):
    """One requested document, built in the background; progress is polled by the page."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT,
                               related_name="report_jobs")
    kind = models.CharField(_("jenis"), max_length=30, choices=ReportKind.choices)
    period_start = models.DateField(_("dari tanggal"))
    period_end = models.DateField(_("sampai tanggal"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("diminta oleh"))
    status = models.CharField(_("status"), max_length=20, choices=JobStatus.choices,
                              default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    step = models.CharField(_("langkah"), max_length=200, blank=True)
    file = models.FileField(_("berkas"), upload_to="reports/%Y/%m/", blank=True)
    file_name = models.CharField(_("nama berkas"), max_length=200, blank=True)
    error = models.TextField(_("kesalahan"), blank=True)
    rows = models.PositiveIntegerField(_("jumlah pengaduan"), null=True, blank=True)
    seconds = models.FloatField(_("lama pembuatan (detik)"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("pembuatan laporan")
        verbose_name_plural = _("pembuatan laporan")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")),
                                   name="report_job_period_ordered"),
            models.CheckConstraint(condition=Q(progress__lte=100),
                                   name="report_job_progress_max_100"),
        ]
        indexes = [models.Index(fields=["office", "-created_at"], name="report_job_recent")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_start}–{self.period_end}"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
