"""The web side of `mlquiz serve`: textual-serve with forked tabs and one code gate per room.

>>> server = RoomServer(command, argv, host="0.0.0.0", port=8000, gate=CodeGate(hash),
...                     banner="...", zygote=zygote)                    # doctest: +SKIP
>>> server.serve()                                                     # doctest: +SKIP

What differs from textual-serve's own Server:

- a tab is forked from the zygote (`mlquiz.workshop.launcher`) when there is
  one, else started as `command` in a fresh interpreter (textual-serve's way);
- every tab gets a socket to the server's `CodeGate`, and the server knows
  which browser it serves (a cookie set with the page, and its address), so
  the wrong-code lockout survives page reloads;
- the page's websocket address follows the request it answers, computed per
  request instead of written onto the shared server object;
- the console keeps what the instructor reads (the banner: addresses and codes;
  warnings and errors): web requests go only to `request_log`, a file, when given.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import secrets
import socket
from types import SimpleNamespace
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from mlquiz.workshop import gate as gates
from mlquiz.workshop.launcher import Zygote, ZygoteError

CLIENT_COOKIE = "mlquiz_client"


def tab_environment(width: int = 80, height: int = 24) -> dict[str, str]:
    """The environment textual-serve gives a tab's process (driver, colours, size)."""
    return AppService._build_environment(SimpleNamespace(debug=False), width, height)


class _ForkedProcess:
    """Enough of asyncio.subprocess.Process for AppService: three streams and a pid."""

    def __init__(self, pid: int, stdin, stdout, stderr, transports) -> None:
        self.pid, self.stdin, self.stdout, self.stderr = pid, stdin, stdout, stderr
        self.transports = transports

    def close(self) -> None:
        for transport in self.transports:
            transport.close()


async def _reader(fd: int) -> tuple[asyncio.StreamReader, asyncio.BaseTransport]:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=1 << 20)
    transport, _ = await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader),
                                                os.fdopen(fd, "rb", 0))
    return reader, transport


async def _writer(fd: int) -> asyncio.StreamWriter:
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.connect_write_pipe(asyncio.streams.FlowControlMixin,
                                                        os.fdopen(fd, "wb", 0))
    return asyncio.StreamWriter(transport, protocol, None, loop)


class TabService(AppService):
    """One browser tab: its app process (forked or fresh) and its line to the code gate."""

    def __init__(self, command: str, *, argv: list[str], zygote: Zygote | None,
                 gate: gates.CodeGate | None, client: str, address: str | None,
                 **options: Any) -> None:
        super().__init__(command, **options)
        self.argv, self.zygote, self.gate = argv, zygote, gate
        self.client, self.address = client, address
        self._gate_task: asyncio.Task | None = None

    async def _open_app_process(self, width: int = 80, height: int = 24):
        env = self._build_environment(width=width, height=height)
        ours, theirs = socket.socketpair()
        self._gate_task = asyncio.create_task(self._serve_gate(ours))
        try:
            process = await self._fork(env, theirs) if self.zygote else None
            if process is None:
                env[gates.GATE_FD_ENV] = str(theirs.fileno())
                process = await asyncio.create_subprocess_shell(
                    self.command, stdin=asyncio.subprocess.PIPE,
                    stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
                    env=env, pass_fds=[theirs.fileno()])
        finally:
            theirs.close()
        self._process = process
        self._stdin = process.stdin
        return process

    async def _fork(self, env: dict[str, str], gate_end: socket.socket):
        """A child of the zygote on three new pipes; None when the zygote cannot serve."""
        stdin_r, stdin_w = os.pipe()
        stdout_r, stdout_w = os.pipe()
        stderr_r, stderr_w = os.pipe()
        env[gates.GATE_FD_ENV] = "extra:0"
        loop = asyncio.get_running_loop()
        try:
            pid = await loop.run_in_executor(None, lambda: self.zygote.spawn(
                (stdin_r, stdout_w, stderr_w), env, self.argv, (gate_end.fileno(),)))
        except ZygoteError:
            for fd in (stdin_r, stdin_w, stdout_r, stdout_w, stderr_r, stderr_w):
                os.close(fd)
            return None
        for fd in (stdin_r, stdout_w, stderr_w):
            os.close(fd)
        stdin = await _writer(stdin_w)
        (stdout, out_transport), (stderr, err_transport) = (
            await _reader(stdout_r), await _reader(stderr_r))
        return _ForkedProcess(pid, stdin, stdout, stderr,
                              (stdin.transport, out_transport, err_transport))

    async def _serve_gate(self, sock: socket.socket) -> None:
        """Answer the tab's gate questions (one JSON line each) until it closes."""
        reader, writer = await asyncio.open_connection(sock=sock)
        loop = asyncio.get_running_loop()
        try:
            while line := await reader.readline():
                try:
                    request = json.loads(line)
                except ValueError:
                    break
                reply = await loop.run_in_executor(
                    None, gates.answer, self.gate, self.client, self.address, request)
                writer.write(json.dumps(reply).encode() + b"\n")
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def stop(self) -> None:
        await super().stop()
        if isinstance(self._process, _ForkedProcess):
            self._process.close()
        if self._gate_task is not None:
            self._gate_task.cancel()
            self._gate_task = None


class RoomServer(Server):
    """Learners at `/`; the instructor's live view and peer-instruction console at
    `/instructor`, behind `instructor_gate` (its own code, its own lockout)."""

    def __init__(self, command: str, argv: list[str], *, host: str, port: int, banner: str,
                 gate: gates.CodeGate | None = None, zygote: Zygote | None = None,
                 public_url: str | None = None,
                 instructor_gate: gates.CodeGate | None = None,
                 request_log: str | os.PathLike | None = None) -> None:
        super().__init__(command, host=host, port=port, title="mlquiz", public_url=public_url)
        self.argv, self.banner, self.gate, self.zygote = argv, banner, gate, zygote
        self.request_log = request_log
        self.instructor_gate = instructor_gate
        self.fixed_public_url = public_url.rstrip("/") if public_url else None
        self._sockets: set[web.WebSocketResponse] = set()

    def initialize_logging(self) -> None:
        """Warnings and errors on the console; every record (web requests included) in
        `request_log` when there is one. textual-serve's own setup printed each request."""
        from rich.logging import RichHandler

        console = RichHandler(show_path=False, show_time=False, console=self.console)
        console.setLevel(logging.WARNING)
        handlers: list[logging.Handler] = [console]
        if self.request_log is not None:
            to_file = logging.FileHandler(self.request_log, encoding="utf-8")
            to_file.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
            handlers.append(to_file)
        logging.basicConfig(level=logging.DEBUG if self.debug else logging.INFO,
                            handlers=handlers, force=True)

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        if self.instructor_gate is not None:
            app.add_routes([
                web.get("/instructor", self.handle_instructor_index, name="instructor"),
                web.get("/instructor/ws", self.handle_instructor_websocket,
                        name="instructor_websocket"),
            ])
        return app

    async def on_startup(self, app) -> None:
        print(self.banner, flush=True)

    async def on_shutdown(self, app) -> None:
        """Ctrl+C: close every tab's websocket first (its app then quits), else the
        server would wait for each open tab to end by itself."""
        await asyncio.gather(*(ws.close(code=1001, message=b"the room is closing")
                               for ws in list(self._sockets)), return_exceptions=True)
        if self.zygote is not None:
            self.zygote.close()

    def _base_url(self, request: web.Request) -> str:
        # Bound to 0.0.0.0, the page must send the browser back to the address it used.
        return self.fixed_public_url or f"{request.scheme}://{request.host}"

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        return self._page(request, "websocket")

    async def handle_instructor_index(self, request: web.Request) -> web.StreamResponse:
        return self._page(request, "instructor_websocket")

    def _page(self, request: web.Request, websocket_route: str) -> web.StreamResponse:
        base = self._base_url(request)
        websocket = request.app.router[websocket_route].url_for()
        static = request.app.router["static"].url_for(filename="/")
        scheme = "wss:" if base.startswith("https") else "ws:"
        context = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": scheme + f"{base}{websocket}".split(":", 1)[1],
            "config": {"static": {"url": f"{base}{static}".rstrip("/") + "/"}},
            "application": {"name": self.title},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        if not _client_id(request):
            response.set_cookie(CLIENT_COOKIE, secrets.token_hex(16), httponly=True,
                                samesite="Strict", max_age=7 * 24 * 3600)
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        return await self._tab(request, instructor=False)

    async def handle_instructor_websocket(self, request: web.Request) -> web.WebSocketResponse:
        return await self._tab(request, instructor=True)

    async def _tab(self, request: web.Request, *, instructor: bool) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        address = request.remote
        service = None
        self._sockets.add(websocket)
        try:
            await websocket.prepare(request)
            service = TabService(
                self.command + (" --instructor" if instructor else ""),
                argv=self.argv + (["--instructor"] if instructor else []), zygote=self.zygote,
                gate=self.instructor_gate if instructor else self.gate,
                client=_client_id(request) or f"address:{address}", address=address,
                write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                close=websocket.close, download_manager=self.download_manager,
                debug=self.debug)
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # noqa: BLE001 - one tab's failure must not stop the room
            logging.getLogger("textual-serve").exception(error)
        finally:
            self._sockets.discard(websocket)
            if service is not None:
                await service.stop()
        return websocket


def _client_id(request: web.Request) -> str | None:
    value = request.cookies.get(CLIENT_COOKIE, "")
    return value if len(value) == 32 and all(c in "0123456789abcdef" for c in value) else None
