"""A throwaway MariaDB server with the wp-sipd tables, for the SIPD sync tests.

`start_mariadb` starts a private server (Debian's `mariadb-server` binaries) whose data
directory, socket and log live in a directory of its own; it listens on its Unix socket only
and its root user logs in without a password, whichever OS user runs the tests.
`create_wp_sipd` makes a database with the wp-sipd tables (tests/data/sipd/wp_sipd_tables.sql,
copied from wp-sipd's tabel.sql) and `load_snapshot` overwrites tables with the rows of CSV
files, as a wp-sipd sync from SIPD does.
"""

from __future__ import annotations

import atexit
import csv
import fcntl
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

REPO = Path(__file__).resolve().parents[1]
WP_SIPD_TABLES = REPO / "tests" / "data" / "sipd" / "wp_sipd_tables.sql"
_SEARCH_DIRS = ("/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin", "/usr/local/mysql/bin")
_SERVERS = ("mariadbd", "mysqld")
_INSTALLERS = ("mariadb-install-db", "mysql_install_db")
_SOCKET_PATH_MAX = 100  # sun_path holds 108 bytes on Linux

# Settings for speed: nothing here must survive a crash.
_FAST = (
    "--innodb-buffer-pool-size=16M",
    "--innodb-log-file-size=8M",
    "--innodb-log-buffer-size=1M",
    "--innodb-flush-log-at-trx-commit=0",
    "--innodb-doublewrite=0",
    "--innodb-use-native-aio=0",  # containers often refuse io_setup / io_uring
    "--innodb-temp-data-file-path=ibtmp1:1M:autoextend",
    "--skip-innodb-buffer-pool-load-at-startup",
    "--skip-innodb-buffer-pool-dump-at-shutdown",
)


class MariaDBUnavailable(RuntimeError):
    """The server binaries are missing or the server would not start."""


@dataclass
class MariaDB:
    """A running throwaway server; `stop()` kills it and removes its directory."""

    workdir: Path
    socket: Path
    log: Path
    process: subprocess.Popen[bytes]
    startup_seconds: float
    _extra_dirs: list[Path] = field(default_factory=list)

    def url(self, database: str = "") -> str:
        """SQLAlchemy URL `mysql+pymysql://root@localhost/<database>?unix_socket=<socket>`
        (the socket path is percent-encoded; `make_url` decodes it)."""
        return URL.create(
            "mysql+pymysql", username="root", host="localhost", database=database or None,
            query={"unix_socket": str(self.socket)},
        ).render_as_string(hide_password=False)

    def stop(self) -> None:
        atexit.unregister(self.stop)
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=30)
        for directory in (self.workdir, *self._extra_dirs):
            shutil.rmtree(directory, ignore_errors=True)


def _find(names: tuple[str, ...]) -> str | None:
    for name in names:
        found = shutil.which(name) or shutil.which(name, path=os.pathsep.join(_SEARCH_DIRS))
        if found:
            return found
    return None


def _binaries() -> tuple[str, str]:
    server, installer = _find(_SERVERS), _find(_INSTALLERS)
    if server and installer:
        return server, installer
    if os.geteuid() == 0 and shutil.which("apt-get"):
        # One installer at a time when several pytest-xdist workers get here together.
        with open(Path(tempfile.gettempdir()) / "renja-mariadb-install.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            server, installer = _find(_SERVERS), _find(_INSTALLERS)
            if not (server and installer):
                done = subprocess.run([str(REPO / "scripts" / "ensure-debian-packages.sh"), "mariadb-server"],
                                      capture_output=True, text=True)
                if done.returncode != 0:
                    raise MariaDBUnavailable(
                        f"installing the Debian package mariadb-server failed:\n{done.stdout}{done.stderr}")
                server, installer = _find(_SERVERS), _find(_INSTALLERS)
        if server and installer:
            return server, installer
    raise MariaDBUnavailable(
        "the MariaDB server binaries (mariadbd or mysqld, and mariadb-install-db or mysql_install_db) "
        "were not found; install the Debian package mariadb-server "
        "(`scripts/ensure-debian-packages.sh mariadb-server` as root, or `make test`)")


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


def start_mariadb(workdir: Path, timeout: float = 60.0) -> MariaDB:
    """Start a server with its data directory in `workdir` (created if needed, removed by
    `stop()`); return once it accepts connections."""
    server, installer = _binaries()
    workdir = Path(workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    datadir, tmpdir, log = workdir / "data", workdir / "tmp", workdir / "server.log"
    tmpdir.mkdir(exist_ok=True)
    extra_dirs: list[Path] = []
    socket = workdir / "mysqld.sock"
    if len(os.fsencode(socket)) > _SOCKET_PATH_MAX:
        short = Path(tempfile.mkdtemp(prefix="renja-mdb-"))
        extra_dirs.append(short)
        socket = short / "mysqld.sock"
    # mariadbd refuses to run as root unless told to; the directory then stays root's.
    as_user = ["--user=root"] if os.geteuid() == 0 else []

    started = time.monotonic()
    install = subprocess.run(
        [installer, "--no-defaults", f"--datadir={datadir}", "--auth-root-authentication-method=normal",
         "--skip-test-db", *as_user, *_FAST],
        capture_output=True, text=True)
    if install.returncode != 0:
        shutil.rmtree(workdir, ignore_errors=True)
        raise MariaDBUnavailable(f"{installer} failed ({install.returncode}):\n{install.stdout[-3000:]}{install.stderr[-3000:]}")

    command = [
        server, "--no-defaults", *as_user, f"--datadir={datadir}", f"--socket={socket}", "--skip-networking",
        f"--pid-file={workdir / 'mysqld.pid'}", f"--log-error={log}", f"--tmpdir={tmpdir}",
        "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci",
        "--max-connections=200", "--skip-log-bin", *_FAST,
    ]
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    mariadb = MariaDB(workdir, socket, log, process, 0.0, extra_dirs)
    atexit.register(mariadb.stop)  # in case the fixture's teardown never runs

    import pymysql

    deadline = started + timeout
    last_error: Exception | None = None
    while True:
        if process.poll() is not None:
            log_tail = _tail(log)
            mariadb.stop()
            raise MariaDBUnavailable(f"MariaDB exited with status {process.returncode} while starting "
                                     f"({' '.join(command)}); server log:\n{log_tail}")
        if socket.exists():
            try:
                pymysql.connect(unix_socket=str(socket), user="root", connect_timeout=5).close()
                break
            except pymysql.err.MySQLError as error:
                last_error = error
        if time.monotonic() > deadline:
            log_tail = _tail(log)
            mariadb.stop()
            raise MariaDBUnavailable(f"MariaDB did not accept connections on {socket} within {timeout:.0f} s "
                                     f"(last error: {last_error}); server log:\n{log_tail}")
        time.sleep(0.02)
    mariadb.startup_seconds = time.monotonic() - started
    return mariadb


def _engine(url: str) -> sa.Engine:
    return sa.create_engine(url, poolclass=NullPool)


def _statements(sql: str) -> list[str]:
    """The statements of an SQL file whose statements end with `;` at the end of a line
    and whose comments are whole `--` lines (as wp_sipd_tables.sql)."""
    body = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return [statement.strip() for statement in re.split(r";[ \t]*$", body, flags=re.M) if statement.strip()]


def create_wp_sipd(url: str) -> None:
    """Create the database of `url` (if missing) and the wp-sipd tables in it (those missing)."""
    parsed = make_url(url)
    name = parsed.database
    if not name:
        raise ValueError(f"the URL names no database: {url}")
    server = _engine(parsed.set(database="").render_as_string(hide_password=False))
    try:
        with server.begin() as connection:
            quoted = connection.dialect.identifier_preparer.quote_identifier(name)
            connection.exec_driver_sql(f"CREATE DATABASE IF NOT EXISTS {quoted} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    finally:
        server.dispose()
    engine = _engine(url)
    try:
        with engine.begin() as connection:
            existing = set(sa.inspect(connection).get_table_names())
            for statement in _statements(WP_SIPD_TABLES.read_text(encoding="utf-8")):
                created = re.match(r"CREATE TABLE `([^`]+)`", statement)
                if created and created.group(1) in existing:
                    continue
                connection.exec_driver_sql(statement)
    finally:
        engine.dispose()


def load_snapshot(url: str, folder: Path) -> dict[str, int]:
    """For each `<table>.csv` in `folder` (UTF-8, a header row of column names, an empty cell
    meaning NULL): delete every row of the table, then insert the file's rows. All the
    tables change in one transaction. Returns the number of rows inserted per table."""
    files = sorted(Path(folder).glob("*.csv"))
    if not files:
        raise FileNotFoundError(f"no <table>.csv file in {folder}")
    inserted: dict[str, int] = {}
    engine = _engine(url)
    try:
        with engine.begin() as connection:
            for path in files:
                with path.open(newline="", encoding="utf-8-sig") as handle:
                    reader = csv.reader(handle)
                    header = next(reader, None)
                    if not header:
                        raise ValueError(f"{path}: no header row")
                    rows = []
                    for number, values in enumerate(reader, start=2):
                        if not values:
                            continue
                        if len(values) != len(header):
                            raise ValueError(f"{path}, line {number}: {len(values)} cells for {len(header)} columns")
                        rows.append({column: (value if value != "" else None) for column, value in zip(header, values, strict=True)})
                target = sa.table(path.stem, *(sa.column(column) for column in header))
                connection.execute(sa.delete(target))
                if rows:
                    connection.execute(sa.insert(target), rows)
                inserted[path.stem] = len(rows)
    finally:
        engine.dispose()
    return inserted
