#pragma once

#include "ingest/parseddocument.h"
#include "util/error.h"

#include <QByteArray>
#include <QString>

namespace quire::ingest
{

// Entry points of the readers. Each call is self-contained and thread-compatible (no shared state):
// the pipeline runs them in worker processes and applies its own timeout.
//
// Errors (quire::Error::Code):
//   PasswordRequired  "password required" (no password given) or "wrong password"
//   Corrupt           damaged input, or an archive member with an unsafe path
//   Unsupported       a type we do not read
//   Empty             nothing in it (zero bytes, no pages, no text)
//   TooLarge          over ReadOptions::maxBytes, or archive size / ratio / member-count limits
//   Io                the file could not be read
// Messages name the file and say what to do.

// Reads a file from disk. Type is detected from content first, then from the extension.
Expected<ParsedDocument> readFile(const QString &path, const ReadOptions &options = {});

// Reads bytes already in memory (archive members, mail attachments). `name` is used for the
// extension fallback and in messages.
Expected<ParsedDocument> readData(const QByteArray &data, const QString &name, const ReadOptions &options = {});

// The type a reader would use: "pdf", "text", "markdown", "html", "epub", "eml", "mbox",
// "zip", "tar", "7z", "gzip", "bzip2", "xz" ... or an empty string when unsupported.
// `head` is the first bytes of the content (4 KiB is plenty); `name` the file name.
QString detectType(const QByteArray &head, const QString &name);
QString detectFileType(const QString &path);

// Options for reading the children of `container` (archive members, attachments, mbox messages): one level
// deeper, and the expansion budget reduced by what the container already expanded, so nested archives
// cannot multiply the limits. Pass these to readData() when recursing.
ReadOptions childOptions(const ReadOptions &parent, const ParsedDocument &container);

// True when Tesseract with the English data is usable (for `quire info`).
bool ocrAvailable();

} // namespace quire::ingest
