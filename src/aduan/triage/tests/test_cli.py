"""The CLI contract: `manage.py triage predict --in --out [--history]`."""

import json

import pytest
from django.core.management import CommandError, call_command

from aduan.triage import taxonomy


def _write(path, lines):
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines),
                    encoding="utf-8")
    return path


def _read(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _valid(row):
    for field in taxonomy.FIELDS:
        codes = row[field]
        assert len(codes) == 3 and len(set(codes)) == 3, row
        assert set(codes) <= set(taxonomy.codes(field)), row


@pytest.mark.django_db
def test_predict_contract_on_a_small_file(tmp_path, coldstart):
    cases = _write(tmp_path / "cases.jsonl", [
        {"id": "a1", "text": "sy mau perpanjang SIP bidan gmn caranya pak"},
        {"id": 2, "text": "KTP elektronik saya blm dicetak sdh 3 bulan"},
        {"id": "a3", "text": "jalan di depan sekolah berlubang besar, bahaya"},
        {"id": "a4", "text": "apotik kami blm disurvei padahal berkas lengkap"},
    ])
    out = tmp_path / "predictions.jsonl"
    call_command("triage", "predict", "--in", str(cases), "--out", str(out))
    rows = _read(out)
    assert [r["id"] for r in rows] == ["a1", 2, "a3", "a4"]
    for row in rows:
        _valid(row)
        assert set(row) == {"id", "intent", "category", "authority"}
    assert rows[0]["category"][0] == "nakes" and rows[0]["authority"][0] == "dpmptsp"
    assert rows[0]["intent"][0] == "permintaan_informasi"
    assert rows[1]["authority"][0] == "disdukcapil"
    assert rows[1]["intent"][0] == "bukan_kewenangan"
    assert rows[2]["authority"][0] == "pupr"
    assert rows[3]["category"][0] == "apotek_klinik" and rows[3]["intent"][0] == "pengaduan"


@pytest.mark.django_db
def test_history_changes_the_answer(tmp_path, coldstart):
    text = "laporan soal kincir angin pak, mohon ditanggapi"
    cases = _write(tmp_path / "cases.jsonl", [{"id": 1, "text": text}])
    out = tmp_path / "p.jsonl"
    call_command("triage", "predict", "--in", str(cases), "--out", str(out))
    before = _read(out)[0]
    assert before["authority"][0] != "dishub"
    history = _write(tmp_path / "history.jsonl", [
        {"text": "kincir angin di taman berisik", "authority": "dishub"},
        {"text": "kincir angin rusak tolong", "authority": "dishub", "intent": "bukan_kewenangan"},
        {"text": "kincir angin roboh", "authority": "dishub", "category": "lainnya"},
        {"text": "masalah kincir angin lagi", "authority": "dishub"},
        {"text": "ada yang mau tanya syarat PBG", "category": "pbg"},
    ])
    call_command("triage", "predict", "--in", str(cases), "--out", str(out),
                 "--history", str(history))
    after = _read(out)[0]
    _valid(after)
    assert after["authority"][0] == "dishub"


@pytest.mark.django_db
def test_bad_lines_are_reported_and_skipped(tmp_path, coldstart, capsys):
    cases = tmp_path / "cases.jsonl"
    cases.write_bytes(b'{"id": 1, "text": "izin reklame baliho"}\n'
                      b"not json\n"
                      b"\n"
                      b"[1, 2]\n"
                      b'{"text": "tanpa id"}\n'
                      b'{"id": 2, "text": ""}\n'
                      b'{"id": 3, "text": null}\n'
                      b'{"id": 4, "text": "ijin usaha \xff\xfe toko"}\n'
                      b'\xef\xbb\xbf{"id": 5, "text": {"nested": ["x"]}}\n'
                      b'{"id": 6, "text": "' + b"izin " * 200_000 + b'"}\n')
    out = tmp_path / "p.jsonl"
    call_command("triage", "predict", "--in", str(cases), "--out", str(out))
    rows = _read(out)
    assert [r["id"] for r in rows] == [1, 2, 3, 4, 5, 6]
    for row in rows:
        _valid(row)
    err = capsys.readouterr().err
    assert "baris 2" in err and "baris 4" in err and "baris 5" in err


@pytest.mark.django_db
def test_unusable_input_fails(tmp_path, coldstart):
    with pytest.raises(CommandError):
        call_command("triage", "predict", "--in", str(tmp_path / "missing.jsonl"),
                     "--out", str(tmp_path / "p.jsonl"))
    junk = tmp_path / "junk.jsonl"
    junk.write_bytes(b"\x00\x01\x02 garbage\n<html>\n")
    with pytest.raises(CommandError):
        call_command("triage", "predict", "--in", str(junk), "--out", str(tmp_path / "p.jsonl"))
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    call_command("triage", "predict", "--in", str(empty), "--out", str(tmp_path / "e.jsonl"))
    assert (tmp_path / "e.jsonl").read_text() == ""


def test_predict_without_a_database(tmp_path):
    """A fresh checkout: no database file (not even its directory); the cold-start model
    answers, as a separate process would run it."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[4]
    cases = _write(tmp_path / "cases.jsonl", [{"id": 7, "text": "KTP saya hilang, urus dimana"}])
    out = tmp_path / "p.jsonl"
    missing = str(tmp_path / "none" / "db.sqlite3")
    env = {**os.environ, "ADUAN_SQLITE_PATH": missing, "ADUAN_TEST_DB": missing,
           "DJANGO_SETTINGS_MODULE": "aduan.config.settings_test"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, str(root / "manage.py"), "triage", "predict",
                           "--in", str(cases), "--out", str(out)], env=env, cwd=root,
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    rows = _read(out)
    assert rows[0]["id"] == 7 and rows[0]["authority"][0] == "disdukcapil"
    _valid(rows[0])
