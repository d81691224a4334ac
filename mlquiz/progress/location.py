"""Where a progress database lives: a SQLite file (a path) or a PostgreSQL server (a URL).

Every `--db`, `MLQUIZ_DB` and report source goes through `parse_db`, so a URL is
never taken for a file name, and the password in a URL is never printed:

>>> parse_db("room.db")
PosixPath('room.db')
>>> url = parse_db("postgresql://ada:pw@db.example:5433/room")
>>> str(url), url.where
('postgresql://ada@db.example:5433/room', 'db.example:5433')
>>> str(parse_db("postgresql:///room?host=/run/postgresql&port=5432"))
'postgresql:///room?host=/run/postgresql&port=5432'

Credentials come from libpq's own sources (PGPASSWORD, ~/.pgpass, PGSERVICE); a
password written into the URL works too but is kept out of every message.
"""
from __future__ import annotations

from os import PathLike
from pathlib import Path

from mlquiz.errors import MlquizError

SCHEMES = ("postgresql", "postgres")


def _url_scheme(text: str) -> str | None:
    """The scheme of text that looks meant as a URL: letters, a colon, then a slash
    ("postgresql:/h/db" is what a URL becomes once taken for a path and normalised).
    Plain string tests: a regex compiled here would cost every start 2 ms."""
    scheme, colon, rest = text.partition(":")
    if (colon and rest.startswith("/") and scheme[:1].isalpha() and len(scheme) > 1
            and all(char.isalnum() or char in "+.-" for char in scheme)):
        return scheme.lower()
    return None


class DatabaseURL:
    """A PostgreSQL database named by a libpq URL. `str()` never shows the password.

    `url` is what libpq is given (password included when one was written in it).
    A plain class, not a dataclass: the command line builds one before anything else.
    """

    __slots__ = ("url",)

    def __init__(self, url: str) -> None:
        object.__setattr__(self, "url", url)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a DatabaseURL does not change")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DatabaseURL) and other.url == self.url

    def __hash__(self) -> int:
        return hash(self.url)

    def __repr__(self) -> str:
        return f"DatabaseURL(url={str(self)!r})"  # never the password, even in a traceback

    @property
    def _parts(self):
        from urllib.parse import urlsplit  # only a URL pays for urllib

        return urlsplit(self.url)

    @property
    def host(self) -> str:
        """The server as libpq will reach it: a host name, or the socket folder."""
        from urllib.parse import parse_qsl, unquote

        parts = self._parts
        query = dict(parse_qsl(parts.query))
        return unquote(parts.hostname or "") or query.get("host") or "the local socket"

    @property
    def port(self) -> str:
        from urllib.parse import parse_qsl

        parts = self._parts
        try:
            port = parts.port
        except ValueError:
            port = None
        return str(port or dict(parse_qsl(parts.query)).get("port") or "5432")

    @property
    def dbname(self) -> str:
        from urllib.parse import parse_qsl, unquote

        path = unquote(self._parts.path.lstrip("/"))
        return path or dict(parse_qsl(self._parts.query)).get("dbname", "")

    @property
    def password(self) -> str | None:
        """A password written in the URL (never shown); libpq's own sources are not read here."""
        from urllib.parse import parse_qsl, unquote

        parts = self._parts
        if parts.password:
            return unquote(parts.password)
        return dict(parse_qsl(parts.query)).get("password")

    @property
    def where(self) -> str:
        """'host:port', for messages ('service NAME' when a libpq service names the server).

        >>> DatabaseURL("postgresql://?service=room").where
        'service room'
        """
        from urllib.parse import parse_qsl

        parts = self._parts
        query = dict(parse_qsl(parts.query))
        if not parts.hostname and "host" not in query:
            import os

            service = query.get("service") or os.environ.get("PGSERVICE")
            if service:
                return f"service {service}"
        return f"{self.host}:{self.port}"

    @property
    def name(self) -> str:
        """A short name, like a file's: the database name."""
        return self.dbname or "postgresql"

    stem = name

    def __str__(self) -> str:
        from urllib.parse import parse_qsl, quote

        parts = self._parts
        netloc = parts.netloc
        if "@" in netloc:
            userinfo, host = netloc.rsplit("@", 1)
            user = userinfo.split(":", 1)[0]
            netloc = f"{user}@{host}" if user else host
        query = "&".join(f"{key}={quote(value, safe='/:.')}" for key, value in
                         parse_qsl(parts.query) if key != "password")
        return f"{parts.scheme}://{netloc}{parts.path}" + (f"?{query}" if query else "")


def is_url(value: object) -> bool:
    """True for a DatabaseURL or text that starts with postgresql:// (or postgres://)."""
    if isinstance(value, DatabaseURL):
        return True
    return isinstance(value, str) and value.lower().startswith(
        tuple(f"{scheme}://" for scheme in SCHEMES))


def parse_db(value: str | PathLike | DatabaseURL) -> Path | DatabaseURL:
    """A path for SQLite, a DatabaseURL for PostgreSQL; MlquizError (exit 2) for a broken URL.

    >>> parse_db("postgresql:/h/db")
    Traceback (most recent call last):
    ...
    mlquiz.errors.MlquizError: postgresql:/h/db is not a PostgreSQL URL (write postgresql://HOST[:PORT]/DBNAME, two slashes) nor a SQLite file name
    """
    if isinstance(value, (DatabaseURL, Path)):
        return value
    text = str(value)
    if is_url(text):
        return _checked_url(text)
    scheme = _url_scheme(text)
    if scheme:
        if scheme in SCHEMES:
            raise MlquizError(f"{_without_password(text)} is not a PostgreSQL URL (write "
                              f"postgresql://HOST[:PORT]/DBNAME, two slashes) nor a SQLite "
                              "file name", exit_code=2)
        raise MlquizError(f"{_without_password(text)}: mlquiz takes a SQLite file path or a "
                          f"postgresql:// URL, not a {scheme}: URL", exit_code=2)
    if _looks_like_server_address(text):
        raise MlquizError(f"{text} looks like a PostgreSQL server address, not a SQLite file "
                          f"name; write it as a URL: postgresql://{text}", exit_code=2)
    return Path(text).expanduser()


def _looks_like_server_address(text: str) -> bool:
    """'db.example:5432/room' or 'localhost:5432/room': HOST:PORT/NAME, no scheme."""
    host, colon, rest = text.partition(":")
    port, slash, name = rest.partition("/")
    return bool(colon and slash and host and port.isdigit() and name and "/" not in host)


def _without_password(text: str) -> str:
    import re

    return re.sub(r"(//[^/@:]*):[^/@]*@", r"\1@", text)


def _checked_url(text: str) -> DatabaseURL:
    url = DatabaseURL(text)
    shown = str(url)
    try:
        url._parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise MlquizError(f"{shown}: the port is not a number; write "
                          "postgresql://HOST:PORT/DBNAME", exit_code=2) from None
    import os

    if not url.dbname and "service=" not in url.url and not (
            os.environ.get("PGSERVICE") or os.environ.get("PGDATABASE")):
        raise MlquizError(f"{shown} names no database; write postgresql://HOST[:PORT]/DBNAME "
                          "(or name a service: postgresql://?service=NAME)", exit_code=2)
    if url.dbname.endswith((".db", ".sqlite", ".sqlite3")) and Path(url.dbname).is_file():
        raise MlquizError(f"{url.dbname} is a SQLite file, not a PostgreSQL database; pass it "
                          f"as --db {url.dbname}", exit_code=2)
    return url


def db_setting(value: str | PathLike | None) -> Path | DatabaseURL:
    """--db, else MLQUIZ_DB, else the default file; a password written in a URL moves to
    PGPASSWORD (this process and the ones it starts), so argv and messages never carry it.

    >>> db_setting("postgresql://ada@db.example/room")
    DatabaseURL(url='postgresql://ada@db.example/room')
    """
    import os

    if value is None or str(value) == "":
        value = os.environ.get("MLQUIZ_DB") or None
    if value is None:
        from mlquiz import paths

        return paths.default_db_path()
    location = parse_db(value)
    if isinstance(location, DatabaseURL):
        password = location.password
        if password:
            os.environ["PGPASSWORD"] = password
            location = DatabaseURL(str(location))
    return location


def absolute(location: Path | DatabaseURL) -> Path | DatabaseURL:
    """The path resolved (for a child process in another folder); a URL as it is."""
    return location if isinstance(location, DatabaseURL) else Path(location).resolve()


def is_missing_file(location: Path | DatabaseURL) -> bool:
    """A SQLite path with no file there yet (a URL is never 'missing' before connecting)."""
    return not isinstance(location, DatabaseURL) and not Path(location).is_file()
