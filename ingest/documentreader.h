#pragma once

#include "ingest/parseddocument.h"
#include "util/error.h"

#include <QByteArray>
#include <QString>

namespace quire::ingest
{

// Entry points of the readers. Each call is self-contained (no shared state between calls); the pipeline
// runs them in worker processes and applies its own timeout. PDF text is extracted on ReadOptions::threads
// threads (0 = one per core): set 1 when several workers already share the cores.
//
// Containers (zip/tar/7z/gzip..., mbox) return no pages, only `children`; mail messages return one page
// and their attachments as children; read children with readData(child.data, child.name,
// childOptions(parentOptions, parent)).
//
// Errors (quire::Error::Code):
//   PasswordRequired  "password required" (no password given) or "wrong password"; encrypted zip members
//   Corrupt           damaged input (a PDF without pages, a truncated archive, an EPUB without package),
//                     or an archive member with an unsafe path or a link outside the archive
//   Unsupported       a type we do not read (binary, images on their own, office documents, RTF)
//   Empty             nothing in it (zero bytes, blank text, blank PDF, archive without files)
//   TooLarge          over ReadOptions::maxBytes, or archive size / ratio / member-count / depth limits
//   NotFound, Io      the file does not exist / could not be read
// Messages name the file and say what to do.

// Reads a file from disk. Type is detected from content first, then from the extension.
Expected<ParsedDocument> readFile(const QString &path, const ReadOptions &options = {});

// Reads bytes already in memory (archive members, mail attachments). `name` is used for the
// extension fallback and in messages.
Expected<ParsedDocument> readData(const QByteArray &data, const QString &name, const ReadOptions &options = {});

// The type a reader would use: "pdf", "text", "markdown", "html", "epub", "eml", "mbox", "zip", "tar",
// "7z", "rar", or for compressed streams "gzip", "bzip2", "xz", "zstd" (the parsed document then says
// "tar" for a tarball), or an empty string when unsupported.
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
