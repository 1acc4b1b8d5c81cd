#pragma once

#include "util/error.h"

#include <QByteArray>
#include <QImage>
#include <QSizeF>
#include <QString>
#include <memory>

namespace quire::ingest
{

// Page rendering for the reader view; the only way the UI reaches Poppler. Pages are numbered from 1,
// like ParsedSection::page. One renderer may be used from several threads (calls are serialised).
class PdfRenderer
{
public:
    // Errors as PdfReader's: PasswordRequired ("password required" / "wrong password"), Corrupt, Io.
    static Expected<std::unique_ptr<PdfRenderer>> open(const QString &path, const QString &password = {});
    static Expected<std::unique_ptr<PdfRenderer>> openData(
        const QByteArray &data, const QString &name, const QString &password = {});
    ~PdfRenderer();
    PdfRenderer(const PdfRenderer &) = delete;
    PdfRenderer &operator=(const PdfRenderer &) = delete;

    int pageCount() const;
    // In points (1/72 inch); an empty size for a page number out of range.
    QSizeF pageSize(int pageNumber) const;
    // scale 1.0 renders at 72 dpi (one pixel per point); a null image when the page is out of range,
    // the image would exceed 256 M pixels, or Poppler fails. Word boxes of ParsedPage multiply by the same scale.
    QImage render(int pageNumber, double scale) const;

private:
    PdfRenderer();
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace quire::ingest
