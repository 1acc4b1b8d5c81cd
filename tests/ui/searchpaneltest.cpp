#include "ui/searchpanel.h"

#include "samplelibrary.h"
#include "ui/librarysession.h"
#include "ui/searchresultmodel.h"

#include <QComboBox>
#include <QLineEdit>
#include <QListView>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace quire;
using namespace quire::ui;

class SearchPanelTest : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::shared_ptr<LibrarySession> m_session;

private Q_SLOTS:
    void initTestCase()
    {
        const QString path = m_dir.filePath(QStringLiteral("s.quire"));
        auto lib = store::Library::open(path, store::Library::OpenMode::CreateIfMissing);
        QVERIFY(lib);
        QVERIFY(test::buildSmallLibrary(**lib));
        auto future = LibrarySession::open(path, false);
        future.waitForFinished();
        QVERIFY(future.result());
        m_session = *future.result();
    }

    void searchesAsYouTypeOnce()
    {
        SearchPanel panel;
        panel.setSession(m_session);
        QSignalSpy finished(&panel, &SearchPanel::searchFinished);
        QTest::keyClicks(panel.queryEdit(), QStringLiteral("harb"));
        QTest::keyClicks(panel.queryEdit(), QStringLiteral("our"));
        QVERIFY(finished.wait(5000));
        QTest::qWait(400);
        QCOMPARE(finished.count(), 1); // debounced: one query for the whole word
        QCOMPARE(finished.first().at(0).toInt(), 3);
        QCOMPARE(panel.resultView()->currentIndex().row(), 0);
    }

    void snippetMarksMatches_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("bold");
        QTest::newRow("word") << QStringLiteral("treasurer") << QStringLiteral("<b>treasurer</b>");
        QTest::newRow("prefix") << QStringLiteral("deliv*") << QStringLiteral("<b>delivery</b>");
        QTest::newRow("phrase") << QStringLiteral("\"harbour master\"") << QStringLiteral("<b>harbour master</b>");
    }

    void snippetMarksMatches()
    {
        QFETCH(QString, query);
        QFETCH(QString, bold);
        SearchPanel panel;
        panel.setSession(m_session);
        QSignalSpy finished(&panel, &SearchPanel::searchFinished);
        panel.setQuery(query);
        QVERIFY(finished.wait(5000));
        QVERIFY(finished.first().at(0).toInt() > 0);
        const QString html = panel.resultModel()->index(0).data(SearchResultModel::SnippetHtmlRole).toString();
        QVERIFY2(html.contains(bold, Qt::CaseInsensitive), qPrintable(html));
    }

    void filtersByType()
    {
        SearchPanel panel;
        panel.setSession(m_session);
        panel.setTypes({ QStringLiteral("markdown"), QStringLiteral("pdf"), QStringLiteral("text") });
        QSignalSpy finished(&panel, &SearchPanel::searchFinished);
        panel.setQuery(QStringLiteral("whale"));
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.last().at(0).toInt(), 2);
        panel.typeCombo()->setCurrentIndex(panel.typeCombo()->findData(QStringLiteral("pdf")));
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.last().at(0).toInt(), 1);
        QCOMPARE(panel.resultModel()->hit(0)->title, QStringLiteral("Minutes of the Board"));
    }

    void filtersByDocumentAndDate()
    {
        {
            auto lib = store::Library::open(m_dir.filePath(QStringLiteral("s.quire")));
            QVERIFY(lib);
            for (const auto &[path, created] : { std::pair("/archive/contract.txt", "2019-04-01T10:00:00Z"),
                     std::pair("/archive/minutes.pdf", "2021-03-01") }) {
                auto doc = (*lib)->documentByPath(QString::fromLatin1(path));
                QVERIFY(doc && *doc);
                store::DocumentRecord record = **doc;
                record.created = QString::fromLatin1(created);
                QVERIFY((*lib)->upsertDocument(record));
            }
        }
        SearchPanel panel;
        panel.setSession(m_session);
        QSignalSpy finished(&panel, &SearchPanel::searchFinished);
        panel.setQuery(QStringLiteral("harbour OR whale"));
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.last().at(0).toInt(), 4); // contract 2, letters 1, minutes 1

        panel.fromEdit()->setText(QStringLiteral("2020"));
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.last().at(0).toInt(), 1);
        QCOMPARE(panel.resultModel()->hit(0)->title, QStringLiteral("Minutes of the Board"));

        panel.fromEdit()->clear();
        panel.toEdit()->setText(QStringLiteral("2019-04"));
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.last().at(0).toInt(), 2);
        QCOMPARE(panel.resultModel()->hit(0)->title, QStringLiteral("Contract of Sale"));

        panel.toEdit()->setText(QStringLiteral("April"));
        panel.runSearchNow();
        QCOMPARE(finished.last().at(0).toInt(), 0); // not a date: said, and nothing searched
        QCOMPARE(panel.resultModel()->rowCount(), 0);

        // The document in the reader.
        panel.toEdit()->clear();
        QVERIFY(finished.wait(5000));
        auto lib = store::Library::open(m_dir.filePath(QStringLiteral("s.quire")));
        const qint64 letters = (*(*lib)->documentByPath(QStringLiteral("/archive/letters.md")))->id;
        panel.setCurrentDocument(letters, QStringLiteral("Letters"));
        QCOMPARE(panel.documentCombo()->count(), 2);
        panel.documentCombo()->setCurrentIndex(1);
        QVERIFY(finished.wait(5000));
        QVERIFY(finished.last().at(0).toInt() > 0);
        for (const store::SearchHit &hit : panel.resultModel()->hits())
            QCOMPARE(hit.documentId, letters);
    }

    void keyboardMovesAndOpens()
    {
        SearchPanel panel;
        panel.setSession(m_session);
        QSignalSpy finished(&panel, &SearchPanel::searchFinished);
        panel.setQuery(QStringLiteral("harbour"));
        QVERIFY(finished.wait(5000));
        QSignalSpy activated(&panel, &SearchPanel::hitActivated);
        QTest::keyClick(panel.queryEdit(), Qt::Key_Down);
        QTest::keyClick(panel.queryEdit(), Qt::Key_Down);
        QTest::keyClick(panel.queryEdit(), Qt::Key_Down); // stops at the last hit
        QCOMPARE(panel.resultView()->currentIndex().row(), 2);
        QTest::keyClick(panel.queryEdit(), Qt::Key_Up);
        QTest::keyClick(panel.queryEdit(), Qt::Key_Return);
        QCOMPARE(activated.count(), 1);
        const auto hit = activated.first().at(0).value<store::SearchHit>();
        QCOMPARE(hit.sentenceId, panel.resultModel()->hit(1)->sentenceId);
        QCOMPARE(activated.first().at(1).toStringList(), QStringList { QStringLiteral("harbour") });
    }

    void badQueryShowsMessage()
    {
        SearchPanel panel;
        panel.setSession(m_session);
        QSignalSpy finished(&panel, &SearchPanel::searchFinished);
        panel.setQuery(QStringLiteral("\"unbalanced"));
        QVERIFY(finished.wait(5000));
        QCOMPARE(panel.resultModel()->rowCount(), finished.last().at(0).toInt());
    }
};

Q_DECLARE_METATYPE(quire::store::SearchHit)
QTEST_MAIN(SearchPanelTest)
#include "searchpaneltest.moc"
