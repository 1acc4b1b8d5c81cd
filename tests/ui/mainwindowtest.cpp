#include "ui/mainwindow.h"

#include "samplelibrary.h"
#include "ui/deviceinfo.h"
#include "ui/documentfiltermodel.h"
#include "ui/documentmodel.h"
#include "ui/entitylistview.h"
#include "ui/job.h"
#include "ui/jobmanager.h"
#include "ui/librarypanel.h"
#include "ui/readerview.h"
#include "ui/recentlibraries.h"
#include "ui/searchpanel.h"
#include "ui/searchresultmodel.h"
#include "ui/summaryview.h"
#include "ui/timelineview.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QMenu>
#include <QMimeData>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QTreeWidget>
#include <QUrl>

using namespace quire;
using namespace quire::ui;

class MainWindowTest : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_library;
    std::vector<std::int64_t> m_ids;

    // Opens the test library in `window` and waits until its documents are listed.
    bool openAndWait(MainWindow &window)
    {
        QSignalSpy ready(&window, &MainWindow::libraryReady);
        window.openLibrary(m_library);
        return ready.wait(10000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("QuireTest"));
        QCoreApplication::setApplicationName(QStringLiteral("mainwindowtest"));
        QSettings().clear();
        QVERIFY(m_dir.isValid());
        m_library = m_dir.filePath(QStringLiteral("test.quire"));
        auto lib = store::Library::open(m_library, store::Library::OpenMode::CreateIfMissing);
        QVERIFY(lib);
        auto ids = test::buildSmallLibrary(**lib);
        QVERIFY2(ids, ids ? "" : ids.error().message.c_str());
        m_ids = *ids;
    }

    void createsANewLibrary()
    {
        MainWindow window;
        const QString path = m_dir.filePath(QStringLiteral("fresh.quire"));
        QSignalSpy opened(&window, &MainWindow::libraryOpened);
        QSignalSpy ready(&window, &MainWindow::libraryReady);
        window.createLibrary(path);
        QVERIFY(ready.wait(10000));
        QCOMPARE(opened.count(), 1);
        QVERIFY(QFileInfo::exists(path));
        QCOMPARE(ready.first().at(0).toInt(), 0);
        QVERIFY(window.windowTitle().startsWith(QStringLiteral("fresh")));
    }

    void opensLibraryAndListsDocuments()
    {
        MainWindow window;
        QVERIFY(openAndWait(window));
        QCOMPARE(window.documentModel()->rowCount(), 5);
        QCOMPARE(window.libraryPanel()->filterModel()->rowCount(), 5);
        QTRY_VERIFY(window.statsText().contains(QStringLiteral("5 document")));
        QCOMPARE(window.tabs()->count(), 5);
    }

    void filtersTheLibrary()
    {
        MainWindow window;
        QVERIFY(openAndWait(window));
        LibraryPanel *panel = window.libraryPanel();
        panel->filterEdit()->setText(QStringLiteral("contract"));
        QCOMPARE(panel->filterModel()->rowCount(), 2);
        panel->filterEdit()->clear();
        panel->typeCombo()->setCurrentIndex(panel->typeCombo()->findData(QStringLiteral("pdf")));
        QCOMPARE(panel->filterModel()->rowCount(), 2);
        panel->typeCombo()->setCurrentIndex(0);
        panel->statusCombo()->setCurrentIndex(
            panel->statusCombo()->findData(int(DocumentFilterModel::StatusFilter::Problems)));
        QCOMPARE(panel->filterModel()->rowCount(), 1);
    }

    void searchOpensReaderAtHighlightedSentence()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QVERIFY(openAndWait(window));
        SearchPanel *search = window.searchPanel();
        QSignalSpy finished(search, &SearchPanel::searchFinished);
        QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
        QTRY_VERIFY(search->queryEdit()->hasFocus());
        QTest::keyClicks(search->queryEdit(), QStringLiteral("harbour"));
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.last().at(0).toInt(), 3);

        QSignalSpy shown(window.reader(), &ReaderView::highlightShown);
        QTest::keyClick(search->queryEdit(), Qt::Key_Down);
        QTest::keyClick(search->queryEdit(), Qt::Key_Return);
        QVERIFY(shown.wait(5000));
        const store::SearchHit *hit = search->resultModel()->hit(1);
        QVERIFY(hit);
        QCOMPARE(shown.first().at(0).toLongLong(), hit->documentId);
        QCOMPARE(shown.first().at(1).toInt(), hit->start);
        QCOMPARE(window.reader()->currentDocumentId(), hit->documentId);
        QCOMPARE(window.tabs()->currentIndex(), int(MainWindow::ReaderTab));
        const auto &marks = window.reader()->highlights();
        QVERIFY(marks.size() >= 2); // the sentence and the matched word in it
        QCOMPARE(marks.front().start, hit->start);
        QCOMPARE(marks.front().end, hit->end);
        const QString text = window.reader()->document()->text;
        QCOMPARE(text.mid(marks[1].start, marks[1].end - marks[1].start).toLower(), QStringLiteral("harbour"));
    }

    void findNextCyclesThroughHits()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QVERIFY(openAndWait(window));
        QSignalSpy finished(window.searchPanel(), &SearchPanel::searchFinished);
        window.searchPanel()->setQuery(QStringLiteral("whale"));
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.last().at(0).toInt(), 2);
        QSignalSpy shown(window.reader(), &ReaderView::highlightShown);
        QTest::keyClick(&window, Qt::Key_F3);
        QVERIFY(shown.wait(5000));
        const qint64 first = shown.last().at(0).toLongLong();
        QTest::keyClick(&window, Qt::Key_F3);
        QVERIFY(shown.wait(5000));
        QVERIFY(shown.last().at(0).toLongLong() != first);
        QTest::keyClick(&window, Qt::Key_F3, Qt::ShiftModifier);
        QVERIFY(shown.wait(5000));
        QCOMPARE(shown.last().at(0).toLongLong(), first);
    }

    void remembersRecentLibraries()
    {
        RecentLibraries::clear();
        {
            MainWindow window;
            QVERIFY(openAndWait(window));
        }
        QCOMPARE(QSettings().value(QStringLiteral("recentLibraries")).toStringList(),
            QStringList { QFileInfo(m_library).absoluteFilePath() });
        MainWindow window;
        const QList<QAction *> entries = window.recentMenu()->actions();
        QVERIFY(!entries.isEmpty());
        QCOMPARE(entries.first()->toolTip(), QFileInfo(m_library).absoluteFilePath());
        for (int i = 0; i < 12; ++i)
            RecentLibraries::add(m_dir.filePath(QStringLiteral("lib%1.quire").arg(i)));
        QCOMPARE(RecentLibraries::list().size(), RecentLibraries::MaxEntries);
        QCOMPARE(RecentLibraries::list().first(), m_dir.filePath(QStringLiteral("lib11.quire")));
    }

    void missingRecentLibraryIsDropped()
    {
        const QString missing = m_dir.filePath(QStringLiteral("gone.quire"));
        RecentLibraries::add(missing);
        MainWindow window;
        QSignalSpy failed(&window, &MainWindow::libraryOpenFailed);
        window.openLibrary(missing);
        QVERIFY(failed.wait(5000));
        QVERIFY(!RecentLibraries::list().contains(missing));
    }

    void dropListsPathsAsPending()
    {
        MainWindow window;
        QVERIFY(openAndWait(window));
        QMimeData mime;
        const QString file = m_dir.filePath(QStringLiteral("new-evidence.txt"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("text");
        f.close();
        mime.setUrls({ QUrl::fromLocalFile(file), QUrl(QStringLiteral("https://example.org/x.pdf")) });
        QCOMPARE(MainWindow::localPaths(&mime), QStringList { file });
        QSignalSpy added(&window, &MainWindow::pathsAdded);
        QSignalSpy ingested(&window, &MainWindow::ingestFinished);
        QVERIFY(window.handleDrop(&mime));
        QCOMPARE(added.count(), 1);
        // Listed at once as pending, then handed to the ingest pipeline as a job.
        QCOMPARE(window.documentModel()->pendingCount(), 1);
        const int row = window.documentModel()->rowCount() - 1;
        QCOMPARE(window.documentModel()->index(row, DocumentModel::Path).data().toString(), file);
        QVERIFY(window.documentModel()
                    ->index(row, DocumentModel::Status)
                    .data()
                    .toString()
                    .startsWith(QStringLiteral("Pending")));
        QCOMPARE(window.jobManager()->jobs().size(), 1);
        QCOMPARE(window.jobManager()->jobs().first()->kind(), QStringLiteral("ingest"));
        QVERIFY(ingested.wait(60000));
        QTRY_COMPARE(window.documentModel()->pendingCount(), 0);
        if (ingested.first().at(1).toBool()) // the worker program (quire) was found: the file is in the library
            QTRY_VERIFY(window.documentModel()->rowOfDocument(0) < 0 && window.documentModel()->rowCount() == 6);
        else
            QVERIFY(!ingested.first().at(0).toString().isEmpty());

        QMimeData library;
        library.setUrls({ QUrl::fromLocalFile(m_library) });
        QSignalSpy opened(&window, &MainWindow::libraryOpened);
        QVERIFY(window.handleDrop(&library));
        QVERIFY(opened.wait(5000));
    }

    void dropWithoutLibraryAsksForOne()
    {
        MainWindow window;
        QMimeData mime;
        mime.setUrls({ QUrl::fromLocalFile(m_dir.path()) });
        QSignalSpy added(&window, &MainWindow::pathsAdded);
        QVERIFY(window.handleDrop(&mime));
        QCOMPARE(added.count(), 0);
        QVERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("library first")));
    }

    void statusBarNamesTheDevice()
    {
        MainWindow window;
        const QString text = window.deviceText();
        QVERIFY2(text.startsWith(QStringLiteral("CPU · ")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("thread")));
        QCOMPARE(text, DeviceInfo::detect().text());
    }

    void closeLibraryReturnsToWelcome()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QVERIFY(openAndWait(window));
        QSignalSpy closed(&window, &MainWindow::libraryClosed);
        QTest::keyClick(&window, Qt::Key_W, Qt::ControlModifier);
        QCOMPARE(closed.count(), 1);
        QVERIFY(!window.session());
        QCOMPARE(window.documentModel()->rowCount(), 0);
        QCOMPARE(window.windowTitle(), QStringLiteral("Quire"));
    }

    void analysisFillsSummariesLinkedToSources()
    {
        MainWindow window;
        QVERIFY(openAndWait(window));
        QSignalSpy analysed(&window, &MainWindow::analysisFinished);
        QSignalSpy summaries(window.summaryView(), &SummaryView::loaded);
        window.runAnalysis();
        QCOMPARE(window.jobManager()->jobs().last()->kind(), QStringLiteral("analysis"));
        QVERIFY(analysed.wait(60000));
        QVERIFY(analysed.first().at(0).toBool());
        QTRY_VERIFY(!summaries.isEmpty() && summaries.last().at(0).toInt() > 0);
        QListWidget *list = window.summaryView()->list();
        QVERIFY(list->count() > 0);
        QSignalSpy shown(window.reader(), &ReaderView::highlightShown);
        Q_EMIT list->itemActivated(list->item(0));
        QVERIFY(shown.wait(5000));
        QCOMPARE(window.tabs()->currentIndex(), int(MainWindow::ReaderTab));
        const auto &mark = window.reader()->highlights().front();
        const QString cited = window.reader()->document()->text.mid(mark.start, mark.end - mark.start);
        QVERIFY(list->item(0)->text().startsWith(cited.simplified()));

        // Entities: a mention opens the reader; a rename is kept in the edit log and shown.
        EntityListView *entities = window.entityView();
        QTRY_VERIFY(entities->entities()->topLevelItemCount() > 0);
        QCOMPARE(entities->entities()->currentItem(), entities->entities()->topLevelItem(0)); // selected on load
        QTRY_VERIFY(entities->mentions()->count() > 0);
        Q_EMIT entities->mentions()->itemActivated(entities->mentions()->item(0));
        QVERIFY(shown.wait(5000));
        QSignalSpy reloaded(entities, &EntityListView::loaded);
        entities->renameCurrent(QStringLiteral("Renamed Entity"));
        QVERIFY(reloaded.wait(5000));
        QVERIFY(!entities->entities()->findItems(QStringLiteral("Renamed Entity"), Qt::MatchExactly).isEmpty());
    }

    void remembersWindowState()
    {
        {
            MainWindow window;
            window.resize(900, 640);
            window.show();
            window.searchDock()->hide();
            window.close();
        }
        MainWindow window;
        QCOMPARE(window.size(), QSize(900, 640));
        window.show();
        QVERIFY(!window.searchDock()->isVisible());
    }
};

QTEST_MAIN(MainWindowTest)
#include "mainwindowtest.moc"
