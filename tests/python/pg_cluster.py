"""A throwaway PostgreSQL cluster for the warehouse tests: Debian's server binaries, a data
directory and a Unix socket in a temp directory (no TCP port), run as the `postgres` user when
the tests run as root (the server refuses root), stopped and removed afterwards."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def server_bin() -> Path | None:
    """The newest Debian PostgreSQL server's bin directory, if one is installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[4]))
    return Path(found[-1]).parent if found else None


def _run(cmd: list[str]) -> None:
    """Runs a server command, as the `postgres` user when the tests run as root, outside any
    libfaketime the suite runs under (the server is not what travels in time)."""
    env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "FAKETIME")}
    subprocess.run(_as_server_user(cmd), check=True, capture_output=True, env=env)


def _as_server_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


@contextmanager
def cluster() -> Iterator[str]:
    """Starts a cluster; yields a libpq connection string for its `postgres` database."""
    bindir = server_bin()
    assert bindir, "PostgreSQL's server is needed (tests/setup.sh installs Debian's postgresql)"
    root = Path(tempfile.mkdtemp(prefix="fleetops-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")
    try:
        _run([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8"])
        options = f"-k {sock} -c listen_addresses='' -c fsync=off"
        pg_ctl = [str(bindir / "pg_ctl"), "-D", str(data)]
        _run([*pg_ctl, "-o", options, "-w", "-l", str(root / "log"), "start"])
        try:
            yield f"host={sock} dbname=postgres user=postgres"
        finally:
            with contextlib.suppress(subprocess.CalledProcessError):
                _run([*pg_ctl, "-m", "immediate", "stop"])
    finally:
        shutil.rmtree(root, ignore_errors=True)
