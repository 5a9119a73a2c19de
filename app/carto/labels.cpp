#include "app/carto/labels.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <string>
#include <unordered_map>

namespace hq::carto {
namespace {
bool overlaps(const Box& a, const Box& b) {
    return a.minx < b.maxx && b.minx < a.maxx && a.miny < b.maxy && b.miny < a.maxy;  // touching is fine
}
bool inside(const Box& a, const Box& f) {
    return a.minx >= f.minx && a.maxx <= f.maxx && a.miny >= f.miny && a.maxy <= f.maxy;
}

/// Boxes in a uniform grid (the viewer places thousands of labels a frame at city scale).
/// Each cell holds copies of its boxes, scanned in order: at a million pie obstacles a query
/// reads thousands of them, and reading them through indices was mostly cache misses.
class BoxGrid {
public:
    explicit BoxGrid(double cell) : m_cell(cell > 0 && std::isfinite(cell) ? cell : 1.0) {}
    [[nodiscard]] bool hits(const Box& b) const {
        bool hit = false;
        visit(b, [&](std::int64_t k) {
            auto it = m_cells.find(k);
            if (it != m_cells.end())
                for (const Box& o : it->second)
                    if (overlaps(b, o)) {
                        hit = true;
                        break;
                    }
            return !hit;
        });
        return hit;
    }
    void add(const Box& b) {
        visit(b, [&](std::int64_t k) {
            m_cells[k].push_back(b);
            return true;
        });
    }

private:
    template <class F>
    void visit(const Box& b, F&& f) const {
        const auto c = [&](double v) { return static_cast<std::int64_t>(std::floor(v / m_cell)); };
        for (std::int64_t x = c(b.minx); x <= c(b.maxx); ++x)
            for (std::int64_t y = c(b.miny); y <= c(b.maxy); ++y)
                if (!f((x << 32) ^ (y & 0xffffffff))) return;
    }
    double m_cell;
    std::unordered_map<std::int64_t, std::vector<Box>> m_cells;
};

}  // namespace

std::vector<int> place_labels(const std::vector<std::vector<Box>>& candidates, const std::vector<int>& priority,
                              const Box& frame, const std::vector<Box>& obstacles, const std::vector<double>& rank) {
    const std::size_t n = candidates.size();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    const auto prio = [&](std::size_t i) { return i < priority.size() ? priority[i] : 0; };
    const auto rk = [&](std::size_t i) { return i < rank.size() ? rank[i] : 0.0; };
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (prio(a) != prio(b)) return prio(a) > prio(b);
        return rk(a) > rk(b);
    });
    // Grid cells of about four label heights.
    double hsum = 0;
    std::size_t hn = 0;
    for (const auto& c : candidates)
        if (!c.empty() && c[0].height() > 0) {
            hsum += c[0].height();
            ++hn;
        }
    const double label_cell = hn ? 4 * hsum / static_cast<double>(hn) : std::max(frame.width(), frame.height()) / 32;
    BoxGrid placed(label_cell);
    // Obstacles (a pie per unit: 100k at city scale) are usually far smaller than labels: in
    // cells of four label heights a query tested hundreds of them. Cells of about two
    // obstacle sizes (not below an eighth of a label cell); hits() is exact either way.
    double osum = 0;
    for (const Box& o : obstacles) osum += std::max(o.width(), o.height());
    double ocell = obstacles.empty() ? label_cell : 2 * osum / static_cast<double>(obstacles.size());
    if (!(ocell > 0) || !std::isfinite(ocell)) ocell = label_cell;
    BoxGrid blocked(std::clamp(ocell, label_cell / 8, label_cell));
    for (const Box& o : obstacles) blocked.add(o);
    std::vector<int> chosen(n, -1);
    for (std::size_t i : order) {
        for (std::size_t c = 0; c < candidates[i].size(); ++c) {
            const Box& b = candidates[i][c];
            if (!(b.width() > 0) || !(b.height() > 0) || !inside(b, frame) || placed.hits(b) || blocked.hits(b)) continue;
            chosen[i] = static_cast<int>(c);
            placed.add(b);
            break;
        }
    }
    return chosen;
}

std::vector<std::optional<Box>> place_scene_labels(const Scene& s, const std::function<Vec2(Vec2)>& to_target,
                                                   double px, const std::vector<LabelSize>& sizes,
                                                   const Box& frame, double gap) {
    std::vector<Box> obstacles;
    // A pie centred on a label's anchor pushes the label out (composition: the pie sits on
    // the unit's point on surface, where its name is anchored).
    std::unordered_map<std::uint64_t, double> pie_at;
    auto key = [](Vec2 p) {
        return static_cast<std::uint64_t>(std::llround(p.x * 10)) * 1000003ull ^
               static_cast<std::uint64_t>(std::llround(p.y * 10));
    };
    for (const auto& p : s.pies) {
        const Vec2 c = to_target(p.center);
        const double r = p.radius_px * px;
        obstacles.push_back({c.x - r, c.y - r, c.x + r, c.y + r});
        pie_at[key(p.center)] = r;
    }
    std::vector<std::vector<Box>> cands(s.labels.size());
    std::vector<int> prio(s.labels.size(), 0);
    std::vector<double> rank(s.labels.size(), 0);
    for (std::size_t i = 0; i < s.labels.size() && i < sizes.size(); ++i) {
        const Label& l = s.labels[i];
        prio[i] = l.priority;
        rank[i] = l.rank;
        if (l.text.empty() || !(sizes[i].w > 0) || !(sizes[i].h > 0)) continue;  // not measured: left out
        const Vec2 a = to_target(l.anchor);
        const double w = sizes[i].w, h = sizes[i].h;
        if (!(a.x >= frame.minx - w && a.x <= frame.maxx + w && a.y >= frame.miny - h && a.y <= frame.maxy + h))
            continue;  // far outside: no candidate can be inside the frame
        const auto pie = pie_at.find(key(l.anchor));
        const double r = pie == pie_at.end() ? 0.0 : pie->second;
        const double g = gap + r;
        auto box = [&](double cx, double cy) { return Box{cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2}; };
        auto& c = cands[i];
        if (r == 0) c.push_back(box(a.x, a.y));
        c.push_back(box(a.x, a.y + g + h / 2));
        c.push_back(box(a.x, a.y - g - h / 2));
        c.push_back(box(a.x + g + w / 2, a.y));
        c.push_back(box(a.x - g - w / 2, a.y));
    }
    const auto chosen = place_labels(cands, prio, frame, obstacles, rank);
    std::vector<std::optional<Box>> out(s.labels.size());
    for (std::size_t i = 0; i < out.size(); ++i)
        if (chosen[i] >= 0) out[i] = cands[i][static_cast<std::size_t>(chosen[i])];
    return out;
}

namespace {

std::size_t utf8_length(unsigned char c) { return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1; }

/// Non-ASCII characters that belong to the Latin word or number beside them.
bool joins_word(const std::string& ch) {
    static const char* const signs[] = {"²", "³", "°", "‰", "±", "×", "·", "′", "″", "é", "è", "ü", "ö", "ä", "’"};
    for (const char* s : signs)
        if (ch == s) return true;
    return false;
}
bool closing(const std::string& ch) {
    static const char* const signs[] = {"，", "。", "；", "：", "）", "、", "”", "’", "》", "」", "！", "？", "…", "%", "％"};
    for (const char* s : signs)
        if (ch == s) return true;
    return false;
}
bool opening(const std::string& ch) {
    static const char* const signs[] = {"（", "“", "‘", "《", "「"};
    for (const char* s : signs)
        if (ch == s) return true;
    return false;
}

}  // namespace

std::vector<std::string> wrap_units(const std::string& s) {
    std::vector<std::string> out;
    bool glue_next = false;  // the last unit is an opening bracket: the next one joins it
    std::size_t i = 0;
    auto push = [&](std::string u, bool word) {
        if (!out.empty() && (glue_next || (!word && closing(u)))) out.back() += u;
        else out.push_back(std::move(u));
        glue_next = false;
    };
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::string first = s.substr(i, utf8_length(c));
        if (c < 0x80 || joins_word(first)) {
            // A word: ASCII other than spaces, with the signs that belong to it, then its spaces.
            std::size_t j = i;
            while (j < s.size()) {
                const auto d = static_cast<unsigned char>(s[j]);
                if (d < 0x80) {
                    if (s[j] == ' ') break;
                    ++j;
                } else if (joins_word(s.substr(j, utf8_length(d)))) {
                    j += utf8_length(d);
                } else {
                    break;
                }
            }
            while (j < s.size() && s[j] == ' ') ++j;
            if (j == i) j = i + 1;
            push(s.substr(i, j - i), true);
            i = j;
        } else {
            push(first, false);
            glue_next = opening(first);
            i += first.size();
        }
    }
    return out;
}

std::vector<std::string> wrap_lines(const std::string& text, double width,
                                    const std::function<double(const std::string&)>& measure) {
    auto trim = [](std::string t) {
        while (!t.empty() && t.back() == ' ') t.pop_back();
        return t;
    };
    std::vector<std::string> lines;
    std::string line;
    for (const auto& unit : wrap_units(text)) {
        const std::string trial = line + unit;
        if (!line.empty() && measure(trim(trial)) > width) {
            lines.push_back(trim(line));
            line = unit;
        } else {
            line = trial;
        }
    }
    line = trim(line);
    if (!line.empty() || lines.empty()) lines.push_back(line);
    return lines;
}

}  // namespace hq::carto
