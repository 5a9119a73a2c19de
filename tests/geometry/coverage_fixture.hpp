#pragma once
// A polygon coverage for level-of-detail tests: an nx × ny grid of quadrilateral cells
// (counter-clockwise) whose interior grid vertices are jittered by whole metres, with every
// edge densified by `dens` points that zig-zag ±`noise` across it. Neighbours share their
// edges vertex for vertex (the same points, reversed), as in a digitised coverage.
#include <cmath>
#include <vector>

#include "geo/geometry/types.hpp"

namespace hq::test {

struct GridCoverage {
    int nx = 0, ny = 0;
    std::vector<Vec2> corners;    ///< (nx + 1) × (ny + 1) grid vertices, index j * (nx + 1) + i
    std::vector<Geometry> cells;  ///< index j * nx + i
    [[nodiscard]] Vec2 corner(int i, int j) const {
        return corners[static_cast<std::size_t>(j * (nx + 1) + i)];
    }
};

inline GridCoverage densified_grid(int nx, int ny, double cell, int dens, double noise, int jitter,
                                   Vec2 at = {}) {
    GridCoverage g;
    g.nx = nx;
    g.ny = ny;
    for (int j = 0; j <= ny; ++j)
        for (int i = 0; i <= nx; ++i) {
            const bool interior = i > 0 && j > 0 && i < nx && j < ny;
            const double jx = interior ? ((i * 7 + j * 3) % 5 - 2) * jitter : 0;
            const double jy = interior ? ((i * 2 + j * 5) % 5 - 2) * jitter : 0;
            g.corners.push_back({at.x + i * cell + jx, at.y + j * cell + jy});
        }
    auto idx = [&](int i, int j) { return j * (nx + 1) + i; };
    // The points strictly between corners a and b, generated from the smaller index so that
    // both cells on the edge get the same points.
    auto edge = [&](int a, int b) {
        const bool flip = a > b;
        const int lo = flip ? b : a, hi = flip ? a : b;
        const Vec2 p = g.corners[static_cast<std::size_t>(lo)], q = g.corners[static_cast<std::size_t>(hi)];
        const double len = std::hypot(q.x - p.x, q.y - p.y), nxv = -(q.y - p.y) / len,
                     nyv = (q.x - p.x) / len;
        std::vector<Vec2> pts;
        for (int k = 1; k <= dens; ++k) {
            const double t = static_cast<double>(k) / (dens + 1), s = (k % 2 ? 1.0 : -1.0) * noise;
            pts.push_back({p.x + t * (q.x - p.x) + s * nxv, p.y + t * (q.y - p.y) + s * nyv});
        }
        if (flip) std::vector<Vec2>(pts.rbegin(), pts.rend()).swap(pts);
        return pts;
    };
    for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i) {
            const int c[4] = {idx(i, j), idx(i + 1, j), idx(i + 1, j + 1), idx(i, j + 1)};
            Ring r;
            for (int k = 0; k < 4; ++k) {
                r.push_back(g.corners[static_cast<std::size_t>(c[k])]);
                const auto pts = edge(c[k], c[(k + 1) % 4]);
                r.insert(r.end(), pts.begin(), pts.end());
            }
            r.push_back(r.front());
            g.cells.push_back(Geometry::polygon(std::move(r)));
        }
    return g;
}

}  // namespace hq::test
