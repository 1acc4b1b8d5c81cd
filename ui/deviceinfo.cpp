#include "ui/deviceinfo.h"

#ifdef QUIRE_HAVE_VULKAN
#include "inference/vulkan/devicechoice.h"
#endif

#include <QObject>
#include <QStringList>
#include <QThread>

namespace quire::ui
{

namespace
{

QString bestSimd()
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f"))
        return QStringLiteral("AVX-512");
    if (__builtin_cpu_supports("avx2"))
        return QStringLiteral("AVX2");
    if (__builtin_cpu_supports("avx"))
        return QStringLiteral("AVX");
    if (__builtin_cpu_supports("sse4.2"))
        return QStringLiteral("SSE4.2");
    return {};
#elif defined(__aarch64__) || defined(__ARM_NEON)
    return QStringLiteral("NEON");
#else
    return {};
#endif
}

#ifdef QUIRE_HAVE_VULKAN
// The chooser's reason without its ": CPU backend" ending, which the status bar says anyway.
QString shortReason(const inference::vk::DeviceChoice &choice)
{
    if (choice.type == "cpu")
        return QObject::tr("lavapipe is slower than the CPU backend");
    QString reason = QString::fromStdString(choice.reason);
    if (reason.endsWith(QLatin1String(": CPU backend")))
        return reason.chopped(13);
    return {}; // asked for the CPU: nothing to explain
}
#endif

} // namespace

DeviceInfo DeviceInfo::detect()
{
    DeviceInfo info;
    info.backend = QStringLiteral("CPU");
    info.simd = bestSimd();
    info.threads = qMax(1, QThread::idealThreadCount());
    return info;
}

DeviceInfo DeviceInfo::probe(const QString &device)
{
    DeviceInfo info = detect();
#ifndef QUIRE_HAVE_VULKAN
    info.failed = device == QLatin1String("vulkan");
    info.note = QObject::tr("this build has no Vulkan backend");
    info.reason = info.note;
    return info;
#else
    auto choice = inference::vk::chooseComputeDevice(device.toStdString());
    if (!choice) {
        info.failed = true;
        info.note = QString::fromStdString(choice.error().message);
        info.reason = info.note;
        return info;
    }
    info.reason = QString::fromStdString(choice->reason);
    if (choice->kind == inference::vk::DeviceChoice::Kind::Vulkan) {
        info.backend = QStringLiteral("Vulkan");
        info.deviceName = QString::fromStdString(choice->name);
    } else {
        info.note = shortReason(*choice);
    }
    return info;
#endif
}

QString DeviceInfo::text() const
{
    if (failed)
        return QObject::tr("No compute device — %1").arg(note);
    if (!deviceName.isEmpty())
        return backend + QStringLiteral(" · ") + deviceName;
    QStringList parts { backend };
    if (!simd.isEmpty())
        parts << simd;
    parts << (threads == 1 ? QObject::tr("1 thread") : QObject::tr("%1 threads").arg(threads));
    const QString cpu = parts.join(QStringLiteral(" · "));
    return note.isEmpty() ? cpu : QObject::tr("%1 — %2").arg(cpu, note);
}

QString DeviceInfo::toolTip() const
{
    if (failed)
        return QObject::tr("Models cannot run on the device chosen in Settings ▸ Models: %1").arg(reason);
    if (!deviceName.isEmpty())
        return QObject::tr("Models run on the Vulkan device %1 (%2).").arg(deviceName, reason);
    QString tip = QObject::tr(
        "Models run on the %1 backend with %2 vector instructions and %n worker thread(s).", nullptr, threads)
                      .arg(backend, simd.isEmpty() ? QObject::tr("no") : simd);
    if (!reason.isEmpty())
        tip += QLatin1Char('\n') + reason;
    return tip;
}

} // namespace quire::ui
