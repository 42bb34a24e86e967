"""Charts as PNG images through Plotly's own export (kaleido), where a browser is available.

Kaleido 1.x draws with a Chromium found through choreographer. Nothing is fetched: plotly.js
comes from the installed plotly package and MathJax (loaded from a CDN by default) is off.
Nothing leaves the machine either: Chromium would otherwise look up Google's and
DuckDuckGo's hosts (secure DNS probes, component updates) while it draws, so it is started
with its background services off, every host name answered "not found" and a proxy on a
closed local port (:data:`OFFLINE_FLAGS`).
The charts' font (Be Vietnam Pro, bundled in ``static/fonts/``) is given to that Chromium through
a fontconfig file of its own that adds the folder to the machine's fonts (:func:`_fonts`): the
text is measured and drawn in the same font on every machine, so a label fits where Plotly
measured it would (on Windows, where fontconfig plays no part, the charts fall back to Arial).
Where no browser is found, or drawing fails, :func:`render` answers ``None`` and the report
goes without charts (and says nothing about them).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go

from src import config

log = logging.getLogger(__name__)

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
TIMEOUT_S = 90.0
# Port 9 (discard) on the loopback: nothing listens, so a request sent to it goes nowhere.
DEAD_PROXY = "127.0.0.1:9"
OFFLINE_FLAGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-domain-reliability",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-client-side-phishing-detection",
    "--no-first-run",
    "--no-pings",
    "--dns-prefetch-disable",
    "--disable-features=DnsOverHttps,AsyncDns,NetworkTimeServiceQuerying,OptimizationHints,"
    "MediaRouter,DialMediaRouteProvider,Translate,AutofillServerCommunication,"
    "CertificateTransparencyComponentUpdater,SafeBrowsing,InterestFeedContentSuggestions",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
    "--proxy-bypass-list=<-loopback>",
)


@dataclass(frozen=True)
class Picture:
    figure: go.Figure
    width: int  # px at scale 1; the image is drawn at twice that for print
    height: int


def browser_path() -> str | None:
    """The browser kaleido should drive: ``BROWSER_PATH`` when set (an empty value or a
    missing file means none), else Debian's Chromium or another on the PATH."""
    if "BROWSER_PATH" in os.environ:
        wanted = os.environ["BROWSER_PATH"].strip()
        return wanted if wanted and Path(wanted).is_file() else None
    for candidate in ("/usr/bin/chromium", *BROWSER_NAMES):
        found = candidate if Path(candidate).is_file() else shutil.which(candidate)
        if found:
            return found
    return None


def _offline(k: object) -> None:
    """Add :data:`OFFLINE_FLAGS` to the command line choreographer starts Chromium with
    (kaleido passes no flags of its own through). Raises when kaleido's insides changed:
    then no charts are drawn rather than a browser that may go online."""
    impl = k._browser_impl  # type: ignore[attr-defined]
    get_cli = impl.get_cli

    def offline_cli() -> list[str]:
        return [*get_cli(), *OFFLINE_FLAGS]

    impl.get_cli = offline_cli


FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <cachedir>{cache}</cachedir>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{fonts}</dir>
</fontconfig>
"""


def fonts_conf(folder: Path) -> Path:
    """A fontconfig file in ``folder``: the machine's fonts and the bundled one, its cache
    in ``folder`` too (nothing is written beside the bundled font or in the home folder)."""
    conf = folder / "fonts.conf"
    cache = folder / "cache"
    cache.mkdir(exist_ok=True)
    conf.write_text(FONTS_CONF.format(fonts=config.FONT_DIR, cache=cache), encoding="utf-8")
    return conf


def _fonts(k: object, conf: Path) -> None:
    """Start choreographer's Chromium with ``FONTCONFIG_FILE`` set to ``conf`` (like
    :func:`_offline`, through the browser's own hook)."""
    impl = k._browser_impl  # type: ignore[attr-defined]
    get_env = impl.get_env

    def env_with_fonts() -> dict[str, str]:
        return {**get_env(), "FONTCONFIG_FILE": str(conf)}

    impl.get_env = env_with_fonts


async def _draw(
    pictures: list[Picture], browser: str, fmt: str = "png", scale: int = 2
) -> list[bytes]:
    import kaleido

    out: list[bytes] = []
    with tempfile.TemporaryDirectory(prefix="nq-fonts-") as tmp:
        k = kaleido.Kaleido(n=1, timeout=60, mathjax=False, path=browser, proxy_server=DEAD_PROXY)
        _offline(k)
        _fonts(k, fonts_conf(Path(tmp)))
        async with k:
            for p in pictures:
                opts = {"format": fmt, "width": p.width, "height": p.height, "scale": scale}
                out.append(await k.calc_fig(p.figure, opts=opts))  # type: ignore[arg-type]
    return out


def render(pictures: list[Picture], fmt: str = "png", scale: int = 2) -> list[bytes] | None:
    """PNG bytes for each picture (or ``fmt``: "svg"), or ``None`` when charts cannot be
    drawn here."""
    if not pictures:
        return []
    browser = browser_path()
    if browser is None:
        return None
    # A fresh event loop in a worker thread: callers may already run one (Streamlit).
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    future = pool.submit(asyncio.run, _draw(pictures, browser, fmt, scale))
    try:
        return future.result(timeout=TIMEOUT_S)
    except Exception as exc:  # no chart is better than no report
        log.warning("charts not drawn: %s", exc)
        return None
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
