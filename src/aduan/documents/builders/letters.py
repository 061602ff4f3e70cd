"""Closure letters: surat pernyataan puas, ucapan terima kasih, pemulihan nama baik."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from aduan.documents.builders.base import (
    BODY,
    BODY_JUSTIFIED,
    CONTENT_WIDTH,
    TITLE,
    date_id,
    field_table,
    letterhead,
    para,
    render,
    signature_pair,
    signature_parts,
    text,
    two_columns,
)
from aduan.documents.data import LetterData, Letterhead, ReporterBlock

# UU 25/2009 (Pelayanan Publik): a reporter who is not satisfied may go to Ombudsman RI.
OMBUDSMAN = (
    "Apabila Saudara tidak puas atas penyelesaian pengaduan ini, Saudara dapat menyampaikan "
    "pengaduan kepada Ombudsman Republik Indonesia sesuai dengan Undang-Undang Nomor 25 Tahun "
    "2009 tentang Pelayanan Publik."
)
DOTS = "." * 30


def _reporter_name(reporter: ReporterBlock) -> str:
    if reporter.is_anonymous or not reporter.name:
        return "Pelapor"
    return reporter.name


def _head_signature(head: Letterhead, *, place_date: str = "",
                    prefix: str = "") -> tuple[list[Flowable], list[Flowable]]:
    extra = []
    if head.head_rank:
        extra.append(escape(head.head_rank))
    if head.head_nip:
        extra.append(f"NIP. {escape(head.head_nip)}")
    roles = [prefix] if prefix else []
    roles.append(escape(head.head_title or "Kepala") + ",")
    return signature_parts(place_date=place_date, role_lines=roles,
                           name=escape(head.head_name), extra_lines=extra)


def _place_date(head: Letterhead, data: LetterData) -> str:
    return f"{escape(head.city)}, {date_id(data.dated_on) if data.dated_on else DOTS}"


def _complaint_rows(data: LetterData) -> list[tuple[str, str]]:
    return [("Nomor pengaduan", escape(data.register_number)),
            ("Tanggal pengaduan", escape(date_id(data.received_on))),
            ("Saluran", escape(data.channel)),
            ("Perihal", text(data.subject))]


def _letter_header(data: LetterData, *, subject: str) -> list[Flowable]:
    """Nomor/Sifat/Lampiran/Hal on the left, place and date on the right, then the address."""
    head = data.letterhead
    meta = field_table([("Nomor", DOTS), ("Sifat", "Biasa"), ("Lampiran", "-"),
                        ("Hal", f"<b>{escape(subject)}</b>")],
                       label_width=2 * cm, width=CONTENT_WIDTH * 0.62)
    table = Table([[meta, para(_place_date(head, data), BODY)]],
                  colWidths=[CONTENT_WIDTH * 0.62, CONTENT_WIDTH * 0.38], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    reporter = data.reporter
    address = [para("Kepada Yth.", BODY),
               para(f"Sdr. {escape(_reporter_name(reporter))}", BODY)]
    if reporter.address:
        address.append(para(text(reporter.address), BODY))
    address.append(para("di Tempat", BODY))
    return [table, Spacer(1, 12), *address, Spacer(1, 12), para("Dengan hormat,", BODY),
            Spacer(1, 6)]


def _closing(data: LetterData, tembusan: list[str]) -> list[Flowable]:
    """The Ombudsman RI sentence (UU 25/2009), the closing line and the head's signature,
    kept on one page, then the copies (tembusan)."""
    top, bottom = _head_signature(data.letterhead)
    story: list[Flowable] = [
        para(OMBUDSMAN, BODY_JUSTIFIED), Spacer(1, 6),
        KeepTogether([
            para("Demikian disampaikan, atas perhatian Saudara kami ucapkan terima kasih.",
                 BODY_JUSTIFIED), Spacer(1, 16),
            two_columns([], [*top, *bottom])]),
    ]
    if tembusan:
        story += [Spacer(1, 16), para("<u>Tembusan:</u>", BODY)]
        story += [para(f"{i}. {escape(line)}", BODY) for i, line in enumerate(tembusan, 1)]
    return story


def build_satisfaction_statement(data: LetterData) -> bytes:
    """The reporter's statement of satisfaction, acknowledged by the head of office."""
    head = data.letterhead
    r = data.reporter
    hidden = "(anonim)" if r.is_anonymous else "(dirahasiakan)" if r.is_masked else DOTS
    story: list[Flowable] = letterhead(head)
    story += [para("SURAT PERNYATAAN PUAS", TITLE),
              para(f"atas Penyelesaian Pengaduan Nomor {escape(data.register_number)}",
                   TITLE), Spacer(1, 12),
              para("Yang bertanda tangan di bawah ini:", BODY), Spacer(1, 4),
              field_table([("Nama", text(r.name, empty=hidden)),
                           ("NIK", text(r.nik, empty=hidden)),
                           ("Alamat", text(r.address, empty=hidden)),
                           ("Telepon", text(r.phone, empty=hidden)),
                           ("E-mail", text(r.email, empty=hidden))]),
              Spacer(1, 6),
              para("selaku pelapor atas pengaduan:", BODY), Spacer(1, 4),
              field_table(_complaint_rows(data)), Spacer(1, 8)]
    responded = (f" yang disampaikan pada tanggal {date_id(data.responded_on)}"
                 if data.responded_on else "")
    story += [
        para(f"dengan ini menyatakan <b>PUAS</b> atas penanganan dan penyelesaian pengaduan "
             f"tersebut oleh {escape(head.name)}, sesuai dengan tanggapan{responded}.",
             BODY_JUSTIFIED), Spacer(1, 6),
        para("Demikian surat pernyataan ini saya buat dengan sebenarnya, dalam keadaan sadar "
             "dan tanpa paksaan dari pihak mana pun.", BODY_JUSTIFIED),
        Spacer(1, 18),
    ]
    reporter_name = "" if r.is_anonymous else escape(r.name.upper())
    story.append(KeepTogether(signature_pair(
        _head_signature(head, prefix="Mengetahui,"),
        signature_parts(place_date=_place_date(head, data), role_lines=["Yang menyatakan,"],
                        name=reporter_name),
    )))
    return render(story, title=f"Surat Pernyataan Puas {data.register_number}",
                  author=head.name)


def build_thank_you_letter(data: LetterData) -> bytes:
    """For a proven finding: the office thanks the reporter (SPEC §4.6)."""
    head = data.letterhead
    story: list[Flowable] = letterhead(head)
    story += _letter_header(data, subject="Ucapan Terima Kasih atas Pengaduan")
    story += [
        para(f"Menindaklanjuti pengaduan Saudara yang kami terima pada tanggal "
             f"{date_id(data.received_on)} melalui {escape(data.channel)} dengan nomor "
             f"{escape(data.register_number)} perihal \u201c{text(data.subject)}\u201d, bersama "
             f"ini kami sampaikan bahwa berdasarkan hasil pemeriksaan, pengaduan Saudara "
             f"dinyatakan <b>TERBUKTI</b>.", BODY_JUSTIFIED), Spacer(1, 6),
        para(f"Hasil pemeriksaan: {text(data.conclusion)}", BODY_JUSTIFIED), Spacer(1, 6),
        para("Terhadap temuan tersebut telah dan akan dilakukan tindakan perbaikan sesuai "
             "dengan ketentuan peraturan perundang-undangan.", BODY_JUSTIFIED), Spacer(1, 6),
        para(f"Kami mengucapkan <b>terima kasih</b> atas kepedulian dan partisipasi Saudara "
             f"dalam upaya peningkatan kualitas pelayanan publik pada {escape(head.name)}.",
             BODY_JUSTIFIED), Spacer(1, 6),
    ]
    story += _closing(data, [])
    return render(story, title=f"Surat Ucapan Terima Kasih {data.register_number}",
                  author=head.name)


def build_good_name_letter(data: LetterData) -> bytes:
    """For a finding not proven: the reporter is informed and the reported party's good name
    restored (SPEC §4.6)."""
    head = data.letterhead
    story: list[Flowable] = letterhead(head)
    story += _letter_header(data, subject="Pemberitahuan Hasil Pemeriksaan dan Pemulihan "
                                          "Nama Baik")
    story += [
        para(f"Menindaklanjuti pengaduan Saudara yang kami terima pada tanggal "
             f"{date_id(data.received_on)} melalui {escape(data.channel)} dengan nomor "
             f"{escape(data.register_number)} perihal \u201c{text(data.subject)}\u201d, bersama "
             f"ini kami sampaikan bahwa berdasarkan hasil pemeriksaan, pengaduan Saudara "
             f"dinyatakan <b>TIDAK TERBUKTI</b>.", BODY_JUSTIFIED), Spacer(1, 6),
        para(f"Hasil pemeriksaan: {text(data.conclusion)}", BODY_JUSTIFIED), Spacer(1, 6),
        para(f"Dengan demikian, <b>nama baik {escape(data.reported_party)}</b> selaku pihak "
             f"yang diadukan <b>dipulihkan</b>, dan pihak tersebut dinyatakan telah "
             f"melaksanakan pelayanan sesuai dengan ketentuan.", BODY_JUSTIFIED),
        Spacer(1, 6),
        para("Kami tetap mengucapkan terima kasih atas kepedulian Saudara terhadap kualitas "
             "pelayanan publik.", BODY_JUSTIFIED), Spacer(1, 6),
    ]
    story += _closing(data, [data.reported_party])
    return render(story, title=f"Surat Pemulihan Nama Baik {data.register_number}",
                  author=head.name)
