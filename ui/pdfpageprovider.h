#pragma once

#include "ui/pageimageprovider.h"

#include <QString>
#include <memory>
#include <mutex>
#include <optional>

namespace quire::ingest
{
class PdfRenderer;
}

namespace quire::ui
{

// Page pictures of a PDF on disk, through ingest::PdfRenderer (the only way the GUI reaches Poppler).
// The file is opened on the first render, in the worker that asks for it.
class PdfPageProvider final : public PageImageProvider
{
public:
    explicit PdfPageProvider(const QString &path, const QString &password = {});
    ~PdfPageProvider() override;

    Expected<QImage> render(int page, double pixelsPerPoint) override;

private:
    QString m_path;
    QString m_password;
    std::mutex m_mutex;
    std::unique_ptr<ingest::PdfRenderer> m_renderer;
    std::optional<Error> m_openError;
};

} // namespace quire::ui
