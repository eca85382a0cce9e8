"""Helpers the browser tests share: serving the dashboard on a store of their own.

Browser test modules import from here (and from ``tests/helpers.py``), never from a
``conftest.py`` or from one another; ``tests/e2e/conftest.py`` builds its fixtures from here.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.helpers import REPO_ROOT

STARTUP_TIMEOUT_S = 60.0
SHUTDOWN_TIMEOUT_S = 10.0
# --- a real ``streamlit run`` server -----------------------------------------------------------


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing is listening on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def is_healthy(base_url: str) -> bool:
    """Return True when the Streamlit server at ``base_url`` reports itself healthy."""
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().decode().strip() == "ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """Ask ``process`` to stop, and kill it if it has not stopped within a few seconds."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=SHUTDOWN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def serve_dashboard(database_url: str, **env_extra: str) -> Iterator[str]:
    """Serve ``dashboard.py`` on ``database_url`` and yield the app's base URL.

    ``env_extra`` adds environment variables for the server (``ECM_PLAN_EDITING="1"``).
    """
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "dashboard.py",
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    env = {
        **os.environ,
        "ECM_DATABASE_URL": database_url,
        "PYTHONUNBUFFERED": "1",
        **env_extra,
    }
    # A file, not a pipe, holds the server's output: a full pipe would block the server.
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )

        def server_output() -> str:
            output.seek(0)
            return output.read().decode(errors="replace")

        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT_S
            while not is_healthy(base_url):
                if process.poll() is not None:
                    pytest.fail(
                        f"streamlit exited with code {process.returncode} before it was ready:\n"
                        f"{server_output()}",
                        pytrace=False,
                    )
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"streamlit was not healthy after {STARTUP_TIMEOUT_S:.0f} s:\n"
                        f"{server_output()}",
                        pytrace=False,
                    )
                time.sleep(0.25)
            yield base_url
        finally:
            stop_process(process)
