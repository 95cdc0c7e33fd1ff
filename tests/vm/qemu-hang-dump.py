#!/usr/bin/env python3
"""What a hung guest's vCPUs were doing, from QEMU's human monitor.

    qemu-hang-dump.py MONITOR_SOCKET [SYSTEM_MAP]

run-scenario.sh calls it when a run times out, before it kills QEMU: each
vCPU's registers (info registers of every CPU) and its state (info cpus),
then one line per vCPU, "cpuN RIP=... in SYMBOL+OFF" when SYSTEM_MAP (the
guest kernel's System.map) has the address. A kernel booted with KASLR
is not where System.map says, so the name is a guess then; the raw RIP
still tells kernel text (0xffffffff8...) from the low addresses of the
kexec purgatory or the decompressor.
"""
import bisect
import re
import socket
import sys


def command(sock, line):
    """The command's output, without the monitor's echo of it."""
    sock.sendall(line.encode() + b"\n")
    out = read_prompt(sock)
    out = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", out)
    return out.split("\n", 1)[1] if "\n" in out else out


def read_prompt(sock):
    data = b""
    while not data.endswith(b"(qemu) "):
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data.decode(errors="replace")


def symbols(path):
    table = []
    try:
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 3 and parts[1] in "tTwW":
                    table.append((int(parts[0], 16), parts[2]))
    except OSError:
        return []
    table.sort()
    return table


def name_of(table, addr):
    if not table:
        return ""
    i = bisect.bisect_right([a for a, _ in table], addr) - 1
    if i < 0 or addr - table[i][0] > 0x100000:
        return ""
    return " in %s+0x%x (System.map; with KASLR a guess)" % (table[i][1], addr - table[i][0])


def main():
    if len(sys.argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(20)
    sock.connect(sys.argv[1])
    read_prompt(sock)
    cpus = command(sock, "info cpus")
    print(cpus)
    table = symbols(sys.argv[2]) if len(sys.argv) > 2 else []
    summary = []
    for n in re.findall(r"CPU #(\d+)", cpus):
        command(sock, "cpu " + n)
        regs = command(sock, "info registers")
        code = command(sock, "x/8i $pc")
        stack = command(sock, "x/24gx $rsp")
        print("--- cpu %s ---\n%s\ncode:\n%s\nstack:\n%s" % (n, regs, code, stack))
        m = re.search(r"RIP=([0-9a-f]+)", regs)
        if m:
            rip = int(m.group(1), 16)
            summary.append("cpu%s RIP=%x%s" % (n, rip, name_of(table, rip)))
    print("summary: " + "; ".join(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
