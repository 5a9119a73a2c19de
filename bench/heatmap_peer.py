#!/usr/bin/python3
"""The numpy/scipy peer of `huqian heatmap` (issue 17 §4): read weighted points from a
GeoPackage, bin them to the grid (histogram), then one FFT convolution with the quartic
kernel. End to end, like the whole huqian command: reading, computing, writing (.npy).

    /usr/bin/python3 bench/heatmap_peer.py POINTS.gpkg LAYER RADIUS PIXEL OUT.npy

Needs Debian python3-numpy and python3-scipy (not CI). The GeoPackage is read with sqlite3:
every point blob has the same layout (GDAL writes points without an envelope), so the
coordinates are sliced out of one byte array. Binning to cell centres is the usual peer
shortcut: it is not QGIS's exact per-point kernel sum, only its cost class."""
import sqlite3
import sys

import numpy as np
from scipy.signal import fftconvolve

path, layer, radius, pixel, out = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
con = sqlite3.connect(path)
(geom_col,) = con.execute("SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (layer,)).fetchone()
rows = con.execute(f'SELECT "{geom_col}", w FROM "{layer}"').fetchall()
blobs = [r[0] for r in rows]
size = len(blobs[0])
if any(len(b) != size for b in blobs) or (blobs[0][3] >> 1) & 7 != 0:
    sys.exit("heatmap_peer: expected point blobs of one size without an envelope")
raw = np.frombuffer(b"".join(blobs), dtype=np.uint8).reshape(len(blobs), size)
xy = raw[:, 8 + 5:8 + 21].copy().view("<f8")  # GPKG header (8 bytes), WKB byte order + type
w = np.fromiter((r[1] for r in rows), dtype=np.float64, count=len(rows))
x0, y0 = xy[:, 0].min(), xy[:, 1].min()
nx = int(np.ceil((xy[:, 0].max() - x0) / pixel)) + 1
ny = int(np.ceil((xy[:, 1].max() - y0) / pixel)) + 1
grid, _, _ = np.histogram2d(xy[:, 1], xy[:, 0], bins=(ny, nx),
                            range=((y0 - pixel / 2, y0 + (ny - 0.5) * pixel), (x0 - pixel / 2, x0 + (nx - 0.5) * pixel)),
                            weights=w)
b = int(np.ceil(radius / pixel))
d = np.arange(-b, b + 1) * pixel
dd = (d[None, :] ** 2 + d[:, None] ** 2) / radius ** 2
kernel = np.where(dd <= 1.0, 15.0 / 16.0 * (1.0 - dd) ** 2, 0.0)
density = fftconvolve(grid, kernel, mode="same")
np.save(out, density.astype(np.float32))
print(f"peer: {len(w)} points -> {nx}x{ny}")
