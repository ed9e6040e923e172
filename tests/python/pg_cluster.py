"""A throwaway PostgreSQL cluster for the warehouse tests: Debian's server binaries, a data
directory and a Unix socket in a temp directory (no TCP port), run as the `postgres` user when
the tests run as root (the server refuses root), stopped and removed afterwards.

From a shell (tests/airflow/run.sh): `pg_cluster.py start DIR` starts one whose files live in
DIR and prints its socket directory; `pg_cluster.py stop DIR` stops it."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def server_bin() -> Path:
    """The newest Debian PostgreSQL server's bin directory."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[4]))
    assert found, "PostgreSQL's server is needed (tests/setup.sh installs Debian's postgresql)"
    return Path(found[-1]).parent


def _run(cmd: list[str]) -> None:
    """Runs a server command, as the `postgres` user when the tests run as root, outside any
    libfaketime the suite runs under (the server is not what travels in time)."""
    env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "FAKETIME")}
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    subprocess.run(cmd, check=True, capture_output=True, env=env)


def start(where: Path) -> Path:
    """Makes and starts a cluster in `where`; its socket directory."""
    bindir = server_bin()
    data, sock = where / "data", where / "sock"
    sock.mkdir(parents=True)
    if os.geteuid() == 0:
        shutil.chown(where, "postgres")
        shutil.chown(sock, "postgres")
    _run([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8"])
    options = f"-k {sock} -c listen_addresses='' -c fsync=off"
    _run([str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-l", str(where / "log"), "start"])
    return sock


def stop(where: Path) -> None:
    """Stops the cluster in `where` (at once: its data is thrown away)."""
    with contextlib.suppress(subprocess.CalledProcessError):
        _run([str(server_bin() / "pg_ctl"), "-D", str(where / "data"), "-m", "immediate", "stop"])


@contextmanager
def cluster() -> Iterator[str]:
    """Starts a cluster; yields a libpq connection string for its `postgres` database."""
    where = Path(tempfile.mkdtemp(prefix="fleetops-pg-"))
    try:
        sock = start(where)
        try:
            yield f"host={sock} dbname=postgres user=postgres"
        finally:
            stop(where)
    finally:
        shutil.rmtree(where, ignore_errors=True)


if __name__ == "__main__":
    command, place = sys.argv[1], Path(sys.argv[2])
    if command == "start":
        print(start(place))
    else:
        stop(place)
