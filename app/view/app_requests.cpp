// App requests added for issue 5's indices inference and raster basemaps (jobs off the UI
// thread): p-values of the indices panel from geo's single-value tests, and a basemap
// warped to the metric CRS (geo/io/basemap.hpp) as a layer beneath the data.
#include <algorithm>
#include <cmath>

#include "app/view/app.hpp"
#include "geo/io/basemap.hpp"
#include "geo/stats/seg_inference.hpp"

namespace hq::view {
namespace {

/// The counts of the groups with residents (all-zero groups are invalid for the indices).
seg::CountMatrix kept_matrix(const ProjectData& d, std::vector<std::size_t>& kept) {
    const std::size_t n = d.totals.size();
    kept.clear();
    for (std::size_t k = 0; k < d.counts.size(); ++k) {
        double s = 0;
        for (double c : d.counts[k]) s += c;
        if (s > 0) kept.push_back(k);
    }
    seg::CountMatrix m;
    m.units = n;
    m.groups = kept.size();
    m.data.resize(n * kept.size());
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t k = 0; k < kept.size(); ++k) m.data[i * kept.size() + k] = d.counts[kept[k]][i];
    for (std::size_t k : kept) m.names.push_back(d.project->groups[k].column);
    return m;
}

std::string file_name(const std::string& path) {
    const auto s = path.find_last_of('/');
    return s == std::string::npos ? path : path.substr(s + 1);
}

}  // namespace

void App::request_inference(const std::string& null_name, std::size_t permutations) {
    if (!model.data || model.data->counts.size() < 2 || permutations == 0) return;
    auto data = model.data;
    const auto g = static_cast<std::size_t>(std::clamp(ui.group, 0, static_cast<int>(data->counts.size()) - 1));
    jobs.submit<InferenceView>(
        "inference", t(S::PValues), [data, g, null_name, permutations](const JobContext& p) {
            std::vector<std::size_t> kept;
            const seg::CountMatrix m = kept_matrix(*data, kept);
            const seg::NullApproach null = seg::null_from_name(null_name);
            seg::TestOptions o;
            o.permutations = permutations;
            o.seed = 12345;
            InferenceView v;
            v.group = data->project->groups[g].column;
            v.null = null_name;
            v.permutations = permutations;
            // The deterministic indices the panel shows (the randomised ones are not tested).
            std::vector<std::string> single;
            for (const auto& id : seg::single_group_aspatial_ids())
                if (id != "modified_dissim" && id != "modified_gini" && id != "bias_corrected_dissim") single.push_back(id);
            const std::vector<std::string> multi{"multi_dissim", "multi_gini", "multi_info_theory", "multi_diversity",
                                                 "simpsons_interaction"};
            const auto pos = std::find(kept.begin(), kept.end(), g);
            const bool have_group = pos != kept.end();
            const double steps = static_cast<double>((have_group ? single.size() : 0) + multi.size());
            double done = 0;
            auto record = [&](const std::string& id, const seg::SingleValueResult& r) {
                // A null that cannot move the index (e.g. diversity with group totals kept)
                // has no p-value worth printing.
                // (Rounding noise aside: the draws differ only in the last bits.)
                const bool degenerate = !(r.summary.sd > 1e-9 * std::max(1.0, std::abs(r.summary.mean)));
                v.p.emplace_back(id, degenerate ? std::nan("") : r.p_value);
            };
            if (have_group) {
                const seg::GroupCounts c = seg::group_vs_rest(m, static_cast<std::size_t>(pos - kept.begin()));
                for (const auto& id : single) {
                    const Progress& sub = p.sub(done / steps, (done + 1) / steps, id);
                    record(id, seg::single_value_test(id, c, {}, null, o, {}, sub));
                    done += 1;
                }
            }
            for (const auto& id : multi) {
                const Progress& sub = p.sub(done / steps, (done + 1) / steps, id);
                record(id, seg::single_value_test(id, m, {}, null, o, {}, sub));
                done += 1;
            }
            return v;
        },
        [this](std::shared_ptr<const InferenceView> v) { model.inference = std::move(v); });
}

void App::add_basemap(const std::string& path) {
    if (!model.data) return;
    auto project = model.data->project;
    Box clip = model.data->extent;
    if (!clip.empty()) clip = clip.inflated(std::max(clip.width(), clip.height()));  // the area and its surroundings
    const std::string key = "basemap:" + path;
    jobs.submit<FileLayer>(
        key, std::string(t(S::Loading)) + " " + path,
        [path, project, clip, key](const JobContext& p) {
            p.progress.report(0.1, "warp");
            BasemapOptions o;
            o.clip = clip;
            BasemapImage img = read_basemap(path, project->metric_crs, o);
            p.progress.check();
            auto overlay = std::make_shared<carto::RasterOverlay>();
            overlay->extent = img.extent;
            overlay->width = img.width;
            overlay->height = img.height;
            overlay->rgba = std::move(img.rgba);
            overlay->opacity = 1.0f;
            MeshBatch b;
            b.key = key;
            b.name_zh = std::string(tr(S::Basemap, UiLang::Zh)) + " " + file_name(path);
            b.name_en = std::string(tr(S::Basemap, UiLang::En)) + " " + file_name(path);
            b.image = std::move(overlay);
            FileLayer f;
            f.path = path;
            f.batch = std::make_shared<const MeshBatch>(std::move(b));
            return f;
        },
        [this](std::shared_ptr<const FileLayer> f) {
            model.files.erase(std::remove_if(model.files.begin(), model.files.end(),
                                             [&](const FileLayer& x) { return x.batch && x.batch->key == f->batch->key; }),
                              model.files.end());
            model.files.push_back(*f);
            mesh_dirty = true;
            fonts_dirty = true;
            sync_layers();  // a basemap comes first in the canonical order: beneath the data
        });
}

}  // namespace hq::view
