"""Text preparation for triage: informal Indonesian normalised, then stemmed (PySastrawi)."""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache

from aduan.triage.taxonomy import DATA_DIR

MAX_CHARS = 4000  # a case is judged on its first 4,000 characters
_URL_DOTS = re.compile(r"(?<=\w)\.(?=\w)")
_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z])")
_TOKEN = re.compile(r"[a-z0-9]+")
_REPEAT = re.compile(r"([a-z])\1{2,}")
_NUM_SUFFIX = re.compile(r"^([a-z]{3,})2(nya|an|ku)?$")  # "syarat2" -> "syarat" (reduplication)
STOP = frozenset(["yang", "dan", "di", "ke", "dari", "untuk", "dengan", "atau", "ini", "itu", "apa", "saya", "kami", "kita", "bisa", "ada", "ya", "nya", "pada", "dalam", "juga", "sudah", "belum", "masih", "akan", "lah", "kah", "pun", "dong", "deh", "sih", "nih", "kok", "tolong", "mohon", "bapak", "ibu", "kakak", "admin", "assalamualaikum", "wr", "wb", "selamat", "pagi", "siang", "sore", "malam", "terima", "kasih", "halo", "hai", "mas", "mbak", "om", "min", "gan"])
NEGATIONS = frozenset({"tidak", "belum", "bukan"})


@lru_cache(maxsize=1)
def slang() -> dict[str, str]:
    return json.loads((DATA_DIR / "slang.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    if len(word) <= 3 or not word.isalpha():
        return word
    return str(_stemmer().stem(word)) or word


def normalise(text: object) -> str:
    """Lower-case ASCII-ish words with informal spellings expanded ("sy blm dpt ijin" ->
    "saya belum dpt izin"); never raises, whatever it is given."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS]).lower()
    text = _URL_DOTS.sub(" ", text)       # oss.go.id -> oss go id
    text = _HYPHEN.sub("", text)          # e-pinter -> epinter, ijin-nya -> ijinnya
    text = _REPEAT.sub(r"\1", text)       # tolonggg -> tolong
    table = slang()
    words: list[str] = []
    for raw in _TOKEN.findall(text):
        match = _NUM_SUFFIX.match(raw)
        token = match.group(1) + (match.group(2) or "") if match else raw
        words.append(table.get(token, token))
    return " ".join(words)


def stems(normalised: str) -> list[str]:
    """Stems of content words; a negation is glued to the next word ("tidak_bisa")."""
    out: list[str] = []
    negate = False
    for word in normalised.split():
        if word in NEGATIONS:
            negate = True
            out.append(word)
            continue
        if word in STOP:
            continue
        root = stem(word)
        out.append(f"not_{root}" if negate else root)
        negate = False
    return out


def prepare(text: object) -> tuple[str, str]:
    """(normalised text, stemmed text) for the two feature views. A question mark is a word of
    its own in the stemmed view: it tells a question from a complaint."""
    norm = normalise(text)
    words = stems(norm)
    if words and isinstance(text, str) and "?" in text[:MAX_CHARS]:
        words.append("_tanya_")
    return norm, " ".join(words)
