"""Formulir Tindak Lanjut Pengaduan, sections A–H (the seed report's Gambar 3)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from aduan.documents.builders.base import (
    BODY,
    CONTENT_WIDTH,
    ITALIC,
    SECTION,
    SMALL,
    TITLE,
    MinHeight,
    boxed,
    checkbox_row,
    date_id,
    field_table,
    letterhead,
    para,
    render,
    signature_pair,
    signature_parts,
    text,
)
from aduan.documents.data import Entry, FollowUpFormData

TITLE_TEXT = "FORMULIR TINDAK LANJUT PENGADUAN"
SIDE_WIDTH = 4.6 * cm


def _entries(entries: list[Entry], *, prefix: str = "",
             joiner: str = " ") -> list[Flowable]:
    out: list[Flowable] = []
    for entry in entries:
        head = f"{date_id(entry.on)}"
        if entry.by:
            head += f" · {escape(entry.by)}"
        if prefix or entry.label:
            head += " · " + escape(joiner.join(p for p in (prefix, entry.label) if p))
        out.append(para(f"<b>{head}</b>", SMALL))
        if entry.text:
            out.append(para(text(entry.text), ITALIC))
    return out


def _with_side(body: list[Flowable], side: list[Flowable], *, min_height: float) -> Table:
    """A free-text box with the paraf column at its right, as on the paper form."""
    body_width = CONTENT_WIDTH - SIDE_WIDTH
    cell = [*body, MinHeight(min_height - 10, body)]
    table = Table([[cell, side]], colWidths=[body_width, SIDE_WIDTH], hAlign="LEFT",
                  splitInRow=1)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.8, colors.black),
        ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    return table


def _identity(data: FollowUpFormData) -> list[Flowable]:
    """A. Identity and B. classification (in person or by power of attorney)."""
    r = data.reporter
    hidden = "(anonim)" if r.is_anonymous else "(dirahasiakan)" if r.is_masked else "-"
    return [
        para("A. IDENTITAS PELAPOR", SECTION),
        field_table([
            ("Nama", text(r.name, empty=hidden)),
            ("Alamat", text(r.address, empty=hidden)),
            ("No Hp", text(r.phone, empty=hidden)),
            ("Tanggal pengaduan", escape(date_id(data.received_on))),
            ("Saluran", escape(data.channel)),
        ], label_width=3.6 * cm),
        para("B. IDENTIFIKASI PENGADUAN/KLASIFIKASI PENGADUAN", SECTION),
        checkbox_row([
            (not data.is_by_proxy, "Pengaduan Datang Langsung"),
            (data.is_by_proxy, "Jika Tidak, Menggantikan Surat Kuasa"),
        ]),
        para(f"Klasifikasi: {escape(data.classification)}", SMALL),
    ]


def _verification(data: FollowUpFormData) -> list[Flowable]:
    """C. The verification checklist as checked boxes."""
    checks = data.checklist or {}
    indent = 0.6 * cm
    second = [(checks.get("kk_seen", False), "KK")]
    if data.is_by_proxy or checks.get("power_of_attorney_seen"):
        second.append((checks.get("power_of_attorney_seen", False), "Surat Kuasa"))
    story: list[Flowable] = [
        para("C. VERIFIKASI FORMULIR", SECTION),
        para("\u2022 Formulir", BODY),
        checkbox_row([(checks.get("ktp_seen", False), "KTP"),
                      (checks.get("chronology_present", False), "Kronologi Pengaduan")],
                     indent=indent),
        checkbox_row(second, indent=indent, columns=2),
        para("\u2022 Materi", BODY),
        checkbox_row([(data.within_authority is True, "Kewenangan"),
                      (data.within_authority is False, "Bukan Kewenangan")], indent=indent),
        para("\u2022 Kesimpulan", BODY),
        checkbox_row([
            (data.meets_requirements is True, "Memenuhi Syarat untuk ditindak lanjut"),
            (data.meets_requirements is False, "Tidak Memenuhi Syarat untuk ditindak lanjut"),
        ], indent=indent),
    ]
    if data.checklist is None:
        story.append(para("<i>Belum diverifikasi.</i>", SMALL))
    return story


def _handling(data: FollowUpFormData) -> list[Flowable]:
    """D. Chronology, E. disposition, F. the unit's clarification."""
    dispositions = [*_entries(data.proposals, prefix="Usulan disposisi ke"),
                    *_entries(data.dispositions, prefix="Didisposisikan ke")]
    last = data.clarifications[-1] if data.clarifications else None
    return [
        KeepTogether([para("D. KRONOLOGIS PENGADUAN", SECTION),
                      boxed([para(text(data.description), ITALIC)], min_height=2.2 * cm)]),
        KeepTogether([
            para("E. PENELAAH PENGADUAN, PENGKLASIFIKASIAN (MENDISPOSISIKAN)", SECTION),
            _with_side(dispositions, [
                para("Paraf Petugas Pengaduan :", SMALL), Spacer(1, 0.9 * cm),
                para("Paraf Ketua Tim :", SMALL)], min_height=2.4 * cm),
            para("* Catatan :", SMALL)]),
        KeepTogether([
            para("F. KLARIFIKASI BIDANG TEKNIS", SECTION),
            _with_side(_entries(data.clarifications), [
                para("Paraf Pemberi Klarifikasi :", SMALL), Spacer(1, 0.9 * cm),
                para(f"Tanggal : {escape(date_id(last.on)) if last else ''}", SMALL),
                para(f"Nama : {escape(last.by) if last else ''}", SMALL),
            ], min_height=2.4 * cm)]),
    ]


def _outcome(data: FollowUpFormData) -> list[Flowable]:
    """G. Conclusion (followed up or not, the finding) and H. closure."""
    g_body: list[Flowable] = [checkbox_row([
        (data.is_followed_up, "Pengaduan sudah ditindak lanjut"),
        (not data.is_followed_up, "Pengaduan belum ditindak lanjut"),
    ], width=CONTENT_WIDTH - SIDE_WIDTH - 12, style=SMALL)]
    g_body += _entries(data.follow_ups, prefix="Tindak lanjut", joiner=": ")
    g_body += _entries(data.responses, prefix="Tanggapan kepada pelapor")
    if data.conclusion is not None:
        prefix = f"Kesimpulan: {data.finding}" if data.finding else "Kesimpulan"
        g_body += _entries([data.conclusion], prefix=prefix)
    h_body: list[Flowable] = []
    if data.closure is not None:
        h_body += _entries([data.closure])
        if data.working_days_taken:
            h_body.append(para(f"Diselesaikan dalam {data.working_days_taken} hari kerja.",
                               SMALL))
    else:
        h_body.append(para(f"<i>Belum ditutup (status: {escape(data.status)}).</i>", SMALL))
    return [
        KeepTogether([
            para("G. KESIMPULAN PENGADUAN", SECTION),
            _with_side(g_body, [para("Paraf Petugas Pengaduan :", SMALL),
                                Spacer(1, 0.9 * cm), para("Ketua Tim :", SMALL)],
                       min_height=2.4 * cm)]),
        KeepTogether([para("H. PENUTUPAN PENGADUAN", SECTION),
                      boxed(h_body, min_height=1.6 * cm)]),
    ]


def build_follow_up_form(data: FollowUpFormData) -> bytes:
    head = data.letterhead
    story: list[Flowable] = letterhead(head)
    story += [para(TITLE_TEXT, TITLE), para(f"NO : {escape(data.register_number)}", TITLE),
              Spacer(1, 6)]
    story += _identity(data)
    story += _verification(data)
    story += _handling(data)
    story += _outcome(data)
    story.append(Spacer(1, 12))
    place_date = f"{escape(head.city)}, {date_id(data.signed_on)}"
    story.append(KeepTogether(signature_pair(
        signature_parts(role_lines=["Diajukan,", "PETUGAS PENGADUAN"],
                        name=escape(data.officer_name.upper())),
        signature_parts(place_date=place_date, role_lines=["Diketahui,", "KETUA TIM"],
                        name=escape(data.lead_name.upper())),
    )))
    return render(story, title=f"Formulir Tindak Lanjut Pengaduan {data.register_number}",
                  author=head.name)
