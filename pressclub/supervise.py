"""Run the demo's processes (the web server, the task worker) side by side and stop them together.

Each child runs in its own process group, so a terminal's Ctrl-C reaches only the supervising
``pressclub`` process, which stops the children in order and prints no traceback:

- a child that is not ready yet (its ``ready_url`` has not answered: granian still starting its
  workers, which then ignore every signal) has served nothing, and is killed at once;
- a ready child gets its ``stop_signal`` (granian stops on SIGINT; the worker finishes its task on
  SIGTERM) and ``stop_timeout`` seconds; one still running then is killed, and the operator told so;
- a second Ctrl-C or SIGTERM while stopping kills every child at once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

STOP_TIMEOUT = 10  # seconds a stopping child gets before it is killed


@dataclass
class Child:
    """One supervised process: its ``name`` for messages ("server"), its command line, the signal that
    stops it gracefully, and the URL that answers once it is ready (None: ready at once)."""

    name: str
    cmd: list[str]
    stop_signal: int = signal.SIGINT
    ready_url: str | None = None
    ready: threading.Event = field(default_factory=threading.Event)
    process: subprocess.Popen | None = None


def _probe(child: Child) -> None:
    """Set ``child.ready`` once its ready_url answers with any HTTP status, or once it has exited."""
    while child.process is not None and child.process.poll() is None:
        try:
            urllib.request.urlopen(child.ready_url, timeout=2).close()  # noqa: S310 - our own local server
        except urllib.error.HTTPError:
            pass  # an HTTP answer, even an error page, means the server is serving
        except OSError:
            time.sleep(0.2)
            continue
        break
    child.ready.set()


def signal_group(process: subprocess.Popen, signum: int) -> None:
    """Send ``signum`` to ``process``'s process group; a group already gone is not an error."""
    try:
        os.killpg(process.pid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def supervise(children: list[Child], *, stop_timeout: float = STOP_TIMEOUT) -> int:
    """Start ``children`` and wait; on Ctrl-C or SIGTERM stop them all and return 0.

    When a child exits by itself, the others are stopped too and its exit status is returned
    (with one line on stderr when it is not 0). Prints "Stopped." after a stop on request, preceded
    by "The <name> did not stop by itself; killed it." for each ready child that had to be killed.
    """
    killed: list[int] = []
    # While a child is being started a signal is only noted: raised then, it could leave a child
    # started but not recorded, running on after this process.
    starting = True
    pending: list[int] = []

    def _kill(signum, frame):
        # Stopping already: an impatient second signal means "now". Never raise here, or the
        # traceback would skip the waiting and leave children running.
        killed.append(signum)
        for child in children:
            if child.process is not None and child.process.poll() is None:
                signal_group(child.process, signal.SIGKILL)

    def _interrupt(signum, frame):
        if starting:
            pending.append(signum)
            return
        # Swap in the escalating handler first, so a signal arriving right after this one cannot
        # interrupt the stopping itself.
        signal.signal(signal.SIGINT, _kill)
        signal.signal(signal.SIGTERM, _kill)
        raise KeyboardInterrupt

    # A shell starts background jobs with SIGINT ignored; the demo still wants Ctrl-C/SIGINT to stop it.
    previous_int = signal.signal(signal.SIGINT, _interrupt)
    previous_term = signal.signal(signal.SIGTERM, _interrupt)
    try:
        for child in children:
            child.process = subprocess.Popen(child.cmd, process_group=0)
            if child.ready_url:
                threading.Thread(target=_probe, args=(child,), daemon=True).start()
            else:
                child.ready.set()
        starting = False
        if pending:
            _interrupt(pending[0], None)
        while True:
            for child in children:
                status = child.process.poll()
                if status is not None:
                    _stop_all(children, stop_timeout)
                    if status != 0:
                        print(f"pressclub: the {child.name} stopped with status {status}.", file=sys.stderr)
                    return status
            time.sleep(0.1)
    except KeyboardInterrupt:
        stubborn = _stop_all(children, stop_timeout)
        if killed and not stubborn:
            stubborn = [c.name for c in children if c.ready.is_set()]
        for name in stubborn:
            print(f"\nThe {name} did not stop by itself; killed it.", flush=True)
        print("\nStopped.", flush=True)
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous_term)
        signal.signal(signal.SIGINT, previous_int)


def _stop_all(children: list[Child], timeout: float) -> list[str]:
    """Stop every running child (see the module's docstring); return the names of ready ones killed."""
    running = [c for c in children if c.process is not None and c.process.poll() is None]
    for child in running:
        if child.ready.is_set():
            # To the child alone: granian stops its own workers, and hangs when they get it too.
            try:
                child.process.send_signal(child.stop_signal)
            except ProcessLookupError:
                pass
        else:
            signal_group(child.process, signal.SIGKILL)
    stubborn = []
    deadline = time.monotonic() + timeout
    for child in running:
        try:
            child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            stubborn.append(child.name)
            signal_group(child.process, signal.SIGKILL)
            child.process.wait()
    for child in children:  # workers left behind by a server that exited
        if child.process is not None:
            signal_group(child.process, signal.SIGKILL)
    return stubborn
