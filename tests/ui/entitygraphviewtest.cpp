#include "ui/entitygraphview.h"

#include "analysis/analyzer.h"
#include "samplelibrary.h"
#include "ui/entityeditor.h"
#include "ui/entitylistview.h"
#include "ui/graphcanvas.h"
#include "ui/librarysession.h"

#include <QComboBox>
#include <QImage>
#include <QLabel>
#include <QListWidget>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>
#include <QXmlStreamReader>

using namespace quire;
using namespace quire::ui;

class EntityGraphViewTest : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_library;
    int m_copies = 0;

    // A session on the analysed library, or on a fresh copy of it for tests that edit entities.
    std::shared_ptr<LibrarySession> session(bool copy = false)
    {
        QString path = m_library;
        if (copy) {
            path = m_dir.filePath(QStringLiteral("copy%1.quire").arg(++m_copies));
            if (!QFile::copy(m_library, path))
                return nullptr;
        }
        auto future = LibrarySession::open(path, false);
        future.waitForFinished();
        return future.result() ? *future.result() : nullptr;
    }

    // Shows `view` on `s` and waits until the graph is loaded and laid out.
    static bool showLoaded(EntityGraphView &view, std::shared_ptr<LibrarySession> s)
    {
        QSignalSpy loaded(&view, &EntityGraphView::loaded);
        QSignalSpy laidOut(&view, &EntityGraphView::layoutFinished);
        view.resize(900, 600);
        view.show();
        view.setSession(std::move(s));
        return loaded.wait(20000) && (laidOut.count() > 0 || laidOut.wait(20000));
    }

    static bool reloaded(EntityGraphView &view, const std::function<void()> &change)
    {
        QSignalSpy loaded(&view, &EntityGraphView::loaded);
        change();
        return loaded.wait(20000);
    }

    static int totalMentions(const analysis::RelationGraph &graph)
    {
        int total = 0;
        for (const auto &n : graph.nodes)
            total += n.mentions;
        return total;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_library = m_dir.filePath(QStringLiteral("moby.quire"));
        const QString moby = test::readSample(QStringLiteral(QUIRE_SOURCE_DIR "/resources/samples/moby-dick.txt"));
        if (moby.isEmpty())
            QSKIP("resources/samples/moby-dick.txt is missing");
        auto lib = store::Library::open(m_library, store::Library::OpenMode::CreateIfMissing);
        QVERIFY(lib);
        const test::SampleDocument doc { QStringLiteral("/moby-dick.txt"),
            QStringLiteral("Moby Dick, chapters 1–12"),
            QStringLiteral("Herman Melville"),
            QStringLiteral("text"),
            test::chapters(moby, 1, 12) };
        QVERIFY(test::addDocument(**lib, doc));
        NullProgress progress;
        CancelToken cancel;
        auto analysed = analysis::Analyzer::run(**lib, {}, progress, cancel);
        QVERIFY2(analysed, analysed ? "" : analysed.error().message.c_str());
        QVERIFY(analysed->entities > 10);
    }

    void loadsAndLaysOut()
    {
        EntityGraphView view;
        QVERIFY(showLoaded(view, session()));
        const auto &graph = view.graph();
        QVERIFY(graph.nodes.size() > 5);
        QVERIFY(!graph.edges.empty());
        QCOMPARE(view.canvas()->nodes().size(), graph.nodes.size());
        QCOMPARE(view.canvas()->edges().size(), graph.edges.size());
        QVERIFY(!view.isLayoutRunning());
        QTRY_VERIFY(!view.canvas()->isAnimating());
        // Laid out: nodes apart, and all in view (the view fits the layout until the reader moves it).
        const auto &p = view.canvas()->positions();
        for (std::size_t i = 1; i < p.size(); ++i)
            QVERIFY(p[i] != p[0]);
        for (const QPointF &q : p)
            QVERIFY(view.canvas()->rect().adjusted(-2, -2, 2, 2).contains(view.canvas()->toWidget(q).toPoint()));
        QVERIFY(view.statusLabel()->text().contains(QString::number(graph.nodes.size())));
    }

    void filtersChangeTheGraph_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::newRow("at most 5 nodes") << QStringLiteral("nodes");
        QTest::newRow("at least 3 links") << QStringLiteral("degree");
        QTest::newRow("places only") << QStringLiteral("type");
        QTest::newRow("chapters 1-3") << QStringLiteral("chapters");
    }
    void filtersChangeTheGraph()
    {
        QFETCH(QString, filter);
        EntityGraphView view;
        QVERIFY(showLoaded(view, session()));
        const analysis::RelationGraph all = view.graph();
        QVERIFY(reloaded(view, [&] {
            if (filter == QLatin1String("nodes"))
                view.maxNodesSpin()->setValue(5);
            else if (filter == QLatin1String("degree"))
                view.minDegreeSpin()->setValue(3);
            else if (filter == QLatin1String("type"))
                view.typeCombo()->setCurrentIndex(view.typeCombo()->findText(QStringLiteral("place")));
            else
                view.lastChapterSpin()->setValue(3);
        }));
        const analysis::RelationGraph &shown = view.graph();
        QVERIFY(shown.nodes.size() < all.nodes.size());
        QCOMPARE(view.canvas()->nodes().size(), shown.nodes.size());
        if (filter == QLatin1String("nodes"))
            QCOMPARE(shown.nodes.size(), std::size_t(5));
        if (filter == QLatin1String("degree")) {
            QHash<std::int64_t, int> degree;
            for (const auto &e : all.edges) {
                ++degree[e.source];
                ++degree[e.target];
            }
            for (const auto &n : shown.nodes)
                QVERIFY(degree.value(n.entityId) >= 3);
        }
        if (filter == QLatin1String("type")) {
            QVERIFY(!shown.nodes.empty());
            for (const auto &n : shown.nodes)
                QCOMPARE(n.type, QStringLiteral("place"));
        }
        if (filter == QLatin1String("chapters"))
            QVERIFY(totalMentions(shown) < totalMentions(all));
        // An empty chapter range is refused with a message, not loaded.
        view.firstChapterSpin()->setValue(5);
        view.lastChapterSpin()->setValue(2);
        view.reload();
        QVERIFY(view.statusLabel()->text().contains(QStringLiteral("empty")));
    }

    void selectionGoesBothWays()
    {
        EntityGraphView view;
        QVERIFY(showLoaded(view, session()));
        QTRY_VERIFY(!view.canvas()->isAnimating());
        QSignalSpy selected(&view, &EntityGraphView::entitySelected);
        GraphCanvas *canvas = view.canvas();
        const int node = int(canvas->nodes().size()) - 1;
        QTest::mouseClick(
            canvas, Qt::LeftButton, {}, canvas->toWidget(canvas->positions()[std::size_t(node)]).toPoint());
        QCOMPARE(selected.count(), 1);
        const qint64 id = selected.first().at(0).toLongLong();
        QCOMPARE(view.nodeOf(id), canvas->currentNode());
        QCOMPARE(view.currentEntity(), id);
        const qint64 other = view.graph().nodes.front().entityId;
        view.selectEntity(other);
        QCOMPARE(view.currentEntity(), other);
        QCOMPARE(selected.count(), 1); // selecting from outside emits nothing
        view.selectEntity(0);
        QCOMPARE(canvas->currentNode(), -1);
    }

    void listAndGraphStayInSync()
    {
        EntityListView list;
        QSignalSpy listLoaded(&list, &EntityListView::loaded);
        QSignalSpy graphLoaded(list.graph(), &EntityGraphView::loaded);
        QSignalSpy mentions(&list, &EntityListView::mentionsLoaded);
        list.resize(1400, 800);
        list.show();
        list.setSession(session());
        QVERIFY(listLoaded.wait(20000));
        QVERIFY(graphLoaded.count() > 0 || graphLoaded.wait(20000));
        // The list's first entity (selected on load) is the graph's current node.
        QTreeWidgetItem *first = list.entities()->topLevelItem(0);
        QTRY_COMPARE(list.graph()->currentEntity(), first->data(0, Qt::UserRole + 2).toLongLong());
        // Clicking a node in the graph selects it in the list and lists its mentions.
        EntityGraphView *graph = list.graph();
        QTRY_VERIFY(!graph->isLayoutRunning() && !graph->canvas()->isAnimating());
        const int node = 1;
        const qint64 id = graph->graph().nodes[node].entityId;
        mentions.clear();
        QTest::mouseClick(graph->canvas(),
            Qt::LeftButton,
            {},
            graph->canvas()->toWidget(graph->canvas()->positions()[node]).toPoint());
        QCOMPARE(list.entities()->currentItem()->data(0, Qt::UserRole + 2).toLongLong(), id);
        QVERIFY(mentions.count() > 0 || mentions.wait(10000));
        QCOMPARE(mentions.last().at(0).toInt(), std::min(graph->graph().nodes[node].mentions, 500));
        // Clicking an edge lists its evidence sentences.
        mentions.clear();
        Q_EMIT graph->canvas()->edgeClicked(0);
        QVERIFY(mentions.wait(10000));
        QCOMPARE(mentions.last().at(0).toInt(), std::min(int(graph->graph().edges[0].evidence.size()), 500));
        QCOMPARE(list.mentions()->count(), mentions.last().at(0).toInt());
        // A mention of it opens the reader (the window connects this signal to the reader).
        QSignalSpy opened(&list, &EntityListView::mentionActivated);
        Q_EMIT list.mentions()->itemActivated(list.mentions()->item(0));
        QCOMPARE(opened.count(), 1);
        QCOMPARE(opened.first().at(1).toLongLong(), graph->graph().edges[0].evidence.front());
    }

    void exportsGraphMlAndImages()
    {
        EntityGraphView view;
        QVERIFY(showLoaded(view, session()));
        const QString graphMl = m_dir.filePath(QStringLiteral("out.graphml"));
        auto written = view.exportGraphMl(graphMl);
        QVERIFY2(written, written ? "" : written.error().message.c_str());
        QFile file(graphMl);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&file);
        int nodes = 0, edges = 0;
        while (!xml.atEnd()) {
            if (xml.readNext() == QXmlStreamReader::StartElement) {
                nodes += xml.name() == QLatin1String("node");
                edges += xml.name() == QLatin1String("edge");
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(nodes, int(view.graph().nodes.size()));
        QCOMPARE(edges, int(view.graph().edges.size()));

        const QString png = m_dir.filePath(QStringLiteral("out.png"));
        QVERIFY(view.exportImage(png));
        QImage image(png);
        QCOMPARE(image.size(), view.canvas()->size() * 2);
        const QString svg = m_dir.filePath(QStringLiteral("out.svg"));
        QVERIFY(view.exportImage(svg));
        QFile svgFile(svg);
        QVERIFY(svgFile.open(QIODevice::ReadOnly));
        QVERIFY(svgFile.readAll().contains("<svg"));

        const auto refused = view.exportGraphMl(m_dir.filePath(QStringLiteral("missing/dir/out.graphml")));
        QVERIFY(!refused);
        QVERIFY(QString::fromStdString(refused.error().message).contains(QStringLiteral("missing/dir")));
    }

    void renameMergeAndDeleteFromTheGraph()
    {
        EntityGraphView view;
        QVERIFY(showLoaded(view, session(true)));
        QVERIFY(view.graph().nodes.size() >= 3);
        const analysis::GraphNode a = view.graph().nodes[0], b = view.graph().nodes[1], c = view.graph().nodes[2];
        QSignalSpy edited(&view, &EntityGraphView::entitiesEdited);

        QVERIFY(reloaded(view, [&] { view.editor()->rename(view.keyOf(a.entityId), QStringLiteral("Renamed One")); }));
        QCOMPARE(edited.count(), 1);
        QVERIFY(view.nodeOf(a.entityId) >= 0);
        QCOMPARE(view.graph().nodes[std::size_t(view.nodeOf(a.entityId))].name, QStringLiteral("Renamed One"));

        QVERIFY(reloaded(view, [&] { view.editor()->remove({ view.keyOf(c.entityId) }); }));
        QCOMPARE(view.nodeOf(c.entityId), -1);

        QVERIFY(reloaded(view, [&] { view.editor()->merge({ view.keyOf(b.entityId) }, view.keyOf(a.entityId)); }));
        QCOMPARE(view.nodeOf(b.entityId), -1);
        const int merged = view.nodeOf(a.entityId);
        QVERIFY(merged >= 0);
        QVERIFY(view.graph().nodes[std::size_t(merged)].mentions >= a.mentions + b.mentions);
    }
};

QTEST_MAIN(EntityGraphViewTest)
#include "entitygraphviewtest.moc"
