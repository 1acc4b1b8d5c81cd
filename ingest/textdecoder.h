#pragma once

#include <QByteArray>
#include <QString>

namespace quire::ingest
{

struct DecodedText {
    QString text; // NFC, "\n" line ends, no byte-order mark
    QString encoding; // what was used: "UTF-8", "UTF-16LE", "GBK", "Shift_JIS", "windows-1251" ...
    bool replaced = false; // some bytes were invalid in that encoding and became U+FFFD
};

// Turns bytes of unknown encoding into text: byte-order mark, then UTF-16/32 without one, then a strict
// UTF-8 check, then the declared `hint` (a charset label from HTML or mail), then ICU's detector.
DecodedText decodeText(const QByteArray &data, const QString &hint = {});

// Converts with a named ICU converter; returns false when ICU does not know the name.
bool convertWithCharset(const QByteArray &data, const QString &charset, QString *out, bool *replaced = nullptr);

// NFC, and CRLF / CR / NEL / LS / PS to "\n". Safe on text that is already clean (fast path).
QString normalizeText(QString text);

// NFKC only for ligatures and presentation forms (U+FB00-U+FDFF, U+FE70-U+FEFF, U+FF00-U+FFEF
// half/full-width stay), then NFC.
QString normalizeExtractedText(const QString &text);

bool isValidUtf8(const QByteArray &data);

} // namespace quire::ingest
