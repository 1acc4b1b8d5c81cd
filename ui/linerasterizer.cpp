#include "ui/linerasterizer.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace quire::ui
{

namespace
{
constexpr int Offset = 1 << 20;

// Liang–Barsky: clips the segment to the rectangle; false when nothing of it is inside.
bool clip(double &x0, double &y0, double &x1, double &y1, double left, double top, double right, double bottom)
{
    const double dx = x1 - x0, dy = y1 - y0;
    double t0 = 0, t1 = 1;
    auto edge = [&](double p, double q) {
        if (p == 0)
            return q >= 0;
        const double r = q / p;
        if (p < 0) {
            if (r > t1)
                return false;
            t0 = std::max(t0, r);
        } else {
            if (r < t0)
                return false;
            t1 = std::min(t1, r);
        }
        return true;
    };
    if (!edge(-dx, x0 - left) || !edge(dx, right - x0) || !edge(-dy, y0 - top) || !edge(dy, bottom - y0))
        return false;
    const double sx = x0, sy = y0;
    x0 = sx + t0 * dx;
    y0 = sy + t0 * dy;
    x1 = sx + t1 * dx;
    y1 = sy + t1 * dy;
    return true;
}
} // namespace

void LineRasterizer::reset(QSize size, qreal ratio)
{
    m_width = std::max(size.width(), 0);
    m_height = std::max(size.height(), 0);
    m_ratio = ratio;
    m_opacity.assign(std::size_t(m_width) * std::size_t(m_height), 0);
}

void LineRasterizer::setOpacity(double opacity)
{
    for (std::size_t c = 0; c < m_alpha.size(); ++c)
        m_alpha[c] = std::uint8_t(std::lround(std::clamp(opacity, 0.0, 1.0) * double(c)));
}

void LineRasterizer::compose(QImage &image, const QColor &background, const QColor &colour) const
{
    if (image.width() != m_width || image.height() != m_height
        || (image.format() != QImage::Format_ARGB32_Premultiplied && image.format() != QImage::Format_RGB32))
        return;
    std::array<QRgb, 256> table;
    const QRgb b = background.rgb(), c = colour.rgb();
    for (int a = 0; a < 256; ++a) {
        auto mix = [a](int x, int y) { return (y * a + x * (255 - a) + 127) / 255; };
        table[std::size_t(a)] = qRgb(mix(qRed(b), qRed(c)), mix(qGreen(b), qGreen(c)), mix(qBlue(b), qBlue(c)));
    }
    for (int y = 0; y < m_height; ++y) {
        auto *out = reinterpret_cast<QRgb *>(image.scanLine(y));
        const std::uint8_t *in = m_opacity.data() + std::size_t(y) * std::size_t(m_width);
        for (int x = 0; x < m_width; ++x)
            out[x] = table[in[x]];
    }
}

void LineRasterizer::drawLine(QPointF from, QPointF to, double width)
{
    double x0 = from.x() * m_ratio, y0 = from.y() * m_ratio, x1 = to.x() * m_ratio, y1 = to.y() * m_ratio;
    width = std::max(width * m_ratio, 0.05);
    if (m_opacity.empty() || !std::isfinite(x0) || !std::isfinite(y0) || !std::isfinite(x1) || !std::isfinite(y1))
        return;
    const double margin = width + 1;
    if (!clip(x0, y0, x1, y1, -margin, -margin, m_width + margin, m_height + margin))
        return;
    if (std::abs(y1 - y0) > std::abs(x1 - x0))
        walk<true>(y0, x0, y1, x1, width);
    else
        walk<false>(x0, y0, x1, y1, width);
}

// Steps along the major axis (x here; y of the image when Steep), one pixel column at a time, and covers
// the line's extent across it: width·√(1+g²) for a slope g.
template <bool Steep> void LineRasterizer::walk(double x0, double y0, double x1, double y1, double width)
{
    if (x0 > x1) {
        std::swap(x0, x1);
        std::swap(y0, y1);
    }
    const int majorSize = Steep ? m_height : m_width;
    const int minorSize = Steep ? m_width : m_height;
    const double gradient = x1 - x0 > 1e-9 ? (y1 - y0) / (x1 - x0) : 0;
    const double half = width * std::sqrt(1 + gradient * gradient) / 2;
    int first = int(std::ceil(x0 - 0.5)), last = int(std::floor(x1 - 0.5));
    if (last < first) // shorter than a pixel: one column
        first = last = int(std::floor((x0 + x1) / 2));
    first = std::max(first, 0);
    last = std::min(last, majorSize - 1);
    // The buffer steps between pixels across the line (`across`) and between columns along it (`along`).
    const std::size_t across = Steep ? 1 : std::size_t(m_width);
    const std::size_t along = Steep ? std::size_t(m_width) : 1;
    auto floorOf = [](double v) { return int(v + Offset) - Offset; }; // v > -Offset after clipping
    const int solid = int(std::min(width, 1.0) * 255 + 0.5); // an aliased line thinner than a pixel is fainter
    double centre = y0 + gradient * (first + 0.5 - x0);
    for (int x = first; x <= last; ++x, centre += gradient) {
        std::uint8_t *column = m_opacity.data() + std::size_t(x) * along;
        const double top = centre - half, bottom = centre + half;
        if (!m_antialiased) {
            const int from = std::max(floorOf(top + 0.5), 0);
            const int to = std::min(std::max(floorOf(top + 0.5), floorOf(bottom + 0.5) - 1), minorSize - 1);
            for (int y = from; y <= to; ++y)
                add(column + std::size_t(y) * across, solid);
            continue;
        }
        const int from = floorOf(top), to = floorOf(bottom);
        if (from == to) {
            if (from >= 0 && from < minorSize)
                add(column + std::size_t(from) * across, int((bottom - top) * 255 + 0.5));
            continue;
        }
        if (from >= 0 && from < minorSize)
            add(column + std::size_t(from) * across, int((from + 1 - top) * 255 + 0.5));
        for (int y = std::max(from + 1, 0); y <= std::min(to - 1, minorSize - 1); ++y)
            add(column + std::size_t(y) * across, 255);
        if (to >= 0 && to < minorSize)
            add(column + std::size_t(to) * across, int((bottom - to) * 255 + 0.5));
    }
}

} // namespace quire::ui
