#pragma once

#include <QIcon>
#include <QString>

namespace quire::ui
{

// An icon by freedesktop name ("document-open"): the desktop theme's when it has one, otherwise ours
// from :/quire/icons/NAME.svg, drawn in the palette's text colour at the size and device pixel ratio
// asked for, so it stays crisp on HiDPI screens and readable on light and dark palettes.
QIcon themeIcon(const QString &name);

// Registers the resources of quire_resources (a static library); themeIcon() calls it too.
void ensureResources();

} // namespace quire::ui
