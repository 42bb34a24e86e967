"""The benchmark harness (issue 6): ``python -m bench`` or ``make bench``.

- :mod:`bench.generate` builds the data sets (S = the demo, M, L) inside DuckDB;
- :mod:`bench.measure` times the dashboard's reads at one size, in its own process;
- :mod:`bench.reference` holds the two yardsticks: DuckDB's bare scan and a plain pandas
  overview;
- :mod:`bench.importing` times the real ingest path on a one-million-row CSV;
- :mod:`bench.attach` times the national view over per-province files (docs/scaling.md).
"""
