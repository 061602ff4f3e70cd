"""Dates as Aduan writes them in Indonesian (FORMAT_MODULE_PATH): one long format on pages
("7 Desember 2026", "7 Desember 2026, 14.30": PUEBI writes the time with a dot) and one short,
fixed-width format in tables ("07 Des 2026", "07 Des 2026 14.30"). Templates use the `when`
filter (core/templatetags/dates.py), which also writes the machine-readable <time datetime>."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H.i"
SHORT_DATE_FORMAT = "d M Y"
SHORT_DATETIME_FORMAT = "d M Y H.i"
TIME_FORMAT = "H.i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
