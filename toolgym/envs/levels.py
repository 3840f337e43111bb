"""How each isolation level starts: the bootstrap every sandboxed interpreter runs, and the argv per level.

`command` builds what `run_python` launches: under `bwrap` the bubblewrap argv (`bwrap.py`), under
`podman` a `podman run` of a container (`container.py`), under
the weak levels the earlier `unshare` + `mount` setup (`namespaces`) or the interpreter alone with an
audit-hook guard (`process`). As root, each run gets a fresh unprivileged uid of its own
(`sandbox_uid`), to which bwrap and the `process` interpreter drop with util-linux's setpriv.
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import random
import shutil
import subprocess
from typing import TYPE_CHECKING

from . import bwrap
from . import container as podman

if TYPE_CHECKING:
    from .sandbox import Isolation, SandboxConfig

__all__ = ["JOIN", "MEMORY_EXIT", "PROCESSES_EXIT", "command", "kill_user", "namespaces_possible", "sandbox_uid"]

_NOBODY = 65534  # uid and gid of nobody/nogroup on Linux distributions
_UID_BASE, _UID_COUNT = 1_500_000_000, 1_000_000  # per-run uids: far above any login or system account
_uids = itertools.count(random.randrange(_UID_COUNT))  # next() is atomic under the GIL
MEMORY_EXIT = 97  # the bootstrap's exit code for an unhandled MemoryError
PROCESSES_EXIT = 98  # ... and for an unhandled BlockingIOError (fork refused by RLIMIT_NPROC)
_GUARDED_EVENTS = (
    "socket.__new__", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
    "socket.gethostbyaddr", "subprocess.Popen", "os.exec", "os.posix_spawn", "os.spawn", "os.system",
    "os.startfile", "ctypes.dlopen", "ctypes.dlsym",
)  # fmt: skip

# Runs inside the sandbox as `python -I -c _BOOT CONFIG`, reading {"code", "files"} as JSON on stdin.
_BOOT = r"""
import json, os, resource, sys
cfg = json.loads(sys.argv[1])
for name, soft, hard in cfg["limits"]:
    resource.setrlimit(getattr(resource, name), (soft, hard))
job = json.loads(sys.stdin.read())
null = os.open(os.devnull, os.O_RDONLY)
os.dup2(null, 0)
os.close(null)
for name, text in job["files"].items():
    with open(name, "w", encoding="utf-8") as f:
        f.write(text)
with open("main.py", "w", encoding="utf-8") as f:
    f.write(job["code"])
if cfg["guard"]:
    import ctypes
    ctypes.CDLL(None).prctl(38, 1, 0, 0, 0)  # PR_SET_NO_NEW_PRIVS: setuid programs grant nothing
    blocked = frozenset(cfg["guard"])
    def guard(event, args):
        if event in blocked and not (event == "socket.__new__" and args[1] == 1):  # AF_UNIX is allowed
            raise PermissionError(f"{event} is disabled in this sandbox (no network, no programs)")
    sys.addaudithook(guard)
main = os.path.abspath("main.py")
sys.path.insert(0, os.getcwd())
sys.argv = ["main.py"]
import runpy, traceback
try:
    runpy.run_path(main, run_name="__main__")
except SystemExit:
    raise
except BaseException as e:
    tb = e.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != main:
        tb = tb.tb_next
    traceback.print_exception(type(e), e, tb)
    sys.stderr.flush()
    code = {"MemoryError": cfg["memory_exit"], "BlockingIOError": cfg["processes_exit"]}
    os._exit(code.get(type(e).__name__, 1))
"""

# Runs as root inside the new namespaces: private tmpfs over the world-writable directories, a
# working directory owned by the run's uid, then the interpreter as that uid. Not `exec`: this shell stays
# PID 1 of the namespace, so the interpreter gets ordinary signal semantics and its status as 128+N.
_SETUP = """set -e
size="$1"; uid="$2"; setpriv="$3"; shift 3
for d in /tmp /var/tmp /dev/shm /run/lock; do
  if [ -d "$d" ]; then mount -t tmpfs -o "size=${size}m,mode=1777,nosuid,nodev" tmpfs "$d"; fi
done
mkdir -m 700 /tmp/work
chown "$uid:$uid" /tmp/work
cd /tmp/work
"$setpriv" --reuid "$uid" --regid "$uid" --clear-groups --inh-caps=-all --bounding-set=-all --no-new-privs -- "$@"
"""


def namespaces_possible() -> bool:
    """Whether the `namespaces` level can start here: root, and util-linux's unshare, setpriv and mount."""
    return os.geteuid() == 0 and all(shutil.which(t) for t in ("unshare", "setpriv", "mount"))


def boot_config(config: SandboxConfig, guard: bool) -> str:
    """The bootstrap's argument: resource limits to set, audit-hook events to refuse, exit codes to use."""
    mb = 1024 * 1024
    limits = [
        ("RLIMIT_CPU", config.cpu_s, config.cpu_s + 1),
        ("RLIMIT_AS", config.memory_mb * mb, config.memory_mb * mb),
        ("RLIMIT_NPROC", config.processes, config.processes),
        ("RLIMIT_FSIZE", config.file_size_mb * mb, config.file_size_mb * mb),
        ("RLIMIT_NOFILE", config.open_files, config.open_files),
        ("RLIMIT_CORE", 0, 0),
    ]
    return json.dumps({
        "limits": limits,
        "guard": list(_GUARDED_EVENTS) if guard else [],
        "memory_exit": MEMORY_EXIT,
        "processes_exit": PROCESSES_EXIT,
    })  # fmt: skip


# Joins the call's cgroup(s) (its own pid into each `cgroup.procs`), then becomes the sandbox.
JOIN = 'n="$1"; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1"; shift; n=$((n - 1)); done; exec "$@"'


def command(
    isolation: Isolation, python: str, config: SandboxConfig, uid: int | None, workdir: str | None,
    container: tuple[str, str | None] = ("", None),
) -> tuple[list[str], dict[str, str], str]:
    """The argv, environment and working directory of one run; as root it drops to `uid` itself.

    `container` is the podman level's container name and cgroup parent (`container.command`).
    """
    interpreter = [python, "-I", "-c", _BOOT, boot_config(config, guard=isolation == "process")]
    if isolation == "podman":  # the environment goes to the container; podman itself gets a plain one
        name, parent = container
        inside = _environment(bwrap.SCRATCH, "/usr/bin:/bin")
        limits = (config.disk_mb, config.memory_mb, config.processes + 1, config.open_files)  # +1: catatonit
        argv = podman.command(python, limits, uid or _NOBODY, name, parent, inside, interpreter[1:])
        return argv, {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8",
                      "TMPDIR": "/var/tmp"}, "/"  # fmt: skip
    if isolation == "bwrap":
        argv = bwrap.command(python, config.disk_mb, interpreter[1:])
        return _drop(argv, uid), _environment(bwrap.SCRATCH, "/usr/bin:/bin"), "/"
    if isolation == "namespaces":  # the setup script makes /tmp/work and drops to `uid`
        unshare = [shutil.which("unshare") or "unshare", "--net", "--pid", "--fork", "--kill-child", "--mount-proc"]
        argv = [*unshare, "--", "/bin/sh", "-c", _SETUP, "setup", str(config.disk_mb), str(uid or _NOBODY)]
        argv += [shutil.which("setpriv") or "setpriv", *interpreter]
        path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"  # the setup needs mount
        return argv, _environment("/tmp/work", path), "/"
    assert workdir is not None
    if uid is not None:
        os.chown(workdir, uid, uid)
    return _drop(interpreter, uid), _environment(workdir, "/usr/local/bin:/usr/bin:/bin"), workdir


def _drop(argv: list[str], uid: int | None) -> list[str]:
    """`argv` run as `uid` with no groups and no capabilities (util-linux setpriv); unchanged for None."""
    if uid is None:
        return argv
    setpriv = shutil.which("setpriv", path="/usr/bin:/bin") or "setpriv"
    drop = [setpriv, "--reuid", str(uid), "--regid", str(uid), "--clear-groups", "--inh-caps=-all",
            "--bounding-set=-all"]  # fmt: skip
    return [*drop, "--", *argv]


def _environment(home: str, path: str) -> dict[str, str]:
    """The whole environment of the sandbox: nothing of the parent's."""
    return {"PATH": path, "HOME": home, "TMPDIR": home, "LANG": "C.UTF-8", "USER": "sandbox"}


def sandbox_uid() -> int:
    """A uid for one run: fresh from the reserved range where the user namespace maps it, else nobody."""
    return _UID_BASE + next(_uids) % _UID_COUNT if _range_mapped() else _NOBODY


@functools.cache
def _range_mapped() -> bool:
    """Whether this user namespace maps the per-run uid and gid range (a full map does)."""
    for table in ("/proc/self/uid_map", "/proc/self/gid_map"):
        try:
            rows = [[int(x) for x in line.split()] for line in open(table).read().splitlines()]
        except (OSError, ValueError):
            return False
        if not any(first <= _UID_BASE and _UID_BASE + _UID_COUNT <= first + count for first, _, count in rows):
            return False
    return True


def kill_user(uid: int) -> None:
    """SIGKILL every process of the run's uid (`kill -1` as that uid), daemons that left the group too."""
    kill = shutil.which("kill", path="/usr/bin:/bin")
    if kill and uid != _NOBODY:
        subprocess.run(
            [kill, "-KILL", "-1"], user=uid, group=uid, extra_groups=[], env={}, cwd="/",
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
        )  # fmt: skip
