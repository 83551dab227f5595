"""Engines: what runs the per-document function over a batch — here, a process pool or a cluster.

Each engine takes the tasks and yields one outcome per task as it finishes, in no fixed order; it
knows nothing of dumps, stages or output files (that is `pipeline.batch`), and the caller reports
(`pipeline.progress`, `pipeline.report`). Both hand out the largest dumps first, so that a big file
does not start last and leave the other workers idle while it runs on its own.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from typing import Callable, Iterator

from pipeline.batch import Outcome, Task, process_file
from pipeline.model import InputError

Function = Callable[[Task], Outcome]


def local(tasks: list[Task], jobs: int, function: Function = process_file) -> Iterator[Outcome]:
    """Run in this process (one job, or one dump), in the order given, else in a pool of `jobs`
    worker processes."""
    if jobs <= 1 or len(tasks) <= 1:
        yield from map(function, tasks)
        return
    tasks = sorted(tasks, key=lambda task: -task.size)
    # A worker that dies (killed, out of memory) breaks the whole pool. The dumps that never
    # reached a worker go to a new pool; those that may have been running are then run one at a
    # time, so that the one that kills its worker fails alone.
    suspects = []
    while tasks:
        tasks, running = yield from _pool(tasks, min(jobs, len(tasks)), function)
        suspects += running
    for task in suspects:
        _, died = yield from _pool([task], 1, function)
        if died:
            yield Outcome(str(task.raw), "failed", f"{task.raw}: the worker process cleaning it "
                          "died (killed, or out of memory)", task.size)


def _pool(tasks: list[Task], jobs: int, function: Function):
    """Yield the outcomes; return the tasks left undone by a worker's death, split into those
    never dispatched and those that may have been running."""
    pool = ProcessPoolExecutor(jobs, mp_context=_context(), initializer=_ignore_interrupts)
    futures = [pool.submit(function, task) for task in tasks]
    of = dict(zip(futures, tasks))
    finished = set()
    try:
        for future in as_completed(futures):
            if isinstance(future.exception(), BrokenProcessPool):
                break
            finished.add(future)
            yield future.result() if future.exception() is None else _failed(of[future], future)
        else:
            return [], []
        lost = []
        for future, task in zip(futures, tasks):
            if future in finished:
                continue
            if isinstance(future.exception(), BrokenProcessPool):
                lost.append(task)
            else:  # done before the pool broke, not yet seen
                yield future.result() if future.exception() is None else _failed(task, future)
        # The pool dispatches in submission order, at most one call ahead of its workers.
        return lost[jobs + 1:], lost[:jobs + 1]
    finally:
        pool.shutdown(cancel_futures=True)


def _context():
    """Fork this process when it runs no other thread: the workers start at once, with all that it
    has imported. A thread's locks would be copied in whatever state they are in, so otherwise
    (a Dask client in the same process, say) they are forked from a clean server process, which
    costs a quarter of a second to start."""
    if threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["pipeline.batch"])
    return context


def _ignore_interrupts() -> None:
    # ^C reaches the whole process group; the main process alone decides what it means (stop
    # handing out work), instead of each worker printing a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def dask(tasks: list[Task], scheduler: str, function: Function = process_file) -> Iterator[Outcome]:
    """Run on the Dask cluster whose scheduler is at `scheduler` (`tcp://host:8786`).

    The workers read and write the same paths as this machine (a shared file system), so the
    paths are made absolute: a worker's working directory is its own.
    """
    from dask.distributed import Client, as_completed as finished  # a second to import: on demand

    try:
        client = Client(scheduler, timeout="20s")
    except (OSError, ValueError) as error:
        raise InputError(scheduler, f"cannot reach the Dask scheduler ({error})") from None
    with client:
        tasks = [_absolute(task) for task in sorted(tasks, key=lambda task: -task.size)]
        # pure=False: a re-run must run again, not fetch results the cluster still holds.
        futures = client.map(function, tasks, pure=False)
        of = dict(zip(futures, tasks))
        for future in finished(futures):
            yield future.result() if future.status == "finished" else _failed(of[future], future)


def _failed(task: Task, future) -> Outcome:
    """The outcome of a task whose worker raised instead of returning one (it died, on a cluster,
    or the result could not be sent back)."""
    error = future.exception()
    return Outcome(str(task.raw), "failed", f"{task.raw}: the worker cleaning it failed "
                   f"({type(error).__name__}: {error})", task.size)


def _absolute(task: Task) -> Task:
    stage_dir = task.options.stage_dir
    options = replace(task.options, out=task.options.out.absolute(),
                      decisions=task.options.decisions.absolute(),
                      stage_dir=stage_dir and stage_dir.absolute())
    return replace(task, raw=task.raw.absolute(), options=options)
