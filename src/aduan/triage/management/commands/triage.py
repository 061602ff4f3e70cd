"""`manage.py triage predict --in cases.jsonl --out predictions.jsonl [--history labelled.jsonl]`
and `manage.py triage train [--office CODE]`.

predict reads lines {"id": ..., "text": ...} and writes lines {"id": ..., "intent": [3 codes],
"category": [3 codes], "authority": [3 codes]}, best first. A line that cannot be read is
reported on stderr with its number and skipped; the exit status is non-zero only when the input
as a whole is unusable (missing, unreadable, or not one usable line in a non-empty file).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

MAX_LINE = 64 * 1024 * 1024  # longer lines are reported and skipped


def read_jsonl(path: str, report: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each line that is a JSON object; others reported."""
    try:
        fh = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
    except OSError as exc:
        raise CommandError(f"Berkas {path} tidak dapat dibaca: {exc.strerror}") from exc
    with fh:
        number = 0
        while True:
            try:
                raw = fh.readline(MAX_LINE)
            except OSError as exc:
                raise CommandError(f"Berkas {path} tidak dapat dibaca: {exc}") from exc
            if not raw:
                return
            number += 1
            if len(raw) >= MAX_LINE and not raw.endswith(b"\n"):
                while raw and not raw.endswith(b"\n"):  # the rest of the oversized line
                    raw = fh.readline(MAX_LINE)
                report(number, "baris terlalu panjang, dilewati")
                continue
            text = raw.decode("utf-8", errors="replace").strip().lstrip("\ufeff")
            if not text:
                continue
            item = _loads(text)
            if item is _INVALID:
                report(number, "bukan JSON yang sah, dilewati")
                continue
            if not isinstance(item, dict):
                report(number, "bukan objek JSON, dilewati")
                continue
            yield number, item


_INVALID = object()


def _loads(text: str) -> Any:
    """The JSON value of a line; stray bytes before its opening brace (a byte-order mark in
    another encoding, a pasted prompt) are forgiven."""
    for candidate in (text, text[text.find("{"):] if "{" in text else None):
        if candidate is None:
            continue
        try:
            return json.loads(candidate)
        except (ValueError, RecursionError):
            continue
    return _INVALID


def _dumps(row: dict[str, Any]) -> str:
    """A line of strict JSON; an id that JSON cannot carry (1e999 read as infinity) as text."""
    try:
        return json.dumps(row, allow_nan=False)
    except ValueError:
        return json.dumps({**row, "id": str(row["id"])})


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float, bool)):
        return str(value)
    try:
        return json.dumps(value, ensure_ascii=False)[:10_000]
    except (TypeError, ValueError, RecursionError):
        return ""


class Command(BaseCommand):
    help = "Triage: predict taxonomy codes for a JSONL file, or train the office's model."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        predict = sub.add_parser("predict", help="Predict intent, category and authority.")
        predict.add_argument("--in", dest="input", required=True, help="cases.jsonl ('-': stdin)")
        predict.add_argument("--out", dest="output", required=True,
                             help="predictions.jsonl ('-': stdout)")
        predict.add_argument("--history", dest="history",
                             help="labelled.jsonl added as closed cases before predicting")
        predict.add_argument("--office", help="office code (default: the only office, when there is exactly one)")
        train = sub.add_parser("train", help="Train and activate the office's model now.")
        train.add_argument("--office", help="office code (default: the only office, when there is exactly one)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "train":
            self._train(options.get("office"))
        else:
            self._predict(options)

    # -- helpers ---------------------------------------------------------------------------
    def _report(self, name: str) -> Any:
        def report(number: int, message: str) -> None:
            self.stderr.write(f"{name} baris {number}: {message}")
        return report

    def _office(self, code: str | None) -> Any:
        """The office asked for (`--office CODE`), else the only one; several offices without
        `--office` is an error listing them. None when the database has none (or is not set
        up): the cold-start model needs no database."""
        from django.db import DatabaseError

        from aduan.offices.models import Office
        from aduan.offices.selectors import office_for_command

        try:
            if not code and not Office.objects.filter(is_active=True).exists():
                return None
            return office_for_command(code)
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        except DatabaseError:
            self.stderr.write("Basis data belum siap; memakai model awal (tanpa riwayat kantor).")
            return None

    def _train(self, code: str | None) -> None:
        from aduan.triage.services import train_office_model

        office = self._office(code)
        if office is None:
            raise CommandError("Tidak ada kantor untuk dilatih.")
        row = train_office_model(office)
        self.stdout.write(f"Model {row.version}: {row.training_size.get('total', 0)} contoh, "
                          f"akurasi validasi silang {row.cv_accuracy}")

    def _history(self, path: str) -> list[Any]:
        from aduan.triage import taxonomy
        from aduan.triage.engine import Example
        from aduan.triage.services import HISTORY_WEIGHT

        report = self._report(Path(path).name)
        examples = []
        for number, item in read_jsonl(path, report):
            text = _text(item.get("text"))
            labels = {}
            for field in taxonomy.FIELDS:
                code = item.get(field)
                if code is None or code == "":
                    continue
                if isinstance(code, str) and code in taxonomy.codes(field):
                    labels[field] = code
                else:
                    report(number, f"kode {field} tidak dikenal, diabaikan")
            if not text.strip() or not labels:
                report(number, "tanpa teks atau label, dilewati")
                continue
            examples.append(Example(text, labels, HISTORY_WEIGHT, source="history",
                                    ref=str(item.get("id", number))))
        return examples

    def _engine(self, office: Any, history: list[Any] | None) -> Any:
        from django.db import DatabaseError

        from aduan.triage.services import build_engine, coldstart_engine, engine_for

        try:
            if history:
                return build_engine(office, extra=history)
            return engine_for(office)
        except (DatabaseError, OSError) as exc:
            self.stderr.write(f"Model kantor tidak dapat dipakai ({exc}); memakai model awal.")
        try:
            return build_engine(None, extra=history) if history else coldstart_engine()
        except (DatabaseError, OSError) as exc:
            # Not even var/ is writable: train in memory only.
            from aduan.triage.corpus import seed_examples, taxonomy_examples
            from aduan.triage.engine import train

            self.stderr.write(f"Model tidak dapat disimpan ({exc}); dilatih di memori.")
            return train(list(seed_examples()) + taxonomy_examples() + list(history or []))

    def _predict(self, options: dict[str, Any]) -> None:
        from aduan.triage.api import predict_codes

        source = options["input"]
        if source != "-" and not os.path.isfile(source):
            raise CommandError(f"Berkas masukan {source} tidak ada.")
        history = self._history(options["history"]) if options.get("history") else None
        if options.get("history") and not history:
            self.stderr.write("Riwayat tidak berisi baris berlabel yang dapat dipakai.")
        report = self._report(Path(source).name if source != "-" else "stdin")
        ids: list[Any] = []
        texts: list[str] = []
        lines = 0
        for number, item in read_jsonl(source, report):
            lines += 1
            if "id" not in item:
                report(number, "tanpa id, dilewati")
                continue
            ids.append(item["id"])
            texts.append(_text(item.get("text")))
        office = self._office(options.get("office"))
        engine = self._engine(office, history)
        predictions = predict_codes(office, texts, engine=engine) if texts else []
        self._write(options["output"], ids, predictions)
        skipped = lines - len(ids)
        self.stderr.write(f"{len(ids)} kasus diprediksi ({engine.version}); "
                          f"{skipped} baris objek dilewati.")
        if not ids and self._nonempty(source):
            raise CommandError("Tidak ada satu baris pun yang dapat dipakai dalam masukan.")

    @staticmethod
    def _nonempty(source: str) -> bool:
        return source != "-" and os.path.getsize(source) > 0

    @staticmethod
    def _write(target: str, ids: list[Any], predictions: list[dict[str, list[str]]]) -> None:
        # ASCII only: an id with U+2028 or U+0085 must not split a line for any reader.
        lines = [_dumps({"id": ident, **prediction}) + "\n"
                 for ident, prediction in zip(ids, predictions, strict=True)]
        if target == "-":
            sys.stdout.writelines(lines)
            return
        directory = os.path.dirname(os.path.abspath(target))
        try:
            fd, tmp = tempfile.mkstemp(dir=directory, prefix=".triage-", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.writelines(lines)
            os.replace(tmp, target)
        except OSError as exc:
            raise CommandError(f"Berkas keluaran {target} tidak dapat ditulis: {exc}") from exc
