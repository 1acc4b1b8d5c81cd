#include "ui/deviceinfo.h"

#include <QTest>

using namespace quire::ui;

// The status bar never falls back silently: whatever the machine has, the text names the device and,
// when the CPU runs, why.
class DeviceInfoTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cpuAsAsked()
    {
        const DeviceInfo info = DeviceInfo::probe(QStringLiteral("cpu"));
        QVERIFY(!info.failed);
        QCOMPARE(info.backend, QStringLiteral("CPU"));
        QVERIFY2(info.text().startsWith(DeviceInfo::detect().text()), qPrintable(info.text()));
        QVERIFY(info.toolTip().contains(QStringLiteral("CPU")));
    }

    void automaticSaysWhy()
    {
        const DeviceInfo info = DeviceInfo::probe(QStringLiteral("auto"));
        QVERIFY2(!info.failed, qPrintable(info.text()));
        if (info.backend == QLatin1String("Vulkan")) {
            QVERIFY(!info.deviceName.isEmpty());
            QCOMPARE(info.text(), QStringLiteral("Vulkan · ") + info.deviceName);
        } else {
            QVERIFY2(!info.note.isEmpty(), qPrintable(info.reason)); // no Vulkan GPU: the reason is shown
            QVERIFY(info.text().contains(QStringLiteral(" — ")));
        }
        qInfo("status bar: %s", qPrintable(info.text()));
    }

    void noVulkanDeviceIsSaid()
    {
        // An ICD list that names nothing: the loader finds no device.
        qputenv("VK_ICD_FILENAMES", QByteArrayLiteral("/nonexistent/icd.json"));
        qputenv("VK_DRIVER_FILES", QByteArrayLiteral("/nonexistent/icd.json"));
        const DeviceInfo automatic = DeviceInfo::probe(QStringLiteral("auto"));
        const DeviceInfo vulkan = DeviceInfo::probe(QStringLiteral("vulkan"));
        qunsetenv("VK_ICD_FILENAMES");
        qunsetenv("VK_DRIVER_FILES");
        qInfo("no Vulkan device, auto: %s; vulkan: %s", qPrintable(automatic.text()), qPrintable(vulkan.text()));
        QCOMPARE(automatic.backend, QStringLiteral("CPU"));
        QVERIFY2(automatic.text().contains(QStringLiteral("no Vulkan")), qPrintable(automatic.text()));
        QVERIFY(vulkan.failed); // asked for Vulkan: an error, not the CPU
        QVERIFY2(vulkan.text().contains(QStringLiteral("Vulkan")), qPrintable(vulkan.text()));
    }

    void unknownDeviceFails()
    {
        const DeviceInfo info = DeviceInfo::probe(QStringLiteral("tpu"));
        QVERIFY(info.failed);
        QVERIFY2(info.text().contains(QStringLiteral("unknown device")), qPrintable(info.text()));
    }
};

QTEST_GUILESS_MAIN(DeviceInfoTest)
#include "deviceinfotest.moc"
