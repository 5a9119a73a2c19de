#include "geo/core/limits.hpp"

namespace hq {

namespace {
Limits& current() {
    static Limits l;
    return l;
}
}  // namespace

const Limits& limits() { return current(); }

ScopedLimits::ScopedLimits(const Limits& l) : m_saved(current()) { current() = l; }
ScopedLimits::~ScopedLimits() { current() = m_saved; }

}  // namespace hq
