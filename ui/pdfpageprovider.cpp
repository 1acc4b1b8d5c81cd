#include "ui/pdfpageprovider.h"

#include "ingest/pdfrenderer.h"

namespace quire::ui
{

PdfPageProvider::PdfPageProvider(const QString &path, const QString &password)
    : m_path(path)
    , m_password(password)
{
}

PdfPageProvider::~PdfPageProvider() = default;

Expected<QImage> PdfPageProvider::render(int page, double pixelsPerPoint)
{
    ingest::PdfRenderer *renderer = nullptr;
    {
        std::lock_guard lock(m_mutex);
        if (!m_renderer && !m_openError) {
            auto opened = ingest::PdfRenderer::open(m_path, m_password);
            if (opened)
                m_renderer = std::move(*opened);
            else
                m_openError = opened.error();
        }
        if (m_openError)
            return std::unexpected(*m_openError);
        renderer = m_renderer.get();
    }
    // The renderer serialises its own calls; pages render while other threads wait only on Poppler.
    QImage image = renderer->render(page + 1, pixelsPerPoint);
    if (image.isNull())
        return fail(Error::Code::Internal, "page " + std::to_string(page + 1) + " could not be rendered");
    return image;
}

} // namespace quire::ui
