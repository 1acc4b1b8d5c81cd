#pragma once

#include "ingest/parseddocument.h"
#include "util/error.h"

#include <QByteArray>
#include <QString>

namespace quire::ingest
{

// Markdown as text: ATX and setext headings become sections, markup is removed (emphasis, code spans,
// fences, block quotes, list markers, HTML tags); links and images keep their text.
class MarkdownReader
{
public:
    static Expected<ParsedDocument> read(const QByteArray &data, const QString &name, const ReadOptions &options);
    // Removes inline markup from one line.
    static QString stripInline(const QString &line);
};

} // namespace quire::ingest
