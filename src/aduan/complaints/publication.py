"""What of a case may leave the complaint team: the one redaction of free text for public
output (Open311, the public tracking API) and the rule for identity-protected cases.

Every public description, response and timeline text goes through `public_text`, which is
`core.redaction.Redactor`: the shapes of personal data (e-mail addresses, phone numbers, NIK
and other ID-like numbers) and the values this case's reporter is known by (name, phone,
e-mail, NIK, address, the company named in the case) are replaced by "[dihapus]".

A case whose reporter asked for confidentiality is identity-protected: in a small regency the
story, the place or the unit that handles it can point at the person, so public output names
the case and its progress only (`is_identity_protected`). Secret (rahasia) cases never appear
at all; the public querysets filter them out.
"""

from __future__ import annotations

from aduan.complaints.models import Complaint, Reporter
from aduan.core.redaction import Redactor
from aduan.core.validators import format_phone_local


def reporter_redactor(reporter: Reporter, *, company_names: tuple[str, ...] = ()) -> Redactor:
    """The redactor for text about `reporter`: general shapes plus their known values."""
    phone = reporter.phone or ""
    values = [phone, reporter.email, reporter.nik, reporter.address, *company_names]
    if phone:
        values.append(format_phone_local(phone))
        if phone.startswith("+62"):
            values.append("0" + phone.removeprefix("+62"))
    return Redactor(values=values, names=[reporter.name])


def public_redactor(complaint: Complaint) -> Redactor:
    """The redactor for public text of `complaint` (its reporter must be loaded or loadable)."""
    return reporter_redactor(complaint.reporter, company_names=(complaint.company_name,))


def public_text(text: str, complaint: Complaint) -> str:
    """`text` of `complaint` as it may be shown publicly. One redactor per case: build it with
    `public_redactor` when redacting several texts of one case."""
    return public_redactor(complaint)(text or "")


def is_identity_protected(complaint: Complaint) -> bool:
    """Public output shows no description, place or unit for this case."""
    return complaint.reporter.is_confidential
