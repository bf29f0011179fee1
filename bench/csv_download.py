"""The CSV of a whole topic: how long the streamed download takes and what it costs the worker.

The CSV is not a page for wrk: one request is a whole file (about 16,000 rows at 100,000
studies), so it is downloaded a few times in each run (below), as a plain client asks (no
Accept-Encoding; the app does not compress streamed answers anyway), and timed from the
request to the last byte.
Its rows are counted with Python's csv reader.

Memory is read from /proc: before the download, every gunicorn worker's peak resident size
(VmHWM) is reset to its current size (writing 5 to /proc/<pid>/clear_refs), so the VmHWM read
afterwards is the peak during the download. The worker that served it is the one whose CPU
time grew most.

A worker's first CSV costs it some memory once (code and caches used for the first time, kept
for the next request), whatever the file's size. So the file is downloaded again until a
worker serves it a second time (at most one more download than there are workers), and that
download is the one judged: a response built in memory would hold at least the whole file at
once, so the memory counts as flat when the peak grew by less than half the file's size. Every
download is reported.
"""

from __future__ import annotations

import csv
import io
import statistics
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
TIME_TARGET_S = 2.0
FLAT_SHARE = 0.5  # the peak may grow by less than this share of the file's size


@dataclass
class CsvDownload:
    path: str
    rows: int
    bytes: int
    seconds: float
    worker: int
    rss_before_kb: int
    peak_kb: int
    rss_after_kb: int
    again: bool = False  # the worker had served this CSV before

    @property
    def growth_kb(self) -> int:
        return self.peak_kb - self.rss_before_kb

    @property
    def flat(self) -> bool:
        return self.growth_kb * 1024 < FLAT_SHARE * self.bytes


def worker_pids(master: int, proc: Path = PROC) -> list[int]:
    """The processes whose parent is ``master`` (gunicorn's workers)."""
    pids = []
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat_fields(stat.read_text())
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[1]) == master:
            pids.append(int(stat.parent.name))
    return sorted(pids)


def stat_fields(text: str) -> list[str]:
    """/proc/<pid>/stat from its fourth field on (ppid first): the command, in brackets, may
    hold spaces and brackets itself, so the fields start after the last ")"."""
    return text[text.rindex(")") + 2 :].split()


def cpu_ticks(pid: int, proc: Path = PROC) -> int:
    """User and system CPU time of ``pid``, in clock ticks (utime and stime)."""
    fields = stat_fields((proc / str(pid) / "stat").read_text())
    return int(fields[11]) + int(fields[12])


def memory_kb(pid: int, proc: Path = PROC) -> dict[str, int]:
    """VmRSS and VmHWM of ``pid``, in kB."""
    found = {}
    for line in (proc / str(pid) / "status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0])
    return found


def reset_peak(pid: int) -> None:
    (PROC / str(pid) / "clear_refs").write_text("5")


def download(url: str) -> tuple[float, bytes]:
    """Seconds from the request to the last byte, and the body."""
    started = time.monotonic()
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (loopback only)
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}")
        body = response.read()
    return time.monotonic() - started, body


def count_rows(body: bytes) -> int:
    """Rows of the CSV, not counting its header (a quoted cell may hold line breaks)."""
    reader = csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""))
    return max(sum(1 for _ in reader) - 1, 0)


def measure_csv(base: str, path: str, master: int) -> list[CsvDownload]:
    """Download ``path`` from the gunicorn whose master is ``master`` until a worker serves it
    for the second time; the last download is that one."""
    print(f"CSV: {path}", flush=True)
    downloads: list[CsvDownload] = []
    while not downloads or not downloads[-1].again:
        download_ = download_once(base, path, master)
        download_.again = any(earlier.worker == download_.worker for earlier in downloads)
        downloads.append(download_)
    return downloads


def download_once(base: str, path: str, master: int) -> CsvDownload:
    workers = worker_pids(master)
    for pid in workers:
        reset_peak(pid)
    before = {pid: (cpu_ticks(pid), memory_kb(pid)) for pid in workers}
    seconds, body = download(base + path)
    worker = max(workers, key=lambda pid: cpu_ticks(pid) - before[pid][0])
    after = memory_kb(worker)
    return CsvDownload(
        path=path,
        rows=count_rows(body),
        bytes=len(body),
        seconds=seconds,
        worker=worker,
        rss_before_kb=before[worker][1]["VmRSS"],
        peak_kb=after["VmHWM"],
        rss_after_kb=after["VmRSS"],
    )


def render_csv(runs: list[list[CsvDownload]]) -> str:
    """Every run's downloads, then the figures judged: a worker's second download of the file
    (the median time, the largest memory growth), with its first beside them."""
    first = [download for run in runs for download in run if not download.again]
    again = [run[-1] for run in runs]
    lines = [
        f"CSV of a whole topic, `{again[0].path}` (not compressed)",
        "",
        "| run | worker | worker's CSV | rows | bytes | seconds | RSS before | peak during | "
        "RSS after | growth |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for number, run in enumerate(runs, start=1):
        for download in run:
            lines.append(
                f"| {number} | {download.worker} | {'second' if download.again else 'first'} "
                f"| {download.rows:,} | {download.bytes:,} | {download.seconds:.2f} | "
                f"{megabytes(download.rss_before_kb)} | {megabytes(download.peak_kb)} | "
                f"{megabytes(download.rss_after_kb)} | +{megabytes(download.growth_kb)} |"
            )
    seconds = statistics.median(download.seconds for download in again)
    largest = max(again, key=lambda download: download.growth_kb)
    lines += [
        "",
        "| measure | value | target |",
        "| --- | ---: | --- |",
        f"| rows | {again[0].rows:,} |  |",
        f"| download, a worker's second, median of the runs | {seconds:.2f} s | "
        f"< {TIME_TARGET_S:.0f} s: {'met' if seconds < TIME_TARGET_S else 'MISSED'} |",
        f"| download, a worker's first, median | "
        f"{statistics.median(download.seconds for download in first):.2f} s |  |",
        f"| worker's peak memory growth, a worker's second, largest of the runs | "
        f"+{megabytes(largest.growth_kb)} | flat (under {FLAT_SHARE:.0%} of the file's "
        f"{largest.bytes / 1024 / 1024:.1f} MB): {'met' if largest.flat else 'MISSED'} |",
        f"| worker's peak memory growth, a worker's first, largest | "
        f"+{megabytes(max(download.growth_kb for download in first))} |  |",
    ]
    return "\n".join(lines)


def megabytes(kb: int) -> str:
    return f"{kb / 1024:.1f} MB"
