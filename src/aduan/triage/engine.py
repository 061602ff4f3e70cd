"""The triage engine: linear models over word and character n-grams, BM25 for answers.

Offline and CPU-only. scikit-learn and scipy are imported inside the functions that use them,
never at web-worker start. An `Engine` is a plain picklable object: trained once, stored under
var/triage/, loaded lazily (models.py / services.py).
"""

from __future__ import annotations

import math
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from aduan.triage.text import prepare

TAXONOMY_FIELDS = ("intent", "category", "authority")
OFFICE_FIELDS = ("service_type", "unit", "agency")
ALL_FIELDS = TAXONOMY_FIELDS + OFFICE_FIELDS
# Above this many training items, fewer epochs and rarer words dropped.
SGD_FROM = 30_000
CHAR_FEATURES = 2 ** 17
WORD_FEATURES = 100_000
TOKENS = r"\S+"  # stems are space-separated


@dataclass
class Example:
    """One training text with any subset of labels (field -> code)."""

    text: str
    labels: dict[str, str]
    weight: float = 1.0
    source: str = "seed"      # seed | taxonomy | office | history
    ref: str = ""             # the case's register number, for "mirip #..." reasons


@dataclass
class AnswerDoc:
    kind: str                 # "faq" | "case"
    ref: str                  # FaqEntry pk or Complaint pk
    title: str
    text: str                 # public-safe answer text
    index_text: str           # what a new case is matched against (question / complaint)


@dataclass
class FieldModel:
    classes: list[str]
    weights: Any              # (features x classes) float32, C-contiguous; None: one class
    intercept: Any            # (classes,) float32; one column for a binary model
    counts: dict[str, int]

    def probabilities(self, matrix: Any) -> Any:
        """One-vs-rest logistic probabilities, normalised (as SGDClassifier.predict_proba),
        computed here so the product reads the weights in place: scikit-learn multiplies by
        the transposed coefficients, which scipy copies whole on every call."""
        import numpy as np

        scores = np.asarray(matrix @ self.weights) + self.intercept
        probs = 1.0 / (1.0 + np.exp(-np.clip(scores, -30, 30)))
        if probs.shape[1] == 1:
            return np.hstack([1.0 - probs, probs])
        total = probs.sum(axis=1, keepdims=True)
        total[total == 0] = 1.0
        return probs / total


@dataclass
class Ranking:
    codes: list[str]
    probs: list[float]


class BM25:
    """Okapi BM25 over stems as a sparse matrix: a query is a column sum (scipy CSC)."""

    def __init__(self, texts: list[str], k1: float = 1.2, b: float = 0.75) -> None:
        import numpy as np
        from scipy import sparse
        from sklearn.feature_extraction.text import CountVectorizer

        self.size = len(texts)
        self.vocabulary: dict[str, int] = {}
        self.idf = np.zeros(0, dtype=np.float32)
        self.matrix: Any = None
        self.self_scores = np.zeros(0, dtype=np.float32)
        if not any(t.strip() for t in texts):
            return
        counter = CountVectorizer(token_pattern=TOKENS, lowercase=False, dtype=np.float32)
        tf = counter.fit_transform(texts).tocsr()
        self.vocabulary = {k: int(v) for k, v in counter.vocabulary_.items()}
        n = tf.shape[0]
        df = np.bincount(tf.indices, minlength=tf.shape[1]).astype(np.float32)
        self.idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        lengths = np.asarray(tf.sum(axis=1)).ravel()
        avg = float(lengths.mean()) or 1.0
        rows = np.repeat(np.arange(n), np.diff(tf.indptr))
        norm = k1 * (1 - b + b * lengths[rows] / avg)
        data = tf.data * (k1 + 1) / (tf.data + norm) * self.idf[tf.indices]
        weighted = sparse.csr_matrix((data.astype(np.float32), tf.indices, tf.indptr),
                                     shape=tf.shape)
        self.self_scores = np.asarray(weighted.sum(axis=1)).ravel().astype(np.float32)
        self.matrix = weighted.tocsc()
        self.k1 = k1

    def search(self, stems: list[str], k: int = 5) -> list[tuple[int, float, float]]:
        """Top `k` documents as (index, score, coverage 0..1)."""
        import numpy as np

        if self.matrix is None:
            return []
        ids = sorted({self.vocabulary[s] for s in stems if s in self.vocabulary})
        if not ids:
            return []
        scores = np.asarray(self.matrix[:, ids].sum(axis=1)).ravel()
        k = min(k, self.size)
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        upper = float(self.idf[ids].sum() * (self.k1 + 1)) or 1.0
        query_upper = float(sum(self.idf[self.vocabulary[s]] for s in set(stems)
                                if s in self.vocabulary) * (self.k1 + 1)) or upper
        out = []
        for i in top:
            score = float(scores[i])
            if score <= 0:
                break
            doc_cover = score / float(self.self_scores[i] or 1.0)
            query_cover = score / query_upper
            out.append((int(i), score, max(0.0, min(1.0, math.sqrt(doc_cover * query_cover)))))
        return out


@dataclass
class Engine:
    version: str
    trained_at: float
    sizes: dict[str, int]
    word_vectorizer: Any
    char_vectorizer: Any
    models: dict[str, FieldModel]
    answers: list[AnswerDoc] = field(default_factory=list)
    answer_index: BM25 | None = None
    cases: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # (ref, labels)
    case_index: BM25 | None = None
    cv_accuracy: dict[str, float] = field(default_factory=dict)
    _word_names: Any = None

    # -- prediction -------------------------------------------------------------------------
    def vectorise(self, prepared: list[tuple[str, str]]) -> tuple[Any, Any]:
        from scipy import sparse

        words = self.word_vectorizer.transform([p[1] for p in prepared])
        chars = self.char_vectorizer.transform([p[0] for p in prepared])
        return sparse.hstack([words, chars], format="csr"), words

    def rank(self, matrix: Any, fieldname: str) -> list[Ranking]:
        model = self.models.get(fieldname)
        if model is None or not model.classes:
            return [Ranking([], []) for _ in range(matrix.shape[0])]
        if model.weights is None:
            return [Ranking(list(model.classes), [1.0]) for _ in range(matrix.shape[0])]
        probs = model.probabilities(matrix)
        out = []
        for row in probs:
            order = row.argsort()[::-1]
            out.append(Ranking([model.classes[i] for i in order], [float(row[i]) for i in order]))
        return out

    def matched_words(self, words_row: Any, fieldname: str, code: str, limit: int = 3) -> list[str]:
        """The stems that pushed `code` up the most (linear contributions of word features)."""
        model = self.models.get(fieldname)
        if model is None or model.weights is None or code not in model.classes:
            return []
        index = model.classes.index(code)
        # Binary models have one column, for the second class.
        column = model.weights[:, 0] if model.weights.shape[1] == 1 else model.weights[:, index]
        weights = -column if model.weights.shape[1] == 1 and index == 0 else column
        if self._word_names is None:
            self._word_names = self.word_vectorizer.get_feature_names_out()
        row = words_row.tocsr()
        contributions = [(row.data[i] * weights[j], j) for i, j in enumerate(row.indices)]
        contributions.sort(reverse=True)
        names: list[str] = []
        for value, j in contributions:
            if value <= 0 or len(names) >= limit:
                break
            name = str(self._word_names[j]).replace("not_", "tidak ")
            if " " in name and any(part in names for part in name.split()):
                continue
            names.append(name)
        return names

    def similar_cases(self, stems: list[str], k: int = 5) -> list[tuple[str, dict[str, str], float]]:
        if self.case_index is None:
            return []
        return [(self.cases[i][0], self.cases[i][1], cover)
                for i, _, cover in self.case_index.search(stems, k)]

    def find_answers(self, stems: list[str], k: int = 3) -> list[tuple[AnswerDoc, float]]:
        if self.answer_index is None:
            return []
        out: list[tuple[AnswerDoc, float]] = []
        seen: set[str] = set()
        for i, _, cover in self.answer_index.search(stems, k * 3):
            doc = self.answers[i]
            key = " ".join(doc.text.lower().split())[:200]
            if key in seen:
                continue
            seen.add(key)
            out.append((doc, cover))
            if len(out) >= k:
                break
        return out


def _classifier(n: int) -> Any:
    """Logistic loss by SGD: probabilities, linear time (lbfgs took a minute on the seed)."""
    from sklearn.linear_model import SGDClassifier

    # Balanced classes: a small agency counts as much as a big one (macro-F1).
    return SGDClassifier(loss="log_loss", alpha=1e-5, max_iter=15 if n < SGD_FROM else 3,
                         tol=None, random_state=0, class_weight="balanced")


def _fit_field(matrix: Any, examples: list[Example], fieldname: str) -> FieldModel | None:
    import numpy as np

    rows = [i for i, ex in enumerate(examples) if ex.labels.get(fieldname)]
    if not rows:
        return None
    labels = [examples[i].labels[fieldname] for i in rows]
    counts = dict(Counter(labels))
    classes = sorted(counts)
    if len(classes) == 1:
        return FieldModel(classes, None, None, counts)
    classifier = _classifier(len(rows))
    weights = np.array([examples[i].weight for i in rows], dtype=np.float64)
    classifier.fit(matrix[rows], labels, sample_weight=weights)
    # Single precision halves the loaded model; the ranking does not change.
    return FieldModel([str(c) for c in classifier.classes_],
                      np.ascontiguousarray(classifier.coef_.T, dtype=np.float32),
                      classifier.intercept_.astype(np.float32), counts)


def train(examples: list[Example], *, answers: list[AnswerDoc] | None = None,
          version: str = "", cross_validate: bool = False) -> Engine:
    """Fit the vectorisers and one classifier per field that has labels."""
    import numpy as np
    from scipy import sparse
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer, TfidfVectorizer
    from sklearn.pipeline import make_pipeline

    started = time.time()
    prepared = [prepare(ex.text) for ex in examples]
    big = len(examples) >= SGD_FROM
    word_vectorizer = TfidfVectorizer(token_pattern=TOKENS, lowercase=False, ngram_range=(1, 2),
                                      sublinear_tf=True, min_df=2 if big else 1,
                                      max_features=WORD_FEATURES, dtype=np.float32)
    char_vectorizer = make_pipeline(
        HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), n_features=CHAR_FEATURES,
                          alternate_sign=False, norm=None, dtype=np.float32),
        TfidfTransformer(sublinear_tf=True))
    words = word_vectorizer.fit_transform([p[1] for p in prepared])
    chars = char_vectorizer.fit_transform([p[0] for p in prepared])
    matrix = sparse.hstack([words, chars], format="csr")
    models: dict[str, FieldModel] = {}
    for name in ALL_FIELDS:
        fitted = _fit_field(matrix, examples, name)
        if fitted is not None:
            models[name] = fitted
    history = [(ex, p) for ex, p in zip(examples, prepared, strict=True)
               if ex.source in ("office", "history")]
    engine = Engine(
        version=version or time.strftime("%Y%m%d%H%M%S"), trained_at=started,
        sizes={"total": len(examples),
               **{s: sum(1 for ex in examples if ex.source == s)
                  for s in ("seed", "taxonomy", "office", "history")}},
        word_vectorizer=word_vectorizer, char_vectorizer=char_vectorizer, models=models)
    if history:
        engine.cases = [(ex.ref, dict(ex.labels)) for ex, _ in history]
        engine.case_index = BM25([p[1] for _, p in history])
    answers = answers or []
    if answers:
        engine.answers = answers
        engine.answer_index = BM25([prepare(a.index_text)[1] for a in answers])
    if cross_validate:
        engine.cv_accuracy = cross_validated_accuracy(matrix, examples)
    engine.sizes["seconds"] = int(time.time() - started)
    return engine


def cross_validated_accuracy(matrix: Any, examples: list[Example], folds: int = 3,
                             limit: int = 2000) -> dict[str, float]:
    """Top-1 accuracy per field, k-fold over (a sample of) the training items."""
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    out: dict[str, float] = {}
    rng = np.random.default_rng(0)
    for name in ALL_FIELDS:
        rows = np.array([i for i, ex in enumerate(examples) if ex.labels.get(name)])
        if len(rows) > limit:
            rows = rng.choice(rows, limit, replace=False)
        labels = np.array([examples[i].labels[name] for i in rows])
        counts = Counter(labels.tolist())
        keep = np.array([counts[label] >= folds for label in labels], dtype=bool)
        rows, labels = rows[keep], labels[keep] if len(rows) else labels
        if len(set(labels.tolist())) < 2:
            continue
        right = 0
        for train_idx, test_idx in StratifiedKFold(folds, shuffle=True, random_state=0).split(
                rows, labels):
            classifier = _classifier(len(train_idx))
            weights = np.array([examples[i].weight for i in rows[train_idx]])
            classifier.fit(matrix[rows[train_idx]], labels[train_idx], sample_weight=weights)
            right += int((classifier.predict(matrix[rows[test_idx]]) == labels[test_idx]).sum())
        out[name] = round(right / len(rows), 4)
    return out
