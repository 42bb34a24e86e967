#!/usr/bin/env bash
# Pages 1 and 2 of the Word report on the demo data (year 2023), as PNG images for the README:
# docs/report-page-1.png, docs/report-page-2.png. Needs LibreOffice Writer (soffice:
# apt-get install -y libreoffice-writer-nogui) and pdftoppm (poppler-utils); the tests do not.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export DASHBOARD_DB="$work/demo.duckdb"
"$PY" -m src.cli init --demo >/dev/null
"$PY" -m src.cli export --format docx --year 2023 --out "$work/bao-cao-chi-tieu-2023.docx"
soffice --headless --norestore "-env:UserInstallation=file://$work/lo" \
  --convert-to pdf --outdir "$work" "$work/bao-cao-chi-tieu-2023.docx" >/dev/null
for n in 1 2; do
  pdftoppm -png -r 100 -f "$n" -l "$n" -singlefile "$work/bao-cao-chi-tieu-2023.pdf" \
    "docs/report-page-$n"
done
echo "docs/report-page-1.png docs/report-page-2.png"
