#include "backendchoice.h"

#ifdef QUIRE_HAVE_VULKAN
#include "inference/vulkan/vkbackend.h"
#include "inference/vulkan/vkcontext.h"
#endif

#include <cstdlib>

namespace quire::cli
{

QString deviceOptionHelp()
{
    return QStringLiteral("Compute device: auto (a GPU when there is one, else the CPU), vulkan, or cpu. "
                          "QUIRE_VK_DEVICE=<index|name> picks the Vulkan device.");
}

namespace
{

BackendChoice cpu(int threads, const QString &reason)
{
    return { inference::createCpuBackend({ threads }), reason };
}

} // namespace

Expected<BackendChoice> chooseBackend(const QString &device, int threads)
{
    if (device == QLatin1String("cpu"))
        return cpu(threads, QStringLiteral("CPU backend, as asked (--device cpu)"));
    if (device != QLatin1String("auto") && device != QLatin1String("vulkan"))
        return fail(
            Error::Code::InvalidArgument, "unknown device '" + device.toStdString() + "': use auto, vulkan or cpu");
#ifdef QUIRE_HAVE_VULKAN
    auto devices = inference::vk::listDevices();
    if (!devices) {
        if (device == QLatin1String("vulkan"))
            return std::unexpected(devices.error());
        return cpu(threads, QString::fromStdString(devices.error().message) + QStringLiteral(": CPU backend"));
    }
    const char *preference = std::getenv("QUIRE_VK_DEVICE");
    auto index = inference::vk::chooseDevice(*devices, preference ? preference : "");
    if (!index)
        return std::unexpected(index.error());
    const auto &info = (*devices)[*index];
    if (device == QLatin1String("auto") && info.type == "cpu" && !preference)
        return cpu(threads,
            QStringLiteral("only %1 (Vulkan on the CPU) found, and the CPU backend is faster: CPU backend")
                .arg(QString::fromStdString(info.name)));
    auto backend = inference::vk::createVulkanBackend();
    if (!backend) {
        if (device == QLatin1String("vulkan"))
            return std::unexpected(backend.error());
        return cpu(threads, QString::fromStdString(backend.error().message) + QStringLiteral(": CPU backend"));
    }
    const QString name = QString::fromStdString((*backend)->name());
    return BackendChoice { std::move(*backend), name };
#else
    if (device == QLatin1String("vulkan"))
        return fail(Error::Code::Unsupported, "this build of Quire has no Vulkan backend");
    return cpu(threads, QStringLiteral("this build has no Vulkan backend: CPU backend"));
#endif
}

} // namespace quire::cli
