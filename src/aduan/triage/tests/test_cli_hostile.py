"""Hostile input to the CLI (Hypothesis): whatever the bytes, every usable line gets one valid
prediction, unusable lines are reported by number, and the command never crashes."""

import json

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aduan.triage import taxonomy
from aduan.triage.services import coldstart_engine

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                 max_size=3),
    max_leaves=8)
case = st.fixed_dictionaries({"id": st.integers() | st.text(max_size=10),
                              "text": json_values})
line = st.one_of(
    case.map(lambda c: json.dumps(c).encode()),
    case.map(lambda c: json.dumps(c, ensure_ascii=False).encode("utf-8", "surrogatepass")),
    st.binary(max_size=200),
    st.text(max_size=50).map(lambda t: t.encode("utf-8", "surrogatepass")),
)


@pytest.fixture
def warm(coldstart):
    return coldstart


@pytest.mark.django_db
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(line, max_size=12))
def test_any_bytes(tmp_path, warm, lines):
    assert coldstart_engine() is warm
    data = b"\n".join(x.replace(b"\n", b" ").replace(b"\r", b" ") for x in lines)
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_bytes(data)
    expected = []
    for raw in data.split(b"\n"):
        text = raw.decode("utf-8", errors="replace").strip().lstrip("\ufeff")
        try:
            item = json.loads(text)
        except ValueError:
            continue
        if isinstance(item, dict) and "id" in item:
            expected.append(item["id"])
    try:
        call_command("triage", "predict", "--in", str(source), "--out", str(out))
    except CommandError:
        assert not expected  # only a file without one usable line fails
        return
    rows = [json.loads(r) for r in out.read_text(encoding="utf-8").splitlines()]
    got = iter([r["id"] for r in rows])
    assert all(any(g == e for g in got) for e in expected)  # in order, none lost
    for row in rows:
        for field in taxonomy.FIELDS:
            assert len(set(row[field])) == 3
            assert set(row[field]) <= set(taxonomy.codes(field))
