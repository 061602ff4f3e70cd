"""The English catalogue: every entry is used. gettext leaves a "fuzzy" entry out of the
compiled .mo, so an English visitor read those messages in Indonesian (five upload and
workflow errors were)."""

from pathlib import Path

from django.utils import translation

import aduan

PO = Path(aduan.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_the_english_catalogue_has_no_fuzzy_entry() -> None:
    flags = [line for line in PO.read_text(encoding="utf-8").splitlines()
             if line.startswith("#,") and "fuzzy" in line]
    assert flags == []


def test_the_upload_errors_are_in_english() -> None:
    with translation.override("en"):
        assert translation.gettext("Berkas “%(name)s” kosong.") == "The file “%(name)s” is empty."
        assert translation.gettext("Peran Anda tidak berwenang melakukan “%(action)s”.") == (
            "Your role may not do “%(action)s”.")
