#pragma once

#include "util/error.h"

#include <QString>

namespace quire::analysis
{

// Lays a DOT graph out with Graphviz (`engine`: "fdp", "neato", "dot", "circo") and renders it as SVG.
// Graphviz's layout engines are plugins: where none is installed this returns Error::Code::Unsupported.
Expected<QString> renderSvg(const QString &dot, const QString &engine = QStringLiteral("fdp"));

} // namespace quire::analysis
