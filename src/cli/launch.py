"""``make run``: start the dashboard for this machine only, or for the office network when
asked (``DASHBOARD_NETWORK=office``) and an editor password protects writing.

Without the setting the server listens on 127.0.0.1 (``.streamlit/config.toml``); with it
on every interface. Other arguments go to ``streamlit run`` as they are.
"""

from __future__ import annotations

import os
import subprocess
import sys

from src import config
from src.i18n import t

NETWORKS = ("local", "office")


def network() -> str:
    return (os.environ.get("DASHBOARD_NETWORK") or "local").strip().lower()


def streamlit_command(net: str, extra: list[str]) -> list[str]:
    """The server's command line for a network: ``streamlit run app.py`` by way of
    ``src.ui.serve``, which loads the pages' modules first; ``office`` adds the address of
    every interface, ``local`` keeps the configured loopback address."""
    command = [sys.executable, "-m", "src.ui.serve"]
    if net == "office":
        command += ["--server.address", "0.0.0.0"]
    return command + extra


def address_given(extra: list[str]) -> str | None:
    """The ``--server.address`` among the arguments passed on to Streamlit, if any."""
    for i, arg in enumerate(extra):
        if arg.startswith("--server.address="):
            return arg.split("=", 1)[1]
        if arg == "--server.address" and i + 1 < len(extra):
            return extra[i + 1]
    return None


def main(argv: list[str] | None = None) -> int:
    lang = config.default_lang()
    net = network()
    extra = list(sys.argv[1:] if argv is None else argv)
    if net not in NETWORKS:
        print(t("net_unknown", lang, value=net), file=sys.stderr)
        return 2
    given = address_given(extra)
    opened = net == "office" or (given is not None and not config.is_loopback(given))
    if opened and not config.editor_password_configured():
        print(t("net_needs_password", lang), file=sys.stderr)
        return 2
    command = streamlit_command(net, extra)
    try:
        return subprocess.call(command, cwd=config.ROOT)
    except KeyboardInterrupt:  # Ctrl-C stops Streamlit too
        return 130


if __name__ == "__main__":
    sys.exit(main())
