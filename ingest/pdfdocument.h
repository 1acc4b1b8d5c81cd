#pragma once

#include "util/error.h"

#include <QByteArray>
#include <QString>
#include <memory>
#include <poppler-qt6.h>

namespace quire::ingest
{

// Internal to ingest/pdf*: opening a PDF with Poppler, passwords included.
// No password on a locked file: PasswordRequired "password required". A password is tried as typed
// (UTF-8), then SASLprep'd (RFC 4013, what AES-256 R6 files expect), then as Latin-1 (older handlers);
// none opening it: PasswordRequired "wrong password". Unparseable data: Corrupt.
Expected<std::unique_ptr<Poppler::Document>> openPdfDocument(
    const QByteArray &data, const QString &name, const QString &password);

// RFC 4013 SASLprep through ICU's StringPrep; the input unchanged when ICU rejects it.
QString saslPrep(const QString &password);

} // namespace quire::ingest
