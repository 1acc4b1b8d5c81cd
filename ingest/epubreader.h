#pragma once

#include "ingest/parseddocument.h"
#include "util/error.h"

#include <QByteArray>
#include <QString>

namespace quire::ingest
{

// EPUB 2 and 3: container.xml -> OPF -> spine order. Each spine document with text becomes one page
// (through HtmlReader), each page a level-1 section titled from the nav document / NCX (else the
// chapter's <title> or first heading). Metadata: dc:title, dc:creator, dc:date, dc:language,
// dc:publisher, dc:identifier. Archive limits of ReadOptions apply.
class EpubReader
{
public:
    static Expected<ParsedDocument> read(const QByteArray &data, const QString &name, const ReadOptions &options);
};

} // namespace quire::ingest
