"""Sandboxed Python: run model-written code in an isolated process with limits, and say what happened.

`run_python(code)` starts a fresh interpreter, feeds it the code, and returns a `SandboxResult`
(stdout, stderr, exit code, and which limit stopped it, if one did); `SandboxResult.render()` is the
text a model sees as the `python` tool's answer.

Isolation (`SandboxConfig.isolation`, the CLI's `--sandbox`); `isolation_level()` says which one runs:

* `bwrap` (the default, `auto`): bubblewrap, a maintained isolation tool; the code sees only the
  interpreter, its standard library and a scratch directory, has its own PID, network, user, IPC
  and mount namespaces and no network at all. `bwrap.py` says why bubblewrap and what exactly is
  visible. As root, bwrap is started as a fresh unprivileged uid of its own per run; as an
  ordinary user it needs unprivileged user namespaces (or a setuid bwrap). Where it does not work,
  `auto` refuses to run code and says how to install it or how to ask for a weak mode by name.
* `podman` (strong, by name, as root): a Podman container per call, of an image holding only the
  interpreter and its standard library, built offline and cached by content hash; no network,
  read-only root, a scratch tmpfs, a seccomp filter. `container.py` says what exactly it sees and
  why Podman; it costs more per call than bwrap (`benchmarks/bench_sandbox.py`).
* `namespaces` (weak, by name only): the earlier hand-rolled setup (`unshare` + `mount`, root only):
  no network, own PID namespace, private /tmp, but the rest of the host's filesystem (the
  repository, /run sockets) stays readable.
* `process` (weakest, by name only): a separate process with an audit-hook speed bump against
  sockets and programs; the code can read what the caller can (as root it runs as a fresh uid).

Limits hold for the whole call, not per process, under every level: a kernel cgroup per call where
one can be made (`cgroup.py`: memory and process count for all processes together), else the parent
watches the total resident memory of the call's process tree (`proctree.py`, polled every 50 ms; a
burst faster than that can overshoot briefly, bounded by `memory_mb` per process). The parent also
ends the call when the tree's total CPU time passes `cpu_s`, and at `wall_s`. Inside, the bootstrap
sets `RLIMIT_CPU` (SIGXCPU), `RLIMIT_AS` (MemoryError), `RLIMIT_NPROC` (fork fails with
BlockingIOError; under bwrap the kernel counts it inside the call's own user namespace),
`RLIMIT_FSIZE` ("File too large"), `RLIMIT_NOFILE` and `RLIMIT_CORE` = 0. At most `max_output_bytes`
of each stream is kept. When the call ends every process of it is killed (process group, PID
namespace, cgroup; under podman the container's group sits inside the call's, and a container
whose `podman run` had to be killed is removed). The interpreter runs in isolated mode (`-I`).
None of this is a VM (bwrap adds no seccomp filter; podman does): kernel bugs are out of scope.

Examples:
    >>> result = run_python("print(6 * 7)")
    >>> result.stdout.strip(), result.status
    ('42', 'exit code 0')
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..errors import InfraError, UserError
from . import bwrap, container
from .cgroup import CallGroup
from .levels import JOIN, MEMORY_EXIT, PROCESSES_EXIT, command, kill_user, namespaces_possible, sandbox_uid
from .proctree import tree_usage

__all__ = ["STRONG", "Isolation", "IsolationChoice", "SandboxConfig", "SandboxResult", "isolation_level", "run_python"]

Isolation = Literal["bwrap", "podman", "namespaces", "process"]
IsolationChoice = Literal["auto", "bwrap", "podman", "namespaces", "process"]
"""What `--sandbox` takes: `auto` (bwrap, else a refusal) or a level by name."""
STRONG: frozenset[str] = frozenset({"bwrap", "podman"})
"""The levels that isolate model-written code; the others are weak and run only when named."""
Stop = Literal["cpu", "memory", "processes", "wall", "file_size", "signal"]
_calls = itertools.count()

class SandboxConfig(BaseModel):
    """Limits and isolation of one sandboxed run; the defaults suit a coding agent's `python` tool."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    cpu_s: int = Field(default=5, ge=1)
    """CPU seconds of the whole call, all processes together; past it every process is killed."""
    wall_s: float = Field(default=15.0, gt=0)
    """Wall-clock seconds for the whole run; past it every process of the sandbox is killed."""
    memory_mb: int = Field(default=512, ge=64)
    """Memory in MB of all the call's processes together (and one process's address space at most)."""
    processes: int = Field(default=32, ge=1)
    """Processes and threads the code may have at once (RLIMIT_NPROC, and the cgroup's pids.max)."""
    file_size_mb: int = Field(default=16, ge=1)
    """Largest file the code may write, in MB (RLIMIT_FSIZE)."""
    disk_mb: int = Field(default=64, ge=1)
    """Size of the scratch tmpfs (bwrap), or of each private tmpfs (/tmp, ...) under `namespaces`."""
    open_files: int = Field(default=64, ge=16)
    """Open file descriptors per process (RLIMIT_NOFILE)."""
    max_output_bytes: int = Field(default=8000, ge=100)
    """Bytes kept of stdout and of stderr each; the rest is counted and dropped."""
    isolation: IsolationChoice = "auto"
    """`auto` is `bwrap` where it works and a refusal elsewhere; weak levels only by name (module docstring)."""
    python: str | None = None
    """Interpreter to run; None picks one a sandbox user can run (this one, else `python3`)."""


class SandboxResult(BaseModel):
    """What a sandboxed run printed and how it ended."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    stdout: str
    """Standard output, cut to `max_output_bytes`."""
    stderr: str
    """Standard error (tracebacks), cut to `max_output_bytes`."""
    exit_code: int | None
    """The interpreter's exit status; None when a limit or a signal ended the run."""
    stopped_by: Stop | None = None
    """The limit (or signal) that ended the run; None when the code finished on its own."""
    status: str
    """One line for people and models: `exit code 0`, `killed: CPU time limit (2 s) exceeded`."""
    dropped_bytes: int = 0
    """Output bytes beyond `max_output_bytes`, not kept."""
    duration_s: float = 0.0
    """Wall time of the run, in seconds."""
    isolation: Isolation
    """The isolation level it ran under."""

    @property
    def ok(self) -> bool:
        """Whether the code ran to the end with exit code 0."""
        return self.exit_code == 0

    def render(self) -> str:
        """The tool message a model sees: output, errors, and how the run ended when not cleanly."""
        parts = [self.stdout.rstrip("\n"), self.stderr.rstrip("\n")]
        if self.dropped_bytes:
            parts.append(f"[output truncated: {self.dropped_bytes} more bytes not shown]")
        if not self.ok:
            parts.append(f"[{self.status}]")
        text = "\n".join(p for p in parts if p)
        return text or "[no output]"


def run_python(code: str, config: SandboxConfig | None = None, *, files: dict[str, str] | None = None) -> SandboxResult:
    """Run `code` as `main.py` in a fresh sandboxed interpreter and return what happened.

    `files` are written next to it first (name -> text; plain names, importable as modules). The
    call blocks for at most about `config.wall_s` seconds; it is thread-safe (no `preexec_fn`).

    Raises:
        UserError: the isolation asked for (or, under `auto`, bwrap) does not work here, or a file
            name is not a plain name.
        InfraError: the sandbox itself could not be started.
    """
    config = config or SandboxConfig()
    for name in files or {}:
        if not name or name in (".", "..", "main.py") or "/" in name or "\0" in name:
            raise UserError(f"run_python: file name {name!r} is not allowed; use a plain name such as 'util.py'")
    isolation, python = _plan(config.isolation, config.python)
    job = json.dumps({"code": code, "files": files or {}}).encode()
    return _launch(isolation, python, job, config)


def isolation_level(config: SandboxConfig | None = None) -> Isolation:
    """The isolation `run_python` gets here with `config` (probed once per process, then cached).

    Raises:
        UserError: as `run_python`, when the isolation asked for does not work here.
    """
    config = config or SandboxConfig()
    return _plan(config.isolation, config.python)[0]


@functools.cache
def _plan(wanted: str, python: str | None) -> tuple[Isolation, str]:
    """Pick the isolation level and the interpreter, by running a probe through each candidate."""
    level: Isolation = "bwrap" if wanted == "auto" else wanted  # type: ignore[assignment]
    if level == "namespaces" and not namespaces_possible():
        raise UserError(
            "sandbox isolation 'namespaces' needs root and util-linux's unshare, setpriv and mount; "
            "use the default (bwrap) or 'process'"
        )
    if level == "bwrap" and bwrap.bwrap_path() is None:
        raise UserError(_refusal("bubblewrap (bwrap) is not installed", wanted))
    if level == "podman" and (container.podman_path() is None or os.geteuid() != 0):
        raise UserError(
            "sandbox isolation 'podman' needs podman (Debian: apt-get install podman) run as root (rootless "
            "podman is not set up by toolgym); use the default (bwrap)"
        )
    # podman: the system's python3 alone (one image to build; a whole installation, not a pyenv's)
    candidates = [python] if python else _interpreters()[-1:] if level == "podman" else _interpreters()
    runs = [(p, _probe(level, p)) for p in candidates]
    ran = [p for p, r in runs if isinstance(r, SandboxResult) and r.ok]
    same = [p for p, r in runs if isinstance(r, SandboxResult) and r.ok and r.stdout.strip() == sys.version]
    if same or ran:
        # another version: prefer the system's python3, a whole installation the sandbox user can read
        return level, (same or ran[::-1])[0]
    if level in ("bwrap", "podman"):
        raise UserError(_refusal(f"{level} does not start here ({_failures(runs)})", wanted))
    raise InfraError(f"no Python interpreter runs in the {level} sandbox ({_failures(runs)}); set SandboxConfig.python")


def _refusal(why: str, wanted: str) -> str:
    said = "" if wanted == "auto" else " (asked for by name)"
    return (
        f"model-written code is run only under strong isolation, and {why}{said}. Install bubblewrap "
        "(Debian/Ubuntu: apt-get install bubblewrap; as an ordinary user it also needs unprivileged user "
        "namespaces: sysctl kernel.unprivileged_userns_clone=1, or on Ubuntu an AppArmor profile for bwrap), "
        "or accept a weak sandbox by naming it: --sandbox process (SandboxConfig(isolation='process'))"
    )


def _probe(level: Isolation, python: str) -> SandboxResult | InfraError:
    job = json.dumps({"code": "import sys; print(sys.version)", "files": {}}).encode()
    try:
        return _launch(level, python, job, SandboxConfig(cpu_s=5, wall_s=20, memory_mb=256))
    except InfraError as e:
        return e


def _failures(runs: list[tuple[str, SandboxResult | InfraError]]) -> str:
    said = [f"{p}: {r.status} {r.stderr.strip()[-200:]}" if isinstance(r, SandboxResult) else str(r) for p, r in runs]
    return "; ".join(said)


def _interpreters() -> list[str]:
    """This interpreter (outside its virtualenv: the sandbox gets the standard library only), then python3."""
    found = [os.path.realpath(sys.executable)]
    system = shutil.which("python3", path="/usr/local/bin:/usr/bin:/bin")
    if system and os.path.realpath(system) not in found:
        found.append(os.path.realpath(system))
    return found


def _launch(isolation: Isolation, python: str, job: bytes, config: SandboxConfig) -> SandboxResult:
    """Start one sandboxed interpreter, feed it `job`, collect its output and decode how it ended."""
    uid = sandbox_uid() if os.geteuid() == 0 else None
    workdir = tempfile.mkdtemp(prefix="toolgym-sandbox-") if isolation == "process" else None
    contained = isolation == "podman"  # the container's group goes inside the call's; podman stays outside
    # the bwrap helper process and the namespace's init count too; podman's conmon and runc (threads) too
    extra = 1 + container.ENGINE_THREADS if contained else 3
    group = CallGroup.create(config.memory_mb * 1024 * 1024, config.processes + extra, top=contained)
    name = f"toolgym-sandbox-{os.getpid()}-{next(_calls)}"
    start = time.monotonic()
    try:
        argv, env, cwd = command(isolation, python, config, uid, workdir, (name, group.path if group else None))
        if group is not None and not contained:
            argv = ["/bin/sh", "-c", JOIN, "join", str(len(group.procs_files)), *group.procs_files, *argv]
        try:
            proc = subprocess.Popen(
                argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                env=env, cwd=cwd, start_new_session=True, close_fds=True,
            )  # fmt: skip
        except OSError as e:
            raise InfraError(f"the sandbox could not start {argv[0]!r}: {e}") from None
        try:
            _feed(proc, job)
            out, err, dropped, stop = _collect(proc, config, group)
        finally:
            _kill_group(proc)
            proc.wait()
            if uid is not None and isolation == "process":
                kill_user(uid)
            if contained and proc.returncode < 0:  # podman run was killed: its container may be left
                container.remove(name)
    finally:
        if group is not None:
            group.close()
        if workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    stopped_by, status = _decode(proc.returncode, stop, isolation, config)
    return SandboxResult(
        stdout=out.decode("utf-8", "replace"),
        stderr=err.decode("utf-8", "replace"),
        exit_code=None if stopped_by else proc.returncode,
        stopped_by=stopped_by,
        status=status,
        dropped_bytes=dropped,
        duration_s=round(time.monotonic() - start, 3),
        isolation=isolation,
    )


def _feed(proc: subprocess.Popen[bytes], job: bytes) -> None:
    """Write the job to stdin; the bootstrap reads it all before running any of the code."""
    assert proc.stdin is not None
    try:
        proc.stdin.write(job)
        proc.stdin.close()
    except BrokenPipeError:  # it died before reading: its status says why
        pass


def _collect(
    proc: subprocess.Popen[bytes], config: SandboxConfig, group: CallGroup | None
) -> tuple[bytes, bytes, int, Stop | None]:
    """Read both pipes until they close or a limit of the whole call is passed; keep a bounded head of each."""
    assert proc.stdout is not None and proc.stderr is not None
    kept = {proc.stdout.fileno(): bytearray(), proc.stderr.fileno(): bytearray()}
    dropped = 0
    deadline = time.monotonic() + config.wall_s
    next_watch = time.monotonic() + _WATCH_S
    exited_at: float | None = None
    stop: Stop | None = None
    with selectors.DefaultSelector() as sel:
        for fd in kept:
            sel.register(fd, selectors.EVENT_READ)
        while sel.get_map():
            now = time.monotonic()
            if now >= deadline:
                stop = "wall"
                break
            if now >= next_watch and exited_at is None:
                next_watch = now + _WATCH_S
                stop = _over_limits(proc.pid, config, group)
                if stop:
                    break
            if exited_at is None and _exited(proc.pid):
                exited_at = now
            if exited_at is not None and now - exited_at > 0.5:
                break  # the interpreter is gone; a straggler it left holds the pipe open
            for key, _ in sel.select(min(deadline - now, 0.1 if exited_at is not None else _WATCH_S)):
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    sel.unregister(key.fd)
                    continue
                buf = kept[key.fd]
                room = max(0, config.max_output_bytes - len(buf))
                buf += chunk[:room]
                dropped += len(chunk) - len(chunk[:room])
    if stop is None and group is not None and group.oom_kills():
        stop = "memory"
    return bytes(kept[proc.stdout.fileno()]), bytes(kept[proc.stderr.fileno()]), dropped, stop


_WATCH_S = 0.05  # how often the parent checks the whole call's CPU time and memory


def _over_limits(pid: int, config: SandboxConfig, group: CallGroup | None) -> Stop | None:
    """The limit of the whole call that its processes together have passed, if any."""
    if group is not None and group.oom_kills():
        return "memory"
    usage = tree_usage(pid, group.members() if group is not None else None)
    if usage.cpu_s > config.cpu_s:
        return "cpu"
    if group is None and usage.memory_bytes > config.memory_mb * 1024 * 1024:
        return "memory"
    return None


def _exited(pid: int) -> bool:
    """Whether the child has ended, without reaping it (its process group id stays reserved)."""
    if not hasattr(os, "waitid"):  # macOS: poll-free fallback, the final kill then targets the session only
        return False
    try:
        return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:
        return True


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the run's process group (under namespaces, the PID namespace dies with it)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


def _decode(
    code: int | None, stop: Stop | None, isolation: Isolation, config: SandboxConfig
) -> tuple[Stop | None, str]:
    """The limit that ended the run, and its one-line status."""
    if stop == "wall":
        return "wall", f"killed: wall-clock limit ({config.wall_s:g} s) exceeded"
    if stop == "memory":
        return "memory", f"killed: memory limit ({config.memory_mb} MB) exceeded"
    if stop == "cpu":
        return "cpu", f"killed: CPU time limit ({config.cpu_s} s) exceeded"
    assert code is not None
    # bwrap, and the shell of `namespaces`, report the interpreter's death by signal N as 128+N
    shell = isolation != "process" and 128 < code < 128 + 65
    sig = -code if code < 0 else code - 128 if shell else None
    if sig is None:
        if code == MEMORY_EXIT:
            return "memory", f"killed: memory limit ({config.memory_mb} MB) exceeded"
        if code == PROCESSES_EXIT:
            return "processes", f"killed: process limit ({config.processes}) reached"
        return None, f"exit code {code}"
    if sig == signal.SIGXCPU:
        return "cpu", f"killed: CPU time limit ({config.cpu_s} s) exceeded"
    if sig == signal.SIGXFSZ:
        return "file_size", f"killed: file size limit ({config.file_size_mb} MB) exceeded"
    try:
        name = signal.Signals(sig).name
    except ValueError:
        name = str(sig)
    return "signal", f"killed by signal {name}"
