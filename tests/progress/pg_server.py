"""A throwaway PostgreSQL server for tests: initdb in a temporary folder, started and stopped here.

>>> server = PgServer.start()           # doctest: +SKIP
>>> url = server.create_database()      # 'postgresql://mlquiz@127.0.0.1:PORT/t1'
>>> url = server.create_schema()        # a fresh schema in 'postgres', in milliseconds
>>> server.stop()

PostgreSQL refuses to run as root, so as root the cluster belongs to `nobody` and its
processes run as that user (Popen(user=...), so the server stays this process's own
child); otherwise as the current user. The server listens
on a free TCP port of 127.0.0.1 and on a socket in its own folder. The superuser is
`mlquiz` with password PASSWORD: TCP connections must give it (scram), the socket trusts.
`unavailable()` says in one line why no server can be started here, or None.
"""
from __future__ import annotations

import ctypes
import glob
import itertools
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

PASSWORD = "s3cret-pw"
USER = "mlquiz"


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"),
                   key=lambda p: int(Path(p).parent.parent.name))
    return Path(found[-1]).parent if found else None


def unavailable() -> str | None:
    """Why the PostgreSQL tests cannot run here, in one line; None when they can."""
    if _bin_dir() is None:
        return "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/postgres; apt-get install postgresql)"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install -e '.[postgres]')"
    return None


_PR_SET_PDEATHSIG = 1
_prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up here: nothing is imported after fork


def _end_with_parent() -> None:
    """In the server's process before exec: a fast shutdown (SIGINT) when the test process
    dies without stopping it (a timeout, a kill), instead of a server left running."""
    _prctl(_PR_SET_PDEATHSIG, int(signal.SIGINT), 0, 0, 0)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PgServer:
    """One cluster in a temporary folder; `stop()` ends it and deletes the folder."""

    def __init__(self, folder: Path, port: int, *, fsync: bool = False) -> None:
        self.fsync = fsync  # off for tests (a SIGKILL keeps the OS's page cache); on for bench
        self.folder = folder
        self.data = folder / "data"
        self.port = port
        self.process: subprocess.Popen | None = None
        self._names = itertools.count(1)

    @classmethod
    def start(cls, *, fsync: bool = False) -> "PgServer":
        folder = Path(tempfile.mkdtemp(prefix="mlquiz-pg-", dir="/tmp"))
        server = cls(folder, free_port(), fsync=fsync)
        try:
            server._initdb()
            server.run()
        except BaseException:
            server.stop()
            raise
        return server

    # --- as the unprivileged owner --------------------------------------------------

    @staticmethod
    def _owner() -> dict:
        """Popen options that run a command as `nobody` when we are root."""
        return {"user": 65534, "group": 65534, "extra_groups": []} if os.geteuid() == 0 else {}

    def _initdb(self) -> None:
        if os.geteuid() == 0:
            os.chown(self.folder, 65534, 65534)
        pwfile = self.folder / "pw"
        pwfile.write_text(PASSWORD + "\n")
        if os.geteuid() == 0:
            os.chown(pwfile, 65534, 65534)
        subprocess.run([
            str(_bin_dir() / "initdb"), "-D", str(self.data), "-U", USER, "--pwfile", str(pwfile),
            "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync", "-E", "UTF8",
            "--locale=C.UTF-8"], check=True, capture_output=True, cwd=self.folder, **self._owner())
        pwfile.unlink()

    def run(self) -> None:
        """Start (or restart) the server and wait until it accepts connections."""
        log = open(self.folder / "server.log", "ab")
        self.process = subprocess.Popen([
            str(_bin_dir() / "postgres"), "-D", str(self.data), "-p", str(self.port),
            "-h", "127.0.0.1", "-k", str(self.folder), "-c", f"fsync={'on' if self.fsync else 'off'}",
            "-c", "max_connections=200", "-c", "shared_buffers=16MB"],
            stdout=log, stderr=log, start_new_session=True, cwd=self.folder,
            preexec_fn=_end_with_parent, **self._owner())
        log.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("postgres exited: " + (self.folder / "server.log").read_text()[-2000:])
            try:
                self.admin("SELECT 1")
                return
            except Exception:
                time.sleep(0.05)
        raise RuntimeError("postgres did not start within 30 s")

    def _children(self) -> list[int]:
        """The server's own processes (backends, checkpointer...), from /proc."""
        pids = []
        for stat in glob.glob("/proc/[0-9]*/stat"):
            try:
                fields = Path(stat).read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                pids.append(int(Path(stat).parent.name))
        return pids

    def kill(self) -> None:
        """SIGKILL the server and every process it started, as a crash would end them."""
        if self.process is None or self.process.poll() is not None:
            return
        children = self._children()
        os.kill(self.process.pid, signal.SIGKILL)
        for pid in children:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() and
                                                  "Z" not in _state(pid) for pid in children):
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # fast shutdown: backends end too
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        shutil.rmtree(self.folder, ignore_errors=True)

    # --- databases ----------------------------------------------------------------------

    def admin(self, sql: str, dbname: str = "postgres") -> list[tuple]:
        import psycopg

        with psycopg.connect(host=str(self.folder), port=self.port, user=USER, dbname=dbname,
                             autocommit=True, connect_timeout=5) as conn:
            cursor = conn.execute(sql)
            return cursor.fetchall() if cursor.description else []

    def create_database(self, name: str | None = None) -> str:
        """A new empty database; returns its TCP URL (no password: PGPASSWORD supplies it)."""
        name = name or f"t{os.getpid()}_{next(self._names)}"
        self.admin(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def create_schema(self, dbname: str = "postgres") -> str:
        """A new empty schema in `dbname`, as a URL whose connections use it (search_path):
        a fresh room in milliseconds, where CREATE DATABASE takes most of a second."""
        name = f"s{os.getpid()}_{next(self._names)}"
        self.admin(f'CREATE SCHEMA "{name}"', dbname=dbname)
        return f"{self.url(dbname)}?options=-csearch_path%3D{name}"

    def url(self, dbname: str) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{dbname}"

    def socket_url(self, dbname: str) -> str:
        return f"postgresql:///{dbname}?host={self.folder}&port={self.port}&user={USER}"
