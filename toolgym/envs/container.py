"""The `podman` sandbox: model-written code in a Podman container of an image built offline, per call.

Why Podman as the container backend. It runs containers without a daemon (each `podman run` is an
ordinary process of the caller; Docker needs `dockerd` running and membership in its root-equivalent
group), is packaged by every distribution (Debian `podman`), speaks Docker's command line, and
its containers get what the issue asks of a sandbox from well-kept parts: the OCI runtime (runc or
crun) sets up the namespaces, the cgroup, the capability set, `no_new_privs` and a seccomp filter
(`/usr/share/containers/seccomp.json`), which bubblewrap alone does not add. It costs more per
call than bwrap (a container is created, started and removed each time), which is why bwrap stays
the default and this one runs when asked for by name (`--sandbox podman`). Docker is not offered:
no daemon was available to test it against.

The image is the bwrap sandbox's runtime and nothing more: the interpreter, its standard library
(without `site-packages`) and the shared libraries they load (`bwrap.runtime`), imported with
`podman import` from a tar made here, so no registry is needed. Its tag is a hash of those files' contents
(`localhost/toolgym-sandbox:<sha256 prefix>`): a changed interpreter gets a new image, an
unchanged one is reused across runs. One image serves every suite, since the `code` suite and
the `python` tool need only the standard library.

What one call gets (`command` builds the argv): a read-only root of that image; a private tmpfs
of `disk_mb` at /sandbox (the working directory, HOME and TMPDIR); /sys, /dev/pts and /dev/mqueue
masked; no network (`--network=none`: loopback only); its own PID, IPC, UTS and mount namespaces;
a fresh unprivileged uid per call with no capabilities and `no_new_privs`; Podman's default
seccomp filter less new namespaces (`seccomp_profile`: no nested `unshare`, as bwrap's
`--disable-userns`); `--init` (catatonit) as PID 1, so when the code exits the namespace ends and the
kernel kills whatever it left. The environment is only what `levels.py` passes. Limits: the
call's cgroup (`cgroup.py`, made at the top of the hierarchy and given as `--cgroup-parent`, the
container's group inside it) holds memory without swap and the process count for the whole
container; the bootstrap's rlimits apply inside as under bwrap. What Podman adds and bwrap does
not: /etc/hostname and /run/.containerenv (the container's name and image), `HOSTNAME=sandbox`,
its default devices besides null, zero and urandom (full, random, tty, ptmx, an empty /dev/shm of
`disk_mb`), and a uid 0 that exists but cannot be reached (no user namespace: `setuid(0)` is EPERM).
When `podman run` must be killed (a limit), the call's group takes the container's processes with
it and `remove` deletes the container, so nothing outlives the call either way.

Podman is run as root here; rootless Podman needs `/etc/subuid` ranges and `newuidmap` for the
calling user, which this backend does not set up (an ordinary user gets bwrap, or a refusal).
On a host whose cgroups are mixed v1 and v2 (hybrid), crun refuses to start containers, so runc
is used there when installed.
"""

from __future__ import annotations

import atexit
import errno
import functools
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from ..errors import InfraError
from . import bwrap

__all__ = ["ENGINE_THREADS", "SCRATCH", "command", "image", "podman_path", "remove"]

SCRATCH = bwrap.SCRATCH
_REPOSITORY = "localhost/toolgym-sandbox"
_MASKED = "/sys:/dev/pts:/dev/mqueue"
#: Threads of conmon and of runc while it starts the container, in the call's group beside the
#: container's; the container's own group holds the code to its process count exactly.
ENGINE_THREADS = 32
_RECIPE = "toolgym-sandbox-image-2"  # change when what goes into the image changes


def podman_path() -> str | None:
    """The podman binary, from the system's directories (not a user-writable PATH entry)."""
    return shutil.which("podman", path="/usr/local/bin:/usr/bin:/bin")


def _podman() -> list[str]:
    """The podman argv start: the cgroupfs manager (`--cgroup-parent` is a plain path), runc on hybrid hosts."""
    podman = podman_path()
    if podman is None:
        raise InfraError("podman is not installed (Debian: apt-get install podman)")
    argv = [podman, "--cgroup-manager=cgroupfs"]
    runc = shutil.which("runc", path="/usr/sbin:/usr/bin:/sbin:/bin")
    if os.path.ismount("/sys/fs/cgroup/unified") and runc:  # hybrid cgroups: crun refuses them
        argv.append(f"--runtime={runc}")
    return argv


@functools.cache
def image(python: str) -> str:
    """The image holding `python`'s runtime, imported once (its tag is a hash of the files' contents).

    Raises:
        InfraError: podman cannot list or import images.
    """
    paths = bwrap.runtime(python)
    tag = f"{_REPOSITORY}:{_content_hash(paths)[:16]}"
    exists = subprocess.run([*_podman(), "image", "exists", tag], capture_output=True, timeout=60, check=False)
    if exists.returncode == 0:
        return tag
    with tempfile.TemporaryDirectory(prefix="toolgym-image-") as tmp:
        archive = Path(tmp) / "rootfs.tar"
        with tarfile.open(archive, "w", dereference=True) as tar:  # libraries are often symlinks
            for path in paths:  # no /sandbox: a tmpfs over an image's directory takes that one's mode
                tar.add(path, arcname=path.lstrip("/"), filter=_no_site_packages)
        done = subprocess.run([*_podman(), "import", "--quiet", str(archive), tag],
                              capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    if done.returncode != 0:
        raise InfraError(f"podman could not import the sandbox image {tag}: {done.stderr.strip()[-500:]}")
    return tag


def _no_site_packages(member: tarfile.TarInfo) -> tarfile.TarInfo | None:
    """Leave out third-party packages installed next to the standard library: the code gets the stdlib only."""
    return None if "site-packages" in member.name.split("/") else member


def _content_hash(paths: tuple[str, ...]) -> str:
    """sha256 over every file's path, mode and bytes under `paths` (symlinks followed), in a fixed order."""
    digest = hashlib.sha256(_RECIPE.encode())
    files: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            for top, dirs, names in os.walk(path, followlinks=True):
                dirs[:] = sorted(d for d in dirs if d != "site-packages")
                files += [os.path.join(top, n) for n in sorted(names)]
        else:
            files.append(path)
    for file in files:
        try:
            with open(file, "rb") as f:
                digest.update(f"{file}\0{os.stat(file).st_mode:o}\0".encode())
                digest.update(hashlib.sha256(f.read()).digest())
        except OSError:  # a dangling link or an unreadable file: the tar skips or fails on it alike
            digest.update(f"{file}\0missing\0".encode())
    return digest.hexdigest()


_NEW_NAMESPACES = 0x7E020000  # CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET
_DEFAULT_SECCOMP = Path("/usr/share/containers/seccomp.json")


@functools.cache
def seccomp_profile() -> str:
    """Podman's default seccomp profile, less new namespaces: no `unshare`, no `clone` with a CLONE_NEW* flag.

    Podman's own profile allows both (for nested rootless containers); bwrap refuses nested user
    namespaces too (`--disable-userns`). `clone3` answers ENOSYS, so the C library falls back to
    `clone`, whose flags a filter can see (Docker's default profile does the same). The profile is
    written once per process into a private directory.

    Raises:
        InfraError: podman's default profile is missing or unreadable.
    """
    try:
        profile = json.loads(_DEFAULT_SECCOMP.read_text())
    except (OSError, ValueError) as e:
        raise InfraError(f"the podman sandbox starts from podman's seccomp profile {_DEFAULT_SECCOMP}: {e}") from None
    withheld = {"clone", "clone3", "unshare"}
    for rule in profile["syscalls"]:
        rule["names"] = [n for n in rule.get("names", []) if n not in withheld]
    profile["syscalls"] = [r for r in profile["syscalls"] if r["names"]]
    profile["syscalls"] += [
        {"names": ["clone"], "action": "SCMP_ACT_ALLOW",
         "args": [{"index": 0, "value": _NEW_NAMESPACES, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]},
        {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": errno.ENOSYS},
        {"names": ["unshare"], "action": "SCMP_ACT_ERRNO", "errnoRet": errno.EPERM},
    ]  # fmt: skip
    folder = tempfile.mkdtemp(prefix="toolgym-seccomp-")  # mode 700: nobody else can swap the file
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = os.path.join(folder, "seccomp.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(profile, f)
    return path


def command(python: str, limits: tuple[int, int, int, int], uid: int, name: str, cgroup_parent: str | None,
            env: dict[str, str], boot: list[str]) -> list[str]:  # fmt: skip
    """The `podman run` argv that runs `python boot...` in a fresh container (see the module docstring).

    `limits` are the scratch size and the memory in MB, the process count and open files; the
    container's own group gets memory and processes as well, so they hold even where the call's
    group could not be made.
    """
    disk_mb, memory_mb, processes, open_files = limits
    size = f"size={disk_mb}m"
    argv = [*_podman(), "run", "--rm", "--interactive", f"--name={name}", "--network=none", "--no-hosts",
            "--read-only", "--read-only-tmpfs=false", f"--tmpfs={SCRATCH}:{size},mode=1777",
            f"--shm-size={disk_mb}m", f"--workdir={SCRATCH}", f"--user={uid}:{uid}", "--passwd=false",
            "--cap-drop=ALL", "--security-opt=no-new-privileges", f"--security-opt=mask={_MASKED}",
            f"--security-opt=seccomp={seccomp_profile()}",
            "--init", "--hostname=sandbox", "--unsetenv-all", f"--memory={memory_mb}m",
            f"--memory-swap={memory_mb}m", f"--pids-limit={processes}"]  # fmt: skip
    # podman's default rlimits may be above what this process may grant; the bootstrap sets them again
    argv += [f"--ulimit=nofile={open_files}:{open_files}", f"--ulimit=nproc={processes}:{processes}"]
    if cgroup_parent:
        argv.append(f"--cgroup-parent={cgroup_parent}")
    argv += [f"--env={key}={value}" for key, value in env.items()]
    return [*argv, image(python), os.path.realpath(python), *boot]


def remove(name: str) -> None:
    """Remove the container `name` now, whatever state it is in (after its `podman run` was killed)."""
    try:
        subprocess.run([*_podman(), "rm", "--force", "--ignore", "--time=0", name],
                       capture_output=True, timeout=60, check=False)  # fmt: skip
    except (OSError, subprocess.SubprocessError, InfraError):
        pass
