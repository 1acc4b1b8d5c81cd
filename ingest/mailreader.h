#pragma once

#include "ingest/parseddocument.h"
#include "util/error.h"

#include <QByteArray>
#include <QString>

namespace quire::ingest
{

// Mail through GMime 3.
// EML: one page holding a short header block (From/To/Cc/Date/Subject) then the body: text/plain preferred,
// else HTML made text; transfer encodings and charsets decoded. Metadata: from, to, cc, date, subject,
// messageId, inReplyTo, references (array); title = subject, author = from, created = date (ISO 8601).
// Attachments (and attached messages, as .eml) become `children`.
// MBOX: no pages; one child per message (the message's exact bytes, mimeType message/rfc822, name
// "message-0001.eml"), so that each message is its own document.
class MailReader
{
public:
    static Expected<ParsedDocument> readMessage(
        const QByteArray &data, const QString &name, const ReadOptions &options);
    static Expected<ParsedDocument> readMbox(const QByteArray &data, const QString &name, const ReadOptions &options);
};

} // namespace quire::ingest
