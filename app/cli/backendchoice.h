#pragma once

#include "inference/backend.h"

#include <QString>
#include <memory>

namespace quire::cli
{

struct BackendChoice {
    std::unique_ptr<inference::Backend> backend;
    QString reason; // why this device runs the model, for the user: never a silent fallback
};

// `device`: "auto" (a Vulkan GPU when there is one, else the CPU backend; lavapipe, Vulkan on the CPU,
// is slower than the CPU backend so auto does not pick it), "vulkan" (the best Vulkan device,
// QUIRE_VK_DEVICE overrides), or "cpu". `threads` is for the CPU backend (0: all).
Expected<BackendChoice> chooseBackend(const QString &device, int threads);

// Adds --device to a command's parser.
QString deviceOptionHelp();

} // namespace quire::cli
