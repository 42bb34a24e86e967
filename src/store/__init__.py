"""Store: the DuckDB file, its numbered migrations, the SQL that reads and writes it, the
per-organisation-year table kept beside the values, the catalogue, backups and recovery.

May import domain, i18n and config only.
"""
