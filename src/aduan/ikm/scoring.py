"""The community satisfaction survey (IKM/SKM, PermenPANRB 14/2017): its nine elements, their
answers on the 1-4 scale, and the index computed from element totals.

The computation here is pure arithmetic on totals the database has already summed
(`ikm.selectors.service_rating_ikm`), exact (fractions) until the published rounding.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SCALE = (1, 2, 3, 4)


@dataclass(frozen=True)
class Element:
    """One element (unsur) of the survey: its code as stored (`u1`), the regulation's name, the
    question of the regulation's sample questionnaire, and the answers for 1..4 (a..d)."""

    code: str
    name: Promise
    question: Promise
    answers: tuple[Promise, Promise, Promise, Promise]

    @property
    def number(self) -> int:
        return int(self.code[1:])

    @property
    def label(self) -> str:
        """"U1" as the regulation's tables name the columns."""
        return self.code.upper()


# The nine elements in the order of the regulation (Lampiran, ruang lingkup); the wording of the
# questions and answers follows its sample questionnaire.
ELEMENTS: tuple[Element, ...] = (
    Element("u1", _("Persyaratan"),
            _("Bagaimana pendapat Anda tentang kesesuaian persyaratan pelayanan dengan jenis "
              "pelayanannya?"),
            (_("Tidak sesuai"), _("Kurang sesuai"), _("Sesuai"), _("Sangat sesuai"))),
    Element("u2", _("Sistem, mekanisme, dan prosedur"),
            _("Bagaimana pemahaman Anda tentang kemudahan prosedur pelayanan di unit ini?"),
            (_("Tidak mudah"), _("Kurang mudah"), _("Mudah"), _("Sangat mudah"))),
    Element("u3", _("Waktu penyelesaian"),
            _("Bagaimana pendapat Anda tentang kecepatan waktu dalam memberikan pelayanan?"),
            (_("Tidak cepat"), _("Kurang cepat"), _("Cepat"), _("Sangat cepat"))),
    Element("u4", _("Biaya/tarif"),
            _("Bagaimana pendapat Anda tentang kewajaran biaya/tarif dalam pelayanan?"),
            (_("Sangat mahal"), _("Cukup mahal"), _("Murah"), _("Gratis"))),
    Element("u5", _("Produk spesifikasi jenis pelayanan"),
            _("Bagaimana pendapat Anda tentang kesesuaian produk pelayanan antara yang "
              "tercantum dalam standar pelayanan dengan hasil yang diberikan?"),
            (_("Tidak sesuai"), _("Kurang sesuai"), _("Sesuai"), _("Sangat sesuai"))),
    Element("u6", _("Kompetensi pelaksana"),
            _("Bagaimana pendapat Anda tentang kompetensi/kemampuan petugas dalam pelayanan?"),
            (_("Tidak kompeten"), _("Kurang kompeten"), _("Kompeten"),
             _("Sangat kompeten"))),
    Element("u7", _("Perilaku pelaksana"),
            _("Bagaimana pendapat Anda tentang perilaku petugas dalam pelayanan terkait "
              "kesopanan dan keramahan?"),
            (_("Tidak sopan dan ramah"), _("Kurang sopan dan ramah"), _("Sopan dan ramah"),
             _("Sangat sopan dan ramah"))),
    Element("u8", _("Penanganan pengaduan, saran dan masukan"),
            _("Bagaimana pendapat Anda tentang penanganan pengaduan pengguna layanan?"),
            (_("Tidak ada"), _("Ada tetapi tidak berfungsi"), _("Berfungsi kurang maksimal"),
             _("Dikelola dengan baik"))),
    Element("u9", _("Sarana dan prasarana"),
            _("Bagaimana pendapat Anda tentang kualitas sarana dan prasarana?"),
            (_("Buruk"), _("Cukup"), _("Baik"), _("Sangat baik"))),
)
ELEMENT_CODES: tuple[str, ...] = tuple(e.code for e in ELEMENTS)


@dataclass(frozen=True)
class Grade:
    """Mutu pelayanan: the letter, its performance label and the lowest converted value."""

    letter: str
    label: Promise
    minimum: Decimal


# Converted-value intervals of the regulation (nilai interval konversi): A 88.31-100,
# B 76.61-88.30, C 65.00-76.60, D 25.00-64.99. With the regulation's rounded weight (0.11) the
# lowest possible index is 24.75; it is still D.
GRADES: tuple[Grade, ...] = (
    Grade("A", _("Sangat baik"), Decimal("88.31")),
    Grade("B", _("Baik"), Decimal("76.61")),
    Grade("C", _("Kurang baik"), Decimal("65.00")),
    Grade("D", _("Tidak baik"), Decimal("0")),
)

TWO_PLACES = Decimal("0.01")
THREE_PLACES = Decimal("0.001")


def element_weight() -> Fraction:
    """The weight of each element's average (nilai rata-rata tertimbang): the regulation's 1/9,
    printed there rounded as 0.11 (setting `ADUAN_IKM_ELEMENT_WEIGHT`, "0.11" or "1/9")."""
    raw = str(settings.ADUAN_IKM_ELEMENT_WEIGHT)
    try:
        weight = Fraction(raw)
    except (ValueError, ZeroDivisionError):
        raise ImproperlyConfigured(
            f"ADUAN_IKM_ELEMENT_WEIGHT must be a number such as 0.11 or 1/9, not {raw!r}"
        ) from None
    if not 0 < weight * len(ELEMENTS) <= 1:
        raise ImproperlyConfigured(
            f"ADUAN_IKM_ELEMENT_WEIGHT {raw!r}: nine weights must add up to at most 1")
    return weight


def _decimal(value: Fraction, places: Decimal) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(places, rounding=ROUND_HALF_UP)


def grade_for(value: Decimal) -> Grade:
    """The grade of a converted value (0-100) already rounded to two decimals."""
    return next(g for g in GRADES if value >= g.minimum)


def overall_score(elements: Mapping[str, int]) -> int:
    """The overall 1-4 score kept with a rating: the elements' mean, halves rounded up."""
    total = sum(elements[code] for code in ELEMENT_CODES)
    return int(_decimal(Fraction(total, len(ELEMENT_CODES)), Decimal(1)))


@dataclass(frozen=True)
class ElementResult:
    element: Element
    total: int
    nrr: Decimal            # average score of the element (nilai rata-rata), 2 decimals
    nrr_weighted: Decimal   # times the weight (NRR tertimbang), 3 decimals
    converted: Decimal      # average x 25, 2 decimals: the element's own grade
    grade: Grade


@dataclass(frozen=True)
class IkmResult:
    """The index of a set of complete answers; `ikm`, `grade` and the element figures are None
    or empty without respondents. `without_elements` counts ratings that hold an overall score
    only (before the nine-element form): they are not part of the index."""

    respondents: int
    without_elements: int
    weight: Fraction
    elements: Sequence[ElementResult]
    ikm: Decimal | None
    grade: Grade | None
    # The period's population of service users (set by the office) and the minimum sample the
    # regulation's table gives for it (`minimum_sample`); None when the office set none.
    population: int | None = None
    minimum_sample: int | None = None
    # Of `respondents`: those who answered on the public survey page (not as reporters).
    survey_respondents: int = 0

    @property
    def below_minimum(self) -> bool:
        """The sample is smaller than the regulation's minimum for the period's population:
        the index is published with a warning."""
        return self.minimum_sample is not None and self.respondents < self.minimum_sample

    @property
    def weight_value(self) -> Decimal | str:
        """The weight as configured: Decimal("0.11") (shown localised) or "1/9"."""
        denominator = self.weight.denominator
        for factor in (2, 5):
            while denominator % factor == 0:
                denominator //= factor
        if denominator != 1:
            return str(self.weight)
        return Decimal(self.weight.numerator) / Decimal(self.weight.denominator)

    @property
    def weight_label(self) -> str:
        """"0.11" or "1/9", for open data."""
        return str(self.weight_value)

    def as_dict(self) -> dict[str, object]:
        """Open data: numbers as JSON numbers, labels in the active language."""
        return {
            "respondents": self.respondents,
            "survey_respondents": self.survey_respondents,
            "population": self.population,
            "minimum_sample": self.minimum_sample,
            "sample_below_minimum": self.below_minimum,
            "ratings_without_elements": self.without_elements,
            "element_weight": self.weight_label,
            "ikm": None if self.ikm is None else float(self.ikm),
            "grade": self.grade.letter if self.grade else None,
            "grade_label": str(self.grade.label) if self.grade else None,
            "elements": [
                {"code": r.element.label, "label": str(r.element.name), "nrr": float(r.nrr),
                 "nrr_weighted": float(r.nrr_weighted), "converted": float(r.converted),
                 "grade": r.grade.letter}
                for r in self.elements],
        }


def ikm_from_totals(*, respondents: int, totals: Mapping[str, int], weight: Fraction,
                    without_elements: int = 0) -> IkmResult:
    """IKM = sum over the nine elements of (element total / respondents) x weight, x 25.

    Every respondent answered every element (the form and the database require it), so each
    element's average has the same denominator. The index is computed from exact averages and
    rounded once, to two decimals, before it is graded.
    """
    if respondents <= 0:
        return IkmResult(respondents=0, without_elements=without_elements, weight=weight,
                         elements=(), ikm=None, grade=None)
    results = []
    index = Fraction(0)
    for element in ELEMENTS:
        nrr = Fraction(totals[element.code], respondents)
        converted = _decimal(nrr * 25, TWO_PLACES)
        results.append(ElementResult(
            element=element, total=totals[element.code], nrr=_decimal(nrr, TWO_PLACES),
            nrr_weighted=_decimal(nrr * weight, THREE_PLACES), converted=converted,
            grade=grade_for(converted)))
        index += nrr * weight
    ikm = _decimal(index * 25, TWO_PLACES)
    return IkmResult(respondents=respondents, without_elements=without_elements, weight=weight,
                     elements=tuple(results), ikm=ikm, grade=grade_for(ikm))


# The minimum sample for a population, from the Krejcie-Morgan table that PermenPANRB 14/2017
# (Lampiran, "Penentuan Jumlah Sampel") prints: (population N, sample S). A population between
# two rows takes the sample of the next larger row, so the minimum is never understated.
KREJCIE_MORGAN: tuple[tuple[int, int], ...] = (
    (10, 10), (15, 14), (20, 19), (25, 24), (30, 28), (35, 32), (40, 36), (45, 40), (50, 44),
    (55, 48), (60, 52), (65, 56), (70, 59), (75, 63), (80, 66), (85, 70), (90, 73), (95, 76),
    (100, 80), (110, 86), (120, 92), (130, 97), (140, 103), (150, 108), (160, 113),
    (170, 118), (180, 123), (190, 127), (200, 132), (210, 136), (220, 140), (230, 144),
    (240, 148), (250, 152), (260, 155), (270, 159), (280, 162), (290, 165), (300, 169),
    (320, 175), (340, 181), (360, 186), (380, 191), (400, 196), (420, 201), (440, 205),
    (460, 210), (480, 214), (500, 217), (550, 226), (600, 234), (650, 242), (700, 248),
    (750, 254), (800, 260), (850, 265), (900, 269), (950, 274), (1000, 278), (1100, 285),
    (1200, 291), (1300, 297), (1400, 302), (1500, 306), (1600, 310), (1700, 313),
    (1800, 317), (1900, 320), (2000, 322), (2200, 327), (2400, 331), (2600, 335),
    (2800, 338), (3000, 341), (3500, 346), (4000, 351), (4500, 354), (5000, 357),
    (6000, 361), (7000, 364), (8000, 367), (9000, 368), (10000, 370), (15000, 375),
    (20000, 377), (30000, 379), (40000, 380), (50000, 381), (75000, 382), (100000, 384),
)


def minimum_sample(population: int) -> int:
    """The regulation's minimum number of respondents for `population` service users in the
    period: every user below 10, the table's next row up to 100,000, 384 beyond."""
    if population <= 0:
        return 0
    for size, sample in KREJCIE_MORGAN:
        if population <= size:
            return min(sample, population)
    return KREJCIE_MORGAN[-1][1]
