#include "ui/jobmanager.h"

#include "ui/jobspanel.h"

#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

using namespace quire;
using namespace quire::ui;

class JobManagerTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void runsInWorkerAndReportsProgress()
    {
        JobManager manager;
        JobsPanel panel(&manager);
        QThread *uiThread = QThread::currentThread();
        std::atomic<bool> offUiThread = false;
        Job *job = manager.start(QStringLiteral("test"),
            QStringLiteral("Counting"),
            [&](Progress &progress, const CancelToken &) -> Expected<void> {
                offUiThread = QThread::currentThread() != uiThread;
                progress.begin("counting", 10);
                for (int i = 1; i <= 10; ++i) {
                    QThread::msleep(20);
                    progress.update(i, "item " + std::to_string(i));
                }
                progress.end();
                return {};
            });
        QCOMPARE(manager.runningCount(), 1);
        QCOMPARE(panel.rowCount(), 1);
        QSignalSpy finished(job, &Job::finished);
        QVERIFY(finished.wait(5000));
        QVERIFY(offUiThread);
        QCOMPARE(job->state(), Job::State::Finished);
        QCOMPARE(job->snapshot().done, 10);
        QCOMPARE(manager.runningCount(), 0);
        QVERIFY(panel.rowFor(job)->statusText().startsWith(QStringLiteral("Finished")));
    }

    void cancelStopsTheWork()
    {
        JobManager manager;
        JobsPanel panel(&manager);
        Job *job = manager.start(QStringLiteral("test"),
            QStringLiteral("Endless"),
            [](Progress &progress, const CancelToken &cancel) -> Expected<void> {
                progress.begin("waiting", 0);
                while (!cancel.isCancelled())
                    QThread::msleep(5);
                return fail(Error::Code::Cancelled, "cancelled");
            });
        QSignalSpy finished(job, &Job::finished);
        QTest::mouseClick(panel.rowFor(job)->cancelButton(), Qt::LeftButton);
        QVERIFY(finished.wait(5000));
        QCOMPARE(job->state(), Job::State::Cancelled);
        manager.clearFinished();
        QTRY_COMPARE(panel.rowCount(), 0);
    }

    void failureKeepsTheMessage()
    {
        JobManager manager;
        Job *job = manager.start(
            QStringLiteral("test"), QStringLiteral("Broken"), [](Progress &, const CancelToken &) -> Expected<void> {
                return fail(Error::Code::Io, "cannot read box-3.zip: permission denied");
            });
        QSignalSpy finished(job, &Job::finished);
        QVERIFY(finished.wait(5000));
        QCOMPARE(job->state(), Job::State::Failed);
        QCOMPARE(job->resultMessage(), QStringLiteral("cannot read box-3.zip: permission denied"));
    }

    void estimatesTimeLeft()
    {
        JobManager manager;
        std::atomic<bool> release = false;
        Job *job = manager.start(QStringLiteral("test"),
            QStringLiteral("Half"),
            [&](Progress &progress, const CancelToken &) -> Expected<void> {
                progress.begin("half", 100);
                QThread::msleep(600);
                progress.update(50);
                while (!release)
                    QThread::msleep(5);
                return {};
            });
        QTRY_VERIFY(job->etaSeconds().has_value());
        QVERIFY(*job->etaSeconds() >= 0 && *job->etaSeconds() <= 2);
        release = true;
        QSignalSpy finished(job, &Job::finished);
        QVERIFY(finished.wait(5000));
        QVERIFY(!job->etaSeconds());
    }

    void formatsDurations_data()
    {
        QTest::addColumn<qint64>("seconds");
        QTest::addColumn<QString>("text");
        QTest::newRow("seconds") << qint64(42) << QStringLiteral("42 s");
        QTest::newRow("minutes") << qint64(125) << QStringLiteral("2 min 5 s");
        QTest::newRow("hours") << qint64(7380) << QStringLiteral("2 h 3 min");
    }

    void formatsDurations()
    {
        QFETCH(qint64, seconds);
        QFETCH(QString, text);
        QCOMPARE(formatDuration(seconds), text);
    }
};

QTEST_MAIN(JobManagerTest)
#include "jobmanagertest.moc"
