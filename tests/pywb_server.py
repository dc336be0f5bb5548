"""pywb, the replay tool the tests hold our WARCs up to, in a virtual environment of its own.

pywb 2.10 pins old packages (redis==2.10.6, werkzeug==3.1.7, fakeredis<1) that clash with
archiver's own (scrapy-redis, for distributed crawls), so it is never installed beside archiver:
it lives in `.tools/pywb-venv` (gitignored, kept across runs) and runs as a subprocess on a loopback
port. It is a test tool, not a dependency of archiver.

Building the venv takes pip a while, so `.ci/run` does it before pytest (`python3
tests/pywb_server.py`) and no test has to wait for it; when it is missing (the README's quick
start), the first test that needs pywb builds it. This module is standard library only, so that
`.ci/run` can run it before archiver's own venv exists.
"""

from __future__ import annotations

import contextlib
import fcntl
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self

REPO = Path(__file__).resolve().parent.parent
VENV = REPO / ".tools" / "pywb-venv"
REQUIREMENTS = (
    "pywb==2.10.0",
    # pywb's WARC recorder releases its file lock with portalocker.lock(fh, LOCK_UN), which newer
    # portalocker (4.4.2 tried) refuses with a RuntimeError: replay starts, WARC writing breaks.
    "portalocker<3",
    # pywb 2.10.0's own metadata requires this already (replay alone was seen to start with
    # 26.2 all the same); repeated so that the whole recipe is here, in one place.
    "pyOpenSSL<26.2",
)
# Written last, so a venv without it (or with other requirements in it) is half-built or stale.
STAMP = "archiver-pywb-requirements.txt"
# pip's install is the slow one: about 20 s with a warm cache, minutes on a slow mirror.
COMMAND_TIMEOUT = 540.0
LOOPBACK = "127.0.0.1"


class PywbUnavailable(RuntimeError):
    """pywb could not be installed or started; the message says why, for a test failure."""


def ensure_venv(venv: Path = VENV) -> Path:
    """Return a venv holding pywb, building it first if it is missing, half-built or stale.

    The build runs under an exclusive lock on a file beside the venv, so two test sessions (or
    `.ci/run` and an engineer's pytest) started together build it once, and neither sees it
    half-built: the other waits on the lock, then finds the stamp.
    """
    wanted = _stamp_text()
    venv.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive_lock(venv.parent / f"{venv.name}.lock"):
        stamp = venv / STAMP
        if stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted:
            return venv
        shutil.rmtree(venv, ignore_errors=True)
        python = str(venv / "bin" / "python")
        try:
            _run([sys.executable, "-m", "venv", str(venv)])
            _run(
                [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", *REQUIREMENTS]
            )
            # Importing the replay app pulls in all `wayback` needs at startup: a dependency that
            # installs but does not import fails here, at build time, with its traceback.
            _run([python, "-c", "import pywb.apps.frontendapp, pywb.manager.manager"])
        except PywbUnavailable as error:
            raise PywbUnavailable(
                f"cannot build pywb's venv {venv} (pip needs PyPI; the next run tries again,"
                f" or now: python3 {Path(__file__).relative_to(REPO)}): {error}"
            ) from error
        stamp.write_text(wanted, encoding="utf-8")
    return venv


def make_collection(venv: Path, root: Path, name: str, warcs: Iterable[Path]) -> None:
    """Make pywb collection `name` under `root` from `warcs`, indexed by pywb's own indexer."""
    paths = [str(path) for path in warcs]
    if not paths:
        raise PywbUnavailable(f"no WARC files to put in pywb collection {name!r}")
    _run([str(venv / "bin" / "wb-manager"), "init", name], cwd=root)
    _run([str(venv / "bin" / "wb-manager"), "add", name, *paths], cwd=root)
    # Unframed: /COLL/TIMESTAMP/URL is then the rewritten page itself, not a frame around it,
    # so a plain HTTP client sees what a reader sees.
    (root / "config.yaml").write_text("framed_replay: false\n", encoding="utf-8")


@dataclass
class PywbServer:
    """`wayback` serving the collections under `root` on 127.0.0.1; a context manager."""

    root: Path
    port: int
    process: subprocess.Popen[bytes]

    @property
    def origin(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @classmethod
    def start(cls, venv: Path, root: Path, collection: str, timeout: float = 30) -> Self:
        """Start wayback on a free loopback port; return once `collection` answers."""
        log = root / "wayback.log"
        for _attempt in range(3):
            port = _free_port()
            with open(log, "wb") as out:
                # Own process group: stop() ends wayback and anything it may spawn, together.
                process = subprocess.Popen(
                    [str(venv / "bin" / "wayback"), "--bind", LOOPBACK, "--port", str(port)],
                    cwd=root,
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                    env=_tool_env(),
                )
            server = cls(root, port, process)
            try:
                server._wait_until_answering(f"/{collection}/", timeout)
            except PywbUnavailable:
                server.stop()
                # Another process may have taken the port between _free_port() and the bind.
                if "Address already in use" in _tail(log):
                    continue
                raise
            return server
        raise PywbUnavailable(f"wayback found no free port; its log:\n{_tail(log)}")

    def stop(self) -> None:
        """Terminate wayback's process group; kill it if it has not gone within 5 s."""
        for sig, grace in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
            try:
                self.process.wait(grace)
                return
            except subprocess.TimeoutExpired:
                continue

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _wait_until_answering(self, path: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise PywbUnavailable(
                    f"wayback exited ({self.process.returncode}) before answering; its log:\n"
                    + _tail(self.root / "wayback.log")
                )
            connection = http.client.HTTPConnection(LOOPBACK, self.port, timeout=2)
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    return
            except OSError:
                pass
            finally:
                connection.close()
            time.sleep(0.1)
        raise PywbUnavailable(
            f"wayback did not answer {self.origin}{path} within {timeout:.0f} s; its log:\n"
            + _tail(self.root / "wayback.log")
        )


def _stamp_text() -> str:
    # The base Python's minor version too: a venv made by another Python is rebuilt.
    version = f"python {sys.version_info.major}.{sys.version_info.minor}"
    return "\n".join([version, *REQUIREMENTS]) + "\n"


@contextlib.contextmanager
def _exclusive_lock(path: Path) -> Iterator[None]:
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _run(command: list[str], cwd: Path | None = None) -> None:
    shown = " ".join(command)
    try:
        done = subprocess.run(
            command,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
            env=_tool_env(),
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise PywbUnavailable(f"`{shown}` failed: {error}") from error
    if done.returncode != 0:
        output = (done.stdout + done.stderr).strip().splitlines()
        raise PywbUnavailable(f"`{shown}` exited {done.returncode}:\n" + "\n".join(output[-30:]))


def _tool_env() -> dict[str, str]:
    # The tool's Python must see its own venv only, not whatever the caller's path points at.
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def main() -> None:
    """Build the venv ahead of the tests (`.ci/run`), saying where it is and how long it took."""
    started = time.monotonic()
    try:
        venv = ensure_venv()
    except PywbUnavailable as error:
        sys.exit(str(error))
    print(f"pywb venv ready: {venv} ({time.monotonic() - started:.1f} s)")


if __name__ == "__main__":
    main()
