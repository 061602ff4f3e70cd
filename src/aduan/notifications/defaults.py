"""The default Indonesian texts of every message; the administrator edits copies in the admin."""

from __future__ import annotations

from aduan.notifications.models import TemplateCode

_SIGN = "\n\nHormat kami,\n{{ office_name }}"
_SURVEY = ("Bantu kami memperbaiki layanan: isi survei kepuasan masyarakat (tanpa nama) di "
           "{{ survey_url }}")
_TRACK = "Pantau pengaduan Anda dengan kode lacak {{ tracking_code }} di {{ tracking_url }}"

DEFAULT_TEMPLATES: dict[str, dict[str, str]] = {
    TemplateCode.RECEIPT: {
        "subject": "Pengaduan Anda telah diterima",
        "body": (
            "Yth. {{ reporter_name|default:'Bapak/Ibu' }},\n\n"
            "Pengaduan Anda telah kami terima dan dicatat dengan nomor {{ register_number }} "
            "pada {{ received_date }}.\n\nPerihal: {{ complaint_subject }}\n\n"
            + _TRACK
            + ".\nPengaduan diselesaikan paling lambat {{ due_date }} "
            "({{ settle_days }} hari kerja).\n\n" + _SURVEY + _SIGN
        ),
        "short_body": (
            "{{ office_short_name }}: Pengaduan Anda diterima dengan nomor {{ register_number }}. "
            "Kode lacak: {{ tracking_code }}. Pantau di {{ tracking_url }}"
        ),
    },
    TemplateCode.COMPLETION_REQUEST: {
        "subject": "Mohon lengkapi pengaduan Anda",
        "body": (
            "Yth. {{ reporter_name|default:'Bapak/Ibu' }},\n\n"
            "Pengaduan Anda nomor {{ register_number }} belum dapat ditindaklanjuti. "
            "Mohon lengkapi hal berikut:\n\n{{ message }}\n\n"
            "Batas waktu melengkapi: {{ completion_due_date }}. Setelah batas waktu tersebut "
            "pengaduan dianggap dicabut (UU 25/2009).\n" + _TRACK + "." + _SIGN
        ),
        "short_body": (
            "{{ office_short_name }}: Pengaduan {{ register_number }} perlu dilengkapi: "
            "{{ message }} Batas: {{ completion_due_date }}."
        ),
    },
    TemplateCode.DOCUMENTS_REQUEST: {
        "subject": "Mohon kirim dokumen tambahan untuk pengaduan Anda",
        "body": (
            "Yth. {{ reporter_name|default:'Bapak/Ibu' }},\n\n"
            "Pengaduan Anda nomor {{ register_number }} sedang ditindaklanjuti. Untuk "
            "menyelesaikannya kami memerlukan dokumen berikut:\n\n{{ message }}\n\n"
            "Mohon kirim paling lambat {{ completion_due_date }} dengan membalas pesan ini atau "
            "datang ke kantor. Bila sampai batas itu dokumen belum kami terima, pengaduan tetap "
            "ditindaklanjuti berdasarkan dokumen yang ada.\n" + _TRACK + "." + _SIGN
        ),
        "short_body": (
            "{{ office_short_name }}: Pengaduan {{ register_number }} memerlukan dokumen: "
            "{{ message }} Kirim paling lambat {{ completion_due_date }}."
        ),
    },
    TemplateCode.DOCUMENTS_LAPSED: {
        "subject": "Batas pengiriman dokumen tambahan telah lewat",
        "body": (
            "Yth. {{ reporter_name|default:'Bapak/Ibu' }},\n\n{{ message }}\n\n"
            "(Pengaduan nomor {{ register_number }})\n" + _TRACK + "." + _SIGN
        ),
        "short_body": "{{ office_short_name }}: {{ register_number }}: {{ message }}",
    },
    TemplateCode.REFERRAL: {
        "subject": "Pengaduan Anda dirujuk ke instansi yang berwenang",
        "body": (
            "Yth. {{ reporter_name|default:'Bapak/Ibu' }},\n\n"
            "Materi pengaduan Anda nomor {{ register_number }} bukan kewenangan "
            "{{ office_name }}. Instansi yang berwenang: {{ agency_name }}.\n\n{{ message }}"
            "{% if agency_contact %}\n\nKontak: {{ agency_contact }}{% endif %}" + _SIGN
        ),
        "short_body": (
            "{{ office_short_name }}: Pengaduan {{ register_number }} bukan kewenangan kami. "
            "Silakan ke {{ agency_name }}. {{ message }}"
        ),
    },
    TemplateCode.ANSWER: {
        "subject": "Jawaban atas pengaduan Anda",
        "body": (
            "Yth. {{ reporter_name|default:'Bapak/Ibu' }},\n\n"
            "Jawaban atas pengaduan Anda nomor {{ register_number }}:\n\n{{ message }}\n\n"
            + _TRACK
            + "."
            + _SIGN
        ),
        "short_body": "{{ office_short_name }}: {{ register_number }}: {{ message }}",
    },
    TemplateCode.RESPONSE: {
        "subject": "Tanggapan atas pengaduan Anda",
        "body": (
            "Yth. {{ reporter_name|default:'Bapak/Ibu' }},\n\n"
            "Tanggapan atas pengaduan Anda nomor {{ register_number }}:\n\n{{ message }}\n\n"
            "Jika Anda puas, mohon konfirmasi melalui {{ tracking_url }}; jika tidak, Anda dapat "
            "meminta pengaduan dibuka kembali. Tanpa balasan, pengaduan ditutup otomatis pada "
            "{{ auto_close_date }}." + _SIGN
        ),
        "short_body": (
            "{{ office_short_name }}: Tanggapan pengaduan {{ register_number }}: {{ message }} "
            "Konfirmasi: {{ tracking_url }}"
        ),
    },
    TemplateCode.CLOSURE: {
        "subject": "Pengaduan Anda telah selesai",
        "body": (
            "Yth. {{ reporter_name|default:'Bapak/Ibu' }},\n\n"
            "Pengaduan Anda nomor {{ register_number }} telah selesai dan ditutup.\n\n"
            "{{ message }}\n\nTerima kasih atas partisipasi Anda. Jika tidak puas dengan "
            "penyelesaiannya, Anda dapat menyampaikan laporan kepada Ombudsman Republik "
            "Indonesia.\n\n" + _SURVEY + _SIGN
        ),
        "short_body": (
            "{{ office_short_name }}: Pengaduan {{ register_number }} telah selesai. "
            "Terima kasih. Bila tidak puas, Anda dapat melapor ke Ombudsman RI. "
            "Nilai layanan kami: {{ survey_url }}"
        ),
    },
    TemplateCode.WITHDRAWN: {
        "subject": "Pengaduan Anda dianggap dicabut",
        "body": (
            "Yth. {{ reporter_name|default:'Bapak/Ibu' }},\n\n"
            "Kelengkapan pengaduan Anda nomor {{ register_number }} tidak kami terima sampai "
            "batas waktu, sehingga pengaduan dianggap dicabut (UU 25/2009). Anda dapat "
            "mengajukan pengaduan baru kapan saja." + _SIGN
        ),
        "short_body": (
            "{{ office_short_name }}: Pengaduan {{ register_number }} dianggap dicabut karena "
            "tidak dilengkapi. Silakan ajukan kembali bila perlu."
        ),
    },
    TemplateCode.MESSAGE: {
        "subject": "Pesan terkait pengaduan Anda",
        "body": "{{ message }}\n\n(Pengaduan nomor {{ register_number }})" + _SIGN,
        "short_body": "{{ message }}",
    },
    TemplateCode.REMINDER: {
        "subject": "Pengingat tenggat pengaduan",
        "body": (
            "Pengaduan {{ register_number }} ({{ complaint_subject }}) "
            "{% if is_overdue %}telah melewati tenggat {{ due_date }}"
            "{% else %}jatuh tempo {{ due_date }}, sisa {{ days_left }} hari kerja{% endif %}.\n"
            "Status: {{ status }}{% if unit_name %}, bidang: {{ unit_name }}{% endif %}.\n\n"
            "Buka: {{ case_url }}"
        ),
        "short_body": "",
    },
    TemplateCode.ESCALATION: {
        "subject": "Eskalasi: pengaduan {% if is_overdue %}melewati tenggat{% else %}mendekati tenggat{% endif %}",
        "body": (
            "Pengaduan {{ register_number }} ({{ complaint_subject }}) "
            "{% if is_overdue %}telah melewati tenggat {{ due_date }} "
            "({{ days_overdue }} hari kerja){% else %}jatuh tempo {{ due_date }}, sisa "
            "{{ days_left }} hari kerja{% endif %}.\n"
            "Status: {{ status }}{% if unit_name %}, bidang: {{ unit_name }}{% endif %}.\n"
            "Anda menerima pesan ini sebagai {{ rung }}.\n\n"
            "Buka: {{ case_url }}"
        ),
        "short_body": "",
    },
    TemplateCode.RIGHTS_CODE: {
        "subject": "Kode verifikasi permintaan data pribadi",
        "body": (
            "Kode verifikasi Anda: {{ code }}\n\n"
            "Kode ini diminta di halaman lacak untuk mengajukan permintaan atas data pribadi "
            "Anda pada pengaduan nomor {{ register_number }}. Berlaku {{ minutes }} menit dan "
            "hanya sekali pakai. Bila Anda tidak memintanya, abaikan pesan ini; jangan berikan "
            "kode ini kepada siapa pun, termasuk petugas." + _SIGN
        ),
        "short_body": (
            "{{ office_short_name }}: Kode verifikasi permintaan data pribadi: {{ code }} "
            "(berlaku {{ minutes }} menit). Jangan berikan kepada siapa pun."
        ),
    },
    TemplateCode.RIGHTS_RECEIVED: {
        "subject": "Permintaan atas data pribadi Anda diterima",
        "body": (
            "Yth. {{ reporter_name|default:'Bapak/Ibu' }},\n\n"
            "Permintaan Anda ({{ request_kind }}) telah kami catat dengan nomor "
            "{{ request_number }} pada {{ request_received }}. Kami menjawab paling lambat "
            "{{ request_due }} (3 x 24 jam, UU 27/2022) melalui saluran ini." + _SIGN
        ),
        "short_body": (
            "{{ office_short_name }}: Permintaan data pribadi {{ request_number }} "
            "({{ request_kind }}) diterima. Dijawab paling lambat {{ request_due }}."
        ),
    },
    TemplateCode.RIGHTS_ANSWER: {
        "subject": "Jawaban atas permintaan data pribadi Anda",
        "body": (
            "Yth. {{ reporter_name|default:'Bapak/Ibu' }},\n\n"
            "Jawaban atas permintaan Anda nomor {{ request_number }} ({{ request_kind }}):"
            "\n\n{{ message }}" + _SIGN
        ),
        "short_body": (
            "{{ office_short_name }}: Permintaan {{ request_number }}: {{ message }}"
        ),
    },
    TemplateCode.BREACH_NOTICE: {
        "subject": "Pemberitahuan tentang data pribadi Anda",
        "body": "{{ message }}" + _SIGN,
        "short_body": "{{ message }}",
    },
    TemplateCode.FORWARDED: {
        "subject": "Pengaduan Anda diteruskan ke {{ office_name }}",
        "body": (
            "Yth. {{ reporter_name|default:'Bapak/Ibu' }},\n\n"
            "Pengaduan Anda nomor {{ previous_register_number }} kami teruskan dari "
            "{{ previous_office_name }} kepada {{ office_name }}, yang kini menanganinya dengan "
            "nomor {{ register_number }}.\n\nAlasan: {{ reason }}\n\n"
            "Kode lacak Anda tetap sama: {{ tracking_code }}. Pantau di {{ tracking_url }}.\n"
            "Pengaduan diselesaikan paling lambat {{ due_date }} ({{ settle_days }} hari "
            "kerja)." + _SIGN
        ),
        "short_body": (
            "Pengaduan {{ previous_register_number }} diteruskan ke {{ office_name }} dengan "
            "nomor {{ register_number }}. Kode lacak tetap {{ tracking_code }}. Pantau di "
            "{{ tracking_url }}"
        ),
    },
    TemplateCode.FORWARD_RETURNED: {
        "subject": "Pengaduan Anda kembali ditangani {{ office_name }}",
        "body": (
            "Yth. {{ reporter_name|default:'Bapak/Ibu' }},\n\n"
            "Pengaduan Anda kembali ditangani oleh {{ office_name }} dengan nomor "
            "{{ register_number }}, karena {{ previous_office_name }} menyatakan pengaduan ini "
            "bukan kewenangannya: {{ reason }}\n\n"
            "Kode lacak Anda tetap sama: {{ tracking_code }}. Pantau di {{ tracking_url }}."
            + _SIGN
        ),
        "short_body": (
            "{{ office_short_name }}: Pengaduan Anda kembali kami tangani dengan nomor "
            "{{ register_number }}. Kode lacak tetap {{ tracking_code }}."
        ),
    },
    TemplateCode.FORWARD_REFUSED: {
        "subject": "Penerusan pengaduan ditolak oleh {{ previous_office_name }}",
        "body": (
            "{{ previous_office_name }} menolak penerusan pengaduan {{ register_number }} "
            "({{ complaint_subject }}). Pengaduan kembali ke kantor Anda dengan status "
            "{{ status }} dan tenggat {{ due_date }}.\n\nAlasan penolakan: {{ reason }}\n\n"
            "Buka: {{ case_url }}"
        ),
        "short_body": "",
    },
    TemplateCode.FORWARD_RECEIVED: {
        "subject": "Pengaduan diteruskan kepada kantor Anda oleh {{ previous_office_name }}",
        "body": (
            "{{ previous_office_name }} meneruskan pengaduan {{ previous_register_number }} "
            "({{ complaint_subject }}) kepada {{ office_name }}. Nomor register di kantor Anda: "
            "{{ register_number }}; tenggat penyelesaian {{ due_date }}.\n\n"
            "Alasan penerusan: {{ reason }}\n\n"
            "Bila pengaduan ini bukan kewenangan kantor Anda, tolak penerusannya sebelum "
            "menindaklanjutinya. Buka: {{ case_url }}"
        ),
        "short_body": "",
    },
}
