// quire devices: every compute device, what it offers, and which one Quire would use and why.
#include "command.h"

#ifdef QUIRE_HAVE_VULKAN
#include "inference/vulkan/vkcontext.h"
#endif

#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
#include <QTextStream>
#include <cstdlib>
#include <thread>

namespace
{

using namespace quire;

QString cpuFeatures()
{
    QStringList f;
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2"))
        f << QStringLiteral("AVX2");
    if (__builtin_cpu_supports("fma"))
        f << QStringLiteral("FMA");
    if (__builtin_cpu_supports("avx512f"))
        f << QStringLiteral("AVX-512");
    if (__builtin_cpu_supports("avx512vnni"))
        f << QStringLiteral("VNNI");
#elif defined(__aarch64__)
    f << QStringLiteral("NEON");
#endif
    return f.join(QLatin1Char(' '));
}

#ifdef QUIRE_HAVE_VULKAN
QJsonObject toJson(const inference::vk::DeviceInfo &d)
{
    return QJsonObject { { QStringLiteral("index"), int(d.index) },
        { QStringLiteral("name"), QString::fromStdString(d.name) },
        { QStringLiteral("type"), QString::fromStdString(d.type) },
        { QStringLiteral("driver"), QString::fromStdString(d.driver) },
        { QStringLiteral("api"), QString::fromStdString(d.apiVersion) },
        { QStringLiteral("deviceLocalBytes"), qint64(d.deviceLocalBytes) },
        { QStringLiteral("hostVisibleBytes"), qint64(d.hostVisibleBytes) },
        { QStringLiteral("subgroupSize"), int(d.subgroupSize) },
        { QStringLiteral("subgroupArithmetic"), d.subgroupArithmetic },
        { QStringLiteral("fp16"), d.fp16 },
        { QStringLiteral("int8Dot"), d.int8Dot },
        { QStringLiteral("cooperativeMatrix"), d.cooperativeMatrix },
        { QStringLiteral("maxStorageBufferRange"), qint64(d.maxStorageBufferRange) },
        { QStringLiteral("maxSharedMemory"), int(d.maxSharedMemory) },
        { QStringLiteral("maxWorkgroupInvocations"), int(d.maxWorkgroupInvocations) } };
}

void printDevice(QTextStream &out, const inference::vk::DeviceInfo &d, bool chosen)
{
    const QLocale locale;
    auto yes = [](bool b) { return b ? "yes" : "no"; };
    out << (chosen ? "* " : "  ") << d.index << ": " << QString::fromStdString(d.name) << " ("
        << QString::fromStdString(d.type) << ", " << QString::fromStdString(d.driver) << ", Vulkan "
        << QString::fromStdString(d.apiVersion) << ")\n"
        << "     memory " << locale.formattedDataSize(qint64(d.deviceLocalBytes)) << " device-local, "
        << locale.formattedDataSize(qint64(d.hostVisibleBytes)) << " other; subgroup " << d.subgroupSize
        << (d.subgroupArithmetic ? " (arithmetic)" : "") << "\n"
        << "     fp16 " << yes(d.fp16) << ", int8 dot " << yes(d.int8Dot) << ", cooperative matrix "
        << yes(d.cooperativeMatrix) << "\n"
        << "     max storage buffer range " << locale.formattedDataSize(qint64(d.maxStorageBufferRange))
        << ", shared memory " << d.maxSharedMemory / 1024 << " KiB, workgroup " << d.maxWorkgroupInvocations
        << " invocations\n";
}
#endif

int run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "List compute devices: the CPU and every Vulkan device, with memory, subgroup size, fp16 / int8 dot / "
        "cooperative-matrix support and limits. The device Quire would use is marked with '*'; set "
        "QUIRE_VK_DEVICE=<index|name> to choose another."));
    cli::Context ctx;
    int code = 0;
    if (!ctx.parse(parser, arguments, 0, &code))
        return code;
    QJsonObject result { { QStringLiteral("cpu"),
        QJsonObject { { QStringLiteral("threads"), int(std::thread::hardware_concurrency()) },
            { QStringLiteral("features"), cpuFeatures() } } } };
    QTextStream out(stdout);
    if (!ctx.json())
        out << "CPU: " << std::thread::hardware_concurrency() << " threads, " << cpuFeatures() << "\n\n";
#ifdef QUIRE_HAVE_VULKAN
    auto devices = inference::vk::listDevices();
    if (!devices) {
        result.insert(QStringLiteral("vulkan"), QJsonArray());
        result.insert(QStringLiteral("use"), QStringLiteral("cpu"));
        result.insert(QStringLiteral("reason"),
            QString(QString::fromStdString(devices.error().message) + QStringLiteral(": CPU backend")));
        if (ctx.json())
            ctx.printJson(result);
        else
            out << QString::fromStdString(devices.error().message) << ": the CPU backend runs models.\n";
        return cli::ExitOk;
    }
    const char *preference = std::getenv("QUIRE_VK_DEVICE");
    auto chosen = inference::vk::chooseDevice(*devices, preference ? preference : "");
    if (!chosen)
        return ctx.fail(chosen.error());
    QJsonArray list;
    for (const auto &d : *devices)
        list.append(toJson(d));
    result.insert(QStringLiteral("vulkan"), list);
    result.insert(QStringLiteral("use"), int(*chosen));
    if (ctx.json()) {
        ctx.printJson(result);
    } else {
        out << "Vulkan devices:\n";
        for (const auto &d : *devices)
            printDevice(out, d, d.index == *chosen);
    }
#else
    if (ctx.json())
        ctx.printJson(result);
    else
        out << "This build has no Vulkan backend: the CPU backend runs models.\n";
#endif
    return cli::ExitOk;
}

const bool registered = cli::registerCommand(
    { QStringLiteral("devices"), QStringLiteral("List compute devices and which one runs models"), run });

} // namespace
