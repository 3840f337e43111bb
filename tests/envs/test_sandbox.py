"""The sandbox, with real subprocesses: limits, escape attempts, output handling.

Limits stay tiny (CPU 1 s, wall 5 s, 256 MB, 8 processes) because the machine is small and shared;
each escape test runs one sandbox at a time.
"""

from __future__ import annotations

import os
import shutil
import socket
import time
from pathlib import Path

import pytest

from toolgym.envs import SandboxConfig, isolation_level, run_python
from toolgym.envs import sandbox as sandbox_module
from toolgym.errors import UserError

TINY = SandboxConfig(cpu_s=1, wall_s=5, memory_mb=256, processes=8, file_size_mb=1, max_output_bytes=2000)
NAMESPACES_POSSIBLE = os.geteuid() == 0 and all(shutil.which(t) for t in ("unshare", "setpriv", "mount"))
BWRAP = shutil.which("bwrap", path="/usr/local/bin:/usr/bin:/bin") is not None
# `auto` is bwrap (installed by .ci/run); the weak levels run only when named
LEVELS = [pytest.param("auto", marks=pytest.mark.skipif(not BWRAP, reason="bubblewrap (bwrap) is not installed")),
          "process"]  # fmt: skip
pytestmark = pytest.mark.skipif(not BWRAP, reason="bubblewrap (bwrap) is not installed: apt-get install bubblewrap")


def tiny(isolation: str = "auto", **update) -> SandboxConfig:
    return TINY.model_copy(update={"isolation": isolation, **update})


def test_prints_output_and_exit_code() -> None:
    result = run_python("import sys\nprint(6 * 7)\nprint('oops', file=sys.stderr)\nsys.exit(3)", tiny())
    assert (result.stdout, result.stderr, result.exit_code) == ("42\n", "oops\n", 3)
    assert result.status == "exit code 3" and result.stopped_by is None
    assert result.render() == "42\noops\n[exit code 3]"


def test_clean_run_renders_only_its_output() -> None:
    assert run_python("print('hi')", tiny()).render() == "hi"
    assert run_python("x = 1", tiny()).render() == "[no output]"


@pytest.mark.parametrize("isolation", LEVELS)
def test_traceback_shows_only_the_users_code(isolation: str) -> None:
    result = run_python("def f():\n    return 1 / 0\nf()", tiny(isolation))
    assert result.exit_code == 1
    assert 'main.py", line 2, in f' in result.stderr and "ZeroDivisionError: division by zero" in result.stderr
    assert "runpy" not in result.stderr and "<string>" not in result.stderr


def test_syntax_error_is_reported_with_its_line() -> None:
    result = run_python("x = 1\ndef f(:\n", tiny())
    assert result.exit_code == 1 and "SyntaxError" in result.stderr and "line 2" in result.stderr


@pytest.mark.parametrize("isolation", LEVELS)
def test_infinite_loop_is_killed_by_the_cpu_limit(isolation: str) -> None:
    result = run_python("while True:\n    pass", tiny(isolation, wall_s=60))  # 1 s of CPU, however loaded the machine
    assert result.stopped_by == "cpu" and result.exit_code is None
    assert result.status == "killed: CPU time limit (1 s) exceeded"
    assert "[killed: CPU time limit (1 s) exceeded]" in result.render()


def test_sleeping_code_is_killed_by_the_wall_clock() -> None:
    result = run_python("import time\nprint('start', flush=True)\ntime.sleep(60)", tiny(wall_s=1.5))
    assert result.stopped_by == "wall" and result.status == "killed: wall-clock limit (1.5 s) exceeded"
    assert result.stdout == "start\n"
    assert 1.4 < result.duration_s < 3.5


@pytest.mark.parametrize("isolation", LEVELS)
def test_memory_bomb_stops_at_the_memory_limit(isolation: str) -> None:
    result = run_python("blocks = []\nwhile True:\n    blocks.append(bytearray(50 * 2**20))", tiny(isolation))
    assert result.stopped_by == "memory" and result.status == "killed: memory limit (256 MB) exceeded"
    assert "MemoryError" in result.stderr


@pytest.mark.parametrize("isolation", LEVELS)
def test_fork_bomb_stops_at_the_process_limit(isolation: str) -> None:
    result = run_python("import os\nwhile True:\n    os.fork()", tiny(isolation, wall_s=60))
    assert result.stopped_by == "processes" and result.status == "killed: process limit (8) reached"
    assert "BlockingIOError" in result.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="stray processes are found by the run's own uid, given only by root")
@pytest.mark.parametrize("isolation", LEVELS)
def test_daemon_left_behind_is_killed(isolation: str) -> None:
    code = "import os, time\nif os.fork() == 0:\n    os.setsid()\n    time.sleep(30)\nprint(os.getuid())"
    result = run_python(code, tiny(isolation))
    uid = int(result.stdout)
    assert uid not in (0, os.getuid())
    deadline = time.monotonic() + 2
    while _processes_of(uid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _processes_of(uid), "a daemon outlived the sandbox"


@pytest.mark.parametrize("isolation", LEVELS)
def test_network_is_unreachable(isolation: str) -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:  # a real listener the sandbox must not reach
        port = server.getsockname()[1]
        code = f"import socket\ns = socket.create_connection(('127.0.0.1', {port}), timeout=2)\nprint('connected')"
        result = run_python(code, tiny(isolation))
        server.settimeout(0.1)
        with pytest.raises(TimeoutError):
            server.accept()  # the kernel completes a handshake even before accept(): none happened
    assert "connected" not in result.stdout
    # bwrap's network namespace has a loopback of its own, with nothing listening on it
    expected = {"bwrap": "ConnectionRefusedError", "process": "PermissionError"}[isolation_level(tiny(isolation))]
    assert expected in result.stderr


def test_name_resolution_is_refused_in_process_mode() -> None:
    result = run_python("import socket\nsocket.getaddrinfo('example.com', 80)", tiny("process"))
    assert "PermissionError: socket.getaddrinfo is disabled in this sandbox" in result.stderr


def test_programs_cannot_be_started_in_process_mode() -> None:
    result = run_python("import subprocess\nsubprocess.run(['true'])", tiny("process"))
    assert "PermissionError: subprocess.Popen is disabled in this sandbox" in result.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="writes outside the directory fail only when root drops to nobody")
@pytest.mark.parametrize("isolation", LEVELS)
def test_writing_outside_the_directory_fails(isolation: str, tmp_path: Path) -> None:
    repo_file = Path(__file__).resolve().parent / "sandbox-escape.txt"
    private = tmp_path / "escape.txt"
    code = "\n".join(
        f"try:\n    open({str(p)!r}, 'w').write('pwned')\n    print('wrote')\n"
        "except OSError as e:\n    print(type(e).__name__)"
        for p in (repo_file, private, Path("/etc/sandbox-escape.txt"))
    )
    result = run_python(code, tiny(isolation))
    assert "wrote" not in result.stdout, result.stdout
    # bwrap: none of these paths exists in the sandbox; process: they exist but belong to root
    assert {"FileNotFoundError": "bwrap", "PermissionError": "process"}[result.stdout.split()[0]] == result.isolation
    assert not repo_file.exists() and not private.exists() and not Path("/etc/sandbox-escape.txt").exists()


@pytest.mark.skipif(not NAMESPACES_POSSIBLE, reason="needs root and util-linux (unshare, setpriv, mount)")
def test_world_writable_directories_are_private_under_namespaces() -> None:
    name = f"toolgym-sandbox-test-{os.getpid()}"
    code = f"open('/tmp/{name}', 'w').write('x')\nopen('/dev/shm/{name}', 'w').write('x')\nprint('ok')"
    result = run_python(code, tiny("namespaces"))
    assert result.stdout == "ok\n"
    assert not Path(f"/tmp/{name}").exists() and not Path(f"/dev/shm/{name}").exists()


@pytest.mark.parametrize("isolation", LEVELS)
def test_working_directory_is_fresh_and_removed(isolation: str) -> None:
    first = run_python("import os\nopen('left.txt', 'w').write('x')\nprint(os.getcwd())", tiny(isolation))
    second = run_python("import os\nprint(sorted(os.listdir('.')))", tiny(isolation))
    assert second.stdout == "['main.py']\n"
    workdir = first.stdout.strip()
    if isolation_level(tiny(isolation)) == "process":
        assert not Path(workdir).exists()


@pytest.mark.parametrize("isolation", LEVELS)
def test_parent_environment_is_not_visible(isolation: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOOLGYM_SECRET_TOKEN", "s3cr3t-value")
    code = (
        "import os\nprint(' '.join(sorted(os.environ)))\n"
        f"try:\n    print(open('/proc/{os.getpid()}/environ').read())\n"
        "except OSError as e:\n    print(type(e).__name__)"
    )
    result = run_python(code, tiny(isolation))
    assert "s3cr3t-value" not in result.stdout and "TOOLGYM_SECRET_TOKEN" not in result.stdout
    names = set(result.stdout.splitlines()[0].split())
    minimal = {"HOME", "LANG", "PATH", "TMPDIR", "USER"}
    assert minimal <= names <= minimal | {"PWD", "OLDPWD"}  # the namespace setup shell adds PWD and OLDPWD
    assert "PermissionError" in result.stdout or "FileNotFoundError" in result.stdout


@pytest.mark.skipif(os.geteuid() != 0, reason="a sandbox as the same user may signal its parent")
@pytest.mark.parametrize("isolation", LEVELS)
def test_parent_cannot_be_killed(isolation: str) -> None:
    code = f"import os, signal\nos.kill({os.getpid()}, signal.SIGKILL)\nprint('sent')"
    result = run_python(code, tiny(isolation))
    assert "sent" not in result.stdout
    assert "ProcessLookupError" in result.stderr or "PermissionError" in result.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="the sandbox changes user only when started as root")
@pytest.mark.parametrize("isolation", LEVELS)
def test_each_run_has_its_own_unprivileged_user(isolation: str) -> None:
    code = "import os\nprint(os.getuid(), os.getgid(), os.getgroups())\nprint(open('/proc/self/status').read())"
    first, second = (run_python(code, tiny(isolation)).stdout for _ in range(2))
    uid, gid, groups = first.splitlines()[0].split(" ", 2)
    assert int(uid) >= 65534 and gid == uid and groups == "[]"
    assert second.split()[0] != uid
    assert "CapEff:\t0000000000000000" in first and "NoNewPrivs:\t1" in first


def test_large_files_fail_at_the_file_size_limit() -> None:
    code = "try:\n    open('big', 'wb').write(b'x' * 2 * 2**20)\nexcept OSError as e:\n    print(e.strerror)"
    assert run_python(code, tiny()).stdout == "File too large\n"


def test_output_is_truncated() -> None:
    result = run_python("print('x' * 100_000)", tiny())
    assert len(result.stdout) == 2000 and result.dropped_bytes == 100_001 - 2000
    assert result.exit_code == 0 and "[output truncated: 98001 more bytes not shown]" in result.render()


def test_files_are_written_next_to_the_code_and_importable() -> None:
    result = run_python("import helper\nprint(helper.VALUE)", tiny(), files={"helper.py": "VALUE = 7\n"})
    assert result.stdout == "7\n"


def test_stdin_is_empty() -> None:
    assert run_python("import sys\nprint(repr(sys.stdin.read()))", tiny()).stdout == "''\n"


@pytest.mark.parametrize("name", ["../up.py", "/etc/x", "", "main.py"])
def test_bad_file_name_is_a_user_error(name: str) -> None:
    with pytest.raises(UserError, match="use a plain name"):
        run_python("pass", tiny(), files={name: "x"})


def test_auto_picks_bwrap_where_it_works() -> None:
    assert isolation_level() == "bwrap"
    assert run_python("pass", tiny()).isolation == "bwrap"


def test_without_bwrap_code_is_refused_unless_a_weak_mode_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox_module.bwrap, "bwrap_path", lambda: None)  # as on a machine without bubblewrap
    sandbox_module._plan.cache_clear()
    try:
        with pytest.raises(UserError, match=r"not installed\. Install bubblewrap .* --sandbox process"):
            run_python("print('ran')", tiny())
        assert run_python("print('ran')", tiny("process")).stdout == "ran\n"
    finally:
        sandbox_module._plan.cache_clear()


@pytest.mark.skipif(not NAMESPACES_POSSIBLE, reason="needs root and util-linux (unshare, setpriv, mount)")
def test_the_earlier_namespaces_level_runs_when_named() -> None:
    result = run_python("import socket\nsocket.create_connection(('127.0.0.1', 9), timeout=1)", tiny("namespaces"))
    assert result.isolation == "namespaces" and "Network is unreachable" in result.stderr


def test_process_isolation_can_be_forced() -> None:
    assert run_python("pass", tiny("process")).isolation == "process"


def _processes_of(uid: int) -> list[str]:
    """Host pids of live (not zombie) processes whose real uid is `uid`."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        uids = next(line.split()[1:] for line in status.splitlines() if line.startswith("Uid:"))
        if int(uids[0]) == uid and "\nState:\tZ" not in status:
            found.append(pid)
    return found
