#include "inference/vulkan/vkcontext.h"

#include <QTest>

using namespace quire::inference::vk;

namespace
{

DeviceInfo device(std::uint32_t index, const char *name, const char *type, std::uint64_t memory)
{
    DeviceInfo d;
    d.index = index;
    d.name = name;
    d.type = type;
    d.deviceLocalBytes = memory;
    return d;
}

} // namespace

class VkContextTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Device choice is pure logic: tested with made-up device lists, no GPU needed.
    void chooseDevice_data()
    {
        QTest::addColumn<QString>("preference");
        QTest::addColumn<int>("expected"); // -1: an error
        QTest::newRow("discrete first") << QString() << 2;
        QTest::newRow("index") << QStringLiteral("0") << 0;
        QTest::newRow("name, case-insensitive") << QStringLiteral("LLVMPIPE") << 0;
        QTest::newRow("index out of range") << QStringLiteral("7") << -1;
        QTest::newRow("unknown name") << QStringLiteral("voodoo") << -1;
    }
    void chooseDevice()
    {
        QFETCH(QString, preference);
        QFETCH(int, expected);
        const std::vector<DeviceInfo> devices { device(0, "llvmpipe (LLVM 15)", "cpu", 8ull << 30),
            device(1, "Intel UHD 770", "integrated", 4ull << 30),
            device(2, "NVIDIA RTX 4090", "discrete", 24ull << 30),
            device(3, "AMD RX 7900", "discrete", 20ull << 30) };
        auto chosen = quire::inference::vk::chooseDevice(devices, preference.toStdString());
        if (expected < 0) {
            QVERIFY(!chosen);
            QVERIFY(!chosen.error().message.empty());
        } else {
            QVERIFY(chosen);
            QCOMPARE(int(*chosen), expected);
        }
    }
    void integratedBeatsCpu()
    {
        const std::vector<DeviceInfo> devices { device(0, "llvmpipe", "cpu", 64ull << 30),
            device(1, "Intel", "integrated", 1ull << 30) };
        QCOMPARE(*quire::inference::vk::chooseDevice(devices, {}), 1u);
    }

    void realDevice()
    {
        auto devices = listDevices();
        if (!devices)
            QSKIP("no Vulkan device on this machine (install mesa-vulkan-drivers for lavapipe)");
        QVERIFY(!devices->empty());
        for (const DeviceInfo &d : *devices) {
            QVERIFY(!d.name.empty());
            QVERIFY(d.subgroupSize > 0);
            QVERIFY(d.maxStorageBufferRange > 0);
        }
        auto context = Context::create();
        QVERIFY2(context, context ? "" : context.error().message.c_str());
        QVERIFY(!(*context)->reason().empty());
    }
};

QTEST_GUILESS_MAIN(VkContextTest)
#include "vkcontexttest.moc"
