#include "ui/devicestatuslabel.h"

#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace quire::ui;

class DeviceStatusLabelTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("QuireTest"));
        QCoreApplication::setApplicationName(QStringLiteral("devicestatuslabeltest"));
        QSettings().clear();
    }

    // The CPU at once; the probed device (and why) once shown, without blocking the window.
    void probesAfterShowing()
    {
        DeviceStatusLabel label;
        QCOMPARE(label.text(), DeviceInfo::detect().text());
        QVERIFY(!label.isProbed());
        QSignalSpy probed(&label, &DeviceStatusLabel::probed);
        label.show();
        QVERIFY(probed.wait(20000));
        QCOMPARE(label.text(), DeviceInfo::probe(QStringLiteral("auto")).text());
        QVERIFY(label.toolTip().contains(label.device().reason));
    }

    void namesTheModelAndItsDevice()
    {
        ModelSettings settings;
        settings.path = QStringLiteral("/models/blobs/sha256-0123");
        settings.name = QStringLiteral("library/tiny:latest");
        settings.device = QStringLiteral("cpu");
        settings.save();
        DeviceStatusLabel label;
        QSignalSpy probed(&label, &DeviceStatusLabel::probed);
        label.refresh();
        QVERIFY(probed.wait(20000));
        QVERIFY2(label.text().startsWith(DeviceInfo::detect().text() + QStringLiteral(" · Model: library/tiny:latest")),
            qPrintable(label.text()));
        QVERIFY(label.minimumSizeHint().width() < label.sizeHint().width()); // never widens the window
        QSettings().clear();
    }
};

QTEST_MAIN(DeviceStatusLabelTest)
#include "devicestatuslabeltest.moc"
