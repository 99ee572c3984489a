"""Running the web app: claim the address first, then start uvicorn on it.

The socket is bound before anything says "Serving", so a port another
program holds gives one clear error (ServeError) instead of uvicorn's own
message after the fact; uvicorn then serves on that very socket, so no other
program can take the port in between.
"""
from __future__ import annotations

import errno
import socket

from claimledger.errors import ServeError


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (port 0: a free one)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise ServeError(f"cannot listen on {host}: {exc.strerror or exc}") from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a port left in TIME_WAIT, not one in use
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(f"port {port} on {host} is in use by another program: stop it, or choose another"
                             f" port with --port") from None
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


def bound_port(sock: socket.socket) -> int:
    return sock.getsockname()[1]


def run(app, sock: socket.socket) -> None:
    """Serve `app` on `sock` until Ctrl-C (uvicorn, quiet but for warnings)."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    server.run(sockets=[sock])
