#pragma once

#include "ingest/parseddocument.h"
#include "util/error.h"

#include <QByteArray>
#include <QString>

namespace quire::ingest
{

// Plain text in any encoding: one page, chapter headings as sections, the encoding in metadata
// ("encoding"), and for Project Gutenberg books the body range ("gutenbergBodyStart"/"End", UTF-16
// offsets into the page text) and the title/author/language of the header.
class TextReader
{
public:
    static Expected<ParsedDocument> read(const QByteArray &data, const QString &name, const ReadOptions &options);
};

} // namespace quire::ingest
