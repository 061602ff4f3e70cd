"""The demo office's report texts, taken from the seed report (Semester I 2025).

Placeholders in braces ({periode}, {jumlah}, {tahun}) are filled when a report is generated.
"""

DEMO_REPORT_TEXTS: dict[str, str] = {
    "foreword": "\n\n".join([
        (
            "Puji syukur kita panjatkan kehadirat Allah SWT Tuhan Yang Maha Esa atas berkat "
            "hidayah-Nya Laporan Penanganan Pengaduan {periode} Dinas Penanaman Modal dan "
            "Pelayanan Terpadu Satu Pintu Kabupaten Bengkalis telah dapat diselesaikan. Laporan "
            "ini dibuat sebagai bahan Monitoring dan Evaluasi pelayanan perizinan non perizinan."
        ),
        (
            "Sebagai tindak lanjut dari amanat Undang-Undang 25 Tahun 2009, telah diterbitkan "
            "Peraturan Presiden Nomor 76 Tahun 2013 tentang pengelolaan pengaduan publik yang "
            "telah mengisyaratkan dibentuknya Sistem Pengelolaan Pengaduan Pelayanan Publik "
            "Nasional (SP4N), yang merupakan integrasi pengelolaan pengaduan pelayanan publik "
            "secara berjenjang pada setiap kerangka sistem informasi pelayanan publik."
        ),
        (
            "Sistem pengelolaan Pengaduan Pelayanan Perizinan dan Non Perizinan pada dasarnya "
            "mirip dengan kontrol sosial yang berfungsi sangat penting, sehingga pengaduan "
            "masyarakat dapat ditangani secara cepat, tepat, efektif dan efisien dan dapat "
            "dipertanggungjawabkan."
        ),
        (
            "Laporan Pengaduan Masyarakat ini dapat menjadi acuan untuk peningkatan kinerja "
            "penyelenggaraan pelayanan publik dalam membangun kepercayaan serta menciptakan "
            "perubahan layanan publik yang bersinergi pada pemenuhan kebutuhan dan harapan "
            "masyarakat."
        ),
    ]),
    "background": "\n\n".join([
        (
            "Peningkatan kualitas pelayanan publik merupakan salah satu sektor penting dalam "
            "pemenuhan kebutuhan masyarakat. Oleh karena itu, pemerintah melakukan berbagai "
            "upaya perbaikan pelayanan publik secara berkesinambungan. Dalam memenuhi kebutuhan "
            "masyarakat berupa barang, jasa dan pelayanan administratif berdasarkan amanat "
            "Undang-undang Dasar Republik Indonesia Tahun 1945 yang didalamnya memuat tujuan "
            "memajukan kesejahteraan umum dan mencerdaskan kehidupan bangsa."
        ),
        (
            "Amanat tersebut mengandung makna negara berkewajiban memenuhi kebutuhan setiap "
            "warga negara melalui sistem pemerintahan yang mendukung terciptanya penyelenggaraan "
            "pelayanan publik yang prima, dimana penyelenggaraan publik wajib memberikan akses "
            "seluas-luasnya kepada masyarakat untuk memberikan masukan ataupun saran kepada "
            "penyelenggara atau pemberi layanan. Oleh karena itu, pengelolaan pengaduan harus "
            "dikelola dengan baik yaitu dengan menyediakan sarana pengaduan. Pelaksanaan yang "
            "berkompeten dalam menangani dan menindak lanjuti pengaduan."
        ),
        (
            "Untuk itu, diperlukan konsepsi sistem pelayanan publik yang bernilai, persepsi dan "
            "acuan perilaku yang mampu mewujudkan hak asasi manusia sebagaimana diamanatkan "
            "Undang-Undang Dasar Negara Republik Indonesia Tahun 1945 dapat diterapkan sehingga "
            "masyarakat memperoleh pelayanan sesuai dengan harapan dan cita-cita tujuan nasional."
        ),
        (
            "Menyikapi harapan, tuntutan dan juga untuk membangun kepercayaan masyarakat "
            "khususnya Kabupaten Bengkalis, maka dibentuklah Dinas Penanaman Modal dan Pelayanan "
            "Terpadu Satu Pintu untuk memberikan pelayanan administratif perizinan dan non "
            "perizinan yang berkualitas. DPMPTSP Kabupaten Bengkalis dibentuk berdasarkan "
            "Peraturan Daerah Kabupaten Bengkalis Nomor 1 Tahun 2024 tentang Perubahan Kedua "
            "atas Peraturan Daerah Kabupaten Bengkalis Nomor 3 Tahun 2016 tentang Pembentukan "
            "dan Susunan Perangkat Daerah Kabupaten Bengkalis dan Peraturan Bupati Bengkalis "
            "Nomor 93 Tahun 2021 tentang Kedudukan, Susunan Organisasi, Tugas dan Fungsi serta "
            "Tata Kerja Dinas penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten "
            "Bengkalis."
        ),
    ]),
    "legal_basis": "\n\n".join([
        (
            "Dalam pasal 8 ayat 2 UU 25 tahun 2009 tentang pelayanan publik, penyelenggaraan "
            "pelayanan publik, sekurang-kurangnya meliputi : 1). Pelaksanaan pelayanan, 2). "
            "Pengelolaan pengaduan masyarakat, 3). Pengelolaan informasi, 4). Pengawasan "
            "internal , 5) Penyuluhan kepada masyarakat, 6). Pelayanan konsultasi. Mengacu "
            "kepada amanat UU 25 Tahun 2009 tersebut, pengelolaan pengaduan masyarakat memiliki "
            "arti yang sangat penting bagi peningkatan kualitas pelayanan publik."
        ),
        (
            "Pengawasan yang dilakukan oleh masyarakat terhadap penyelenggaraan Negara pada "
            "dasarnya mirip kontrol sosial yang berfungsi sangat penting untuk mewujudkan "
            "pemerintah yang bersih dan bebas dari korupsi, kolusi dan nepotisme. Salah satu "
            "bentuk pengawasan yang perlu dilakukan dalam bentuk pengaduan masyarakat."
        ),
        (
            "Agar pengaduan masyarakat dapat berfungsi efektif sebagai kontrol sosial dalam "
            "penyelenggaraan pemerintah maka pengaduan masyarakat perlu ditangani secara cepat, "
            "tepat, efektif dan efisien dan dapat dipertanggungjawabkan. Pengaduan masyarakat "
            "ini merupakan bentuk penerapan dari pengawasan masyarakat yang disampaikan oleh "
            "masyarakat kepada Aparatur Pemerintah terkait, berupa membangun pikiran, saran, "
            "gagasan atau keluhan/pengaduan yang bersifat pembangunan ."
        ),
        (
            "Adapun dasar hukum pengelolaan pengaduan masyarakat pada DPMPTSP Kabupaten "
            "Bengkalis adalah :"
        ),
        (
            "- a. Undang-Undang Nomor 32 Tahun 2004 tentang Pemerintah Daerah sebagaimana telah "
            "diubah beberapa kali terakhir dengan Undang-Undang Nomor 12 Tahun 2008 tentang "
            "perubahan kedua diatas Undang-Undang Nomor 32 tahun 2008 Nomor 59;"
        ),
        "- b. Undang-Undang Nomor 37 Tahun 2008 tentang Ombudsman Republik Indonesia (ORI);",
        "- c. Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik;",
        "- d. Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik;",
        (
            "- e. Peraturan Menteri Pendayagunaan Aparatur Negara Nomor Per/05/M.Pan/4/2009 "
            "tentang Pedoman Umum Penanganan Pengaduan Masyarakat Bagi Instansi Pemerintah;"
        ),
        (
            "- f. Peraturan Daerah Kabupaten Bengkalis Nomor 1 Tahun 2024 tentang Perubahan "
            "Kedua atas Peraturan Daerah Kabupaten Bengkalis Nomor 3 Tahun 2016 tentang "
            "Pembentukan dan Susunan Perangkat Daerah Kabupaten Bengkalis;"
        ),
        (
            "- g. Peraturan Bupati Bengkalis Nomor 59 Tahun 2024 tentang Perubahan atas "
            "Peraturan Bupati Bengkalis Nomor 93 Tahun 2021 tentang Kedudukan, Susunan "
            "Organisasi, Tugas dan Fungsi serta Tata Kerja Dinas penanaman Modal dan Pelayanan "
            "Terpadu Satu Pintu Kabupaten Bengkalis;"
        ),
        (
            "- h. Peraturan Bupati Bengkalis Nomor 25 Tahun 2024 tentang Perubahan atas "
            "Peraturan Bupati Bengkalis Nomor 6 Tahun 2022 tentang Pendelegasian Kewenangan "
            "Penyelenggaraan Perizinan Berusaha dan Nonperizinan Kepada Kepala Dinas Penanaman "
            "Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Bengkalis."
        ),
    ]),
    "purpose": "\n\n".join([
        (
            "Laporan Monitoring dan Evaluasi Penanganan Pengaduan Masyarakat ini disusun dengan "
            "maksud dan tujuan :"
        ),
        (
            "1. Menjadi acuan bagi penyelenggaraan pengelolaan pengaduan dalam mewujudkan "
            "kepuasan pelayanan perizinan dan non perizinan kepada masyarakat."
        ),
        (
            "2. Memberikan akses seluas-luasnya kepada masyarakat atas partisipasinya dalam "
            "menyampaikan keluhan atau pengaduan terhadap layanan publik yang diberikan"
        ),
        (
            "3. Penyelenggara publik dapat mengelola pengaduan masyarakat secara sederhana, "
            "cepat, tepat, tuntas dan terkoordinasi dengan baik."
        ),
        "4. Membangun sistem pengelolaan pengaduan secara integrasi",
        (
            "5. Menciptakan rasa simpati dan rasa percaya terhadap penyelenggaraan pelayanan "
            "publik."
        ),
    ]),
    "targets": "\n\n".join([
        (
            "1. Terelesaiannya penanganan pengaduan masyarakat secara cepat, tepat, tertib, "
            "lancar, transparan dan dapat dipertanggungjawabkan kepada masyarakat sesuai dengan "
            "ketentuan peraturan perundang-undangan yang berlaku;"
        ),
        (
            "2. Terciptanya kordinasi antara tim teknis dan antara instansi terkait dengan baik "
            "dalam penyelesaian penanganan pengaduan;"
        ),
        (
            "3. Terwujudnya pelayanan masyarakat yang baik dan percepatan pemberantasan Korupsi, "
            "Kolusi dan Nepotisme di lingkungan Dinas Penanaman Modal dan Pelayanan Terpadu Satu "
            "Pintu Kabupaten Bengkalis;"
        ),
        (
            "4. Terciptanya peningkatan partisipasi masyarakat dalam melakukan pengaduan tanpa "
            "adanya rasa takut dan diskriminatif;"
        ),
        (
            "5. Aparatur Sipil Negara Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu "
            "Kabupaten Bengkalis bertanggungjawab dalam melakukan penanganan pengaduan."
        ),
    ]),
    "scope": "\n\n".join([
        "1. Masyarakat sebagai penerima layanan publik",
        "2. Mekanisme pengelolaan pengaduan pelayanan perizinan",
        "3. Kelembagaan dan sarana pengaduan pelayanan perizinan",
        "4. Pemantauan dan evaluasi pengelolaan pengaduan perizinan",
        (
            "5. Akuntabilitas, transparansi dan partisipasi dalam pengelolaan pengaduan "
            "pelayanan perizinan."
        ),
    ]),
    "definitions": "\n\n".join([
        (
            "1. Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Bengkalis "
            "adalah Perangkat Daerah Kabupaten Bengkalis yang melaksanakan tugas koordinasi dan "
            "menyelenggarakan pelayanan administrasi dibidang perizinan secara terpadu dengan "
            "prinsip kordinasi, integrasi, sinkronisasi, simplikasi, keamanan dan kepastian;"
        ),
        (
            "2. Pengawasan Fungsional (Wasnal) adalah pengawasan yang dilakukan aparat "
            "pengawasan secara Fungsional baik internal Pemerintah maupun eksternal Pemerintah "
            "terhadap pelaksanaan tugas umum pemerintahan dan pelayanan masyarakat agar sesuai "
            "dengan rencana peraturan perundang- undangan yang berlaku;"
        ),
        (
            "3. Pengawasan Masyarakat (Wamas) adalah pengawasan yang dilakukan oleh warga "
            "masyarakat terhadap penyelenggaraan pemerintah;"
        ),
        (
            "4. Pengaduan masyarakat adalah bentuk penerapan dari pengawasan masyarakat yang "
            "disampaikan oleh masyarakat, baik secara lisan maupun tertulis kepada aparatur "
            "pemerintah terkait, berupa sumbangan, pikiran, saran, gagasan atau keluhan/ "
            "pengaduan yang sifat membangun;"
        ),
        (
            "5. Pengaduan berkadar pengawasan adalah pengaduan masyarakat yang isinya mengandung "
            "informasi atau adanya indikasi terjadinya penyimpangan atau penyalahgunaan wewenang "
            "oleh aparatur Negara yang dapat mengakibatkan kerugian masyarakat/ Negara dalam "
            "rangka penyelenggaraan pemerintah;"
        ),
        (
            "6. Efektifitas dan efesiensi, bahwa kegiatan penanganan pengaduan masyarakat harus "
            "dilaksanakan secara tepat sasaran hemat tenaga, waktu dan biaya yang dapat "
            "ditekankan serendah mungkin;"
        ),
        (
            "7. Akuntabilitas, bahwa kegiatan penanganan pengaduan masyarakat dan tindak "
            "lanjutnya harus dapat dipertanggungjawabkan kepada masyarakat sesuai dengan "
            "peraturan perundang- undangan dan prosedur yang berlaku;"
        ),
        (
            "8. Kerahasiaan, bahwa kegiatan penanganan pengaduan masyarakat harus dilakukan "
            "secara hati- hati dan dijaga kerahasiaanya sesuai dengan ketentuan peraturan "
            "perundang- undangan yang berlaku;"
        ),
        (
            "9. Transparan, bahwa hasil kegiatan penanganan pengaduan dapat diinformasikan "
            "berdasarkan mekanisme dan prosedur yang jelas serta terbuka sesuai ketentuan "
            "peraturan perundang- undangan yang berlaku."
        ),
    ]),
    "activities": "\n\n".join([
        "## A. Sarana Pengaduan",
        (
            "Penanganan pengaduan yang dapat ditangani adalah pengaduan masyarakat yang "
            "berkaitan dengan pemberian pelayanan yang dilakukan oleh Dinas Penanaman Modal dan "
            "Pelayanan Terpadu Satu Pintu Kabupaten Bengkalis, yang berupa keluhan, "
            "ketidakpuasan, permasalahan dan hal-hal lain yang berkaitan dengan pelayanan dalam "
            "pengurusan perizinan dan non perizinan, pengaduan dapat dilakukan melalui :"
        ),
        "Sarana dan prasarana pengaduan yang digunakan adalah :",
        (
            "- a. Penyampaian secara lisan/formulir pengaduan disampaikan kepada Petugas "
            "pengelola pengaduan di DPMPTSP Kabupaten Bengkalis."
        ),
        (
            "- b. Melalui surat/kotak saran dan pengaduan yang dialamatkan kepada DPMPTSP "
            "Kabupaten Bengkalis."
        ),
        "1. Saluran langsung lewat telepon/sms/WA 081268610005",
        "2. Email : dpmpptsp@bengkaliskab.go.id",
        "3. Website : dpmpptsp.bengkaliskab.go.id",
        "4. Instagram : dpmpptsp_kab.bengkalis",
        "5. Facebook : Dpmpptsp Kabupaten Bengkalis",
        "6. Sp4nlapor : BENGKALIS<spasi>ADUAN kirim sms ke 1708",
        "## B. Penatausahaan Penanganan Pengaduan",
        (
            "Pencatatan dilakukan sesuai dengan prosedur penatausahaan/ pengadministrasian yang "
            "berlaku di Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten "
            "Bengkalis, baik secara manual maupun secara komputerisasi sesuai dengan persyaratan "
            "yang dimiliki. Yang melakukan pencatatan langsung adalah staf penerima "
            "informasi/penerima pengaduan yang bertugas di ruangan Dinas Penanaman Modal dan "
            "Pelayanan Satu Pintu Kabupaten Bengkalis."
        ),
        (
            "Adapun pengaduan masyarakat yang diterima, perlu dilakukan pencatatan sebagai "
            "berikut :"
        ),
        "- Data Pengaduan meliputi :",
        "- ✓ Nomor Dokumen;",
        "- ✓ Tanggal Terbit;",
        "- ✓ Jenis Keluhan :",
        "- ❖ melalui secara lisan;",
        "- ❖ melalui SMS/WhatsApp;",
        "- ❖ melalui Telepon;",
        "- ❖ melalui Website;",
        "- ❖ melalui media sosial, dst.",
        "- Data pelapor meliputi :",
        "- ✓ Tanggal Laporan;",
        "- ✓ Nama Pelapor;",
        "- ✓ Alamat Pelapor;",
        "- ✓ Nomor Telepon/Hp Pelapor.",
        "- Lokasi Kasus, meliputi :",
        "Dinas Penanaman Modal dan pelayanan Satu Pintu Kabupaten Bengkalis.",
        (
            "Bentuk laporan/pengaduan yang dicatat pada buku register pengaduan yang telah "
            "disediakan dengan ketentuan sebagai berikut :"
        ),
        "1. Data surat pengaduan, yaitu :",
        "- No, Bulan, Tanggal surat pengaduan, Isi pengaduan, Ket",
        "2. Identitas pelapor, yaitu :",
        "- No, Nama, Alamat, Pekerjaan, Ket",
        "## C. Mekanisme Pengaduan",
        (
            "Adapun mekanisme pengaduan pada DPMPTSP Kabupaten Bengkalis dapat dilakukan sebagai "
            "berikut :"
        ),
        (
            "1. Masyarakat dapat melakukan pengaduan terkait pelayanan publik DPMPTSP Kabupaten "
            "Bengkalis baik melalui telepon, sms, whatsApp atau media online lainnya, datang "
            "langsung, secara tertulis atau melalui kotak saran/pengaduan."
        ),
        (
            "2. Masyarakat yang melakukan pengaduan harus mencantumkan kejelasan identitas "
            "pengadu (nama, alamat dan nomor Hp) dan adanya kejelasan materi pengaduan untuk "
            "mempermudah pelayanan pengaduan."
        ),
        "Pengaduan dapat dilakukan melalui :",
        "a. secara online melalui website resmi DPMPTSP Kabupaten Bengkalis :",
        "dpmptsp.bengkaliskab.go.id, dengan cara:",
        "- Buka layanan pengaduan online;",
        "- Pada halaman kirim pengaduan masukan data pribadi dan pengaduan;",
        (
            "- Bila ada data atau dokumen pelengkap yang ingin disampaikan langsung, dapat "
            "lampirkan melalui tombol Choose File;"
        ),
        (
            "- Setelah memasukan semua data yang diperlukan, maka nomor pengaduan akan "
            "dikirimkan melalui email yang telah didaftarkan;"
        ),
        (
            "- Catat nomor pengaduan tersebut karena akan dibutuhkan untuk mengetahui status "
            "pengaduan;"
        ),
        "- Pada halaman lihat pengaduan, silahkan masukan nomor pengaduan;",
        "- Kemudian tekan tombol Tampilkan.",
        "b. Melalui SMS/whatsApp",
        (
            "- Silahkan kirim SMS ke Nomor HP. 0812 6861 0005, dengan format nama#nama "
            "perusahaan#Jenis perizinan#isi pengaduan;"
        ),
        (
            "- Operator akan mengirimkan jawaban/balasan pengaduan melalui SMS ke Nomor HP "
            "Pelapor."
        ),
        "c. Datang Langsung",
        (
            "- Silahkan datang langsung ke Kantor Dinas Penanaman Modal dan Pelayanan Terpadu "
            "Satu Pintu Kabupaten Bengkalis;"
        ),
        (
            "- Mengisi formulir pengaduan yang telah disediakan dan masukkan kedalam kotak "
            "pengaduan;"
        ),
        (
            "- Operator akan memberikan nomor pengaduan melalui SMS ke Nomor HP yang ada di "
            "formulir pengaduan;"
        ),
        (
            "- Untuk mengetahui status pengaduan, masukkan nomor pengaduan pada halaman lihat "
            "pengaduan, kemudian tekan tombol Tampilkan."
        ),
        "d. Melalui sosial media :",
        "- Facebook : Dpmpdsp Kabupaten Bengkalis",
        "- Instagram: dpmpdsp_kab.bengkalis",
        "e. Melalui Email : pengaduan.dpmpspbks@gmail.com",
        "f. Untuk Pengaduan melalui Sp4nlapor! :",
        "Dengan mengirimkan sms : BENGKALIS<spasi>ADUAN kirim SMS ke 1708",
        "Tata cara pengaduan sp4nlapor! sebagai berikut :",
        "- Verifikasi Laporan:",
        (
            "Setelah laporan masuk, admin instansi akan melakukan verifikasi untuk memastikan "
            "bahwa laporan tersebut relevan dengan kewenangan instansi dan memenuhi persyaratan "
            "yang berlaku."
        ),
        "- Disposisi Laporan:",
        (
            "Jika laporan valid, admin akan mendisposisikan laporan tersebut kepada unit kerja "
            "yang bertanggung jawab untuk menindaklanjuti."
        ),
        "- Tindak Lanjut :",
        (
            "Unit kerja yang ditunjuk akan melakukan pemeriksaan dan investigasi terkait laporan "
            "tersebut. Tindakan yang diambil akan disesuaikan dengan jenis laporan dan kebijakan "
            "yang berlaku."
        ),
        "- Pemberian Tanggapan:",
        (
            "Setelah melakukan tindak lanjut, instansi akan memberikan tanggapan atau umpan "
            "balik kepada pelapor melalui sistem LAPOR!. Tanggapan ini berisi informasi mengenai "
            "hasil pemeriksaan dan tindakan yang telah dilakukan."
        ),
        "- Penutupan Laporan:",
        (
            "Jika permasalahan yang dilaporkan telah ditangani dengan baik, laporan akan ditutup "
            "oleh admin instansi. Namun, pelapor juga dapat meminta penutupan jika merasa "
            "permasalahan telah terselesaikan."
        ),
        "- Penyelesaian Masalah :",
        (
            "Jika laporan memerlukan penanganan lebih lanjut, instansi dapat melakukan "
            "pemindahan wewenang pengelolaan laporan atau meminta penundaan penutupan laporan "
            "agar dapat diselesaikan dengan tuntas."
        ),
        (
            "- Rapat Intern Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten "
            "Bengkalis."
        ),
        (
            "Pada tahapan ini hasil telaah koordinator Substansi Pengaduan, Kebijakan dan "
            "Pelaporan Layanan akan dilaporkan kepada Kepala Dinas Penanaman Modal dan Pelayanan "
            "Terpadu Satu Pintu Kabupaten Bengkalis. Selanjutnya setelah laporan tersebut "
            "ditelaah oleh Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu "
            "Kabupaten Bengkalis, maka diadakan rapat intern Dinas Penanaman Modal dan Pelayanan "
            "Terpadu Satu Pintu Kabupaten Bengkalis yang terdiri dari bidang-bidang, kepala, "
            "sekretaris guna membahas tindak lanjut dari pengaduan tersebut. Selanjutnya akan "
            "dijadwalkan rapat dengan tim teknis yakni SKPD terkait dengan pengaduan yang telah "
            "ditelaah tersebut. Rapat intern Dinas Penanaman Modal dan Pelayanan Terpadu Satu "
            "Pintu Kabupaten Bengkalis dilaksanakan dalam 1 (satu) hari."
        ),
        "Sistem mekanisme/prosedur penanganan pengaduan sebagai berikut :",
        (
            "- Pemohon menyampaikan pengaduan melalui ruang konsultasi pengaduan, website, sms, "
            "sosial media, email, angket;"
        ),
        (
            "- Petugas menerima pengaduan, mencatat penjelasan serta memverifikasi data "
            "pengaduan sesuai ketentuan;"
        ),
        (
            "- Pemohon mendapat penjelasan atas pengaduan apabila sesuai data pelayanan Dinas "
            "Penanaman Modal dan Pelayanan Satu Pintu Kabupaten Bengkalis;"
        ),
        (
            "- Petugas penanganan pengaduan membuka data/catatan atau entry, guna memastikan apa "
            "yang dilaporkan benar ada kaitannya dengan pelayanan pada Dinas Penanaman Modal dan "
            "Pelayanan Satu Pintu Kabupaten Bengkalis;"
        ),
        (
            "- Apabila telah sesuai dengan data entry, maka diselesaikan dengan segera dan "
            "dicatat pada buku data, bahwa sudah selesai dan membuat laporan kepada Kepala Dinas "
            "Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Bengkalis;"
        ),
        (
            "- Apabila tidak dapat diselesaikan dengan segera, maka Bidang Pengaduan, Kebijakan "
            "Pelaporan Layanan akan melakukan analisa penyebabnya, antara lain apa saja yang "
            "menjadi permasalahannya;"
        ),
        (
            "- Setelah mengetahui permasalahannya, dan ternyata terdapat kekurangan pada "
            "persyaratan yang diajukan pemohon, maka petugas akan menginformasikan kepada "
            "pemohon untuk melengkapi syarat tersebut, namun apabila kesalahan terdapat pada "
            "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Bengkalis, maka "
            "Bidang Pengaduan, Kebijakan dan Pelaporan Layanan perlu mengambil tindakan dengan "
            "berkoordinasi melalui tim teknis;"
        ),
        (
            "- Setelah berkoordinasi dengan tim teknis, dan tindakan penyelesaian masalah telah "
            "diperoleh, maka selanjutnya diverifikasi oleh Bidang Pengaduan, Kebijakan dan "
            "Pelaporan Layanan. Apabila telah diselesaikan, maka dibuatkan surat pernyataan puas "
            "oleh pemohon. Begitu pula sebaliknya, apabila pemohon tidak puas maka akan "
            "dilaporkan kembali melalui Bidang Pengaduan, Kebijakan dan Pelaporan Layanan;"
        ),
        (
            "- Dalam menyelesaikan tindakan penyelesaian masalah, dikoordinasikan melalui tim "
            "teknis, bidang perizinan dan rekomendasi, sekretariat dan Kepala Dinas Penanaman "
            "Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Bengkalis;"
        ),
        (
            "- Petugas menyiapkan dan membuat laporan kepada Kepala Bidang Pengaduan, Kebijakan "
            "dan Pelaporan Layanan mengenai hasil penyelesaian penanganan pengaduan."
        ),
        "## D. Tindaklanjut Hasil Penelitian/Pemeriksaan",
        (
            "- a. Apabila hasil pemeriksaan pengaduan dari pelapor tidak terbukti kebenarannya "
            "maka pejabat yang diberi wewenang, menyampaikan informasi tersebut kepada pelapor;"
        ),
        (
            "- b. Apabila hasil pemeriksaan terbukti kebenarannya, maka Kepala Dinas Penanaman "
            "Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Bengkalis atau pejabat yang diberi "
            "wewenang menyampaikan surat ucapan terima kasih kepada pelapor;"
        ),
        (
            "- c. Selama pengaduan masih dalam proses pengaduan, Kepala Dinas Penanaman Modal "
            "dan Pelayanan Terpadu Satu Pintu Kabupaten Bengkalis atau pejabat yang berwenang "
            "berkewajiban melindungi identitas pelapor;"
        ),
        (
            "- d. Apabila hasil pemeriksaan tidak mengandung kebenaran, maka Kepala Dinas "
            "Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Bengkalis atau pejabat "
            "yang diberi wewenang segera mengkonfirmasi mengenai kesalahan tersebut dan "
            "mengembalikan nama baik terlapor;"
        ),
        (
            "- e. Apabila hasil pemeriksaan mengandung kebenaran, maka Kepala Dinas Penanaman "
            "Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Bengkalis atau pejabat yang diberi "
            "kewenangan segera mengambil tindakan sesuai dengan ketentuan yang berlaku."
        ),
        "## E. Pemanfaatan Hasil Penanganan Pengaduan Masyarakat",
        (
            "Dinas Penanaman Modal Dan Pelayanan Terpadu Satu Pintu Kabupaten Bengkalis "
            "(DPMPTSP) Kabupaten Bengkalis dapat memanfaatkan hasil tindak lanjut penanganan "
            "pengaduan masyarakat, antara lain :"
        ),
        (
            "- i. Menumbuh kembangkan partisipasi masyarakat dalam membangun kontrol sosial yang "
            "sehat, sekaligus mencegah timbulnya kemungkinan tindakan anarkis dan main hakim "
            "sendiri oleh masyarakat;"
        ),
        (
            "- ii. Sebagai salah satu tolak ukur (Barometer) untuk mengukur dan mengetahui "
            "kepercayaan masyarakat terhadap kinerja aparatur pemerintah;"
        ),
        (
            "- iii. Membangun citra aparatur pemerintah daerah yang etis, bermoral profesional, "
            "transparan bertanggungjawab dan jiwa karsa aparatur pemerintah dalam "
            "penyelenggaraan pemerintahan, pembangunan dan pelayanan masyarakat."
        ),
        (
            "- iv. Memperbaiki kelemahan-kelemahan dalam pengorganisasian, metode kerja dan "
            "ketatalaksanaan birokrasi pemerintah, khususnya bidang pelayanan masyarakat dan "
            "pencegahan praktek korupsi, kolusi dan nepotisme;"
        ),
        (
            "- v. Membangun kepekaan dan mengefektifkan fungsi manajerial terutama dalam "
            "memperbaiki perumusan kebijakan, perencanaan penganggaran pelaksanaan dan laporan "
            "pertanggung jawaban di Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu "
            "Kabupaten Bengkalis;"
        ),
        "- vi. Mengefektifkan pelaksanaan pengawasan fungsional dan pengawasan melekat;",
        "- vii. Menegakkan hukum dan keadilan secara tertib, profesional dan demokratis.",
        "## F. Pelaporan Hasil Penelitian/Pemeriksaan",
        (
            "- a. Laporan hasil penanganan pengaduan masyarakat wajib dilakukan oleh pejabat "
            "yang berwenang atau petugas yang ditunjuk melakukan konfirmasi dan klarifikasi, "
            "penelitian/pemeriksaan terhadap permasalahan yang diadukan sesuai dengan ketentuan "
            "yang berlaku dan ditunjukkan kepada Kepala Dinas Penanaman Modal dan Pelayanan "
            "Terpadu Satu Pintu Kabupaten Bengkalis;"
        ),
        (
            "- b. Laporan hasil penelitian/pemeriksaan disusun secara sistematis, singkat, jelas "
            "dan dapat dipertanggungjawabkan serta memuat kesimpulan dari hasil konfirmasi dan "
            "klarifikasi, pemeriksaan/penelitian dengan data pendukung serta saran tindak lanjut;"
        ),
        (
            "- c. Penanganan pengaduan masyarakat harus dapat diselesaikan dalam jangka waktu "
            "paling lambat 20 (dua puluh) hari kerja setelah surat pengaduan diterima Dinas "
            "Penanaman Modal dan Pelayanan Satu Pintu Kabupaten Bengkalis;"
        ),
        (
            "- d. Secara berkala (setiap bulan) petugas penanganan pengaduan melaporkan "
            "perkembangan penanganan pengaduan masyarakat baik secara tertulis maupun dalam "
            "evaluasi kinerja."
        ),
        "## G. Pengawasan dan Pengendalian",
        (
            "Substansi Pengaduan, Kebijakan dan Pelaporan Layanan tidak hanya menerima laporan "
            "adanya pengaduan dari masyarakat tetapi juga harus proaktif sebelum adanya masalah "
            "pelayanan yang diberikan oleh Dinas Penanaman Modal dan Pelayanan Terpadu Satu "
            "Pintu Kabupaten Bengkalis."
        ),
        (
            "Proaktif yang dimaksud adalah petugas penanganan pengaduan dapat berkordinasi "
            "dengan bidang perizinan A dan B dan rekomendasi guna mendapatkan informasi :"
        ),
        (
            "1. Mengikuti rapat kordinasi tentang proses perizinan, non perizinan dan survei "
            "yang diajukan kepada Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu "
            "Kabupaten Bengkalis misalnya terhadap izin perkebunan, pertambangan dan lain "
            "sebagainya."
        ),
        (
            "2. Berkoordinasi dengan loket- loket pelayanan perizinan, untuk mengambil data "
            "tentang permohonan yang diajukan pelanggan dan telah dikirim ke dinas instansi "
            "terkait, dengan surat pengantar, apabila sampai batas waktu yang telah ditentukan "
            "belum juga selesai, maka dalam hal ini Bidang Pengaduan, Kebijakan Dan Pelaporan "
            "dapat membantu penyelesaian melalui :"
        ),
        (
            "- Menelepon dinas/badan terkait, untuk mendapat informasi permasalahan "
            "keterlambatan penyelesaiannya;"
        ),
        "- Mendatangi dinas/instansi terkait;",
        "- Menyurati dinas/badan terkait;",
        (
            "- Melaporkan kepada Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu "
            "Kabupaten Bengkalis baik lisan maupun tertulis yang belum terselesaikan oleh "
            "dinas/badan terkait."
        ),
    ]),
    "report_intro": "\n\n".join([
        (
            "Sesuai dengan amanat Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik, "
            "dan Undang-Undang No. 14 tahun 2008, tentang Keterbukaan Informasi Publik Dinas "
            "Penanaman Modal Dan Pelayanan Terpadu Satu Pintu Kabupaten Bengkalis (DPMPTSP) "
            "Kabupaten Bengkalis telah secara berkesinambungan dan terus berusaha untuk "
            "meningkatkan kualitas pelayanan yang diberikan kepada masyarakat. Salah satu bentuk "
            "upaya peningkatan kualitas pelayanan dilakukan melalui penanganan pengaduan "
            "masyarakat yang masuk terkait pemberian layanan di lingkup Dinas Penanaman Modal "
            "Dan Pelayanan Terpadu Satu Pintu Kabupaten Bengkalis (DPMPTSP) Kabupaten Bengkalis. "
            "Dinas Penanaman Modal Dan Pelayanan Terpadu Satu Pintu Kabupaten Bengkalis "
            "(DPMPTSP) Kabupaten Bengkalis mempunyai komitmen memberikan pelayanan prima kepada "
            "semua masyarakat umum. DPMPTSP Kabupaten Bengkalis telah mengimplementasikan "
            "pelayanan prima di semua bidang dan unit kerja dalam berbagai layanan kepada semua "
            "pengguna. Komitmen ini mengharuskan untuk selalu meningkatkan kinerja tata kelola "
            "dan pelayanan DPMPTSP Kabupaten Bengkalis. Aspirasi pengguna juga merupakan salah "
            "satu instrumen untuk melakukan evaluasi diri terhadap kelemahan dalam pelaksanaan. "
            "Aplikasi Pengaduan Masyarakat yang ada di DPMPTSP Kabupaten Bengkalis adalah "
            "aplikasi pengelolaan dan tindak lanjut pengaduan serta pelaporan hasil pengelolaan "
            "pengaduan yang disediakan oleh DPMPTSP Kabupaten Bengkalis sebagai salah satu "
            "sarana bagi setiap pejabat/pegawai DPMPTSP Kabupaten Bengkalis sebagai pihak "
            "internal maupun masyarakat luas pengguna layanan DPMPTSP Provinsi Riau sebagai "
            "pihak eksternal untuk melaporkan dugaan adanya pelanggaran dan/atau ketidakpuasan "
            "terhadap pelayanan yang dilakukan/diberikan oleh pejabat/pegawai DPMPTSP Kabupaten "
            "Bengkalis."
        ),
        (
            "Berdasarkan media pengaduan yang disediakan di DPMPTSP Kabupaten Bengkalis pada "
            "{periode} terdapat {jumlah} pengaduan. Jika dirinci berdasarkan media pengaduan "
            "dapat dilihat dalam tabel dan diagram berikut :"
        ),
    ]),
    "obstacles": "\n\n".join([
        (
            "Hambatan-hambatan yang terjadi dalam penanganan pengaduan dalam kurun waktu Tahun "
            "{tahun}, antara lain :"
        ),
        (
            "1. Terdapat kerancuan dalam peraturan yang ada sehingga terjadi keraguan dalam "
            "eksekusi pengaduan;"
        ),
    ]),
    "efforts": "\n\n".join([
        "Upaya-upaya yang akan dilaksanakan dalam rangka penanganan pengaduan antara lain :",
        "1. Melakukan koordinasi dengan lembaga-lembaga berwenang terkait peraturan tersebut.",
        (
            "2. Melakukan koordinasi setiap bulan terkait validasi data yang diterima oleh "
            "masing- masing unit."
        ),
    ]),
    "closing": "\n\n".join([
        (
            "Pengelolaan pengaduan masyarakat pada Dinas Penanaman Modal dan Pelayanan Terpadu "
            "Satu Pintu Kabupaten Bengkalis merupakan bagian dari upaya mewujudkan komitmen "
            "peningkatan kualitas penyelenggaraan pelayanan publik, sesuai dengan Undang-Undang "
            "Nomor 25 Tahun 2009. Pengelolaan pengaduan masyarakat, ini dapat menumbuh "
            "kembangkan partisipasi masyarakat dalam membangun kontrol sosial dan memperbaiki "
            "citra aparatur pemerintah yang beretika, bermoral, professional, transparan dan "
            "akuntabel."
        ),
        (
            "Demikian laporan Pengaduan masyarakat Dinas Penanaman Modal dan Pelayanan Terpadu "
            "Satu Pintu ini kami buat sebagai sebuah keharusan bagi kami untuk melaporkan apa "
            "yang telah kami kerjakan dengan tujuan untuk dijadikan sebagai informasi terkait "
            "monitoring dan evaluasi pelayanan perizinan."
        ),
    ]),
}
