"""Runs the processes of `scripts/run` side by side and stops them together.

    python scripts/supervise.py NAME=COMMAND [NAME=COMMAND ...]

Each COMMAND is run with the shell in its own process group, so that whatever it starts (runserver's reloader child,
Celery's pool and its embedded beat) can be stopped as a whole. Ctrl-C in the terminal, SIGTERM or SIGHUP to this
process, or the end of any one command stops them all: SIGTERM to each command, then to the rest of its group once it
has ended, then SIGKILL to what is left after STOP_GRACE seconds.

Why a supervisor and not a shell trap: a non-interactive shell starts background jobs with SIGINT ignored and only
runs its trap after the foreground command returns, so with `cmd &` plus `trap`, Ctrl-C could leave the Celery worker
and its beat running, orphaned (and a second `scripts/run` then started a second beat). Here the children never see the
terminal's Ctrl-C directly; this process does, and stops each group itself.
"""

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time

STOP_GRACE = float(os.environ.get("SUPERVISE_STOP_GRACE", "10"))
PR_SET_PDEATHSIG = 1


def _die_with_parent():
    """In the child before exec: its own process group, and SIGTERM if this supervisor dies (even by SIGKILL)."""
    os.setpgid(0, 0)
    # Not Linux: no prctl, and the process group still lets the supervisor stop it.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _say(text):
    print(f"[scripts/run] {text}", file=sys.stderr, flush=True)


def _signal_groups(children, sig):
    for name, child in children.items():
        try:
            os.killpg(child.pid, sig)
        except ProcessLookupError:
            pass
        except PermissionError:  # pragma: no cover - a recycled group id
            _say(f"无法向 {name} 发送信号")


def _groups_alive(children):
    alive = []
    for name, child in children.items():
        try:
            os.killpg(child.pid, 0)
            alive.append(name)
        except ProcessLookupError:
            pass
    return alive


def supervise(commands):
    stop = {"why": None}

    def on_signal(signum, _frame):
        stop["why"] = stop["why"] or signal.Signals(signum).name

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)

    children = {}
    for name, command in commands:
        children[name] = subprocess.Popen(["/bin/sh", "-c", f"exec {command}"], preexec_fn=_die_with_parent)

    exit_code = 0
    while stop["why"] is None:
        for name, child in children.items():
            code = child.poll()
            if code is not None:
                stop["why"] = f"{name} 已退出（{code}）"
                exit_code = code or 1
                break
        else:
            time.sleep(0.2)

    _say(f"正在停止全部进程：{stop['why']}")
    # SIGTERM to each command first, and to the rest of its group once the command has ended. A signal to the whole
    # group at once reached the Celery worker's pool processes too: they died under it, and the worker, in its warm
    # shutdown, waited for them until the SIGKILL came. The worker stops its pool and its beat itself; runserver's
    # reloader leaves its serving child behind, which the group signal then ends.
    for child in children.values():
        if child.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE
    group_signalled = set()
    while _groups_alive(children) and time.monotonic() < deadline:
        for name, child in children.items():
            if child.poll() is not None and name not in group_signalled:  # reaped: no zombie leader lingers
                group_signalled.add(name)
                _signal_groups({name: child}, signal.SIGTERM)
        time.sleep(0.2)
    left = _groups_alive(children)
    if left:
        _say(f"{STOP_GRACE:g} 秒后仍未退出，强制结束：{'、'.join(left)}")
        _signal_groups(children, signal.SIGKILL)
    for child in children.values():
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=5)
    _say("已全部停止。")
    return exit_code


def main(argv):
    commands = []
    for arg in argv:
        name, sep, command = arg.partition("=")
        if not sep or not name or not command:
            print(f"用法：supervise.py NAME=COMMAND …（不认识的参数：{arg}）", file=sys.stderr)
            return 2
        commands.append((name, command))
    if not commands:
        print("用法：supervise.py NAME=COMMAND …", file=sys.stderr)
        return 2
    return supervise(commands)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
