#pragma once

#include "util/error.h"

#include <QImage>

namespace quire::ui
{

// Renders the pages of one document to images. Implementations must be safe to call from a worker
// thread (the page view renders off the UI thread); `page` is 0-based, `pixelsPerPoint` the scale.
class PageImageProvider
{
public:
    virtual ~PageImageProvider() = default;
    virtual Expected<QImage> render(int page, double pixelsPerPoint) = 0;
};

} // namespace quire::ui
