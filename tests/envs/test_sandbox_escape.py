"""Escape attempts against the strong sandboxes (bwrap, the default; podman), as root and as an unprivileged user.

Each probe is model-written code as an attacker would write it: the probes of issue 16 (a shell
and a second interpreter started past the audit hook, the parent's environment, signalling the
parent, a process left behind, unix sockets under /run and abstract ones, the checkout's hidden
tests, host /proc, .db files under /tmp, nested user namespaces for /dev/fuse and /dev/net/tun,
memory held by several processes together) and the earlier ones (fork bomb, memory bomb, infinite
loop, disk fill, thread bomb, setuid binaries, ptrace, daemons). As `root` they run in this
process; as `nobody` one driver process started with `setpriv --reuid=65534 --regid=65534
--clear-groups` runs them all through `run_python` and reports the results as JSON, so the
sandbox is launched by an ordinary user exactly as a user's own toolgym would launch it.

Every probe runs under each strong level (`LEVELS`); where a level legitimately shows something
else (podman's /etc/hostname and /run/.containerenv, its default devices, a uid 0 that exists but
cannot be reached), `EXPECTED` says so per level. The podman level runs as root only (rootless
podman is not set up by toolgym): as nobody it must refuse, which its own test checks.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

import toolgym
from toolgym.envs import SandboxConfig, run_python

BWRAP = shutil.which("bwrap", path="/usr/local/bin:/usr/bin:/bin")
PODMAN = shutil.which("podman", path="/usr/local/bin:/usr/bin:/bin")
SETPRIV = shutil.which("setpriv", path="/usr/bin:/bin")
MISSING = {"bwrap": None if BWRAP else "bubblewrap (bwrap) is not installed: apt-get install bubblewrap",
           "podman": None if PODMAN else "podman is not installed: apt-get install podman"}  # fmt: skip
LEVELS = ("bwrap", "podman")
# what differs between the levels, and only that
EXPECTED = {
    "bwrap": {
        "root": {"dev", "lib", "lib64", "proc", "sandbox", "usr"},
        "dev": ["fd", "null", "urandom", "zero"],
        "made": {},  # directories the level itself makes, with their whole contents
        "setuid(0)": "Invalid argument",  # uid 0 is not even mapped in bwrap's user namespace
        "environment": "['HOME', 'LANG', 'PATH', 'PWD', 'TMPDIR', 'USER']",  # bwrap --chdir sets PWD
    },
    "podman": {
        "root": {"dev", "etc", "lib", "lib64", "proc", "run", "sandbox", "sys", "usr"},
        "dev": ["fd", "full", "mqueue", "null", "ptmx", "pts", "random", "shm", "stderr", "stdin", "stdout", "tty",
                "urandom", "zero"],
        "made": {"/etc": ["hostname", "mtab"], "/run": [".containerenv", "podman-init"], "/sys": [],
                 "/dev/pts": [], "/dev/mqueue": [], "/dev/shm": []},
        "setuid(0)": "Operation not permitted",  # no capabilities, no_new_privs: uid 0 exists but is out of reach
        "environment": "['HOME', 'HOSTNAME', 'LANG', 'PATH', 'TMPDIR', 'USER']",  # podman sets HOSTNAME=sandbox
    },
}  # fmt: skip

REPO = Path(toolgym.__file__).resolve().parent.parent
SECRET = "sk-toolgym-escape-test-secret"
LIMITS = {"cpu_s": 1, "wall_s": 6, "memory_mb": 256, "processes": 8, "file_size_mb": 1, "disk_mb": 4}
# probes that must stop at the CPU limit: on a loaded machine 1 s of CPU can take longer than 6 s
CPU_BOUND = {"cpu_together", "infinite_loop"}

# name -> code; {parent}, {port}, {unix}, {abstract}, {repo} are filled in before running
PROBES = {
    "shell": """
import multiprocessing.util as u, os
try:
    pid = u.spawnv_passfds(b'/bin/sh', [b'sh', b'-c', b'echo SHELL-RAN'], [])
    print('exit status', os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), os.path.exists('/bin/sh'))
except OSError as e:
    print('refused', type(e).__name__)
""",
    "second_interpreter": """
import subprocess, sys
code = "import socket; socket.create_connection(('127.0.0.1', {port}), timeout=2); print('CONNECTED')"
r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
print(r.stdout, r.stderr.strip().splitlines()[-1])
""",
    "environment": """
import os
print(sorted(os.environ))
for pid in ('{parent}', '1', 'self'):
    try:
        print(pid, open(f'/proc/{{pid}}/environ', 'rb').read())
    except OSError as e:
        print(pid, type(e).__name__)
""",
    "signal_parent": """
import os, signal
for sig in (signal.SIGTERM, signal.SIGKILL):
    try:
        os.kill({parent}, sig)
        print('sent to', {parent}, flush=True)
    except OSError as e:
        print(type(e).__name__, flush=True)
print('pids', sorted(int(p) for p in os.listdir('/proc') if p.isdigit()), flush=True)
try:
    os.kill(-1, signal.SIGKILL)  # every process this code may signal, but itself and the namespace's init
    print('kill(-1) sent')
except OSError as e:
    print('kill(-1)', type(e).__name__)
""",
    "daemon": """
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(30)
    os._exit(0)
print(os.readlink('/proc/self/ns/pid'))
""",
    "unix_sockets": """
import socket
for address in ('{unix}', '\\0{abstract}'):
    s = socket.socket(socket.AF_UNIX)
    try:
        s.connect(address)
        print('CONNECTED', repr(address))
    except OSError as e:
        print(type(e).__name__)
""",
    "network": """
import socket
for what, call in [
    ('tcp', lambda: socket.create_connection(('127.0.0.1', {port}), timeout=2)),
    ('dns', lambda: socket.getaddrinfo('example.com', 80)),
    ('udp', lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'x', ('1.1.1.1', 53))),
]:
    try:
        call()
        print(what, 'OK')
    except OSError as e:
        print(what, type(e).__name__)
""",
    "filesystem": """
import os
print(sorted(os.listdir('/')))
print(sorted(os.listdir('/dev')))
print(os.getcwd(), os.environ['HOME'])
for path in ('{repo}', '{repo}/toolgym/suites/code/lists.py', '/tmp', '/run', '/home', '/root', '/etc', '/var'):
    print(path, os.path.exists(path))
print({{d: sorted(os.listdir(d)) for d in ('/etc', '/run', '/sys', '/dev/pts', '/dev/mqueue', '/dev/shm')
       if os.path.isdir(d)}})
for path in ('/usr/escape', '/escape'):
    try:
        open(path, 'w')
        print('WROTE', path)
    except OSError as e:
        print(path, type(e).__name__)
""",
    "host_proc": """
import os
pids = [p for p in os.listdir('/proc') if p.isdigit()]
cmdlines = [open(f'/proc/{{p}}/cmdline', 'rb').read() for p in pids]
print(len(pids), any(b'pytest' in c or b'toolgym' in c for c in cmdlines))
""",
    "nested_userns": """
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
for name, flag in (('user', 0x10000000), ('net', 0x40000000), ('mount', 0x00020000)):
    print(name, libc.unshare(flag), os.strerror(ctypes.get_errno()))
print([d for d in ('/dev/fuse', '/dev/net/tun', '/usr/bin/unshare') if os.path.exists(d)])
""",
    "setuid_and_ptrace": """
import ctypes, os
found = []
for top, dirs, files in os.walk('/', onerror=lambda e: None):
    if top.startswith('/proc'):
        dirs[:] = []
        continue
    for f in files:
        p = os.path.join(top, f)
        if os.path.isfile(p) and os.stat(p).st_mode & 0o6000:
            found.append(p)
print('setuid', found)
try:
    os.setuid(0)
    print('BECAME ROOT')
except OSError as e:
    print('setuid(0)', e.strerror)
status = open('/proc/self/status').read()
print([line for line in status.splitlines() if line.startswith(('CapEff', 'NoNewPrivs'))])
libc = ctypes.CDLL(None, use_errno=True)
print('ptrace', libc.ptrace(16, {parent}, 0, 0), os.strerror(ctypes.get_errno()))  # PTRACE_ATTACH
""",
    "memory_together": """
import os, time
for _ in range(6):
    if os.fork() == 0:
        block = bytearray(150 * 2**20)
        time.sleep(5)
        os._exit(0)
time.sleep(5)
print('HELD ALL')
""",
    "cpu_together": """
import os, time
kids = []
for _ in range(4):
    pid = os.fork()
    if pid == 0:
        t = time.process_time()
        while time.process_time() - t < 0.6:
            pass
        os._exit(0)
    kids.append(pid)
for pid in kids:
    os.waitpid(pid, 0)
print('ALL FINISHED')
""",
    "fork_bomb": "import os\nwhile True:\n    os.fork()",
    "memory_bomb": "blocks = []\nwhile True:\n    blocks.append(bytearray(50 * 2**20))",
    "infinite_loop": "while True:\n    pass",
    "thread_bomb": """
import threading, time
threads = []
while True:
    t = threading.Thread(target=time.sleep, args=(10,), daemon=True)
    t.start()
    threads.append(t)
""",
    "disk_fill": """
import os
written = 0
try:
    while True:
        with open(f'fill{{written}}', 'wb') as f:
            f.write(b'x' * 2**19)
        written += 1
except OSError as e:
    print(written, e.strerror)
""",
}


@pytest.fixture(scope="module")
def listeners(tmp_path_factory: pytest.TempPathFactory):
    """A TCP listener on loopback, a unix socket under /run (else a temp dir) and an abstract one."""
    tcp = socket.create_server(("127.0.0.1", 0))
    run = Path("/run") if os.access("/run", os.W_OK) else tmp_path_factory.mktemp("run")
    path = run / f"toolgym-escape-{os.getpid()}.sock"
    unix = socket.socket(socket.AF_UNIX)
    unix.bind(str(path))
    abstract_name = f"toolgym-escape-{os.getpid()}"
    abstract = socket.socket(socket.AF_UNIX)
    abstract.bind("\0" + abstract_name)
    for s in (tcp, unix, abstract):
        s.listen()
        s.settimeout(0.05)
    os.chmod(path, 0o777)  # so that even the weak levels as nobody could connect: only the sandbox stops it
    db = Path("/tmp") / f"toolgym-escape-{os.getpid()}.db"
    db.write_text("host database")
    fill = {"port": tcp.getsockname()[1], "unix": str(path), "abstract": abstract_name, "repo": str(REPO)}
    yield fill, {"tcp": tcp, "unix under /run": unix, "abstract unix": abstract}
    for s in (tcp, unix, abstract):
        s.close()
    path.unlink(missing_ok=True)
    db.unlink(missing_ok=True)


@pytest.fixture(scope="module", params=[(level, user) for level in LEVELS for user in ("root", "nobody")],
                ids=lambda p: "-".join(p))  # fmt: skip
def outcomes(request: pytest.FixtureRequest, listeners) -> dict[str, dict]:
    """Each probe's SandboxResult (as a dict, plus `parent`: the pid of the process that ran it)."""
    level, user = request.param
    if MISSING[level]:
        pytest.skip(MISSING[level])
    if level == "podman" and user == "nobody":
        pytest.skip("the podman level runs as root only (rootless podman needs /etc/subuid ranges and newuidmap, "
                    "not set up by toolgym); test_podman_is_refused_to_an_ordinary_user checks that it refuses")
    fill, sockets = listeners
    for s in sockets.values():  # start clean: drain what an earlier half may have let through
        while _accepted(s):
            pass
    if user == "root":
        if os.geteuid() != 0:
            pytest.skip("the root half needs root (CI runs as root)")
        results = _run_all(fill, os.getpid(), "auto" if level == "bwrap" else level)
    else:
        results = _run_as_nobody(fill)
    assert {r["isolation"] for r in results.values()} == {level}  # bwrap: the default, for an ordinary user too
    results["listeners"] = {"reached": [name for name, s in sockets.items() if _accepted(s)]}
    results["level"] = {"name": level}
    return results


def _accepted(server: socket.socket) -> bool:
    """Whether a connection reached `server` (the kernel completes a handshake even before accept())."""
    try:
        server.accept()[0].close()
        return True
    except (TimeoutError, BlockingIOError):
        return False


def _run_all(fill: dict, parent: int, isolation: str = "auto") -> dict[str, dict]:
    config = SandboxConfig(**LIMITS, isolation=isolation)
    results = {}
    for name, code in PROBES.items():
        patient = config.model_copy(update={"wall_s": 60.0}) if name in CPU_BOUND else config
        result = run_python(code.format(parent=parent, **fill), patient)
        results[name] = {**result.model_dump(), "parent": parent}
    return results


def _run_as_nobody(fill: dict) -> dict[str, dict]:
    if os.geteuid() != 0 or SETPRIV is None:
        pytest.skip("the unprivileged half is started from root with util-linux's setpriv")
    driver = (
        "import json, os, sys\n"
        f"sys.path.insert(0, {str(REPO)!r})\n"
        "sys.path.insert(0, os.path.dirname(sys.argv[1]))\n"
        "import test_sandbox_escape as t\n"
        "print(json.dumps(t._run_all(json.loads(sys.argv[2]), os.getpid())))\n"
    )
    argv = [SETPRIV, "--reuid=65534", "--regid=65534", "--clear-groups", "--", sys.executable, "-c", driver,
            __file__, json.dumps(fill)]  # fmt: skip
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "OPENAI_API_KEY": SECRET, "LANG": "C.UTF-8"}
    done = subprocess.run(argv, capture_output=True, text=True, env=env, cwd="/", timeout=300, check=False)
    if done.returncode != 0 and ("ModuleNotFoundError" in done.stderr or "Permission denied" in done.stderr):
        pytest.skip(f"uid 65534 cannot run this checkout's interpreter or read it: {done.stderr.strip()[-300:]}")
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.splitlines()[-1])


def test_no_listener_on_the_host_was_reached(outcomes) -> None:
    assert outcomes["listeners"]["reached"] == []  # tcp on 127.0.0.1, a unix socket under /run, an abstract one


def test_no_shell_past_the_audit_hook(outcomes) -> None:
    out = outcomes["shell"]["stdout"]
    assert "SHELL-RAN" not in out and out == "exit status 255 False\n"  # the fork's exec failed: there is no /bin/sh


def test_a_second_interpreter_has_no_network(outcomes) -> None:
    out = outcomes["second_interpreter"]["stdout"]
    assert "CONNECTED" not in out and "ConnectionRefusedError" in out


def test_the_parents_environment_is_out_of_reach(outcomes) -> None:
    out = outcomes["environment"]["stdout"]
    assert SECRET not in out and "OPENAI_API_KEY" not in out
    assert out.splitlines()[0] == EXPECTED[outcomes["level"]["name"]]["environment"]
    assert f"{outcomes['environment']['parent']} FileNotFoundError" in out


def test_the_parent_cannot_be_signalled(outcomes) -> None:
    result = outcomes["signal_parent"]
    lines = result["stdout"].splitlines()
    assert lines[:2] == ["ProcessLookupError", "ProcessLookupError"]  # its pid does not exist in the sandbox
    pids = ast.literal_eval(lines[2].removeprefix("pids "))
    assert len(pids) == 2 and pids[0] == 1  # the init (bwrap's, podman's catatonit) and the code: no host process
    assert lines[3] == "kill(-1) ProcessLookupError"  # nothing else exists to signal


def test_nothing_outlives_the_call(outcomes) -> None:
    namespace = outcomes["daemon"]["stdout"].strip()
    assert namespace.startswith("pid:[")
    deadline = time.monotonic() + 3
    while (left := _processes_in(namespace)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not left, f"processes outlived the call: {left}"


def test_unix_sockets_outside_are_unreachable(outcomes) -> None:
    assert outcomes["unix_sockets"]["stdout"].splitlines() == ["FileNotFoundError", "ConnectionRefusedError"]


def test_no_network_of_any_kind(outcomes) -> None:
    lines = outcomes["network"]["stdout"].splitlines()
    assert lines == ["tcp ConnectionRefusedError", "dns gaierror", "udp OSError"]


def test_only_the_runtime_and_a_scratch_directory_are_visible(outcomes) -> None:
    expected = EXPECTED[outcomes["level"]["name"]]
    lines = outcomes["filesystem"]["stdout"].splitlines()
    assert set(ast.literal_eval(lines[0])) <= expected["root"]
    assert ast.literal_eval(lines[1]) == expected["dev"]
    assert lines[2] == "/sandbox /sandbox"
    made = [f"{d} True" for d in expected["made"]]  # the level's own /run and /etc, checked whole below
    assert all(line.endswith(" False") or line in made for line in lines[3:11]), lines[3:11]  # repo, tests, /tmp...
    assert ast.literal_eval(lines[11]) == expected["made"]
    assert lines[12:] == ["/usr/escape OSError", "/escape OSError"]


def test_host_processes_are_not_listed(outcomes) -> None:
    count, leaked = outcomes["host_proc"]["stdout"].split()
    assert int(count) <= 3 and leaked == "False"


def test_no_nested_namespaces_devices_or_unshare(outcomes) -> None:
    lines = outcomes["nested_userns"]["stdout"].splitlines()
    assert all(line.split()[1] == "-1" for line in lines[:3]), lines
    assert lines[3] == "[]"


def test_no_setuid_binaries_no_root_no_ptrace(outcomes) -> None:
    lines = outcomes["setuid_and_ptrace"]["stdout"].splitlines()
    assert lines[0] == "setuid []" and lines[1] == f"setuid(0) {EXPECTED[outcomes['level']['name']]['setuid(0)']}"
    assert lines[2] == "['CapEff:\\t0000000000000000', 'NoNewPrivs:\\t1']"
    assert lines[3] == "ptrace -1 No such process"


def test_memory_limit_holds_for_all_processes_together(outcomes) -> None:
    result = outcomes["memory_together"]
    assert "HELD ALL" not in result["stdout"] and result["stopped_by"] == "memory", result


def test_cpu_limit_holds_for_all_processes_together(outcomes) -> None:
    result = outcomes["cpu_together"]  # 4 x 0.6 s, each under the 1 s per process
    assert "ALL FINISHED" not in result["stdout"] and result["stopped_by"] == "cpu", result


@pytest.mark.parametrize(("probe", "stop"), [("fork_bomb", "processes"), ("memory_bomb", "memory"),
                                             ("infinite_loop", "cpu")])  # fmt: skip
def test_bombs_and_loops_stop_at_their_limits(outcomes, probe: str, stop: str) -> None:
    assert outcomes[probe]["stopped_by"] == stop, outcomes[probe]


def test_thread_bomb_stops_at_the_process_limit(outcomes) -> None:
    result = outcomes["thread_bomb"]  # threads count as processes: starting one past the limit fails
    assert result["exit_code"] == 1 and "RuntimeError: can't start new thread" in result["stderr"], result


def test_disk_fill_stops_at_the_scratch_size(outcomes) -> None:
    written, error = outcomes["disk_fill"]["stdout"].split(" ", 1)
    assert error.strip() == "No space left on device" and int(written) < 9  # 4 MB of 512 KB files


def test_podman_is_refused_to_an_ordinary_user() -> None:
    if MISSING["podman"] or os.geteuid() != 0 or SETPRIV is None:
        pytest.skip(MISSING["podman"] or "started from root with util-linux's setpriv")
    driver = (
        f"import sys; sys.path.insert(0, {str(REPO)!r})\n"
        "from toolgym.envs import SandboxConfig, run_python\n"
        "from toolgym.errors import UserError\n"
        "try:\n    run_python('print(1)', SandboxConfig(isolation='podman'))\n"
        "except UserError as e:\n    print('REFUSED', e)\n"
    )
    argv = [SETPRIV, "--reuid=65534", "--regid=65534", "--clear-groups", "--", sys.executable, "-c", driver]
    done = subprocess.run(argv, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"}, cwd="/", timeout=120)
    if "ModuleNotFoundError" in done.stderr or "Permission denied" in done.stderr:
        pytest.skip(f"uid 65534 cannot run this checkout's interpreter or read it: {done.stderr.strip()[-300:]}")
    assert done.stdout.startswith("REFUSED sandbox isolation 'podman' needs podman"), (done.stdout, done.stderr)
    assert "run as root" in done.stdout


def _processes_in(namespace: str) -> list[int]:
    """Host pids of live processes in the PID namespace `namespace` (as `pid:[inode]`)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            same = os.readlink(f"/proc/{pid}/ns/pid") == namespace
            zombie = "\nState:\tZ" in Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        if same and not zombie:
            found.append(int(pid))
    return found
