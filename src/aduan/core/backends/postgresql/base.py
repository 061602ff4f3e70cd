"""PostgreSQL with a health check that costs no round trip.

With CONN_HEALTH_CHECKS (on in settings.py) Django checks a persistent connection at the
first query of every request by running `SELECT 1` on it: a second round trip for a status
lookup that is otherwise one statement (docs/benchmarks.md, public paths). Here the check
asks the connection's socket instead, without waiting: a live, idle connection has nothing to
read. When the server has closed it (a restart, `pg_terminate_backend`, an idle timeout) it
sent its farewell and end-of-file, so the socket is readable, and only then is Django's
`SELECT 1` run, which fails and lets Django open a new connection before the request's query,
as before. A connection psycopg already knows to be closed or broken fails the check at once.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self) -> None:
        if (self.pool or self.connection is None or not self.health_check_enabled
                or self.health_check_done):
            super().close_if_health_check_failed()
            return
        if not self._idle_socket_is_quiet():
            # Something happened on the socket: let Django's full check decide.
            super().close_if_health_check_failed()
            return
        self.health_check_done = True

    def _idle_socket_is_quiet(self) -> bool:
        """True when the connection is open, idle outside a transaction and the server has
        sent nothing since its last answer (so it has not closed the connection)."""
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        if connection.info.transaction_status != pq.TransactionStatus.IDLE:
            return False
        try:
            readable, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable
