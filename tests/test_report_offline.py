"""The Word report's charts are drawn without anything leaving the machine (issue 11):
kaleido's Chromium looked up Google's and DuckDuckGo's hosts while it drew. The export
runs under strace, which records every socket the browser opens and what it sends."""

from __future__ import annotations

import ipaddress
import re
import shutil
import subprocess
import sys
from pathlib import Path

from src.reports import images

ROOT = Path(__file__).resolve().parent.parent

DRAW = """
from src.views import charts
from src.reports import images

figure = charts.report_goal_bars(["A3", "A4"], [80.0, 95.0], [90.0, 90.0], ["near", "met"], "vi")
pngs = images.render([images.Picture(figure, 600, 300)])
assert pngs and pngs[0].startswith(b"\\x89PNG"), "no chart drawn"
"""

ADDRESS = re.compile(r'inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6?, "([^"]+)"')
REMOTE = re.compile(r"->\[?([0-9a-fA-F:.]+?)\]?:\d+\]>")  # -yy: a socket's peer


def _outside(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    mapped = getattr(ip, "ipv4_mapped", None)
    return not (ip.is_loopback or ip.is_unspecified or (mapped and mapped.is_loopback))


def offending(trace: str) -> list[str]:
    """What in an strace -f -yy log reaches past the machine: a DNS query (port 53, to any
    address: a local stub resolver passes it on), a TCP connection to another machine, or
    data sent to one. A UDP connect() sends nothing (Chromium's probe for a route): allowed
    as long as nothing is sent through it."""
    out = []
    for line in trace.splitlines():
        if "htons(53)" in line or re.search(r":53\]>", line):
            out.append(line)
            continue
        call = re.match(r"\d+\s+(\w+)\(", line)
        if not call:
            continue
        addresses = [a or b for a, b in ADDRESS.findall(line)] + REMOTE.findall(line)
        outside = [a for a in addresses if _outside(a)]
        if not outside:
            continue
        if call.group(1) == "connect" and re.search(r"\(\d+<UDP", line):
            continue
        out.append(line)
    return out


GOOGLE_DNS = 'inet_pton(AF_INET6, "2001:4860:4860::8888", &sin6_addr)'


def test_the_trace_check_sees_dns_queries_and_connections_to_other_machines() -> None:
    dns = (
        "9 connect(18<UDP:[7]>, {sa_family=AF_INET, sin_port=htons(53), "
        'sin_addr=inet_addr("10.255.255.53")}, 16) = 0'
    )
    tcp = f"9 connect(18<TCPv6:[7]>, {{sa_family=AF_INET6, sin6_port=htons(443), {GOOGLE_DNS}}}"
    sent = '9 sendto(22<UDPv6:[[::1]:40000->[2001:4860:4860::8888]:443]>, "x", 1, 0) = 1'
    probe = f"9 connect(22<UDPv6:[7]>, {{sa_family=AF_INET6, sin6_port=htons(443), {GOOGLE_DNS}}}"
    proxy = (
        "9 connect(22<TCP:[7]>, {sa_family=AF_INET, sin_port=htons(9), "
        'sin_addr=inet_addr("127.0.0.1")}, 16) = -1'
    )
    assert offending("\n".join([dns, tcp, sent, probe, proxy])) == [dns, tcp, sent]


def test_drawing_the_report_charts_sends_nothing_off_the_machine(tmp_path: Path) -> None:
    strace = shutil.which("strace")
    assert strace, "strace is missing: apt-get install -y strace (.ci/run installs it)"
    assert images.browser_path(), "Chromium is missing: apt-get install -y chromium"
    log = tmp_path / "trace.txt"
    result = subprocess.run(
        [
            strace,
            "-f",
            "-qq",
            "-yy",
            "-e",
            "trace=connect,sendto,sendmsg,sendmmsg,write",
            "-o",
            str(log),
            sys.executable,
            "-c",
            DRAW,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert offending(log.read_text(encoding="utf-8", errors="replace")) == []
