"""The demo configuration: DPMPTSP Kabupaten Bengkalis, as its semester report describes it."""

from __future__ import annotations

from django.db import transaction

from aduan.offices.models import (
    Channel,
    ChannelKind,
    Office,
    ReferralAgency,
    ServiceType,
    Unit,
)

OFFICE = {
    "code": "dpmptsp-bengkalis",
    "name": "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Bengkalis",
    "short_name": "DPMPTSP Kabupaten Bengkalis",
    "government_name": "PEMERINTAH KABUPATEN BENGKALIS",
    "city": "Bengkalis",
    "address": "Jl. Perwira No. Bengkalis",
    "postal_code": "28751",
    "phone": "081268610005",
    "fax": "0766-23615",
    "email": "dpmptsp@bengkaliskab.go.id",
    "website": "dpmptsp.bengkaliskab.go.id",
    "office_hours": "Senin–Kamis 08.00–16.00 WIB, Jumat 08.00–16.30 WIB",
    "head_title": "KEPALA DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU "
                  "KABUPATEN BENGKALIS",
    "head_name": "MUHAMMAD THAIB, S.H. M.H",
    "head_rank": "PEMBINA (IV/a)",
    "head_nip": "197809122010011003",
    "register_number_pattern": "500.16.7.2/{seq}/DPMPTSP/{year}",
    # Its label in the triage taxonomy, so routing in a regency ranks it (decision 0013).
    "authority": "dpmptsp",
}

UNITS = [
    ("pengaduan", "Substansi Pengaduan, Kebijakan dan Pelaporan Layanan", True),
    ("perizinan-a", "Bidang Perizinan A", False),
    ("perizinan-b", "Bidang Perizinan B", False),
    ("rekomendasi", "Bidang Rekomendasi", False),
    ("sekretariat", "Sekretariat", False),
    ("fungsional", "Jabatan Fungsional Penata Perizinan", False),
]

# Tabel 1 order, then the letter and Facebook (SPEC §2).
CHANNELS = [
    ("kotak_pengaduan", "Kotak Pengaduan", ChannelKind.MANUAL, "Kantor DPMPTSP Kabupaten Bengkalis"),
    ("meja_pengaduan", "Meja Pengaduan/Formulir Pengaduan", ChannelKind.MANUAL,
     "Jl. Perwira No. Bengkalis"),
    ("website", "Website", ChannelKind.WEB, "dpmptsp.bengkaliskab.go.id"),
    ("email_kantor", "E-mail Kantor", ChannelKind.EMAIL, "dpmptsp@bengkaliskab.go.id"),
    ("email_pengaduan", "E-mail Pengaduan", ChannelKind.EMAIL, "pengaduan.dpmpspbks@gmail.com"),
    ("instagram", "Instagram (IG)", ChannelKind.SOCIAL, "dpmpptsp_kab.bengkalis"),
    ("telepon_kantor", "Telepon Kantor", ChannelKind.MANUAL, "081268610005"),
    ("sms_wa", "SMS / WA", ChannelKind.WHATSAPP, "081268610005"),
    ("media_online", "Situs Media Online", ChannelKind.MANUAL, ""),
    ("sp4n_lapor", "Aplikasi SP4NLAPOR!", ChannelKind.LAPOR, "SMS BENGKALIS<spasi>ADUAN ke 1708"),
    ("surat", "Surat", ChannelKind.MANUAL, "Jl. Perwira No. Bengkalis, Kode Pos 28751"),
    ("facebook", "Facebook", ChannelKind.SOCIAL, "Dpmpptsp Kabupaten Bengkalis"),
]
IN_REPORT = {code for code, *_ in CHANNELS[:10]}

SERVICE_TYPES = [
    ("sip_bidan", "SIP Bidan", "perizinan-a", "sip bidan, bidan, praktik bidan"),
    ("sip_perawat", "SIP Perawat", "perizinan-a", "sip perawat, perawat"),
    ("sip_dokter_gigi", "SIP Dokter Gigi", "perizinan-a", "dokter gigi, praktek dokter"),
    ("sip_nakes", "SIP Tenaga Kesehatan Lainnya", "perizinan-a",
     "sip, sipa, teknisi, tenaga kesehatan, nakes"),
    ("apotek", "Izin Apotek", "perizinan-a", "apotek, apotik, farmasi"),
    ("toko_obat", "Izin Toko Obat", "perizinan-a", "toko obat"),
    ("oss_nib", "Perizinan Berusaha (OSS/NIB)", "perizinan-b", "oss, nib, kbli, izin usaha"),
    ("pbg_imb", "PBG/IMB", "perizinan-b", "pbg, imb, bangunan, simbg"),
    ("izin_penelitian", "Izin Penelitian", "rekomendasi", "penelitian, riset, research"),
    ("epinter", "Akun dan Akses e-Pinter", "pengaduan", "epinter, e-pinter, login, akun"),
    ("mpp", "Layanan Mal Pelayanan Publik (MPP)", "sekretariat", "mpp, mal pelayanan"),
    ("galian_c", "Izin Pertambangan (Galian C)", "perizinan-b", "galian c, tambang, timbun"),
]

AGENCIES = [
    ("bappenda", "Badan Pendapatan Daerah (Bappenda) Kabupaten Bengkalis",
     "BPHTB, PBB, pajak daerah", "bphtb, pbb, pajak daerah",
     "Mohon maaf, hal ini bukan kewenangan DPMPTSP. Silakan menghubungi Bappenda Kabupaten "
     "Bengkalis untuk BPHTB dan pajak daerah."),
    ("dpmptsp_riau", "DPMPTSP Provinsi Riau", "Perizinan dan rekomendasi kewenangan provinsi",
     "provinsi, riau", "Untuk hal ini silakan menghubungi layanan pengaduan DPMPTSP Provinsi "
     "Riau."),
    ("dlh", "Dinas Lingkungan Hidup Kabupaten Bengkalis", "Izin limbah B3, TPS limbah, "
     "lingkungan", "limbah, b3, tps, lingkungan",
     "Izin limbah B3 bukan kewenangan DPMPTSP; silakan langsung ke Dinas Lingkungan Hidup."),
    ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil (Disdukcapil)",
     "KK, KTP-el, akta", "kk, kartu keluarga, ktp, akta",
     "Kartu Keluarga dapat diurus di MPP pada Gerai Disdukcapil."),
    ("bpjs_kesehatan", "BPJS Kesehatan", "Kepesertaan dan status BPJS Kesehatan",
     "bpjs, jkn", "Untuk BPJS Kesehatan silakan langsung ke loket BPJS Kesehatan di lantai 2 "
     "MPP Bengkalis."),
    ("kementerian", "Kementerian teknis (kewenangan pusat melalui OSS)",
     "KBLI kewenangan kementerian", "kbli, kementerian, pusat",
     "KBLI tersebut termasuk kewenangan kementerian; silakan lacak prosesnya melalui akun OSS."),
    ("samsat", "UPT Samsat Bengkalis", "Pajak kendaraan bermotor", "samsat, pajak kendaraan",
     "Pelayanan pajak kendaraan dilayani oleh Samsat; di MPP pada jadwal yang ditentukan."),
    ("bpn", "Kantor Pertanahan (BPN) Kabupaten Bengkalis", "Sertifikat tanah",
     "sertifikat, tanah, bpn", "Sertifikat tanah diurus di Kantor Pertanahan (BPN)."),
]


@transaction.atomic
def load_demo_office() -> Office:
    """Create or update the demo office and its configuration; idempotent."""
    office, _ = Office.objects.update_or_create(code=OFFICE["code"], defaults=OFFICE)
    units = {}
    for order, (code, name, team) in enumerate(UNITS):
        units[code], _ = Unit.objects.update_or_create(
            office=office, code=code,
            defaults={"name": name, "is_complaint_team": team, "order": order})
    for order, (code, name, kind, contact) in enumerate(CHANNELS, start=1):
        Channel.objects.update_or_create(
            office=office, code=code,
            defaults={"name": name, "kind": kind, "contact": contact, "order": order,
                      "in_report": code in IN_REPORT})
    for code, name, unit, keywords in SERVICE_TYPES:
        ServiceType.objects.update_or_create(
            office=office, code=code,
            defaults={"name": name, "default_unit": units[unit], "keywords": keywords})
    for code, name, topics, keywords, text in AGENCIES:
        ReferralAgency.objects.update_or_create(
            office=office, code=code,
            defaults={"name": name, "topics": topics, "keywords": keywords,
                      "referral_text": text})
    return office
