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

import re
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from mlquiz.errors import MlquizError

SCHEMES = ("postgresql", "postgres")
# Something that looks meant as a URL: a scheme, a colon, then a slash ("postgresql:/h/db"
# is what a URL becomes once it has been taken for a path and normalised).
_URL_LIKE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):/")


@dataclass(frozen=True)
class DatabaseURL:
    """A PostgreSQL database named by a libpq URL. `str()` never shows the password.

    `url` is what libpq is given (password included when one was written in it).
    """

    url: str

    @property
    def _parts(self):
        return urlsplit(self.url)

    @property
    def host(self) -> str:
        """The server as libpq will reach it: a host name, or the socket folder."""
        parts = self._parts
        query = dict(parse_qsl(parts.query))
        return unquote(parts.hostname or "") or query.get("host") or "the local socket"

    @property
    def port(self) -> str:
        parts = self._parts
        try:
            port = parts.port
        except ValueError:
            port = None
        return str(port or dict(parse_qsl(parts.query)).get("port") or "5432")

    @property
    def dbname(self) -> str:
        path = unquote(self._parts.path.lstrip("/"))
        return path or dict(parse_qsl(self._parts.query)).get("dbname", "")

    @property
    def where(self) -> str:
        """'host:port', for messages."""
        return f"{self.host}:{self.port}"

    @property
    def name(self) -> str:
        """A short name, like a file's: the database name."""
        return self.dbname or "postgresql"

    stem = name

    def __str__(self) -> str:
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
    match = _URL_LIKE.match(text)
    if match:
        scheme = match.group(1).lower()
        if scheme in SCHEMES:
            raise MlquizError(f"{_without_password(text)} is not a PostgreSQL URL (write "
                              f"postgresql://HOST[:PORT]/DBNAME, two slashes) nor a SQLite "
                              "file name", exit_code=2)
        raise MlquizError(f"{_without_password(text)}: mlquiz takes a SQLite file path or a "
                          f"postgresql:// URL, not a {scheme}: URL", exit_code=2)
    return Path(text).expanduser()


def _without_password(text: str) -> str:
    return re.sub(r"(//[^/@:]*):[^/@]*@", r"\1@", text)


def _checked_url(text: str) -> DatabaseURL:
    url = DatabaseURL(text)
    shown = str(url)
    try:
        url._parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise MlquizError(f"{shown}: the port is not a number; write "
                          "postgresql://HOST:PORT/DBNAME", exit_code=2) from None
    if not url.dbname:
        raise MlquizError(f"{shown} names no database; write postgresql://HOST[:PORT]/DBNAME",
                          exit_code=2)
    if url.dbname.endswith((".db", ".sqlite", ".sqlite3")) and Path(url.dbname).is_file():
        raise MlquizError(f"{url.dbname} is a SQLite file, not a PostgreSQL database; pass it "
                          f"as --db {url.dbname}", exit_code=2)
    return url


def describe(location: Path | DatabaseURL) -> str:
    """What a message calls the database: the path, or the URL without its password."""
    return str(location)
