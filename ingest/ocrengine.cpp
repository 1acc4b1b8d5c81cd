#include "ingest/ocrengine.h"

#include "ingest/textdecoder.h"

#include <mutex>
#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

namespace quire::ingest
{

namespace
{

struct TextDeleter {
    void operator()(char *p) const { delete[] p; }
};
using TessText = std::unique_ptr<char, TextDeleter>;

struct ApiDeleter {
    void operator()(tesseract::TessBaseAPI *api) const
    {
        api->End();
        delete api;
    }
};

} // namespace

struct OcrEngine::Impl {
    std::unique_ptr<tesseract::TessBaseAPI, ApiDeleter> api;
    bool ready = false;
};

OcrEngine::OcrEngine(const QString &language)
    : d(std::make_unique<Impl>())
{
    d->api.reset(new tesseract::TessBaseAPI());
    d->ready = d->api->Init(nullptr, language.toUtf8().constData(), tesseract::OEM_DEFAULT) == 0;
    if (d->ready) {
        d->api->SetPageSegMode(tesseract::PSM_AUTO);
        d->api->SetVariable("debug_file", "/dev/null"); // Tesseract's warnings are not ours to print
    }
}

OcrEngine::~OcrEngine() = default;

bool OcrEngine::isReady() const
{
    return d->ready;
}

bool OcrEngine::available()
{
    static std::once_flag once;
    static bool result = false;
    std::call_once(once, [] { result = OcrEngine().isReady(); });
    return result;
}

Expected<OcrResult> OcrEngine::recognize(const QImage &image)
{
    if (!d->ready)
        return fail(Error::Code::Unsupported, "OCR is not available: install tesseract-ocr and tesseract-ocr-eng");
    const QImage gray = image.convertToFormat(QImage::Format_Grayscale8);
    d->api->SetImage(gray.constBits(), gray.width(), gray.height(), 1, int(gray.bytesPerLine()));
    d->api->SetSourceResolution(300);
    if (d->api->Recognize(nullptr) != 0)
        return fail(Error::Code::Internal, "Tesseract could not recognise the page");
    OcrResult result;
    std::unique_ptr<tesseract::ResultIterator> it(d->api->GetIterator());
    double confidenceSum = 0;
    const auto level = tesseract::RIL_WORD;
    if (it) {
        do {
            TessText word(it->GetUTF8Text(level));
            if (!word)
                continue;
            const QString text = normalizeExtractedText(QString::fromUtf8(word.get()).trimmed());
            if (text.isEmpty())
                continue;
            if (!result.text.isEmpty()) {
                if (it->IsAtBeginningOf(tesseract::RIL_PARA))
                    result.text += QStringLiteral("\n\n");
                else if (it->IsAtBeginningOf(tesseract::RIL_TEXTLINE))
                    result.text += QLatin1Char('\n');
                else
                    result.text += QLatin1Char(' ');
            }
            int left = 0, top = 0, right = 0, bottom = 0;
            it->BoundingBox(level, &left, &top, &right, &bottom);
            const auto start = std::int32_t(result.text.size());
            result.text += text;
            result.words.push_back(
                { start, std::int32_t(result.text.size()), float(left), float(top), float(right), float(bottom) });
            confidenceSum += it->Confidence(level);
        } while (it->Next(level));
    }
    d->api->Clear();
    if (!result.words.empty())
        result.meanConfidence = confidenceSum / double(result.words.size());
    return result;
}

} // namespace quire::ingest
