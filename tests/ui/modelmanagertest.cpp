#include "ui/modelmanager.h"

#include "modeltestfiles.h"
#include "ui/modellistmodel.h"
#include "ui/modelsettings.h"

#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace quire;
using namespace quire::ui;

class ModelManagerTest : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_small; // context 4096
    QString m_open; // no stated context
    QString m_broken;

    ModelLocation folder() const
    {
        return { m_dir.filePath(QStringLiteral("models")), ModelLocation::Layout::Folder, QStringLiteral("test") };
    }

    bool scan(ModelManager &manager)
    {
        manager.setLocations({ folder() });
        QSignalSpy finished(&manager, &ModelManager::scanFinished);
        manager.rescan();
        return finished.wait(10000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("QuireTest"));
        QCoreApplication::setApplicationName(QStringLiteral("modelmanagertest"));
        QSettings().clear();
        m_small = m_dir.filePath(QStringLiteral("models/small.gguf"));
        m_open = m_dir.filePath(QStringLiteral("models/open.gguf"));
        m_broken = m_dir.filePath(QStringLiteral("models/broken.gguf"));
        QVERIFY(test::writeModel(m_small, QStringLiteral("Small"), 4096));
        QVERIFY(test::writeModel(m_open, QStringLiteral("Open"), 0));
        QVERIFY(test::writeTruncated(m_small, m_broken, 64));
    }

    void init() { QSettings().clear(); }

    void listsModelsAndBrokenFiles()
    {
        ModelManager manager;
        QVERIFY(scan(manager));
        QCOMPARE(manager.model()->rowCount(), 3);
        QVERIFY(manager.selectPath(m_broken));
        QVERIFY(manager.currentEntry() && !manager.currentEntry()->isUsable());
        QVERIFY(!manager.useButton()->isEnabled());
        QCOMPARE(manager.model()
                     ->index(manager.model()->rowOfPath(m_broken), ModelListModel::Architecture)
                     .data()
                     .toString(),
            QStringLiteral("unreadable"));
    }

    void contextIsBoundedByTheModel()
    {
        ModelManager manager;
        QVERIFY(scan(manager));
        QVERIFY(manager.selectPath(m_small));
        QCOMPARE(manager.contextSpin()->maximum(), 4096);
        manager.contextSpin()->setValue(100000);
        QCOMPARE(manager.contextSpin()->value(), 4096);
        QVERIFY(manager.selectPath(m_open)); // no stated context: the engine's limit
        QCOMPARE(manager.contextSpin()->maximum(), 1 << 20);
    }

    void useWritesTheSettings()
    {
        ModelManager manager;
        QVERIFY(scan(manager));
        QVERIFY(manager.selectPath(m_small));
        QVERIFY(manager.useButton()->isEnabled());
        manager.contextSpin()->setValue(2048);
        manager.attentionCombo()->setCurrentIndex(manager.attentionCombo()->findData(QStringLiteral("sparse")));
        manager.deviceCombo()->setCurrentIndex(manager.deviceCombo()->findData(QStringLiteral("cpu")));
        QSignalSpy chosen(&manager, &ModelManager::modelChosen);
        QTest::mouseClick(manager.useButton(), Qt::LeftButton);
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(manager.result(), int(QDialog::Accepted));
        const QSettings settings;
        QCOMPARE(settings.value(QStringLiteral("model/path")).toString(), m_small);
        QCOMPARE(settings.value(QStringLiteral("model/contextLength")).toInt(), 2048);
        QCOMPARE(settings.value(QStringLiteral("model/attention")).toString(), QStringLiteral("sparse"));
        QCOMPARE(settings.value(QStringLiteral("model/device")).toString(), QStringLiteral("cpu"));
        QCOMPARE(ModelSettings::load().modelName(), QStringLiteral("small.gguf"));

        // The next time, the choices come back and the model is selected.
        ModelManager again;
        QCOMPARE(again.contextSpin()->value(), 2048);
        QCOMPARE(again.attentionCombo()->currentData().toString(), QStringLiteral("sparse"));
        QCOMPARE(again.deviceCombo()->currentData().toString(), QStringLiteral("cpu"));
        QVERIFY(scan(again));
        QVERIFY(again.currentEntry());
        QCOMPARE(again.currentEntry()->path, m_small);
    }

    void addedFileIsListedAndRemembered()
    {
        ModelManager manager;
        QVERIFY(scan(manager));
        const QString elsewhere = m_dir.filePath(QStringLiteral("elsewhere/extra.gguf"));
        QVERIFY(test::writeModel(elsewhere, QStringLiteral("Extra"), 16384));
        QSignalSpy added(&manager, &ModelManager::fileAdded);
        manager.addFile(elsewhere);
        QVERIFY(added.wait(10000));
        QCOMPARE(manager.model()->rowCount(), 4);
        QCOMPARE(manager.currentEntry()->path, elsewhere);
        QCOMPARE(manager.contextSpin()->maximum(), 16384);
        ModelManager again;
        QVERIFY(scan(again));
        QCOMPARE(again.model()->rowCount(), 4);
    }

    void saysWhereTheModelRuns()
    {
        ModelManager manager;
        manager.setLocations({ folder() });
        QSignalSpy probed(&manager, &ModelManager::deviceProbed);
        manager.show();
        QVERIFY(probed.wait(20000));
        QVERIFY(!manager.runsOnLabel()->text().isEmpty());
        manager.deviceCombo()->setCurrentIndex(manager.deviceCombo()->findData(QStringLiteral("cpu")));
        QVERIFY(probed.wait(20000));
        QVERIFY2(manager.runsOnLabel()->text().startsWith(QStringLiteral("CPU · ")),
            qPrintable(manager.runsOnLabel()->text()));
    }
};

QTEST_MAIN(ModelManagerTest)
#include "modelmanagertest.moc"
