"""Is the platform running? Every web worker and task worker holds a shared lock on one file under
GERAI_VAR_DIR for its whole life; `restore` asks for the exclusive lock and is refused while any of them
lives (the kernel drops a dead process's lock, so a crash never leaves a stale lock behind)."""

import fcntl
import os
from pathlib import Path

from django.conf import settings

_held: list[int] = []


def lock_path() -> Path:
    path = Path(settings.VAR_DIR) / "run" / "platform.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def hold() -> None:
    """Mark this process as part of the running platform (until it exits)."""
    if _held:
        return
    fd = os.open(lock_path(), os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_SH)
    _held.append(fd)


class PlatformRunning(RuntimeError):
    pass


def exclusive() -> int:
    """The exclusive lock (a file descriptor to close when done), or PlatformRunning."""
    fd = os.open(lock_path(), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise PlatformRunning("the platform is running (a web or task worker holds its lock)") from None
    return fd
