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

// `device`: "auto", "vulkan" or "cpu", as inference::vk::chooseBackend (which the GUI uses too) explains;
// this wrapper also works in builds without the Vulkan backend. `threads` is for the CPU backend (0: all).
Expected<BackendChoice> chooseBackend(const QString &device, int threads);

// Adds --device to a command's parser.
QString deviceOptionHelp();

} // namespace quire::cli
