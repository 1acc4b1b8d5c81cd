#pragma once

#include "store/library.h"
#include "util/error.h"

#include <QImage>
#include <QString>
#include <memory>
#include <vector>

namespace quire::ingest
{

struct OcrResult {
    QString text; // lines joined by "\n", paragraphs by "\n\n", NFC
    std::vector<store::WordBox> words; // offsets into text; boxes in the image's pixels
    double meanConfidence = 0; // 0..100 over words
};

// Tesseract (English data by default). One engine per thread; initialising costs ~0.2 s, so keep one for
// a whole document.
class OcrEngine
{
public:
    explicit OcrEngine(const QString &language = QStringLiteral("eng"));
    ~OcrEngine();
    OcrEngine(const OcrEngine &) = delete;
    OcrEngine &operator=(const OcrEngine &) = delete;

    // True when Tesseract initialised with the language data.
    bool isReady() const;
    Expected<OcrResult> recognize(const QImage &image);

    // True when the English data can be loaded (checked once per process).
    static bool available();

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace quire::ingest
