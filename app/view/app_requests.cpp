// Controller requests added for issue 5's indices inference and raster basemaps (jobs off the UI
// thread): p-values of the indices panel from geo's single-value tests, and a basemap
// warped to the metric CRS (geo/io/basemap.hpp) as a layer beneath the data.
#include <algorithm>
#include <cmath>

#include "app/view/app.hpp"
#include "geo/io/basemap.hpp"
#include "geo/analysis/segregation.hpp"

namespace hq::view {
namespace {

std::string file_name(const std::string& path) {
    const auto s = path.find_last_of('/');
    return s == std::string::npos ? path : path.substr(s + 1);
}

}  // namespace

void Controller::request_inference(const std::string& null_name, std::size_t permutations) {
    if (!model.data || model.data->counts.size() < 2 || permutations == 0) return;
    auto data = model.data;
    const auto g = static_cast<std::size_t>(std::clamp(ui.group, 0, static_cast<int>(data->counts.size()) - 1));
    jobs.submit<InferenceView>(
        "inference", t(S::PValues), [data, g, null_name, permutations](const JobContext& p) {
            InferenceView v;
            v.group = data->project->groups[g].column;
            v.null = null_name;
            v.permutations = permutations;
            // The deterministic indices the panel shows (the randomised ones are not tested),
            // through the segregation suite of geo/analysis (the CLI's `indices --permutations`).
            std::vector<std::string> single;
            for (const auto& id : seg::single_group_aspatial_ids())
                if (id != "modified_dissim" && id != "modified_gini" && id != "bias_corrected_dissim") single.push_back(id);
            const std::vector<std::string> multi{"multi_dissim", "multi_gini", "multi_info_theory", "multi_diversity",
                                                 "simpsons_interaction"};
            analysis::SegregationRequest rq;
            rq.group = v.group;
            rq.spatial = false;
            rq.randomised = false;
            rq.local = false;
            rq.layer = data->units;
            rq.permutations = permutations;
            rq.null = null_name;
            rq.seed = 12345;
            rq.test_ids = single;
            rq.test_ids.insert(rq.test_ids.end(), multi.begin(), multi.end());
            std::shared_ptr<const analysis::SegregationResult> r;
            try {
                r = analysis::segregation(*data->project, rq, p.progress);
            } catch (const InputError&) {  // a group without residents: the multigroup tests only
                rq.group.clear();
                rq.test_ids = multi;
                r = analysis::segregation(*data->project, rq, p.progress);
            }
            for (const auto& row : r->inference) {
                // A null that cannot move the index (e.g. diversity with group totals kept)
                // has no p-value worth printing.
                // (Rounding noise aside: the draws differ only in the last bits.)
                const auto& t = row.r;
                const bool degenerate = !(t.summary.sd > 1e-9 * std::max(1.0, std::abs(t.summary.mean)));
                v.p.emplace_back(row.id, degenerate ? std::nan("") : t.p_value);
            }
            return v;
        },
        [this](std::shared_ptr<const InferenceView> v) { model.inference = std::move(v); });
}

void Controller::add_basemap(const std::string& path) {
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
