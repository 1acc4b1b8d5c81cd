#include "ingest/pdfrenderer.h"

#include "ingest/pdfdocument.h"

#include <QFile>
#include <QMutex>

namespace quire::ingest
{

namespace
{
constexpr double MaxPixels = 256.0 * 1024 * 1024; // 1 GiB of ARGB: a zoom that large is a mistake
} // namespace

struct PdfRenderer::Impl {
    QByteArray data; // Poppler reads from it for the document's lifetime
    std::unique_ptr<Poppler::Document> document;
    mutable QMutex mutex; // a Poppler::Document is not safe to use from two threads at once
};

PdfRenderer::PdfRenderer()
    : d(std::make_unique<Impl>())
{
}

PdfRenderer::~PdfRenderer() = default;

Expected<std::unique_ptr<PdfRenderer>> PdfRenderer::open(const QString &path, const QString &password)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(Error::Code::Io, QStringLiteral("cannot read %1: %2").arg(path, file.errorString()).toStdString());
    return openData(file.readAll(), path, password);
}

Expected<std::unique_ptr<PdfRenderer>> PdfRenderer::openData(
    const QByteArray &data, const QString &name, const QString &password)
{
    std::unique_ptr<PdfRenderer> renderer(new PdfRenderer());
    renderer->d->data = data;
    auto doc = openPdfDocument(renderer->d->data, name, password);
    if (!doc)
        return std::unexpected(doc.error());
    renderer->d->document = std::move(*doc);
    return renderer;
}

int PdfRenderer::pageCount() const
{
    QMutexLocker lock(&d->mutex);
    return d->document->numPages();
}

QSizeF PdfRenderer::pageSize(int pageNumber) const
{
    QMutexLocker lock(&d->mutex);
    if (pageNumber < 1 || pageNumber > d->document->numPages())
        return {};
    const std::unique_ptr<Poppler::Page> page = d->document->page(pageNumber - 1);
    return page ? page->pageSizeF() : QSizeF();
}

QImage PdfRenderer::render(int pageNumber, double scale) const
{
    QMutexLocker lock(&d->mutex);
    if (pageNumber < 1 || pageNumber > d->document->numPages() || scale <= 0 || scale > 16)
        return {};
    const std::unique_ptr<Poppler::Page> page = d->document->page(pageNumber - 1);
    if (!page)
        return {};
    const QSizeF size = page->pageSizeF() * scale;
    if (size.width() * size.height() > MaxPixels)
        return {};
    return page->renderToImage(72.0 * scale, 72.0 * scale);
}

} // namespace quire::ingest
