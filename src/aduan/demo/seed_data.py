"""The 32 complaints of Tabel 3 of the seed report (Semester I 2025), transcribed as data.

Phone numbers in the report are masked (0878-6374-xxxx); the hidden digits here are synthetic
filler so that the demo has complete numbers whose masked form equals the report's.
"""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class SeedCase:
    no: int                      # row number in Tabel 3
    channel: str                 # "meja_pengaduan" | "website" | "sms_wa" | "sp4n_lapor"
    received_on: date            # "Waktu Pengaduan" date
    settled_on: date | None      # "Waktu Penyelesaian" date as printed; None while in process
    subject: str                 # short Indonesian summary of the problem
    description: str             # complaint text as in the report
    findings: str                # "Hasil Pemeriksaan" column
    follow_up: str               # "Tindak Lanjut" column
    outcome: str                 # answered | referred | dispositioned | field_team | in_process
                                 # | lapor_referred
    reporter_name: str = ""
    phone: str = ""              # local format; masked digits filled with synthetic digits
    email: str = ""
    company_name: str = ""
    service_type: str = ""
    agency: str = ""
    address: str = ""
    nik: str = ""
    lapor_tracking_id: str = ""


_WA = "Pengaduan dibalas oleh Petugas Pengaduan via whatsApp"
_WA_LOWER = "Pengaduan dibalas oleh Petugas Pengaduan via whatsapp"


SEED_CASES: tuple[SeedCase, ...] = (
    SeedCase(
        no=1,
        channel="sms_wa",
        received_on=date(2025, 1, 6),
        settled_on=date(2025, 1, 6),
        subject="Syarat dan prosedur pencabutan SIP Perawat",
        description=(
            "Syarat pencabutan SIP Perawat apa saja bapak/ibu? Untuk prosedurnya apa bisa "
            "dilakukan online atau langsung ke MPP bengkalis ya bpk/ibu?"
        ),
        findings=_WA,
        follow_up="Pengaduan membalas untu SIP tidak ada pencabutan",
        outcome="answered",
        phone="087863740037",
        service_type="sip_perawat",
    ),
    SeedCase(
        no=2,
        channel="sms_wa",
        received_on=date(2025, 1, 6),
        settled_on=date(2025, 1, 6),
        subject="Saran membuka layanan pajak kendaraan di MPP karena antrean Samsat penuh",
        description=(
            "Untuk hari ini pelayanan pajak kendaraan buka tak di MPP, soalnya di Samsat antara "
            "udah full no antrian. Untuk jam segini aja udah tak dapat nomor antrian. Kalau bisa "
            "dibuka di MPP pak kasian masyarakat numpuk di samsat. Padahal pelayanan belum buka "
            "tapi antrian udah ramai."
        ),
        findings=_WA,
        follow_up=(
            "Pengaduan membalas baik untuk di MPP jadwal nya pada hari Selasa dan Kamis, untuk "
            "sarannya akan disampaikan terimakasih."
        ),
        outcome="answered",
        phone="085278190074",
        service_type="mpp",
    ),
    SeedCase(
        no=3,
        channel="sms_wa",
        received_on=date(2025, 1, 6),
        settled_on=date(2025, 1, 6),
        subject="SMS verifikasi pendaftaran akun e-Pinter tidak masuk",
        description=(
            "Saya barusan daftar epinter bengkalis. Tapi sampai sekarang tidak ada masuk sms nya."
        ),
        findings=_WA,
        follow_up=(
            "Pengaduan membalas baik untuk pendaftaran tidak perlu tunggu sms atau email. Langsung "
            "saja login menggunakan username dan password yang sudah dibuat."
        ),
        outcome="answered",
        phone="082179640111",
        service_type="epinter",
    ),
    SeedCase(
        no=4,
        channel="sms_wa",
        received_on=date(2025, 1, 8),
        settled_on=date(2025, 1, 14),
        subject="Syarat dan ketentuan BPHTB gratis bagi MBR",
        description="Bisa dibantu untuk syarat dan ketentuan. Agar BPHTB gratis bagi MBR",
        findings=_WA,
        follow_up=(
            "Pengaduan membalas maaf sebelumnya ini bukan kewenangan kita, mungkin bapak bisa ke "
            "Bappenda."
        ),
        outcome="referred",
        reporter_name="Rusnah",
        phone="081371260148",
        agency="bappenda",
    ),
    SeedCase(
        no=5,
        channel="sms_wa",
        received_on=date(2025, 1, 14),
        settled_on=date(2025, 1, 18),
        subject="Aplikasi pengurusan SIP Bidan online dan SMS validasi akun tidak masuk",
        description=(
            "Saya bidan asra ijin bertanya untuk pengurusan sip bidan online melalui aplikasi apa. "
            "Saya sudah daftar akun dari bulan lalu, tapi tidak masuk sms validasi admin, itu "
            "kendalanya dimana ya?"
        ),
        findings=_WA_LOWER,
        follow_up=(
            "Pengaduan membalas baik bu, untuk pengurusan SIP Bidan bisa mendaftar dan upload "
            "berkas melalui epinter.bengkaliskab.go.id Untuk validasi dari sms atau email tidak "
            "perlu ditunggu. Silahkan login dengan username dan password yang di daftarkan."
        ),
        outcome="answered",
        reporter_name="Asra",
        phone="081266910185",
        service_type="sip_bidan",
    ),
    SeedCase(
        no=6,
        channel="sms_wa",
        received_on=date(2025, 1, 14),
        settled_on=date(2025, 1, 14),
        subject="Prosedur pengajuan dan perpanjangan SIP Bidan",
        description=(
            "Saya mau perpanjangan SIP gimana pak? SIP bidan, pengajuannya gimana ya? Kalau "
            "perpanjangan juga dari situ pak?"
        ),
        findings=_WA_LOWER,
        follow_up=(
            "Pengaduan membalas bisa mendaftar online melalui epinter.bengkaliskab.go.id. "
            "Persyaratan juga sudah tertera di sana untuk diupload."
        ),
        outcome="answered",
        reporter_name="Yustika",
        phone="085264540222",
        service_type="sip_bidan",
    ),
    SeedCase(
        no=7,
        channel="sms_wa",
        received_on=date(2025, 1, 24),
        settled_on=date(2025, 1, 30),
        subject="Penyerahan laporan hasil penelitian dan batas waktu penyelesaiannya",
        description=(
            "Saya Rizky Aulia Nurrahmah mahasiswa ITERA yang pernah mengajukan izin penelitian "
            "seperti yang tersebut di atas. Saya ingin bertanya terkait penyerahan laporan hasil "
            "penelitian yang wajib diserahkan ke SKPD yang memberikan rekomendasi, apakah benar "
            "saya mengirimkannya ke DPMPSTSP Provinsi Riau karena dalam penelitian saya pihak "
            "tersebut memberikan rekomendasi pak/bu? Kemudian terkait waktu penyelesaian "
            "laporannya apakah boleh melebihi rentang 6 bulan dikarenakan saya masih harus "
            "mengurus berkas-berkas kelulusan di Lampung? Mohon penjelasannya."
        ),
        findings=_WA_LOWER,
        follow_up=(
            "Pengaduan membalas untuk DPMPSTSP Provinsi Riau silahkan hubungi pengaduan DPMPSTSP "
            "Provinsi Riau ya terkait ini."
        ),
        outcome="referred",
        reporter_name="Rizky Aulia Nurrahmah",
        phone="081278250259",
        service_type="izin_penelitian",
        agency="dpmptsp_riau",
    ),
    SeedCase(
        no=8,
        channel="sms_wa",
        received_on=date(2025, 2, 11),
        settled_on=date(2025, 2, 11),
        subject="Surat pernyataan kecukupan SKP untuk SIPA baru dan waktu selesai SIP",
        description=(
            "Assalamualaikum pak, saya mau bertanya perihal bukti pernyataan kecukupan SKP untuk "
            "membuat SIPA baru di tempat klinik. Surat pernyataan kecukupan SKP itu bagaimana ya "
            "pak, perihal saya sudah memperpanjang SKP di tahun kemaren. Sudah pengajuan SIP di "
            "hari senin kemaren, kalau boleh tau SIP nya selesai kapan ya pak."
        ),
        findings=_WA,
        follow_up=(
            "Pengaduan membalas untuk jika sudah ada buktinya tidak perlu surat pernyataannya ya\n"
            "Selalu dipantau melalui tracking ya pak."
        ),
        outcome="answered",
        phone="082214460296",
        service_type="sip_nakes",
    ),
    SeedCase(
        no=9,
        channel="website",
        received_on=date(2025, 2, 19),
        settled_on=date(2025, 2, 19),
        subject="Tempat pengurusan izin usaha toko kosmetik",
        description="Informasi untuk pengurusan izin buka usaha toko kosmetik di mana",
        findings=_WA,
        follow_up=(
            "Pengaduan membalas untuk DPMPTSP ibuk bisa mendaftar oss.go.id. Bisa langsung ke "
            "kanto, nanti dibantu pendaftaran oleh petugas kami."
        ),
        outcome="answered",
        reporter_name="Fan",
        phone="083172634033",
        service_type="oss_nib",
    ),
    SeedCase(
        no=10,
        channel="sms_wa",
        received_on=date(2025, 2, 24),
        settled_on=date(2025, 2, 24),
        subject="Syarat izin usaha peternakan ayam petelur",
        description="Mau nanya izin usaha peternakan ayam petelur syaratnya apa ya",
        findings=_WA,
        follow_up=(
            "Pengaduan membalas untuk\n"
            "Baik pak bisa mendaftar di oss.go.id. Syaratnya ktp, npwp, no hp wa."
        ),
        outcome="answered",
        phone="082275130370",
        service_type="oss_nib",
    ),
    SeedCase(
        no=11,
        channel="sms_wa",
        received_on=date(2025, 3, 6),
        settled_on=date(2025, 3, 7),
        subject="Izin Apotek ZARN Pharmacia belum terbit lewat 14 hari kerja sejak berkas lengkap",
        description=(
            "Saya ingin bertanya mengenai proses surat izin apotek. Untuk apotek ZARN Pharmacia. "
            "Apa ada kendala. Karena ini sudah lewat dari 14 hari kerja semenjak persyaratan "
            "dinyatakan lengkap dan benar."
        ),
        findings=_WA,
        follow_up=(
            "Pengaduan membalas dengan menanyakan apakah sudah dicek di akun ossnya dan apakah "
            "sudah disurvei. Namun tidak mendapatkan tanggapan kembali dari pemohon dan dianggap "
            "selesai."
        ),
        outcome="answered",
        phone="081176880407",
        company_name="Apotek ZARN Pharmacia",
        service_type="apotek",
    ),
    SeedCase(
        no=12,
        channel="sms_wa",
        received_on=date(2025, 3, 7),
        settled_on=date(2025, 3, 7),
        subject="Aplikasi untuk mengurus izin praktik bidan secara online",
        description=(
            "Untuk bikin izin praktek bidan, urusnya online ya pak, lewat aplikasi apa pak."
        ),
        findings=_WA,
        follow_up=(
            "Pengaduan membalas bisa daftar dan upload berkas di epinter.bengkaliskab.go.id"
        ),
        outcome="answered",
        phone="082289560444",
        service_type="sip_bidan",
    ),
    SeedCase(
        no=13,
        channel="sms_wa",
        received_on=date(2025, 3, 7),
        settled_on=date(2025, 3, 7),
        subject="Aplikasi e-Pinter tidak dapat diakses untuk upload data perizinan",
        description=(
            "Mau bertanya apakah aplikasi e-pinter sekarang sedang error soalnya tidak bisa "
            "diakses untuk upload data perizinan."
        ),
        findings=_WA,
        follow_up="Pengaduan membalas sudah bisa diakses lagi. Coba dibuka lagi epinternya.",
        outcome="answered",
        phone="085772000481",
        service_type="epinter",
    ),
    SeedCase(
        no=14,
        channel="website",
        received_on=date(2025, 3, 14),
        settled_on=date(2025, 3, 14),
        subject="Cara melihat apakah SIP sudah terdaftar",
        description="Melihat SIP sudah terdaftar atau belum",
        findings="Pengaduan dibalas oleh Petugas Pengaduan via email",
        follow_up=(
            "Pengaduan membalas Selamat siang, untuk melihat SIP sudah terdaftar atau belum bisa "
            "melakukan tracking di menu tracking epinter.bengkaliskab.go.id , jika belum "
            "terdaftar dapat melakukan pendaftaran online dan upload berkas melalui "
            "epinter.bengkaliskab.go.id"
        ),
        outcome="answered",
        reporter_name="Rahmi Ayunda",
        phone="085156791051",
        email="ayundarahmi90@gmail.com",
        service_type="sip_nakes",
    ),
    SeedCase(
        no=15,
        channel="sms_wa",
        received_on=date(2025, 3, 18),
        settled_on=date(2025, 3, 18),
        subject="Berkas persyaratan izin praktik dokter gigi pribadi",
        description=(
            "Saya ingin bertanya tentang berkas yang harus dikumpulkan untuk izin buka praktek "
            "dokter gigi pribadi, apa saja ya."
        ),
        findings=_WA,
        follow_up=(
            "Pengaduan membalas untuk pendaftaran izinnya melalui online di "
            "epinter.bengkaliskab.go.id. Lakukan pendaftaran dahulu. Lalu log in dengan username "
            "dan password yang telah didaftarkan tanpa menunggu sms dan email verifikasi. "
            "Persyaratannya nanti diupload ya."
        ),
        outcome="answered",
        phone="085364690555",
        service_type="sip_dokter_gigi",
    ),
    SeedCase(
        no=16,
        channel="meja_pengaduan",
        received_on=date(2025, 3, 19),
        settled_on=date(2025, 3, 19),
        subject="Ceceran tanah timbun akibat aktivitas galian C di Jalan Lingkar Balai Raja",
        description=(
            "Aduan masyarakat terkait ceceran tanah timbun di Jalan Lingkar Balai Raja."
        ),
        findings=(
            "1. Tim Pemerintah Kabupaten Bengkalis turun ke lapangan diketua oleh Ed Effendi "
            "selaku staff ahli bidang hukum dan politik Pemkab Bengkalis bersama Camat Pinggir, "
            "Kepala Dinas DPMPPTSP, Kepala Dinas Lingkungan Hidup, Kepala Disnaker, Kepala "
            "Disperindag, PUPR, Dinas Perhubungan Assisten II, Dinas Perkebunan.\n"
            "2. Mendatangi aktivitas galian C yang melihat kondisi jalan lingkar Balai Raja kotor "
            "dan berlumpur akibat adanya aktivitas galian C tersebut."
        ),
        follow_up=(
            "1. Tim melakukan evaluasi terhadap semua perizinan yang dimiliki.\n"
            "2. Diminta perusahaan galian C untuk menghentikan aktivitasnya sementara sampai "
            "mereka memenuhi ketentuan-ketentuan aturan perizinan yang mereka miliki."
        ),
        outcome="field_team",
        reporter_name="Masyarakat Kelurahan Balai Raja",
        service_type="galian_c",
        address="Kelurahan Balai Raja, Kecamatan Pinggir",
    ),
    SeedCase(
        no=17,
        channel="sms_wa",
        received_on=date(2025, 3, 25),
        settled_on=date(2025, 3, 25),
        subject="Pengambilan surat izin praktik dan jam buka layanan",
        description=(
            "Apakah masih bisa mengambil surat izin praktek, besok buka jam berapa pak/bu?"
        ),
        findings=_WA_LOWER,
        follow_up="Pengaduan membalas bisa ibu, kami buka jam 8 pagi sampai dengan 3 sore.",
        outcome="answered",
        phone="082124060629",
        service_type="mpp",
    ),
    SeedCase(
        no=18,
        channel="sms_wa",
        received_on=date(2025, 4, 11),
        settled_on=date(2025, 4, 11),
        subject="Syarat pengurusan IMB untuk SPBU kompak",
        description=(
            "Kalau untuk pengurusan IMB untuk SPBU kompak apa, syaratnya bapak/ibu. Mohon "
            "petunjuknya ya pak/ibuk. Terimakasih."
        ),
        findings=_WA_LOWER,
        follow_up=(
            "Pengaduan membalas untuk IMB bisa mendaftar melalui simbg.pu.go.id. Atau melalui "
            "petugas kami Faisal 085355753601."
        ),
        outcome="answered",
        reporter_name="Neti",
        phone="082381120666",
        service_type="pbg_imb",
    ),
    SeedCase(
        no=19,
        channel="sms_wa",
        received_on=date(2025, 4, 14),
        settled_on=date(2025, 4, 14),
        subject="Prosedur perpanjangan SIP",
        description="Saya mau perpanjangan SIP bagaimana ya pak.",
        findings=_WA_LOWER,
        follow_up=(
            "Pengaduan membalas untuk pengajuan SIP bisa mendaftar dan mengupload berkas melalui "
            "epinter.bengkaliskab.go.id. Silahkan melakukan pendaftaran dengan membuta username "
            "dan password dahulu. Tanpa menunggu verifikasi sms atau email, langsung saja log in "
            "menggunakan username password yang telah dibuat. Boleh ketik digoogle epinter "
            "bengkaliskab.go.id. http://epinter.bengkaliskab.go.id ."
        ),
        outcome="answered",
        phone="082381120703",
        service_type="sip_nakes",
    ),
    SeedCase(
        no=20,
        channel="sms_wa",
        received_on=date(2025, 4, 14),
        settled_on=date(2025, 4, 14),
        subject="Persyaratan izin TPS limbah B3 untuk perusahaan",
        description=(
            "Ijin saya mewakili perusahaan kami yang berdomisili di kabupaten Bengkaliskab, ingi "
            "menanyakan untuk persyaratan pembuatan ijin TPS apakah masih mengikuti persyaratan "
            "seperti di dalam website PTSP kab. Bengkaliskab atau ada yang terupdate? "
            "Terimakasih."
        ),
        findings=_WA_LOWER,
        follow_up=(
            "Pengaduan membalas untuk izin limbah B3 bukan wewenang DPMTSP Lagi, bisa langsung ke "
            "Dinas Lingkungan Hidup untuk mengurus izin limbah B3."
        ),
        outcome="referred",
        reporter_name="Novi",
        phone="081312700740",
        agency="dlh",
    ),
    SeedCase(
        no=21,
        channel="sms_wa",
        received_on=date(2025, 4, 26),
        settled_on=date(2025, 4, 26),
        subject="Pengurusan surat izin riset",
        description="Untuk mengurus surat riset masih bisa kak?",
        findings=_WA,
        follow_up=(
            "Pengaduan membalas sudah tidak bisa ya pak, langsung saja ke tempat penelitian "
            "menggunakan surat rekom dari kampus."
        ),
        outcome="answered",
        phone="081275370777",
        service_type="izin_penelitian",
    ),
    SeedCase(
        no=22,
        channel="sms_wa",
        received_on=date(2025, 4, 28),
        settled_on=date(2025, 4, 28),
        subject="Izin Apotek Azka di OSS sudah 1 bulan belum diverifikasi dinas",
        description=(
            "Mohon penjelasan mengapa sampai saat ini proses izin Apotek Azka yang sudah upload "
            "di OSS sudah 1 bulan belum diverifikasi oleh dinas yang bapak/ibu pimpin. Datanya "
            "sudah saya upload persyaratan semua di OSS tinggal menunggu verifikasi dari Dinas."
        ),
        findings=_WA,
        follow_up=(
            "Pengaduan membalas boleh lampirkan foto atau SS bukti di OSS nya pak, saya akan "
            "bantu up pak. Akan saya kabari segera jawabannya ya pak."
        ),
        outcome="answered",
        reporter_name="Fathul",
        phone="081371770814",
        company_name="Apotek Azka",
        service_type="apotek",
    ),
    SeedCase(
        no=23,
        channel="meja_pengaduan",
        received_on=date(2025, 4, 29),
        settled_on=None,
        subject="Pendaftaran SIP Teknisi Transfusi Darah belum tersedia di e-Pinter",
        description="Pendaftaran SIP Teknisi Transfusi Darah tetapi belum ada di E-Pinter.",
        findings=(
            "Pengaduan diteruskan ke JF Penata Perizinan Ahli Madya Perizinan A untuk "
            "diklarifikasi."
        ),
        follow_up=(
            "1. SIP Teknisi Transfusi Darah belum dilimpahkan kepada DPMPTSP Kab. Bengkalis, "
            "untuk itu DPMPTSP Kab. Bengkalis tetap berkoordinasi ke Dinas Kesehatan terkait "
            "permasalahan penerbitan izin Tenaga Teknisi Pelayanan Darah tersebut, sambil membuat "
            "perubahan surat keputusan Bupati tentang pelimpahan wewenang."
        ),
        outcome="in_process",
        reporter_name="DENNY SAPUTRA",
        phone="081378025035",
        service_type="sip_nakes",
        address="Jl. Jend. Sudirman, Bantan air, kec. Bantan",
        nik="1403021104907328",
    ),
    SeedCase(
        no=24,
        channel="sms_wa",
        received_on=date(2025, 5, 5),
        settled_on=date(2025, 5, 6),
        subject="Pengurusan Kartu Keluarga di MPP",
        description="Assalamualaikum, bisa urus KK di MPP bu?",
        findings=_WA,
        follow_up=(
            "Pengaduan membalas untuk Kartu Keluarga bisa diurus di MPP pada Gerai Capil ya pak."
        ),
        outcome="referred",
        phone="085397300888",
        service_type="mpp",
        agency="disdukcapil",
    ),
    SeedCase(
        no=25,
        channel="sms_wa",
        received_on=date(2025, 5, 7),
        settled_on=date(2025, 5, 7),
        subject="Menu toko obat di e-Pinter tidak bisa diklik untuk pengajuan izin",
        description=(
            "Selamat pagi, nama saya Munaji dari Kecamatan Mandau bagaimana untuk ngajukan izin "
            "toko obat, saya coba di epinter tidak bisa di klik untuk menu toko obat."
        ),
        findings=_WA_LOWER,
        follow_up="Pengaduan membalas untuk pengajuan toko obat bisa melalui OSS ya pak.",
        outcome="answered",
        reporter_name="Munaji",
        phone="085397300925",
        service_type="toko_obat",
        address="Kecamatan Mandau",
    ),
    SeedCase(
        no=26,
        channel="sms_wa",
        received_on=date(2025, 5, 8),
        settled_on=date(2025, 5, 7),  # printed so in the report (before the complaint date)
        subject="Tahapan pengurusan SIP secara online",
        description=(
            "Selamat siang bapak/ibu izin bertanya . Untuk tahap pengurusan SIP Online bagaimana?"
        ),
        findings=_WA_LOWER,
        follow_up=(
            "Pengaduan membalas bisa dilakukan secara online melalui epinter.bengkaliskab.go.id."
        ),
        outcome="answered",
        phone="082280870962",
        service_type="sip_nakes",
    ),
    SeedCase(
        no=27,
        channel="sms_wa",
        received_on=date(2025, 5, 14),
        settled_on=date(2025, 5, 14),
        subject="Status permohonan izin penelitian",
        description=(
            "Selamat pagi bapak/ibu, Saya Atip, saya melakukan permohonan Izin Penelitian di "
            "DPMPSTSP dengan nomor pendaftaran terlampir."
        ),
        findings=_WA_LOWER,
        follow_up=(
            "Pengaduan membalas silakan cek terlebih dahulu di login atau ditracking epinter"
        ),
        outcome="answered",
        reporter_name="Atip",
        phone="081231811918",
        service_type="izin_penelitian",
    ),
    SeedCase(
        no=28,
        channel="sms_wa",
        received_on=date(2025, 5, 15),
        settled_on=date(2025, 5, 15),
        subject="Jadwal survei izin Apotik Aisyah Farma yang sudah lama diajukan",
        description=(
            "Saya dari Apotik Aisyah Farma kira-kira kapan mulai disurvei ya karena pengajuan "
            "sudah lama Kami terkendala untuk pemesanan barang jadinya. Terimakasih"
        ),
        findings=_WA_LOWER,
        follow_up="Pengaduan telah diteruskan ke Bidang perizinan A untuk ditindaklanjuti",
        outcome="dispositioned",
        reporter_name="Badrus Sultan",
        phone="081360343636",
        company_name="Apotik Aisyah Farma",
        service_type="apotek",
    ),
    SeedCase(
        no=29,
        channel="sms_wa",
        received_on=date(2025, 5, 16),
        settled_on=date(2025, 5, 18),
        subject="Hanya 4 dari 5 berkas izin praktik mandiri yang terupload di e-Pinter",
        description=(
            "Ijin bertanya saya sudah upload data 5 data. Tapi yang terupload hanya 4 data saja. "
            "Kira-kira bagaimana. (Izin Praktik Mandir/epinter)"
        ),
        findings=_WA_LOWER,
        follow_up=(
            "Pengaduan membalas untuk surat pernyataan keterangan atasan bisa dicek lagi "
            "kapasitasnya ya pak/bu. Jika terlalu besar bisa dikompress online menjadi 200 kb. "
            "Lalu coba upload lagi."
        ),
        outcome="answered",
        phone="085364693535",
        service_type="epinter",
    ),
    SeedCase(
        no=30,
        channel="sms_wa",
        received_on=date(2025, 5, 21),
        settled_on=date(2025, 5, 21),
        subject="Perihal nonaktif BPJS Kesehatan (PT Berkat Karya Laris Bengkalis)",
        description=(
            "Saya dari PT Berkat Karya Laris Bengkalis mau menanyakan perihal nonaktif BPJS "
            "Kesehatan"
        ),
        findings=_WA_LOWER,
        follow_up=(
            "Pengaduan membalas untuk BPJS Kesehatan silahkan langsung ke loket BPJS Kesehatan di "
            "lantai 2 MPP Bengkalis"
        ),
        outcome="referred",
        reporter_name="Bella",
        phone="081378328336",
        company_name="PT Berkat Karya Laris Bengkalis",
        agency="bpjs_kesehatan",
    ),
    SeedCase(
        no=31,
        channel="website",
        received_on=date(2025, 6, 5),
        settled_on=date(2025, 6, 5),
        subject="Situs e-Pinter tidak bisa dibuka untuk melihat SIP Bidan",
        description="Melihat SIP Bidan, kenapa situsnya tidak bias dibuka",
        findings=_WA,
        follow_up=(
            "Pengaduan membalas selamat pagi ibu Irfitri, saya retno admin wa pengaduan dpmptsp. "
            "Untuk situs epinternya sudah bias dibuka ya bu. Boleh dicek secara berkala."
        ),
        outcome="answered",
        reporter_name="Irfitri",
        phone="081263593687",
        email="irfitri03@gmail.com",
        service_type="epinter",
    ),
    SeedCase(
        no=32,
        channel="sp4n_lapor",
        received_on=date(2025, 6, 19),
        settled_on=date(2025, 7, 2),
        subject="Proses verifikasi OSS KBLI 36001 untuk Perumda Air Minum Tirta Terubuk",
        description=(
            "Mengenai prose verifikator OSS KBLI 36001 untuk Perumda Air Minum Tirta terubuk "
            "Kabupaten Bengkalis"
        ),
        findings=(
            "Laporan didisposisikan ke PDAM kabupaten Bengkalis oleh Pemerintah Kabupaten "
            "Bengkalis\n"
            "Laporan diubah disposisi dari PDAM kabupaten Bengkalis ke Dinas Penanaman Modal dan "
            "Pelayanan Terpadu Satu Pintu Kabupaten Bengkalis oleh Pemerintah Kabupaten Bengkalis"
        ),
        follow_up=(
            "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Bengkalis "
            "menindaklanjuti dengan memberikan jawaban sebagai berikut :\n"
            "Selamat Sore Bapak/Ibu Terimakasih atas pertanyaan yang diberikan. Dapat kami "
            "informasikan terkait KBLI yang dimaksud 36001 - Penampungan, Penjernihan dan "
            "Penyaluran Air Minum ini termasuk kewenangan Kementerian. Oleh karena itu yang "
            "menjadi verifikator pemenuhan persyaratan perizinan KBLI 36001 adalah kementerian. "
            "Untuk itu Bapak/Ibu bisa melakukan tracking/pelacakan melalui akun OSS yang "
            "Bapak/Ibu miliki sampai dimana proses perizinan tersebut."
        ),
        outcome="lapor_referred",
        company_name="Perumda Air Minum Tirta Terubuk",
        service_type="oss_nib",
        agency="kementerian",
    ),
)
