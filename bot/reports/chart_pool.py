"""Drawing report charts in worker processes, so the charts of one report are drawn at once
and the bot's own process neither stalls nor grows.

Agg spends most of a chart's time laying out and drawing text while holding the GIL, so
threads do not draw two charts at once (measured in issue 6); processes do. The workers come
from a forkserver that has already imported matplotlib (a new worker is a fork of it, about
50 ms, not a fresh interpreter), and each worker is replaced after `TASKS_PER_WORKER` charts so
that matplotlib's caches cannot grow without bound. With `workers=0` the charts are drawn in
one thread of this process (tests, or a machine with one core).

A chart is a pure function of its `ChartSpec`, so the last few images are kept (at most
`CACHE_BYTES`, least recently used dropped first): a closed window's report, drawn when the
window closed, comes back at once when an admin asks for it again, while any change in the
data changes the spec and draws anew.
"""

from __future__ import annotations

import asyncio
import hashlib
import multiprocessing
import os
import pickle
import select
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

from bot.reports import charts
from bot.reports.charts import Chart, ChartSpec

TASKS_PER_WORKER = 200
QUIET_TRACKER = "ignore:resource_tracker:UserWarning"
"""A warning filter for the helper processes multiprocessing starts (they take the parent's -W
options): after a bot killed with `kill -9` its resource tracker removes the pool's semaphores,
rightly, and says so in English in the bot's log, which is otherwise Russian."""
GONE_CHECK_SECONDS = 1.0
"""Where a process cannot be watched by a pidfd (not Linux), how often a worker looks."""
CACHE_BYTES = 8 * 2**20
"""About fifteen CSI reports' charts."""


class ChartRenderer:
    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._cache: OrderedDict[bytes, Chart] = OrderedDict()
        self._cached_bytes = 0

    def _executor(self) -> ProcessPoolExecutor:
        """Started on the first report, not at import or construction: most commands never
        draw a chart, and tests build many services."""
        if self._pool is None:
            if QUIET_TRACKER not in sys.warnoptions:
                sys.warnoptions.append(QUIET_TRACKER)
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["bot.reports.charts"])
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=context,
                initializer=start_worker,
                initargs=(os.getpid(),),
                max_tasks_per_child=TASKS_PER_WORKER,
            )
        return self._pool

    def start(self) -> None:
        """Start the workers now (the bot does this at start-up), so the first report does not
        wait for them."""
        if self.workers:
            pool = self._executor()
            for _ in range(self.workers):
                pool.submit(charts.warm_up)

    async def render(self, specs: Sequence[ChartSpec]) -> list[Chart]:
        """The charts of `specs`, in order: those drawn lately from the cache, the others drawn
        at once (in the workers, or in one thread when there are none)."""
        keys = [hashlib.sha256(pickle.dumps(spec)).digest() for spec in specs]
        missing = [(k, s) for k, s in zip(keys, specs, strict=True) if k not in self._cache]
        drawn = await self._draw([s for _, s in missing])
        found = {k: self._cache[k] for k in keys if k in self._cache}
        for (key, _), chart in zip(missing, drawn, strict=True):
            found[key] = chart
            self._remember(key, chart)
        for key in keys:
            if key in self._cache:
                self._cache.move_to_end(key)
        return [found[key] for key in keys]

    def forget(self) -> None:
        """Drop the kept images (the benchmark times first drawings)."""
        self._cache.clear()
        self._cached_bytes = 0

    def _remember(self, key: bytes, chart: Chart) -> None:
        if key in self._cache:
            return
        self._cache[key] = chart
        self._cached_bytes += len(chart.png)
        while self._cached_bytes > CACHE_BYTES:
            _, dropped = self._cache.popitem(last=False)
            self._cached_bytes -= len(dropped.png)

    async def _draw(self, specs: Sequence[ChartSpec]) -> list[Chart]:
        if not specs:
            return []
        if not self.workers:
            return await asyncio.to_thread(lambda: [charts.render(s) for s in specs])
        loop = asyncio.get_running_loop()
        pool = self._executor()
        return list(
            await asyncio.gather(*(loop.run_in_executor(pool, charts.render, s) for s in specs))
        )

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def start_worker(bot_pid: int) -> None:
    """Each worker's start: matplotlib warmed up, and a watch that ends the worker once the bot
    process is gone. A worker is the forkserver's child, not the bot's, and waits on a queue
    whose writing end every worker holds too, so nothing tells it that a bot killed with
    `kill -9` (or by the OOM killer) will send no more; and the forkserver lives while any
    worker does. Without the watch, each such kill left them all running, 100 MB each. (Under
    systemd the unit's cgroup is killed anyway.)"""
    threading.Thread(target=_exit_after, args=(bot_pid,), daemon=True, name="bot-watch").start()
    charts.warm_up()


def _exit_after(pid: int) -> None:
    try:
        watched = os.pidfd_open(pid)  # readable once the process has exited; never reused
    except (AttributeError, OSError):
        while _alive(pid):
            time.sleep(GONE_CHECK_SECONDS)
    else:
        select.select([watched], [], [])
    os._exit(0)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, only not ours to signal
        pass
    return True
