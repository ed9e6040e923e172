"""Why a first large call can be slow on this project's VMs, with no fleetops
code at all: 1 GB is mapped, touched and freed, then mapped and touched again, straight away
or after a pause. The VM's virtio-balloon driver reports free 2 MB blocks to the hypervisor
(free page reporting, `/sys/module/page_reporting`), which takes their memory back; touching
such a block again faults on the host as well as in the guest. So memory the kernel hands out
costs ~7x more system time when it was freed seconds ago than when it was freed just now, and
a process's first large table usually gets the former. Linux only; run with benches/run."""

from __future__ import annotations

import mmap
import resource
import time
from pathlib import Path

REPORTED = Path("/sys/module/page_reporting/parameters/reported_kib")
MB = 1024


def touch(mb: int) -> float:
    """System seconds to map `mb` MiB (huge pages allowed, as fleetops' tables), write a byte
    in every 4 KiB page, and unmap it."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_stime
    m = mmap.mmap(-1, mb << 20, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    m.madvise(mmap.MADV_HUGEPAGE)
    for offset in range(0, mb << 20, 4096):
        m[offset] = 1
    m.close()
    return resource.getrusage(resource.RUSAGE_SELF).ru_stime - before


def reported_mib() -> int:
    return int(REPORTED.read_text()) >> 10 if REPORTED.exists() else 0


touch(MB)
rows: dict[float, list[tuple[float, int]]] = {0.0: [], 3.0: []}
for pause in [0.0, 3.0] * 4:
    before = reported_mib()
    time.sleep(pause)
    handed_back = reported_mib() - before
    rows[pause].append((touch(MB), handed_back))
for pause, runs in rows.items():
    secs = sorted(s for s, _ in runs)
    back = sorted(b for _, b in runs)
    print(
        f"first-touch  1 GiB freed, {pause:.0f} s pause, touched again: {secs[len(secs) // 2]:.3f} s of system time"
        f" (min {secs[0]:.3f}, max {secs[-1]:.3f}); MiB handed back to the host in the pause: {back[len(back) // 2]}"
    )
