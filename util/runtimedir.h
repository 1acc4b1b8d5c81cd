#pragma once

namespace quire::util
{

// Headless Qt (the CLI, build tools, CI) wants a private XDG_RUNTIME_DIR; create and set one when the
// session has none, instead of Qt warning on every run. Call before constructing the application.
void ensureRuntimeDir();

} // namespace quire::util
