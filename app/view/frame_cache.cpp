#include "app/view/frame_cache.hpp"

#define GL_GLEXT_PROTOTYPES 1
#include <GL/glcorearb.h>
#include <imgui.h>

namespace hq::view {
namespace {

/// FNV-1a over bytes, 64-bit.
void mix(std::uint64_t& h, const void* data, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < n; ++i) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
}

template <class T>
void mix_value(std::uint64_t& h, const T& v) {
    mix(h, &v, sizeof v);
}

}  // namespace

void FrameCache::copy_to_window() const {
    glBindFramebuffer(GL_READ_FRAMEBUFFER, m_fbo);
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, 0);
    glBlitFramebuffer(0, 0, m_w, m_h, 0, 0, m_w, m_h, GL_COLOR_BUFFER_BIT, GL_NEAREST);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
}

std::uint64_t hash_draw_data(const ImDrawData* data) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    if (!data) return h;
    mix_value(h, data->CmdListsCount);
    mix_value(h, data->DisplayPos);
    mix_value(h, data->DisplaySize);
    mix_value(h, data->FramebufferScale);
    for (int i = 0; i < data->CmdListsCount; ++i) {
        const ImDrawList* list = data->CmdLists[i];
        mix(h, list->VtxBuffer.Data, static_cast<std::size_t>(list->VtxBuffer.Size) * sizeof(ImDrawVert));
        mix(h, list->IdxBuffer.Data, static_cast<std::size_t>(list->IdxBuffer.Size) * sizeof(ImDrawIdx));
        for (const ImDrawCmd& cmd : list->CmdBuffer) {
            mix_value(h, cmd.ClipRect);
            mix_value(h, cmd.TextureId);
            mix_value(h, cmd.VtxOffset);
            mix_value(h, cmd.IdxOffset);
            mix_value(h, cmd.ElemCount);
            const bool callback = cmd.UserCallback != nullptr;
            mix_value(h, callback);
        }
    }
    return h;
}

bool FrameCache::present_cached(const FrameKey& key) {
    if (!m_valid || !(key == m_key) || m_w != key.width || m_h != key.height) return false;
    copy_to_window();
    ++reused;
    return true;
}

unsigned FrameCache::begin(const FrameKey& key) {
    m_valid = false;
    if (!m_fbo || m_w != key.width || m_h != key.height) {
        if (!m_fbo) glGenFramebuffers(1, &m_fbo);
        if (m_tex) glDeleteTextures(1, &m_tex);
        glGenTextures(1, &m_tex);
        glBindTexture(GL_TEXTURE_2D, m_tex);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, key.width, key.height, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                     nullptr);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
        glBindTexture(GL_TEXTURE_2D, 0);
        glBindFramebuffer(GL_FRAMEBUFFER, m_fbo);
        glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, m_tex, 0);
        m_w = key.width;
        m_h = key.height;
    }
    glBindFramebuffer(GL_FRAMEBUFFER, m_fbo);
    return m_fbo;
}

void FrameCache::end(const FrameKey& key) {
    copy_to_window();
    m_key = key;
    m_valid = true;
    m_prev = key;
    m_has_prev = true;
    ++drawn;
}

void FrameCache::shutdown() {
    if (m_tex) glDeleteTextures(1, &m_tex);
    if (m_fbo) glDeleteFramebuffers(1, &m_fbo);
    m_tex = m_fbo = 0;
    m_valid = false;
    m_has_prev = false;
}

}  // namespace hq::view
