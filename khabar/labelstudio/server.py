"""Start a throwaway Label Studio server on 127.0.0.1 (for the integration tests and local trials).

The server lives in its own virtual environment (`.ci/install-labelstudio`), never in
khabar's. It is started with a minimal environment because Label Studio reads
unprefixed variables (`HOST`, `PORT`, `USERNAME`, `PASSWORD` …) and would otherwise pick
up whatever the caller's shell holds. It moves to the next port when the requested one
is busy, so the port is read from what the server reports and then checked with
`GET /health` rather than assumed.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from khabar.files import fresh_file

VENV_ENV_VAR = "KHABAR_LABEL_STUDIO_VENV"
DEFAULT_VENV = Path.home() / ".cache" / "khabar" / "label-studio-venv"
HOST = "127.0.0.1"
# Django's runserver announces the address it serves; Label Studio picks the port first.
_SERVING = re.compile(r"Starting development server at http://(?P<host>[^:/]+):(?P<port>\d+)/")


def venv_path() -> Path:
    return Path(os.environ.get(VENV_ENV_VAR) or DEFAULT_VENV)


def executable(venv: Path | None = None) -> Path:
    return (venv or venv_path()) / "bin" / "label-studio"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str
    token: str = field(repr=False)


@dataclass
class Server:
    """A running server: `url` is where it really listens; `log` its combined output."""

    process: subprocess.Popen
    url: str
    port: int
    log: Path
    requested_port: int

    def stop(self, timeout: float = 20.0) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=timeout)


def server_environment(data_dir: Path, port: int, credentials: Credentials) -> dict[str, str]:
    """The whole environment the server gets: nothing is inherited but PATH and locale."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": str(data_dir),
        "PORT": str(port),
        "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),
        "LABEL_STUDIO_USERNAME": credentials.username,
        "LABEL_STUDIO_PASSWORD": credentials.password,
        "LABEL_STUDIO_USER_TOKEN": credentials.token,
        # Only honoured when the organisation is first created, i.e. on a fresh data dir.
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
        "COLLECT_ANALYTICS": "false",
        # No call out to the package index for a newer version at start (it also delays the start).
        "LATEST_VERSION_CHECK": "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }


def _health(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=timeout) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def start(
    data_dir: Path,
    credentials: Credentials,
    *,
    port: int | None = None,
    venv: Path | None = None,
    timeout: float = 300.0,
) -> Server:
    """Start the server and return once `GET /health` answers on the port it really bound.

    Raises RuntimeError (with the log's tail) when it exits or does not answer in time;
    the process is always stopped in that case.
    """
    requested = port or free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    command = [
        str(executable(venv)),
        "start",
        "--no-browser",
        "--internal-host",
        HOST,
        "--port",
        str(requested),
        "--data-dir",
        str(data_dir),
    ]
    # The server streams its log, which cannot be staged: a fresh file, never an existing one.
    with fresh_file(data_dir, prefix="label-studio.", suffix=".log") as (sink, log):
        process = subprocess.Popen(
            command,
            env=server_environment(data_dir, requested, credentials),
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=data_dir,
        )
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"Label Studio exited with code {process.returncode}:\n{_tail(log)}")
            match = _SERVING.search(log.read_text(encoding="utf-8", errors="replace"))
            if match and _health(f"http://{HOST}:{match['port']}"):
                bound = int(match["port"])
                return Server(process, f"http://{HOST}:{bound}", bound, log, requested)
            time.sleep(0.5)
        raise RuntimeError(f"Label Studio did not answer /health within {timeout:.0f} s:\n{_tail(log)}")
    except BaseException:
        process.kill()
        process.wait(timeout=30)
        raise


def _tail(log: Path, lines: int = 30) -> str:
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
