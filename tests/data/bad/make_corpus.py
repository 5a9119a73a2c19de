#!/usr/bin/env python3
"""Writes the bad-input corpus used by tests/io and the CLI tests.

Each case is a file or a project folder, listed in cases.tsv with the exit code
`huqian info` must give and a piece of the one-line message it must print.
Run from this folder: python3 make_corpus.py  (needs gdal-bin for the raster case).
The outputs are committed; CI does not run this script.
"""
import json
import os
import shutil
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))


def square(x0, y0, d=0.001):
    return [[[x0, y0], [x0 + d, y0], [x0 + d, y0 + d], [x0, y0 + d], [x0, y0]]]


def fc(features, name="units"):
    return {"type": "FeatureCollection", "name": name, "features": features}


def feat(fid, props, coords, gtype="Polygon"):
    return {"type": "Feature", "properties": dict(id=fid, **props),
            "geometry": {"type": gtype, "coordinates": coords}}


def good_units(extra=None):
    feats = []
    for i in range(3):
        props = {"pop_a": 10 + i, "pop_b": 5 * i}
        if extra and i == 1:
            props.update(extra)
        feats.append(feat("U%d" % (i + 1), props, square(104.04 + 0.002 * i, 30.64)))
    return fc(feats)


MANIFEST = {
    "huqian_manifest": 1,
    "name": {"zh": "测试", "en": "test"},
    "layers": {"units": {"path": "units.geojson", "id": "id"}},
    "groups": [{"column": "pop_a", "zh": "甲", "en": "A"}, {"column": "pop_b", "zh": "乙", "en": "B"}],
}


def write(path, text, mode="w"):
    with open(os.path.join(HERE, path), mode) as f:
        f.write(text)


def project(name, units_text=None, manifest=None):
    d = os.path.join(HERE, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "project.json"), "w") as f:
        json.dump(manifest or MANIFEST, f, ensure_ascii=False, indent=1)
    if units_text is not None:
        write(os.path.join(name, "units.geojson"), units_text)


def main():
    for entry in os.listdir(HERE):
        p = os.path.join(HERE, entry)
        if os.path.isdir(p):
            shutil.rmtree(p)
        elif entry not in ("make_corpus.py", "cases.tsv"):
            os.remove(p)

    write("empty.geojson", "")
    good = json.dumps(good_units())
    write("truncated.geojson", good[: len(good) // 2])
    write("not_json.geojson", "Residents of courtyard 3: 120 Han, 45 Tibetan\n")
    write("no_features.geojson", json.dumps(fc([])))

    bad_ring = good_units()
    bad_ring["features"][1]["geometry"]["coordinates"][0].pop()  # drop the closing point
    write("unclosed_ring.geojson", json.dumps(bad_ring))

    out = good_units()
    out["features"][2]["geometry"]["coordinates"] = [[[200.0, 30.64], [200.001, 30.64], [200.001, 30.641], [200.0, 30.64]]]
    write("outside_lonlat.geojson", json.dumps(out))

    dup = good_units()
    dup["features"][2]["properties"]["id"] = "U1"
    write("duplicate_ids.geojson", json.dumps(dup))

    # Invalid UTF-8: a GBK-encoded name written as raw bytes.
    text = json.dumps(good_units({"name": "XXXX"}), ensure_ascii=False)
    raw = text.encode("utf-8").replace(b"XXXX", "蜀汉".encode("gbk"))
    write("invalid_utf8.geojson", raw, "wb")

    bow = good_units()
    bow["features"][0]["geometry"]["coordinates"] = [[[104.04, 30.64], [104.041, 30.641], [104.041, 30.64], [104.04, 30.641], [104.04, 30.64]]]
    write("self_intersecting.geojson", json.dumps(bow))

    subprocess.run(["gdal_create", "-q", "-of", "GTiff", "-outsize", "4", "4", "-bands", "1",
                    os.path.join(HERE, "raster.tif")], check=True)
    write("notes.txt", "not a vector file\n")

    # Projects: counts and manifests.
    project("missing_group_column", json.dumps(good_units()),
            dict(MANIFEST, groups=MANIFEST["groups"] + [{"column": "pop_tibetan", "zh": "藏族", "en": "Tibetan"}]))
    project("negative_count", json.dumps(good_units({"pop_b": -3})))
    project("fractional_count", json.dumps(good_units({"pop_b": 2.5})))
    project("textual_count", json.dumps(good_units({"pop_b": "twelve"})))
    project("nan_count", json.dumps(good_units({"pop_b": 1})).replace('"pop_b": 1}', '"pop_b": NaN}'))
    project("huge_count", json.dumps(good_units({"pop_b": 12345678901234})))
    project("missing_layer", json.dumps(good_units()),
            dict(MANIFEST, layers={"units": {"path": "units.geojson"}, "venues": {"path": "venues.geojson"}}))
    pts = fc([feat("P1", {"pop_a": 1, "pop_b": 1}, [104.04, 30.64], "Point")])
    project("wrong_geometry_for_role", json.dumps(pts))
    project("bad_manifest_json", json.dumps(good_units()))
    write("bad_manifest_json/project.json", '{"huqian_manifest": 1, "layers": {')


if __name__ == "__main__":
    main()
