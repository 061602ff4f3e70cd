"""NIK encryption: rotation (new key encrypts, old keys decrypt), re-encryption, loud failure."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.test import override_settings

from aduan.complaints.models import Reporter
from aduan.complaints.nik_keys import reporters_check_nik_keys, reporters_reencrypt_nik
from aduan.core import crypto

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()
NIK = "1403021104907328"


def test_new_key_encrypts_and_old_keys_still_decrypt():
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD]):
        token = crypto.encrypt(NIK)
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW, OLD]):
        assert crypto.decrypt(token) == NIK
        assert not crypto.is_current(token)
        fresh = crypto.reencrypt(token)
        assert crypto.is_current(fresh)
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW]):
        assert crypto.decrypt(fresh) == NIK
        assert crypto.decrypt(token) == ""  # the old key is gone: unreadable, and logged


def test_data_written_with_the_old_single_key_still_opens():
    """Before rotation, the key was derived from FIELD_ENCRYPTION_KEY (or SECRET_KEY)."""
    legacy = "the-old-field-encryption-key-of-an-installation"
    derived = base64.urlsafe_b64encode(
        hashlib.sha256(b"aduan-field-encryption:" + legacy.encode()).digest())
    token = Fernet(derived).encrypt(NIK.encode()).decode()
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW, legacy]):
        assert crypto.decrypt(token) == NIK


def test_fingerprints_name_keys_without_revealing_them():
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW, OLD]):
        prints = crypto.key_fingerprints()
    assert len(prints) == 2
    assert prints[0] != prints[1]
    assert all(len(p) == 16 and p not in NEW and p not in OLD for p in prints)
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW]):
        assert crypto.key_fingerprints() == prints[:1]


def test_missing_key_is_a_clear_error():
    with override_settings(FIELD_ENCRYPTION_KEYS=[]), pytest.raises(Exception, match="FIELD_"):
        crypto.encrypt(NIK)


@pytest.mark.django_db
def test_reencrypt_moves_every_stored_nik_to_the_newest_key():
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD]):
        reporters = []
        for i in range(3):
            r = Reporter(name=f"Pelapor {i}")
            r.set_nik(f"14030211049073{i:02d}")
            r.save()
            reporters.append(r)
        Reporter.objects.create(name="Tanpa NIK")
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW, OLD]):
        call_command("reencrypt_nik")
        run = reporters_reencrypt_nik()  # a second run rewrites nothing
        assert (run.checked, run.rewritten) == (3, 0)
        expected_index = crypto.blind_index("1403021104907301")
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW]):
        for i, r in enumerate(reporters):
            r.refresh_from_db()
            assert r.nik == f"14030211049073{i:02d}"
        assert reporters[1].nik_index == expected_index
        assert reporters_check_nik_keys() == 3


@pytest.mark.django_db
def test_wrong_key_fails_loudly_and_rewrites_nothing():
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD]):
        r = Reporter(name="Pelapor")
        r.set_nik(NIK)
        r.save()
    before = Reporter.objects.get(pk=r.pk).nik_encrypted
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW]):
        with pytest.raises(crypto.KeyMismatchError, match="1 dari 1 NIK"):
            reporters_check_nik_keys()
        with pytest.raises(CommandError, match="tidak dapat dibuka"):
            call_command("reencrypt_nik", "--check")
        with pytest.raises(CommandError, match="tidak dapat dibuka"):
            call_command("reencrypt_nik")
    assert Reporter.objects.get(pk=r.pk).nik_encrypted == before
