"""The demo office's frequent questions, taken from the answers in Tabel 3 of the seed report
(Semester I 2025): most of its 32 cases were these questions."""

from __future__ import annotations

from aduan.offices.models import Office
from aduan.portal.models import FaqEntry

FAQS: list[tuple[str, str, str, str]] = [
    ("sip-online", "Bagaimana cara mengurus atau memperpanjang SIP (Surat Izin Praktik)?",
     "Pendaftaran dan perpanjangan SIP (bidan, perawat, dokter, dokter gigi, apoteker dan "
     "tenaga kesehatan lain) dilakukan secara online di https://epinter.bengkaliskab.go.id. "
     "Buat username dan password terlebih dahulu. Tanpa menunggu verifikasi SMS atau e-mail, "
     "langsung masuk (log in) dengan username dan password tersebut, lalu unggah berkas "
     "persyaratan.",
     "sip izin praktik bidan perawat dokter gigi apoteker perpanjangan daftar online epinter"),
    ("sip-cek-terdaftar", "Bagaimana mengetahui SIP saya sudah terdaftar atau belum?",
     "Gunakan menu tracking di https://epinter.bengkaliskab.go.id atau masuk ke akun Anda. "
     "Jika belum terdaftar, lakukan pendaftaran online dan unggah berkas melalui e-Pinter.",
     "sip terdaftar cek tracking status permohonan epinter nomor pendaftaran"),
    ("epinter-error", "Aplikasi e-Pinter tidak bisa dibuka atau error. Apa yang harus saya "
     "lakukan?",
     "Gangguan e-Pinter biasanya hanya sementara. Coba buka kembali beberapa saat lagi dan "
     "periksa secara berkala. Jika masih tidak bisa diakses, kirim pengaduan dengan tangkapan "
     "layar (screenshot) pesan kesalahannya agar petugas dapat membantu.",
     "epinter error tidak bisa dibuka akses gangguan situs down website"),
    ("epinter-upload", "Berkas tidak terunggah di e-Pinter, padahal sudah diunggah. Kenapa?",
     "Periksa ukuran berkas. Berkas yang terlalu besar tidak akan terunggah; kompres berkas "
     "(misalnya menjadi sekitar 200 KB) lalu unggah kembali.",
     "upload unggah berkas gagal ukuran kompres data tidak terupload epinter"),
    ("oss-nib", "Izin apa yang diurus melalui OSS? Bagaimana dengan apotek dan toko obat?",
     "Perizinan berusaha berbasis risiko (NIB, izin apotek, toko obat dan lainnya) diajukan "
     "melalui https://oss.go.id. Status verifikasi dapat dilacak dari akun OSS Anda. Jika "
     "verifikasi lama tertunda, kirim pengaduan dengan tangkapan layar status di OSS.",
     "oss nib apotek toko obat perizinan berusaha verifikasi kbli survei"),
    ("oss-kbli-kementerian", "Siapa verifikator izin untuk KBLI yang menjadi kewenangan "
     "kementerian?",
     "Untuk KBLI yang menjadi kewenangan kementerian (misalnya 36001 Penampungan, Penjernihan "
     "dan Penyaluran Air Minum), verifikasi persyaratan dilakukan oleh kementerian. Lacak "
     "prosesnya melalui akun OSS Anda.",
     "kbli kementerian verifikator oss kewenangan pusat"),
    ("pbg-imb", "Bagaimana mengurus IMB atau PBG (Persetujuan Bangunan Gedung)?",
     "IMB kini menjadi PBG dan diajukan melalui SIMBG di https://simbg.pu.go.id. Petugas kami "
     "dapat membantu bila Anda mengalami kesulitan.",
     "imb pbg bangunan gedung simbg spbu"),
    ("izin-penelitian", "Apakah surat izin penelitian (riset) masih diurus di DPMPTSP?",
     "Tidak lagi. Datang langsung ke tempat penelitian dengan membawa surat rekomendasi dari "
     "kampus atau lembaga Anda. Permohonan lama yang sudah terdaftar dapat dicek melalui "
     "tracking e-Pinter.",
     "izin penelitian riset surat rekomendasi kampus mahasiswa"),
    ("jam-layanan", "Kapan jam layanan kantor? Kapan saya bisa mengambil izin yang sudah "
     "terbit?",
     "Layanan buka Senin sampai Kamis pukul 08.00–16.00 WIB dan Jumat pukul 08.00–16.30 WIB, "
     "kecuali hari libur nasional dan cuti bersama. Izin yang sudah terbit dapat diambil pada "
     "jam layanan.",
     "jam buka layanan kantor ambil izin jadwal hari kerja"),
    ("kk-mpp", "Bisakah mengurus KK (Kartu Keluarga) atau KTP di MPP?",
     "Bisa. Kartu Keluarga dan KTP diurus di Gerai Disdukcapil pada Mal Pelayanan Publik (MPP) "
     "Bengkalis. Urusan kependudukan bukan kewenangan DPMPTSP.",
     "kk kartu keluarga ktp capil disdukcapil mpp kependudukan"),
    ("bpjs", "Ke mana mengurus BPJS Kesehatan yang nonaktif?",
     "Urusan BPJS Kesehatan ditangani BPJS Kesehatan, di loket BPJS lantai 2 MPP Bengkalis.",
     "bpjs kesehatan nonaktif kartu iuran"),
    ("limbah-b3", "Di mana mengurus izin TPS limbah B3?",
     "Izin limbah B3 bukan lagi kewenangan DPMPTSP. Silakan mengurusnya di Dinas Lingkungan "
     "Hidup.",
     "limbah b3 tps lingkungan dlh izin lingkungan"),
    ("lama-proses", "Berapa lama pengaduan saya diselesaikan?",
     "Setiap pengaduan diselesaikan paling lambat 20 hari kerja sejak diterima. Pertanyaan "
     "sederhana biasanya dijawab pada hari yang sama. Status dan jawaban dapat dilihat di "
     "halaman Lihat pengaduan dengan kode pelacakan Anda.",
     "lama waktu proses penyelesaian hari kerja status pengaduan"),
    ("sms-format", "Bagaimana mengadu lewat SMS atau WhatsApp?",
     "Kirim pesan ke 0812-6861-0005 dengan format nama#nama perusahaan#jenis perizinan#isi "
     "pengaduan. Pesan bebas juga diterima. Untuk SP4N-LAPOR!, kirim SMS BENGKALIS<spasi>ADUAN "
     "ke 1708.",
     "sms whatsapp wa format lapor 1708"),
]


def load_demo_faq(office: Office) -> int:
    """Create or update the demo questions (idempotent); returns how many exist."""
    for order, (code, question, answer, keywords) in enumerate(FAQS, start=1):
        entry = FaqEntry.objects.filter(office=office, code=code).first() or FaqEntry(
            office=office, code=code)
        entry.question, entry.answer, entry.keywords, entry.order = (
            question, answer, keywords, order)
        entry.save()
    return FaqEntry.objects.filter(office=office).count()
