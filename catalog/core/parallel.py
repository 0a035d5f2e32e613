"""Work shared with forked processes: the one way the package runs work in parallel, for the validator
(the files in equal parts) and the pages (one language per process).

A forked child starts with the parent's memory as it was (data files read, schema compiled, records
loaded), so nothing is pickled but each job's result, sent back through a pipe. Forking is unsafe in a
process that runs other threads (`mkdocs serve`'s watchers): callers pass workers=1 there.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

# Records (files to check, practices to render) from which the work is shared. Measured on a 2-core
# machine: a fork and its wait cost 11-16 ms; checking a file takes 2.9 ms of CPU and sending its result
# back 0.5 ms; rendering a practice in both languages 5.4 ms, sending a language's pages back 0.07 ms a
# practice. A second process so pays from a few dozen records on an idle core; 100 keeps a margin for a
# busy core and copy-on-write faults, and leaves small catalogs (and most tests) in one simple process.
PARALLEL_FROM = 100


def worth_forking(workers: int, records: int) -> bool:
    """Whether to share the work of this many records among workers processes."""
    return workers > 1 and records >= PARALLEL_FROM and hasattr(os, "fork")


def run_all(jobs: Sequence[Callable[[], T]]) -> list[T]:
    """Each job's result, in order: the first job runs in this process while the others run in
    forked children; a child's exception is raised here."""
    waits = [forked(job) for job in jobs[1:]]
    return [jobs[0]()] + [wait() for wait in waits]


def forked(job: Callable[[], T]) -> Callable[[], T]:
    """Start job in a forked child process; returns a function that waits for its result (or raises
    the child's exception). The child shares the parent's memory as it was: nothing is pickled but
    the result, sent back through a pipe (read whole before the child is reaped)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the caller's code
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as pipe:
                pickle.dump(_outcome(job), pipe, protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            os._exit(0)
    os.close(write_end)

    def wait() -> T:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if not data:
            raise RuntimeError(f"a forked process ended without a result (status {status})")
        ok, value = pickle.loads(data)
        if not ok:
            raise value
        return value

    return wait


def _outcome(job: Callable[[], object]) -> tuple[bool, object]:
    """(True, result), or (False, the exception) in a form the parent can unpickle."""
    try:
        return True, job()
    except BaseException as error:  # noqa: BLE001 - handed to the parent, which raises it
        try:
            return False, pickle.loads(pickle.dumps(error))
        except Exception:  # noqa: BLE001 - an exception class that does not pickle
            return False, RuntimeError(f"{type(error).__name__}: {error}")
