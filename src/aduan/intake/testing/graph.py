"""A real HTTP server standing in for Meta's Graph API and media store in tests.

It listens on 127.0.0.1 on a port the OS picks. The hosts names `127.0.0.1`, `localhost` and
`vm` all reach it (/etc/hosts), so one server plays the Graph host, Meta's media host and a
foreign host; every request is recorded with its Host header, so a test can prove that a token
or a request never reached a host. Routes answer with a status, headers and a body, or a
streamed body of any length (oversized media without Content-Length).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    status: int = 200
    body: bytes | Callable[[], Iterator[bytes]] = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, data: Any, status: int = 200) -> Reply:
        return cls(status, json.dumps(data).encode(), {"Content-Type": "application/json"})


@dataclass
class Seen:
    method: str
    host: str
    path: str
    headers: dict[str, str]
    body: bytes


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up mid-body (an oversized download refused) is expected.
        return


class GraphStandIn:
    def __init__(self) -> None:
        self.routes: dict[tuple[str, str, str], Reply | Callable[[Seen], Reply]] = {}
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        self.server = _QuietServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> GraphStandIn:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, host: str = "127.0.0.1", path: str = "") -> str:
        return f"http://{host}:{self.port}{path}"

    def on(self, method: str, host: str, path: str,
           reply: Reply | Callable[[Seen], Reply]) -> None:
        """Answer `method host path` (path with its query) with `reply`."""
        self.routes[(method, host, path)] = reply

    def reset(self) -> None:
        with self._lock:
            self.routes.clear()
            self.requests.clear()

    def seen(self, host: str | None = None, path: str | None = None) -> list[Seen]:
        with self._lock:
            return [r for r in self.requests
                    if (host is None or r.host == host) and (path is None or r.path == path)]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
                seen = Seen(self.command, host, self.path, dict(self.headers.items()), body)
                with stand_in._lock:
                    stand_in.requests.append(seen)
                reply = stand_in.routes.get((self.command, host, self.path))
                if callable(reply):
                    reply = reply(seen)
                if reply is None:
                    reply = Reply.json({"error": {"message": "not found", "code": 100}}, 404)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if isinstance(reply.body, bytes):
                    if "Content-Length" not in reply.headers:
                        self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                    return
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                try:
                    for chunk in reply.body():
                        self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                    self.wfile.write(b"0\r\n\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            do_GET = do_POST = _serve  # noqa: N815

        return Handler


def _fixtures() -> tuple[Any, Any]:
    import pytest

    @pytest.fixture(scope="session")
    def graph_server() -> Iterator[GraphStandIn]:
        server = GraphStandIn().start()
        yield server
        server.stop()

    @pytest.fixture
    def graph(graph_server: GraphStandIn, settings: Any) -> GraphStandIn:
        """The stand-in, emptied, with the app's Graph and media settings pointing at it:
        `127.0.0.1` is the Graph host, `localhost` Meta's media host, `vm` a foreign host."""
        graph_server.reset()
        settings.WHATSAPP_GRAPH_URL = graph_server.url(path="/v21.0")
        settings.WHATSAPP_ACCESS_TOKEN = "test-access-token"  # noqa: S105 (test value)
        settings.WHATSAPP_PHONE_NUMBER_ID = "1122334455667"
        settings.WHATSAPP_MEDIA_HOSTS = ["localhost"]
        settings.WHATSAPP_MEDIA_TOKEN_HOSTS = ["localhost"]
        return graph_server

    return graph_server, graph


graph_server, graph = _fixtures()
