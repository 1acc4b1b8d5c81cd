// The Ask tab offscreen: without a model the passages are the answer and say so; citations (links in the
// answer, rows of the passage list) emit the document and sentence; with stories260K the answer streams and
// the job shows in the job manager; Stop keeps what came; the session's questions stay in the history.
#include "ui/askpanel.h"

#include "samplelibrary.h"
#include "ui/job.h"
#include "ui/jobmanager.h"
#include "ui/librarysession.h"

#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QUrl>

using namespace quire;
using namespace quire::ui;

class AskPanelTest : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::shared_ptr<LibrarySession> m_session;
    std::vector<std::int64_t> m_ids; // contract, letters, minutes

    static analysis::AskModelSettings noModel() { return {}; }
    static analysis::AskModelSettings stories()
    {
        analysis::AskModelSettings s;
        s.path = QStringLiteral(QUIRE_TEST_DATA "/reference/stories260K.gguf");
        s.device = QStringLiteral("cpu");
        s.threads = 2;
        return s;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString path = m_dir.filePath(QStringLiteral("a.quire"));
        auto lib = store::Library::open(path, store::Library::OpenMode::CreateIfMissing);
        QVERIFY(lib);
        auto ids = test::buildSmallLibrary(**lib);
        QVERIFY(ids);
        m_ids = *ids;
        auto future = LibrarySession::open(path, false);
        future.waitForFinished();
        QVERIFY(future.result());
        m_session = *future.result();
    }

    void noModelShowsPassages()
    {
        JobManager jobs;
        AskPanel panel(&jobs);
        panel.setModelSettings(noModel());
        panel.setSession(m_session);
        QVERIFY(!panel.noModelBanner()->isHidden());
        QSignalSpy configure(&panel, &AskPanel::configureModelRequested);
        const auto buttons = panel.noModelBanner()->findChildren<QPushButton *>();
        QCOMPARE(buttons.size(), 1);
        QVERIFY(buttons.front()->text().startsWith(QStringLiteral("Configure a model")));
        buttons.front()->click();
        QCOMPARE(configure.count(), 1);

        QSignalSpy finished(&panel, &AskPanel::answerFinished);
        QTest::keyClicks(panel.questionEdit(), QStringLiteral("When is payment due after delivery?"));
        QVERIFY(panel.askButton()->isEnabled());
        QTest::mouseClick(panel.askButton(), Qt::LeftButton);
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.first().at(0).toBool(), true);
        QCOMPARE(jobs.jobs().size(), 0); // retrieval alone is not a job
        QVERIFY(panel.passageList()->count() >= 1);
        QVERIFY(panel.passageList()->item(0)->text().startsWith(QStringLiteral("[1] Contract of Sale")));
        const QString html = panel.answerView()->toHtml();
        QVERIFY2(html.contains(QStringLiteral("href=\"cite:1\"")), qPrintable(html));
        QVERIFY(html.contains(QStringLiteral("thirty days")));
        QVERIFY(panel.statusLabel()->text().contains(QStringLiteral("passage")));
        QCOMPARE(panel.historyList()->count(), 1);
    }

    void citationEmitsIds()
    {
        JobManager jobs;
        AskPanel panel(&jobs);
        panel.setModelSettings(noModel());
        panel.setSession(m_session);
        QSignalSpy finished(&panel, &AskPanel::answerFinished);
        panel.ask(QStringLiteral("Who witnessed the deed at the harbour?"));
        QVERIFY(finished.wait(5000));
        const analysis::AskResult *r = panel.currentResult();
        QVERIFY(r && !r->retrieval.passages.empty());
        const analysis::Passage &first = r->retrieval.passages.front();
        QCOMPARE(first.documentId, m_ids[0]);

        QSignalSpy cited(&panel, &AskPanel::citationActivated);
        Q_EMIT panel.answerView()->anchorClicked(QUrl(QStringLiteral("cite:1")));
        QCOMPARE(cited.count(), 1);
        QCOMPARE(cited.first().at(0).toLongLong(), first.documentId);
        QCOMPARE(cited.first().at(1).toLongLong(), first.citedSentenceId);
        const QString surface = cited.first().at(2).toString();
        QVERIFY2(first.text.contains(surface) && !surface.isEmpty(), qPrintable(surface));

        // The passage list opens the same sentence; a citation out of range does nothing.
        emit panel.passageList()->itemActivated(panel.passageList()->item(0));
        QCOMPARE(cited.count(), 2);
        QCOMPARE(cited.last().at(1).toLongLong(), first.citedSentenceId);
        panel.activateCitation(99);
        QCOMPARE(cited.count(), 2);
    }

    void historyShowsEarlierAnswers()
    {
        JobManager jobs;
        AskPanel panel(&jobs);
        panel.setModelSettings(noModel());
        panel.setSession(m_session);
        QSignalSpy finished(&panel, &AskPanel::answerFinished);
        panel.ask(QStringLiteral("the whale near the harbour"));
        QVERIFY(finished.wait(5000));
        panel.ask(QStringLiteral("the board meeting votes"));
        QVERIFY(finished.wait(5000));
        QCOMPARE(panel.historyList()->count(), 2);
        QCOMPARE(panel.historyList()->item(0)->text(), QStringLiteral("the board meeting votes"));
        QCOMPARE(panel.currentResult()->question, QStringLiteral("the board meeting votes"));
        panel.historyList()->setCurrentRow(1);
        QCOMPARE(panel.currentResult()->question, QStringLiteral("the whale near the harbour"));
        QVERIFY(panel.answerView()->toPlainText().contains(QStringLiteral("whale")));
    }

    void questionWithoutWords()
    {
        JobManager jobs;
        AskPanel panel(&jobs);
        panel.setModelSettings(noModel());
        panel.setSession(m_session);
        QSignalSpy finished(&panel, &AskPanel::answerFinished);
        panel.ask(QStringLiteral("what is it?"));
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.first().at(0).toBool(), false);
        QVERIFY(panel.statusLabel()->text().contains(QStringLiteral("no words to search for")));
        QVERIFY(panel.askButton()->isEnabled());
    }

    void modelStreamsAsJob()
    {
        JobManager jobs;
        AskPanel panel(&jobs);
        panel.setModelSettings(stories());
        panel.setSession(m_session);
        QVERIFY(panel.noModelBanner()->isHidden());
        QSignalSpy finished(&panel, &AskPanel::answerFinished);
        panel.ask(QStringLiteral("Who witnessed the deed at the harbour?"));
        QVERIFY(panel.isRunning());
        QVERIFY(panel.stopButton()->isEnabled());
        QCOMPARE(jobs.jobs().size(), 1);
        QCOMPARE(jobs.jobs().front()->kind(), QStringLiteral("ask"));
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().at(0).toBool(), true);
        const analysis::AskResult *r = panel.currentResult();
        QVERIFY(r && r->modelUsed);
        QVERIFY(r->stats.generatedTokens > 0);
        QVERIFY(!panel.answerView()->toPlainText().isEmpty());
        QVERIFY(panel.statusLabel()->text().contains(QStringLiteral("stories260K")));
        QCOMPARE(jobs.jobs().front()->state(), Job::State::Finished);
        QVERIFY(!panel.stopButton()->isEnabled());
    }

    void stopKeepsAnswer()
    {
        JobManager jobs;
        AskPanel panel(&jobs);
        panel.setModelSettings(stories());
        panel.setSession(m_session);
        QSignalSpy finished(&panel, &AskPanel::answerFinished);
        panel.ask(QStringLiteral("Who witnessed the deed at the harbour?"));
        panel.stop();
        QVERIFY(finished.wait(60000));
        const analysis::AskResult *r = panel.currentResult();
        QVERIFY(r);
        QVERIFY(!r->retrieval.passages.empty()); // the passages are kept
        QCOMPARE(jobs.jobs().front()->state(), Job::State::Cancelled);
        QVERIFY(panel.passageList()->count() > 0);
    }

    void missingModelFallsBack()
    {
        JobManager jobs;
        AskPanel panel(&jobs);
        analysis::AskModelSettings missing;
        missing.path = m_dir.filePath(QStringLiteral("gone.gguf"));
        panel.setModelSettings(missing);
        panel.setSession(m_session);
        QVERIFY(!panel.noModelBanner()->isHidden());
        QSignalSpy finished(&panel, &AskPanel::answerFinished);
        panel.ask(QStringLiteral("harbour"));
        QVERIFY(finished.wait(5000));
        QVERIFY(panel.passageList()->count() > 0);
        QVERIFY(!panel.currentResult()->modelUsed);
    }
};

QTEST_MAIN(AskPanelTest)
#include "askpaneltest.moc"
