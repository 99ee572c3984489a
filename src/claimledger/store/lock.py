"""One writer per ledger: an exclusive lock on a file beside it (`FILE.lock`), held while a process may write.

SQLite alone would let two `ingest` runs interleave their documents and each
recompute the findings over the other's half-written work; the lock makes the
second run refuse at once with a clear message instead. Readers (`show`,
`export`, `check`) take no lock: the write-ahead log gives them a consistent
snapshot while a writer works.

The lock is an `flock` on an open file, so the kernel releases it when the
process ends, however it ends (a SIGKILL included); the file itself stays and
is reused. Forked children (the local engine's pool workers) close their copy
at once: a worker orphaned by a killed parent must not keep the ledger locked.
"""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TextIO

from claimledger.errors import LedgerBusyError, LedgerError

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: SQLite's own locking still keeps the file sound
    fcntl = None

_held: set[TextIO] = set()  # the lock files this process holds, closed in forked children


def _close_in_child() -> None:
    for fh in list(_held):
        try:
            fh.close()  # only this process's copy: the parent still holds the lock
        except OSError:
            pass
    _held.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_in_child)


def lock_path(ledger: Path) -> Path:
    return Path(f"{ledger}.lock")


PID_READ_TRIES = 10
PID_READ_PAUSE = 0.02  # seconds


class WriterLock:
    """The exclusive right to write one ledger; `acquire` refuses (LedgerBusyError) rather than wait."""

    def __init__(self, ledger: Path):
        self.ledger = Path(ledger)
        self.path = lock_path(self.ledger)
        self._fh: TextIO | None = None

    def acquire(self) -> None:
        if fcntl is None or self._fh is not None:
            return
        try:
            fh = open(self.path, "a+", encoding="ascii")  # noqa: SIM115 - held until release()
        except OSError as exc:
            raise LedgerError(f"{self.ledger}: cannot create the lock file {self.path} ({exc.strerror or exc})") from exc
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = _holder_pid(fh)
            fh.close()
            who = f"another claimledger process (pid {holder})" if holder.isdigit() else "another claimledger process"
            raise LedgerBusyError(
                f"{self.ledger}: {who} is writing this ledger; wait for it to finish, or use another --db"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self._fh = fh
        _held.add(fh)

    def release(self) -> None:
        if self._fh is None:
            return
        _held.discard(self._fh)
        self._fh.close()  # closing the file releases the lock
        self._fh = None

    def is_held_elsewhere(self) -> bool:
        """Is some other process writing the ledger now? (For `check`; takes and drops the lock at once.)"""
        if fcntl is None or self._fh is not None or not self.path.exists():
            return False
        try:
            with open(self.path, encoding="ascii") as fh:
                try:
                    fcntl.flock(fh.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
                except OSError:
                    return True
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        except OSError:
            return False
        return False


def _holder_pid(fh: TextIO) -> str:
    """The pid the holder wrote; it writes it just after taking the lock, so give it a moment."""
    for _ in range(PID_READ_TRIES):
        fh.seek(0)
        holder = fh.read(20).strip()
        if holder:
            return holder
        time.sleep(PID_READ_PAUSE)
    return ""
