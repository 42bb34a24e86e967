"""``python -m src.cli``: the command line of the data contract (docs/data-contract.md)."""

import signal
import sys

from src.cli.commands import main

if hasattr(signal, "SIGPIPE"):  # `... | head` ends quietly, as other commands do
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
sys.exit(main())
