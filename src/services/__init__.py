"""Services: opening a database ready to read (bootstrap), the demo data, upload templates.

May import ingest and everything below it.
"""
