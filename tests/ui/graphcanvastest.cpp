#include "ui/graphcanvas.h"

#include <QPainter>
#include <QSignalSpy>
#include <QSvgGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>

using namespace quire::ui;

class GraphCanvasTest : public QObject
{
    Q_OBJECT
private:
    // Three nodes in a row, 100 units apart; edges 0-1 and 1-2.
    static void fill(GraphCanvas &canvas)
    {
        std::vector<GraphCanvas::Node> nodes = {
            { QStringLiteral("Ahab"), QStringLiteral("Ahab"), 10, 0 },
            { QStringLiteral("Pequod"), QStringLiteral("Pequod"), 6, 2 },
            { QStringLiteral("Nantucket"), QStringLiteral("Nantucket"), 6, 2 },
        };
        std::vector<GraphCanvas::Edge> edges = { { 0, 1, 3, QStringLiteral("a") }, { 1, 2, 1, QStringLiteral("b") } };
        canvas.setGraph(std::move(nodes), std::move(edges), { QPointF(-100, 0), QPointF(0, 0), QPointF(100, 0) });
        canvas.fitToView();
    }

private Q_SLOTS:
    void fitShowsEveryNode()
    {
        GraphCanvas canvas;
        canvas.resize(400, 300);
        fill(canvas);
        for (const QPointF &p : canvas.positions())
            QVERIFY(canvas.rect().contains(canvas.toWidget(p).toPoint()));
        QCOMPARE(canvas.toWorld(canvas.toWidget(QPointF(12, -7))), QPointF(12, -7));
    }

    void zoomKeepsTheAnchorAndPanMoves()
    {
        GraphCanvas canvas;
        canvas.resize(400, 300);
        fill(canvas);
        const QPointF anchor(300, 100);
        const QPointF before = canvas.toWorld(anchor);
        const double scale = canvas.scale();
        canvas.zoomBy(2.5, anchor);
        QCOMPARE(canvas.scale(), scale * 2.5);
        QVERIFY((canvas.toWorld(anchor) - before).manhattanLength() < 1e-9);
        const QPointF node = canvas.toWidget(canvas.positions()[1]);
        canvas.panBy(QPointF(30, -20));
        QVERIFY((canvas.toWidget(canvas.positions()[1]) - (node + QPointF(30, -20))).manhattanLength() < 1e-9);
    }

    void keyboardAndWheel()
    {
        GraphCanvas canvas;
        canvas.resize(400, 300);
        fill(canvas);
        const double fit = canvas.scale();
        QTest::keyClick(&canvas, Qt::Key_Plus);
        QVERIFY(canvas.scale() > fit);
        QTest::keyClick(&canvas, Qt::Key_0);
        QCOMPARE(canvas.scale(), fit);
        const QPointF centre = canvas.centre();
        QTest::keyClick(&canvas, Qt::Key_Right);
        QVERIFY(canvas.centre().x() > centre.x());
        QTest::keyClick(&canvas, Qt::Key_Minus);
        QVERIFY(canvas.scale() < fit);
        QWheelEvent wheel(QPointF(200, 150),
            canvas.mapToGlobal(QPointF(200, 150)),
            QPoint(),
            QPoint(0, 240),
            Qt::NoButton,
            Qt::NoModifier,
            Qt::NoScrollPhase,
            false);
        const double before = canvas.scale();
        QCoreApplication::sendEvent(&canvas, &wheel);
        QVERIFY(canvas.scale() > before);
    }

    void clicksSelectNodesAndEdges()
    {
        GraphCanvas canvas;
        canvas.resize(400, 300);
        fill(canvas);
        canvas.show();
        QVERIFY(QTest::qWaitForWindowExposed(&canvas));
        QSignalSpy nodes(&canvas, &GraphCanvas::nodeClicked);
        QSignalSpy edges(&canvas, &GraphCanvas::edgeClicked);
        QSignalSpy background(&canvas, &GraphCanvas::backgroundClicked);
        const QPoint ahab = canvas.toWidget(canvas.positions()[0]).toPoint();
        QTest::mouseClick(&canvas, Qt::LeftButton, {}, ahab);
        QCOMPARE(nodes.count(), 1);
        QCOMPARE(nodes.first().at(0).toInt(), 0);
        QCOMPARE(canvas.currentNode(), 0);
        const QPoint pequod = canvas.toWidget(canvas.positions()[1]).toPoint();
        QTest::mouseClick(&canvas, Qt::LeftButton, Qt::ControlModifier, pequod);
        QCOMPARE(canvas.selectedNodes(), QList<int>({ 0, 1 }));
        QCOMPARE(canvas.currentNode(), 1);
        const QPoint middle
            = ((canvas.toWidget(canvas.positions()[1]) + canvas.toWidget(canvas.positions()[2])) / 2).toPoint();
        QTest::mouseClick(&canvas, Qt::LeftButton, {}, middle);
        QCOMPARE(edges.count(), 1);
        QCOMPARE(edges.first().at(0).toInt(), 1);
        QCOMPARE(canvas.currentEdge(), 1);
        QVERIFY(canvas.selectedNodes().isEmpty());
        QTest::mouseClick(&canvas, Qt::LeftButton, {}, QPoint(5, 295));
        QCOMPARE(background.count(), 1);
        QCOMPARE(canvas.currentEdge(), -1);
    }

    void dragMovesTheNodeAndPansTheView()
    {
        GraphCanvas canvas;
        canvas.resize(400, 300);
        fill(canvas);
        canvas.show();
        QVERIFY(QTest::qWaitForWindowExposed(&canvas));
        QSignalSpy moved(&canvas, &GraphCanvas::nodeMoved);
        const QPoint start = canvas.toWidget(canvas.positions()[2]).toPoint();
        const QPoint end = start + QPoint(-40, 60);
        QTest::mousePress(&canvas, Qt::LeftButton, {}, start);
        QTest::mouseMove(&canvas, start + QPoint(-20, 30));
        QTest::mouseMove(&canvas, end);
        QTest::mouseRelease(&canvas, Qt::LeftButton, {}, end);
        QCOMPARE(moved.count(), 1);
        QCOMPARE(moved.first().at(0).toInt(), 2);
        QVERIFY((canvas.toWidget(canvas.positions()[2]) - QPointF(end)).manhattanLength() < 2);
        // Dragging the background pans.
        const QPointF centre = canvas.centre();
        QTest::mousePress(&canvas, Qt::LeftButton, {}, QPoint(10, 10));
        QTest::mouseMove(&canvas, QPoint(30, 20));
        QTest::mouseMove(&canvas, QPoint(60, 40));
        QTest::mouseRelease(&canvas, Qt::LeftButton, {}, QPoint(60, 40));
        QCOMPARE(moved.count(), 1);
        QVERIFY(canvas.centre() != centre);
    }

    void animatesTowardTheLayout()
    {
        GraphCanvas canvas;
        canvas.resize(400, 300);
        fill(canvas);
        const std::vector<QPointF> target = { QPointF(0, -50), QPointF(0, 0), QPointF(0, 50) };
        canvas.animateTo(target);
        QVERIFY(canvas.isAnimating());
        QTRY_VERIFY(!canvas.isAnimating());
        QCOMPARE(canvas.positions(), target);
        canvas.animateTo({ QPointF() }); // wrong size: ignored
        QVERIFY(!canvas.isAnimating());
    }

    void paintsNodesInTheirTypeColour()
    {
        GraphCanvas canvas;
        canvas.resize(400, 300);
        fill(canvas);
        canvas.zoomBy(3, canvas.toWidget(canvas.positions()[0]));
        QImage image(canvas.size(), QImage::Format_ARGB32_Premultiplied);
        QPainter painter(&image);
        canvas.paintGraph(painter, image.size(), true);
        painter.end();
        const QPoint ahab = canvas.toWidget(canvas.positions()[0]).toPoint();
        QCOMPARE(image.pixel(ahab), GraphCanvas::typeColour(0, canvas.palette()).rgb());
        // Edges are drawn: between Ahab and the Pequod the pixels differ from the background.
        const QPoint between
            = ((canvas.toWidget(canvas.positions()[0]) + canvas.toWidget(canvas.positions()[1])) / 2).toPoint();
        QVERIFY(QColor(image.pixel(between)) != canvas.palette().color(QPalette::Base));
        // Vector output (SVG export) takes the QPainter path.
        QTemporaryDir dir;
        QSvgGenerator svg;
        svg.setFileName(dir.filePath(QStringLiteral("g.svg")));
        svg.setSize(canvas.size());
        QPainter vector(&svg);
        canvas.paintGraph(vector, canvas.size(), true);
        vector.end();
        QFile file(dir.filePath(QStringLiteral("g.svg")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(text.contains("<svg") && text.contains("Ahab"));
    }

    void typeColoursReadOnLightAndDark()
    {
        QPalette light, dark;
        light.setColor(QPalette::Base, Qt::white);
        dark.setColor(QPalette::Base, QColor(30, 30, 30));
        for (int type = 0; type < 12; ++type) {
            const QColor onLight = GraphCanvas::typeColour(type, light);
            const QColor onDark = GraphCanvas::typeColour(type, dark);
            QVERIFY(onLight.lightness() < 150);
            QVERIFY(onDark.lightness() > 120);
        }
        QVERIFY(GraphCanvas::typeColour(0, light) != GraphCanvas::typeColour(2, light));
    }
};

QTEST_MAIN(GraphCanvasTest)
#include "graphcanvastest.moc"
