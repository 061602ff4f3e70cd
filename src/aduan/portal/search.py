"""Indonesian full-text matching for the knowledge pages: PySastrawi stems words, so
"perizinan", "izin" and "mengurus izin" meet on the same root."""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[0-9a-zA-Z\u00c0-\u024f]+")
_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")
# Words too common to tell questions apart (Indonesian function words).
_STOP = frozenset(
    ["yang", "dan", "di", "ke", "dari", "untuk", "dengan", "atau", "ini", "itu", "apa", "apakah", "bagaimana", "cara", "saya", "kami", "bisa", "ada", "tidak", "ya", "pak", "bu", "ibu", "bapak", "mohon", "tolong", "sudah", "belum", "masih", "akan"]
)


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    # Imported with its first use (69 modules): a web worker that answers no search never
    # loads it (issue 17, worker memory).
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=20_000)
def stem_word(word: str) -> str:
    return str(_stemmer().stem(word))


def stems(text: str) -> list[str]:
    """Stemmed content words of `text`, lower-cased, in order, without stop words."""
    # "e-Pinter" and "epinter" are the same word to the people who type them.
    text = _HYPHEN.sub("", text or "")
    words = (w.lower() for w in _WORD.findall(text))
    return [stem_word(w) for w in words if w not in _STOP and len(w) > 1]


def stem_text(text: str) -> str:
    """The stems of `text` as one space-separated string (stored for search)."""
    return " ".join(dict.fromkeys(stems(text)))


def score(query_stems: list[str], document_stems: str) -> int:
    """How many of the query's stems occur in the document; 0 means no match."""
    words = set(document_stems.split())
    return sum(1 for s in dict.fromkeys(query_stems) if s in words)
