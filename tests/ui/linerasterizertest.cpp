#include "ui/linerasterizer.h"

#include <QPainter>
#include <QTest>
#include <cmath>

using namespace quire::ui;

class LineRasterizerTest : public QObject
{
    Q_OBJECT
private:
    static double total(const LineRasterizer &r, int width, int height)
    {
        double sum = 0;
        for (int y = 0; y < height; ++y) {
            for (int x = 0; x < width; ++x)
                sum += r.opacityAt(x, y) / 255.0;
        }
        return sum;
    }

private Q_SLOTS:
    void coversTheLine_data()
    {
        QTest::addColumn<QPointF>("from");
        QTest::addColumn<QPointF>("to");
        QTest::addColumn<double>("width");
        QTest::addColumn<bool>("antialiased");
        QTest::newRow("horizontal") << QPointF(10, 20.5) << QPointF(90, 20.5) << 1.0 << true;
        QTest::newRow("vertical, 3 px") << QPointF(40.5, 5) << QPointF(40.5, 95) << 3.0 << true;
        QTest::newRow("diagonal") << QPointF(10, 10) << QPointF(90, 70) << 1.5 << true;
        QTest::newRow("steep, backwards") << QPointF(60, 95) << QPointF(30, 5) << 2.0 << true;
        QTest::newRow("diagonal, aliased") << QPointF(10, 10) << QPointF(90, 70) << 2.0 << false;
    }
    void coversTheLine()
    {
        QFETCH(QPointF, from);
        QFETCH(QPointF, to);
        QFETCH(double, width);
        QFETCH(bool, antialiased);
        LineRasterizer r;
        r.reset(QSize(100, 100), 1);
        r.setOpacity(1);
        r.setAntialiasing(antialiased);
        r.drawLine(from, to, width);
        // The covered area is the line's length times its width (up to a pixel at the ends and rounding).
        const double length = std::hypot(to.x() - from.x(), to.y() - from.y());
        const double area = total(r, 100, 100);
        QVERIFY2(std::abs(area - length * width) < 0.08 * length * width + 2 * width,
            qPrintable(QStringLiteral("%1 vs %2").arg(area).arg(length * width)));
        // The midpoint is covered, a point off the line is not.
        const QPointF mid = (from + to) / 2;
        QVERIFY(r.opacityAt(int(mid.x()), int(mid.y())) > 100);
        QCOMPARE(r.opacityAt(int(mid.x()) + 20 > 99 ? 0 : int(mid.x()) + 20, int(mid.y()) > 50 ? 5 : 95), 0);
    }

    // Opacity builds up as "over" compositing does, and never wraps.
    void overlapsCompositeLikeOver()
    {
        LineRasterizer r;
        r.reset(QSize(20, 20), 1);
        r.setOpacity(0.5);
        r.drawLine(QPointF(0, 10.5), QPointF(20, 10.5), 1);
        QVERIFY(std::abs(r.opacityAt(5, 10) - 128) <= 1);
        r.drawLine(QPointF(0, 10.5), QPointF(20, 10.5), 1);
        QVERIFY(std::abs(r.opacityAt(5, 10) - 191) <= 2); // 1 - (1 - 0.5)²
        for (int i = 0; i < 50; ++i)
            r.drawLine(QPointF(0, 10.5), QPointF(20, 10.5), 1);
        QCOMPARE(r.opacityAt(5, 10), 255);
    }

    void clipsAndIgnoresBadInput()
    {
        LineRasterizer r;
        r.reset(QSize(50, 40), 1);
        r.setOpacity(1);
        r.drawLine(QPointF(-1e6, -1e6), QPointF(-10, -5), 2); // wholly outside
        r.drawLine(QPointF(qQNaN(), 0), QPointF(10, 10), 1);
        r.drawLine(QPointF(0, 0), QPointF(std::numeric_limits<double>::infinity(), 10), 1);
        QCOMPARE(total(r, 50, 40), 0.0);
        r.drawLine(QPointF(-1e6, 20.5), QPointF(1e6, 20.5), 1); // through the whole image
        QCOMPARE(r.opacityAt(0, 20), 255);
        QCOMPARE(r.opacityAt(49, 20), 255);
        LineRasterizer empty;
        empty.drawLine(QPointF(0, 0), QPointF(10, 10), 1); // nothing to draw into: no crash
    }

    void honoursDevicePixelRatio()
    {
        LineRasterizer r;
        r.reset(QSize(200, 200), 2);
        r.setOpacity(1);
        r.drawLine(QPointF(10, 50.25), QPointF(90, 50.25), 1);
        QVERIFY(r.opacityAt(100, 100) > 200); // logical (50, 50) is device (100, 100)
        QCOMPARE(r.opacityAt(100, 50), 0);
    }

    void composesOverTheBackground()
    {
        LineRasterizer r;
        r.reset(QSize(4, 1), 1);
        r.setOpacity(0.5);
        r.drawLine(QPointF(0, 0.5), QPointF(2, 0.5), 1);
        QImage image(4, 1, QImage::Format_ARGB32_Premultiplied);
        r.compose(image, Qt::white, Qt::black);
        QCOMPARE(image.pixel(3, 0), qRgb(255, 255, 255));
        QVERIFY(std::abs(qRed(image.pixel(0, 0)) - 127) <= 1);
        QImage wrong(3, 1, QImage::Format_ARGB32_Premultiplied);
        wrong.fill(Qt::red);
        r.compose(wrong, Qt::white, Qt::black); // another size: left alone
        QCOMPARE(wrong.pixel(0, 0), qRgb(255, 0, 0));
    }
};

QTEST_GUILESS_MAIN(LineRasterizerTest)
#include "linerasterizertest.moc"
