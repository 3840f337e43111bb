"""The `bwrap` sandbox: model-written code under bubblewrap, seeing only an interpreter and a scratch dir.

Why bubblewrap. It is the maintained, audited tool that Flatpak runs every desktop app under
(github.com/containers/bubblewrap); one small binary, packaged by every distribution (Debian
`bubblewrap`), that needs no daemon, starts in a few milliseconds and works for an ordinary user
through unprivileged user namespaces (or setuid where a distribution disables those). Version 0.8 or
later is needed (`--disable-userns`, `--size`: Debian 12, Ubuntu 24.04); an older one fails the
start-up probe and the sandbox refuses with bwrap's own message. The
alternatives: nsjail is as strong but not packaged by Debian (built from source); Docker and Podman
need a daemon or a configured rootless setup and an image, and cost far more per call than a
`python` tool call should; the hand-rolled `unshare` + `mount` setup this replaces left the
repository, /run sockets and devices visible. Podman is offered beside it, by name (`--sandbox
podman`, `container.py`), for those who want a container per call; Docker is not (no daemon here).

What one call gets (`command` builds the argv):

* user: a user namespace of its own (`--unshare-user`) in which further user namespaces are refused
  (`--disable-userns`, so no nested `unshare -r` to reach /dev/fuse or /dev/net/tun), no
  capabilities, `no_new_privs`, every mount `nosuid`. As root, bwrap itself is started as a fresh
  unprivileged uid (see `sandbox.py`), so even the kernel's view of the process is not root;
* filesystem: a read-only root holding only the interpreter, its standard library and the shared
  libraries those load (found with `ldd`), `/proc` of its own, `/dev` with null, zero and urandom,
  and a scratch tmpfs of `disk_mb` at /sandbox (the working directory, HOME and TMPDIR). Nothing
  else of the host: not the repository, the database, /tmp, /run, /home or /etc;
* processes: a PID namespace of its own; the host's processes (the parent included) cannot be
  seen or signalled, and when the call ends the namespace's init dies and the kernel kills every
  process left in it (`--die-with-parent` covers the parent dying first);
* network: a network namespace with only its own loopback: no route out, no abstract unix sockets
  of the host, and no socket files to connect to since none is mounted; no DNS configuration;
* IPC, UTS and cgroup namespaces of its own; a new session (no terminal to inject input into).
"""

from __future__ import annotations

import functools
import glob
import json
import os
import re
import shutil
import subprocess

from ..errors import InfraError

__all__ = ["SCRATCH", "bwrap_path", "command", "runtime"]

#: The sandbox's working directory: a private tmpfs, also its HOME and TMPDIR.
SCRATCH = "/sandbox"
_DEVICES = ("/dev/null", "/dev/zero", "/dev/urandom")
_LIBRARY = re.compile(r"(/\S+\.so[^\s:]*)")


def bwrap_path() -> str | None:
    """The bwrap binary, from the system's directories (not a user-writable PATH entry)."""
    return shutil.which("bwrap", path="/usr/local/bin:/usr/bin:/bin")


@functools.cache
def runtime(python: str) -> tuple[str, ...]:
    """The host paths the interpreter needs: itself, its standard library and the shared libraries.

    Raises:
        InfraError: the interpreter does not run, or `ldd` is missing.
    """
    ask = "import json, sys, sysconfig; print(json.dumps([sys.executable, sysconfig.get_paths()['stdlib'], " \
          "sysconfig.get_config_var('DESTSHARED') or '']))"  # fmt: skip
    try:
        done = subprocess.run([python, "-I", "-c", ask], capture_output=True, text=True, timeout=30, check=True)
        executable, stdlib, dynload = json.loads(done.stdout)
    except (OSError, subprocess.SubprocessError, ValueError) as e:
        raise InfraError(f"the sandbox cannot ask {python} where its standard library is: {e}") from None
    ldd = shutil.which("ldd", path="/usr/bin:/bin")
    if ldd is None:
        raise InfraError("the bwrap sandbox needs ldd (Debian package libc-bin) to find the interpreter's libraries")
    binary = os.path.realpath(executable)
    objects = [binary, *sorted(glob.glob(os.path.join(dynload, "*.so")))]
    found = subprocess.run([ldd, *objects], capture_output=True, text=True, timeout=60, check=False).stdout
    libraries = {m for m in _LIBRARY.findall(found) if os.path.exists(m)} - set(objects)
    paths = {binary, os.path.realpath(stdlib), *libraries}
    if dynload and not os.path.realpath(dynload).startswith(os.path.realpath(stdlib) + os.sep):
        paths.add(os.path.realpath(dynload))
    return tuple(sorted(paths))


def command(python: str, disk_mb: int, boot: list[str]) -> list[str]:
    """The bwrap argv that runs `python boot...` in a fresh sandbox (see the module docstring)."""
    bwrap = bwrap_path()
    if bwrap is None:
        raise InfraError("bwrap is not installed (Debian: apt-get install bubblewrap)")
    argv = [bwrap, "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session",
            "--cap-drop", "ALL"]  # fmt: skip
    for path in runtime(python):
        argv += ["--ro-bind", path, path]
    argv += ["--proc", "/proc", "--dir", "/dev"]
    for device in _DEVICES:
        argv += ["--dev-bind", device, device]
    argv += ["--symlink", "/proc/self/fd", "/dev/fd"]
    argv += ["--size", str(disk_mb * 1024 * 1024), "--perms", "0700", "--tmpfs", SCRATCH, "--chdir", SCRATCH]
    argv += ["--remount-ro", "/", "--", os.path.realpath(python), *boot]
    return argv
