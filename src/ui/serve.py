"""The dashboard's server process (``python -m src.ui.serve [streamlit options]``, which
``make run`` starts): load what every page's first run needs, then run ``streamlit run
app.py`` in this same process.

Streamlit imports a page's modules at the page's first run, so without this the first
reader after a start waited for pandas, Plotly, DuckDB and this app's own modules to be
imported, and for Plotly to build the validators of its first figure: 1.5-2 s of the
overview's first view at S (docs/scaling.md, "The first view after a start"). Here they are
loaded before the server listens: the first reader meets a server that is ready.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time

from src import config
from src.i18n import fmt_num, t


def _no_runtime_yet(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("No runtime found")


def preload() -> float:
    """Import the pages' modules and build one figure of each kind; seconds it took. Nothing
    is read from the database and no Streamlit cache is filled: that needs a reader's run."""
    started = time.perf_counter()
    import streamlit  # noqa: F401 - its loggers exist from here on

    # Each st.cache_data met before the server's runtime exists logs that it found none; the
    # caches themselves are made at their first call, in a reader's run, on the runtime's
    # storage, so the warnings say nothing but would fill the log at every start
    cache_log = logging.getLogger("streamlit.runtime.caching.cache_data_api")
    cache_log.addFilter(_no_runtime_yet)
    try:
        from src.ui import actions, cache, clicks, guard, widgets  # noqa: F401 - for the pages
    finally:
        cache_log.removeFilter(_no_runtime_yet)
    from src.views import charts

    charts.preload()
    # Streamlit reads a label that is not ASCII ("Tiếng Việt") for a leading emoji with one
    # regular expression over its whole emoji catalogue, compiled at the first such label
    # (0.1-0.2 s of the first run); a Streamlit that has moved it is only not preloaded
    with contextlib.suppress(Exception):
        from streamlit import string_util

        string_util.extract_leading_emoji("Tiếng Việt")
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    extra = list(sys.argv[1:] if argv is None else argv)
    took = preload()
    lang = config.default_lang()
    print(t("serve_preloaded", lang, seconds=fmt_num(took, lang, 1)), file=sys.stderr, flush=True)
    from streamlit.web import cli

    try:
        cli.main(args=["run", str(config.ROOT / "app.py"), *extra], prog_name="streamlit")
    except SystemExit as done:  # click ends by raising it, with the server's exit status
        code = done.code
        if isinstance(code, str):  # Streamlit's words for a refusal (an option not allowed)
            print(code, file=sys.stderr)
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
