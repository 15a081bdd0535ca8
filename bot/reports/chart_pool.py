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
import pickle
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

from bot.reports import charts
from bot.reports.charts import Chart, ChartSpec

TASKS_PER_WORKER = 200
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
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["bot.reports.charts"])
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=context,
                initializer=charts.warm_up,
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
