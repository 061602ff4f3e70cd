"""`submission_key_used`, the replay check of a refused web submission (issue 17): the same
answers as `submission_find` in one statement, keys cut at MAX_KEY as they are stored."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aduan.complaints.models import SubmissionKey
from aduan.complaints.submissions import (
    MAX_KEY,
    IdempotencyKeyReused,
    Once,
    submission_find,
    submission_key_used,
)

pytestmark = pytest.mark.django_db


def test_a_used_key_gives_its_row_and_an_unused_one_none():
    row = SubmissionKey.objects.create(scope="web", key="k" * MAX_KEY)
    SubmissionKey.objects.create(scope="desk", key="other")
    with CaptureQueriesContext(connection) as queries:
        assert submission_key_used(Once("web", "k" * (MAX_KEY + 5))) == row.pk
    assert len(queries) == 1
    assert submission_find(Once("web", "k" * (MAX_KEY + 5))).pk == row.pk
    assert submission_key_used(Once("web", "other")) is None  # another scope's key
    assert submission_key_used(Once("desk", "k" * MAX_KEY)) is None
    assert submission_key_used(Once("web", "K" * MAX_KEY)) is None


def test_a_key_used_with_another_body_is_refused_as_submission_find_refuses_it():
    SubmissionKey.objects.create(scope="api", key="idem-1", body_sha256="a" * 64)
    assert submission_key_used(Once("api", "idem-1", "a" * 64)) is not None
    for check in (submission_find, submission_key_used):
        with pytest.raises(IdempotencyKeyReused):
            check(Once("api", "idem-1", "b" * 64))
