#include "ui/deviceinfo.h"

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

} // namespace

DeviceInfo DeviceInfo::detect()
{
    DeviceInfo info;
    info.backend = QStringLiteral("CPU");
    info.simd = bestSimd();
    info.threads = qMax(1, QThread::idealThreadCount());
    return info;
}

QString DeviceInfo::text() const
{
    QStringList parts { backend };
    if (!simd.isEmpty())
        parts << simd;
    parts << QObject::tr("%n thread(s)", nullptr, threads);
    return parts.join(QStringLiteral(" · "));
}

QString DeviceInfo::toolTip() const
{
    return QObject::tr(
        "Models run on the %1 backend with %2 vector instructions and %n worker thread(s).", nullptr, threads)
        .arg(backend, simd.isEmpty() ? QObject::tr("no") : simd);
}

} // namespace quire::ui
