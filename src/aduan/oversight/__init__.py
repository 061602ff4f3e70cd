"""Regency oversight (issue 18): figures across offices for the inspectorate and the regent's
staff, and the public statistics of the whole regency; aggregates only, never a case."""
