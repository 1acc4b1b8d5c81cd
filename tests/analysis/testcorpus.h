#pragma once

// Test libraries built straight from text files: our own paragraph, sentence and chapter split, so the
// analysis tests do not depend on ingest.
#include "store/library.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QString>
#include <memory>
#include <unicode/brkiter.h>

namespace quire::testing
{

inline QString sharedCorpus()
{
    return QStringLiteral(QUIRE_SHARED_DIR "/corpus");
}

inline bool hasSharedCorpus()
{
    return QDir(sharedCorpus()).exists();
}

// UTF-8 text with BOM and CRLF line ends, as the Gutenberg files come.
inline QString readText(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QString text = QString::fromUtf8(file.readAll());
    if (text.startsWith(QChar(0xFEFF)))
        text.remove(0, 1);
    text.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    return text;
}

inline void addSentences(store::DocumentContent &content, int from, int to)
{
    QString paragraph = content.text.mid(from, to - from);
    paragraph.replace(QLatin1Char('\n'), QLatin1Char(' ')); // same length: offsets stay valid
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> it(
        icu::BreakIterator::createSentenceInstance(icu::Locale("en@ss=standard"), status));
    const icu::UnicodeString u(false, reinterpret_cast<const char16_t *>(paragraph.utf16()), paragraph.size());
    it->setText(u);
    int start = it->first();
    for (int end = it->next(); end != icu::BreakIterator::DONE; start = end, end = it->next()) {
        const QString s = paragraph.mid(start, end - start);
        const int lead = int(s.size() - QString(s).remove(QRegularExpression(QStringLiteral("^\\s+"))).size());
        const QString trimmed = s.trimmed();
        if (trimmed.isEmpty())
            continue;
        store::SentenceRecord r;
        r.start = from + start + lead;
        r.end = r.start + int(trimmed.size());
        r.text = content.text.mid(r.start, r.end - r.start);
        content.sentences.push_back(r);
    }
}

// Paragraphs are blank-line separated when the text has blank lines, lines otherwise (Chinese novels);
// chapters start at "CHAPTER n", "Capítulo n" or "第n章/回" lines.
inline store::DocumentContent buildContent(const QString &text)
{
    store::DocumentContent content;
    content.text = text;
    const bool blankLines = text.count(QStringLiteral("\n\n")) > 50;
    static const QRegularExpression chapter(
        QStringLiteral("^(?:CHAPTER [0-9]+|Cap[íi]tulo [\\w]+|第[0-9一二三四五六七八九十百]+[章回])"),
        QRegularExpression::MultilineOption | QRegularExpression::CaseInsensitiveOption);
    for (auto it = chapter.globalMatch(text); it.hasNext();) {
        const auto m = it.next();
        store::SectionRecord s;
        s.start = int(m.capturedStart());
        s.end = int(text.indexOf(QLatin1Char('\n'), s.start));
        s.title = text.mid(s.start, s.end - s.start);
        content.sections.push_back(s);
    }
    for (std::size_t i = 0; i < content.sections.size(); ++i)
        content.sections[i].end = i + 1 < content.sections.size() ? content.sections[i + 1].start : int(text.size());
    const QString separator = blankLines ? QStringLiteral("\n\n") : QStringLiteral("\n");
    int from = 0;
    while (from < text.size()) {
        int to = int(text.indexOf(separator, from));
        if (to < 0)
            to = int(text.size());
        addSentences(content, from, to);
        from = to + int(separator.size());
    }
    store::PageRecord page;
    page.end = int(text.size());
    content.pages.push_back(page);
    return content;
}

inline std::int64_t addDocument(store::Library &library,
    const QString &path,
    const QString &text,
    const QString &language = {},
    const QString &created = {})
{
    store::DocumentRecord record;
    record.path = path;
    record.title = QFileInfo(path).baseName();
    record.type = QStringLiteral("text");
    record.language = language;
    record.created = created;
    record.status = store::DocumentStatus::Ok;
    auto id = library.saveDocument(record, buildContent(text));
    return id ? *id : -1;
}

} // namespace quire::testing
