#!/usr/bin/env bash
# Remakes the binary seeds of the corpus from the text ones (run by hand, not by CI):
#   corpus/gpkg/*.gpkg   GeoPackages of some GeoJSON seeds, trimmed to a few KB (tables
#                        GDAL does not need dropped, 512-byte pages), and a huqian project
#                        GeoPackage written by save_gpkg_project (make_project_seed.cpp);
#   corpus/join/*.xlsx, *.ods   the CSV join table as spreadsheets.
# Needs gdal-bin and sqlite3, and the fuzz preset configured (cmake --preset fuzz).
set -euo pipefail
cd "$(dirname "$0")"
c=corpus

trim() {  # a GeoPackage down to what GDAL reads
  sqlite3 "$1" "DROP TABLE IF EXISTS gpkg_metadata_reference; DROP TABLE IF EXISTS gpkg_metadata;
    DROP TABLE IF EXISTS gpkg_tile_matrix; DROP TABLE IF EXISTS gpkg_tile_matrix_set;
    DROP TABLE IF EXISTS gpkg_extensions; PRAGMA page_size=512; VACUUM;"
}

for f in shuhan_courtyards utm_crs_multipolygon points_and_lines lines; do
  rm -f "$c/gpkg/$f.gpkg"
  ogr2ogr -f GPKG "$c/gpkg/$f.gpkg" "$c/geojson/$f.geojson" -lco SPATIAL_INDEX=NO -nln "$f"
  trim "$c/gpkg/$f.gpkg"
done

cmake --build ../../build/fuzz --target make_project_seed
rm -f "$c/gpkg/project.gpkg"
scratch=$(mktemp -d)
TMPDIR=$scratch ../../build/fuzz/tests/fuzz/make_project_seed "$c/gpkg/project.gpkg"
rmdir "$scratch"
trim "$c/gpkg/project.gpkg"

for fmt in XLSX ODS; do
  ext=$(echo "$fmt" | tr 'A-Z' 'a-z')
  rm -f "$c/join/counts.$ext"
  ogr2ogr -f "$fmt" "$c/join/counts.$ext" "$c/join/counts.csv" -nln counts
done
ls -l "$c/gpkg" "$c/join"
