#!/usr/bin/env bash
# The sandbox's cgroup v2 branch (toolgym/envs/cgroup.py) on a machine whose own cgroups are v1 or
# hybrid (as this project's CI machine: its memory and pids controllers are bound to v1 hierarchies,
# which hold other processes' groups, so they cannot move to v2 here). Boots Debian's kernel under
# QEMU with `cgroup_no_v1=all`, the host's root shared read-only over 9p, memory and pids delegated
# at the unified root, and runs tests/envs/test_cgroup.py and the root half of the bwrap escape
# tests there. Manual, not part of `make test` (about 5 minutes: without a usable KVM, QEMU
# emulates the CPU, ~30x slower, so the probes' CPU and wall limits are raised in the VM and the
# CPU-limit probes are left out). Needs root, and apt for qemu-system-x86, the kernel and busybox.
#
#   bash .ci/cgroup2_vm.sh            # prints the tests' PASSED/FAILED lines from inside the VM
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-$(command -v python)}"
work="$(mktemp -d /tmp/toolgym-cgroup2-vm.XXXXXX)"
trap 'rm -rf "$work"' EXIT
command -v qemu-system-x86_64 >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qemu-system-x86
kernel="$(apt-cache depends linux-image-amd64 | sed -n 's/.*Depends: \(linux-image-[0-9].*\)/\1/p' | head -1)"
(cd "$work" && apt-get download -q "$kernel" busybox-static 2>/dev/null && for d in *.deb; do dpkg-deb -x "$d" x; done)
mods="$(ls -d "$work"/x/lib/modules/*)/kernel"
mkdir -p "$work/initrd/bin" "$work/initrd/mods" "$work/initrd/mnt" "$work/initrd/proc" "$work/initrd/sys" "$work/initrd/dev"
cp "$work/x/bin/busybox" "$work/initrd/bin/"
for m in drivers/virtio/virtio_ring drivers/virtio/virtio drivers/virtio/virtio_pci_modern_dev \
         drivers/virtio/virtio_pci_legacy_dev drivers/virtio/virtio_pci fs/netfs/netfs fs/fscache/fscache \
         net/9p/9pnet net/9p/9pnet_virtio fs/9p/9p; do
  cp "$mods/$m.ko" "$work/initrd/mods/"
done
# what runs in the VM, as root at the unified hierarchy's root (0::/); the probes get generous CPU under emulation
cat > "$work/initrd/check.sh" <<EOF
mount -t proc proc /proc
cd "$repo"
echo "cgroup: \$(cat /proc/self/cgroup); delegated at the root: \$(cat /sys/fs/cgroup/cgroup.subtree_control)"
mkdir -p /tmp/plug && cat > /tmp/plug/emulated.py <<'PY'
import json
import toolgym.envs.sandbox as s
def _probe(level, python):
    job = json.dumps({"code": "import sys; print(sys.version)", "files": {}}).encode()
    try:
        return s._launch(level, python, job, s.SandboxConfig(cpu_s=120, wall_s=600, memory_mb=256))
    except s.InfraError as e:
        return e
s._probe = _probe
def pytest_collection_modifyitems(items):
    for item in items:
        if hasattr(item.module, "LIMITS"):
            item.module.LIMITS.update(cpu_s=120, wall_s=600)
PY
PYTHONPATH=/tmp/plug:\$PYTHONPATH python -m pytest -p emulated tests/envs/test_cgroup.py tests/envs/test_sandbox_escape.py \
  -k "not podman and not nobody and not cpu and not infinite_loop" -p no:cacheprovider -rA --tb=line -q 2>&1 \
  | grep -E "^(PASSED|FAILED|SKIPPED|ERROR)|passed|failed|^/"
EOF
cat > "$work/initrd/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
for pass in 1 2 3 4; do  # load order without modules.dep: retry until every module is in
  for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci netfs fscache 9pnet 9pnet_virtio 9p; do
    grep -q "^$m " /proc/modules || insmod /mods/$m.ko 2>/dev/null
  done
done
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose host /mnt || { echo "9p mount failed"; poweroff -f; }
for d in tmp run var/tmp; do mount -t tmpfs tmpfs /mnt/$d; done
mount -t devtmpfs dev /mnt/dev; mount -t sysfs sys /mnt/sys; mount -t cgroup2 cgroup2 /mnt/sys/fs/cgroup
echo "+memory +pids" > /mnt/sys/fs/cgroup/cgroup.subtree_control
# switch_root, not chroot: the kernel refuses new user namespaces (bwrap) to a chrooted process
exec switch_root /mnt /usr/bin/env -i PATH="$VMPATH" HOME=/tmp PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$VMREPO" \
  /bin/sh -c "$(cat /check.sh); echo o > /proc/sysrq-trigger; sleep 5"
EOF
chmod +x "$work/initrd/init"
(cd "$work/initrd" && find . | "$work/x/bin/busybox" cpio -o -H newc 2>/dev/null | gzip -1 > "$work/initrd.gz")
timeout 1800 qemu-system-x86_64 -accel tcg -cpu max -m 3072 -smp 2 -nographic -no-reboot \
  -kernel "$(ls "$work"/x/boot/vmlinuz-*)" -initrd "$work/initrd.gz" \
  -append "console=ttyS0 panic=-1 quiet cgroup_no_v1=all VMPATH=$(dirname "$python"):/usr/sbin:/usr/bin:/sbin:/bin VMREPO=$repo" \
  -virtfs local,path=/,mount_tag=host,security_model=passthrough,readonly=on,multidevs=remap \
  | sed 's/\x1b\[[0-9;]*m//g' | grep -E "cgroup:|PASSED|FAILED|SKIPPED|ERROR|passed|failed|^/|out of memory"
