#pragma once

#include <QColor>
#include <QImage>
#include <QPointF>
#include <array>
#include <cstdint>
#include <vector>

namespace quire::ui
{

// Draws many thin, translucent lines of one colour, fast: the edges of the entity graph. QPainter's raster
// engine draws such lines a pixel span at a time (about 35 ms for 10,000 lines of 100 pixels on our build
// machine, too slow to pan at 30 fps). This walks each line once along its major axis and accumulates the
// opacity of the pixels it covers in a one-byte-a-pixel buffer ("over" compositing of one colour is exact
// on opacity alone), antialiased by exact coverage (Wu's method widened to the pen width) or not; compose()
// then turns the buffer into pixels over the background with a 256-entry table.
class LineRasterizer
{
public:
    // Clears the buffer to `size` device pixels; coordinates are multiplied by `ratio` (device pixel ratio).
    void reset(QSize size, qreal ratio);
    // The opacity of one line at full coverage (0..1).
    void setOpacity(double opacity);
    void setAntialiasing(bool antialiased) { m_antialiased = antialiased; }
    // Widths below a pixel come out fainter rather than thinner.
    void drawLine(QPointF from, QPointF to, double width);
    // Writes `background` with `colour` over it at the accumulated opacity into `image` (same size,
    // Format_ARGB32_Premultiplied or Format_RGB32).
    void compose(QImage &image, const QColor &background, const QColor &colour) const;
    // The accumulated opacity at a device pixel (0..255), for tests.
    int opacityAt(int x, int y) const { return m_opacity[std::size_t(y) * std::size_t(m_width) + std::size_t(x)]; }

private:
    template <bool Steep> void walk(double x0, double y0, double x1, double y1, double width);
    void add(std::uint8_t *pixel, int coverage) const
    {
        const int a = m_alpha[std::size_t(coverage)];
        const int x = a * (255 - *pixel) + 128;
        *pixel = std::uint8_t(*pixel + ((x + (x >> 8)) >> 8));
    }

    std::vector<std::uint8_t> m_opacity;
    int m_width = 0;
    int m_height = 0;
    qreal m_ratio = 1;
    std::array<std::uint8_t, 256> m_alpha {}; // a line's opacity at each coverage
    bool m_antialiased = true;
};

} // namespace quire::ui
