"""The newcomer's first command, as lived in a terminal: `scripts/run` in a pseudo-terminal, then Ctrl-C (or SIGTERM, or
the death of one part) stops every process it started, and the checkout is left as it was.

Every process the command starts inherits its environment, so a marker variable finds them all in /proc, whatever
process group or session they moved to."""

import contextlib
import os
import pty
import signal
import socket
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STOP_WITHIN = 15  # seconds, as the issue asks

pytestmark = [
    pytest.mark.slow,
    pytest.mark.xdist_group("services"),
    pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="finds processes through /proc (Linux)"),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def processes_with(marker):
    """Pids of live processes (not zombies) whose environment holds the marker."""
    found = []
    needle = f"RUN_SCRIPT_TEST_MARKER={marker}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        if state != "Z":
            found.append(int(entry.name))
    return found


def command_line(pid):
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except FileNotFoundError:
        return ""


def untracked_files():
    out = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return {line[3:] for line in out.splitlines() if line.startswith("??")}


class RunningScript:
    def __init__(self, tmp_path):
        self.marker = uuid.uuid4().hex
        self.port = free_port()
        self.celery_log = tmp_path / "var" / "log" / "celery.log"
        self.output = bytearray()
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "DATABASE_"))},
            "RUN_SCRIPT_TEST_MARKER": self.marker,
            "PORT": str(self.port),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
            "DJANGO_VAR_DIR": str(tmp_path / "var"),
            "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
            "DEMO_PASSWORD": "run-script-pass-1",
            "SUPERVISE_STOP_GRACE": "8",
        }
        # pty.fork: the child gets a new session with the pseudo-terminal as its controlling terminal, as a shell
        # would give it; writing ^C to the master makes the terminal send SIGINT to its foreground process group.
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # pragma: no cover - the child
            os.chdir(ROOT)
            os.execve("/bin/bash", ["bash", "scripts/run"], env)
        os.set_blocking(self.fd, False)

    def read(self):
        try:
            while chunk := os.read(self.fd, 65536):
                self.output.extend(chunk)
        except (BlockingIOError, OSError):
            pass
        return self.output.decode(errors="replace")

    def wait_until_serving(self, timeout=240):
        deadline = time.monotonic() + timeout
        url = f"http://127.0.0.1:{self.port}/healthz"
        while time.monotonic() < deadline:
            self.read()
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200 and len(self.workers()) >= 2:
                        return
            except OSError:
                pass
            if os.waitpid(self.pid, os.WNOHANG) != (0, 0):
                raise AssertionError("scripts/run ended before serving:\n" + self.read()[-3000:])
            time.sleep(0.5)
        raise AssertionError("scripts/run did not start in time:\n" + self.read()[-3000:])

    def workers(self):
        return [p for p in processes_with(self.marker) if "celery" in command_line(p)]

    def wait_all_gone(self, timeout=STOP_WITHIN):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.read()
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, os.WNOHANG)
            if not processes_with(self.marker):
                return []
            time.sleep(0.25)
        return [(p, command_line(p)) for p in processes_with(self.marker)]

    def kill_everything(self):
        for pid in processes_with(self.marker):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.close(self.fd)


@pytest.fixture
def script(tmp_path):
    health = ROOT / "config" / "urls.py"
    assert "healthz" in health.read_text(), "the test waits on /healthz"
    before = untracked_files()
    running = RunningScript(tmp_path)
    yield running
    running.kill_everything()
    left = untracked_files() - before
    left = {f for f in left if not f.startswith("test-artifacts/")}
    assert not left, f"scripts/run left files in the checkout: {left}"


def test_ctrl_c_in_a_terminal_stops_the_server_the_worker_and_its_beat(script):
    script.wait_until_serving()
    started = processes_with(script.marker)
    assert any("runserver" in command_line(p) for p in started)
    assert any("celery" in command_line(p) for p in started)

    os.write(script.fd, b"\x03")  # Ctrl-C, typed at the terminal

    left = script.wait_all_gone()
    assert not left, f"still running {STOP_WITHIN} s after Ctrl-C: {left}\n{script.read()[-2000:]}"
    assert "已全部停止" in script.read()
    # The worker shut down as Celery does, by itself: not killed at the end of the grace period, and its pool not cut
    # from under it (a SIGTERM to each of its processes left it waiting for them until the SIGKILL came).
    assert "强制结束" not in script.read(), script.read()[-2000:]
    log = script.celery_log.read_text()
    assert "Warm shutdown" in log
    assert "exited with 'signal 15" not in log, log[-2000:]


def test_sigterm_stops_everything(script):
    script.wait_until_serving()
    # (While it runs: the address it prints on the 举报 poster, and in its mails, is the one it serves on.)
    with urllib.request.urlopen(f"http://127.0.0.1:{script.port}/report/poster/", timeout=10) as response:
        assert f"http://127.0.0.1:{script.port}/report/" in response.read().decode()
    os.kill(script.pid, signal.SIGTERM)  # bash exec'd the supervisor: this pid is it now
    left = script.wait_all_gone()
    assert not left, f"still running {STOP_WITHIN} s after SIGTERM: {left}"


def test_the_death_of_the_worker_stops_the_web_server_too(script):
    script.wait_until_serving()
    for pid in script.workers():
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    left = script.wait_all_gone()
    assert not left, f"the web server outlived the worker: {left}"
