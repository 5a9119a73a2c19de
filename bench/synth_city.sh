# Sourced by the bench scripts. city_manifest DIR writes DIR/project.json, a manifest for
# DIR/city.gpkg naming its 8 groups; synth_city EXE UNITS DIR also makes that city
# (`huqian synth --units UNITS --groups 8 --seed 1`).
city_manifest() {
  local dir=$1
  {
    echo '{"huqian_manifest": 1, "name": {"zh": "合成城市", "en": "Synthetic city"}, "illustrative": true,'
    echo ' "crs": "EPSG:32648", "count_roles": ["units"], "layers": {"units": {"path": "city.gpkg"}}, "groups": ['
    for i in 1 2 3 4 5 6 7 8; do
      sep=$([ $i -lt 8 ] && echo , || true)
      printf '  {"column": "pop_g%02d", "zh": "群体%d", "en": "Group %d"}%s\n' "$i" "$i" "$i" "$sep"
    done
    echo ']}'
  } > "$dir/project.json"
}
synth_city() {
  local exe=$1 units=$2 dir=$3
  mkdir -p "$dir"
  "$exe" synth --units "$units" --groups 8 --seed 1 -o "$dir/city.gpkg" > /dev/null 2>&1
  city_manifest "$dir"
}
