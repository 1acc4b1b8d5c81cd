#include "backendchoice.h"

#ifdef QUIRE_HAVE_VULKAN
#include "inference/vulkan/backendchoice.h"
#endif

namespace quire::cli
{

QString deviceOptionHelp()
{
    return QStringLiteral("Compute device: auto (a GPU when there is one, else the CPU), vulkan, or cpu. "
                          "QUIRE_VK_DEVICE=<index|name> picks the Vulkan device.");
}

Expected<BackendChoice> chooseBackend(const QString &device, int threads)
{
#ifdef QUIRE_HAVE_VULKAN
    auto choice = inference::vk::chooseBackend(device.toStdString(), threads);
    if (!choice)
        return std::unexpected(choice.error());
    return BackendChoice { std::move(choice->backend), QString::fromStdString(choice->reason) };
#else
    if (device == QLatin1String("vulkan"))
        return fail(Error::Code::Unsupported, "this build of Quire has no Vulkan backend");
    if (device != QLatin1String("auto") && device != QLatin1String("cpu"))
        return fail(
            Error::Code::InvalidArgument, "unknown device '" + device.toStdString() + "': use auto, vulkan or cpu");
    return BackendChoice { inference::createCpuBackend({ threads }),
        device == QLatin1String("cpu") ? QStringLiteral("CPU backend, as asked (--device cpu)")
                                       : QStringLiteral("this build has no Vulkan backend: CPU backend") };
#endif
}

} // namespace quire::cli
