"""The command line (``python -m src.cli``) and the launcher (``python -m src.cli.launch``).

An entry point beside ``src.ui``: may import every layer except ``src.ui``.
"""
