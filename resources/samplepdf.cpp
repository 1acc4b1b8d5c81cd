// quire-samplepdf: turns chapters of a bundled public-domain text into a PDF at build time, so that
// the sample corpus has PDFs without committing binary files.
//   quire-samplepdf IN.txt OUT.pdf --title T --author A --from N --to M
#include "util/runtimedir.h"

#include <QCommandLineParser>
#include <QFile>
#include <QGuiApplication>
#include <QPdfWriter>
#include <QRegularExpression>
#include <QTextDocument>
#include <QTextStream>

namespace
{

// Chapter N starts at a line "CHAPTER N." (English) or "第N章" (Chinese).
qsizetype chapterStart(const QString &text, int n)
{
    const QRegularExpression re(QStringLiteral("^(CHAPTER %1\\.|第%1章)").arg(n), QRegularExpression::MultilineOption);
    // Skip the table of contents: take the last heading that matches.
    qsizetype found = -1;
    auto it = re.globalMatch(text);
    while (it.hasNext())
        found = it.next().capturedStart();
    return found;
}

QString htmlFor(const QString &body, const QString &title)
{
    QString html = QStringLiteral("<h1>") + title.toHtmlEscaped() + QStringLiteral("</h1>");
    const QStringList paragraphs = body.split(QRegularExpression(QStringLiteral("\\n\\s*\\n")));
    for (const QString &p : paragraphs) {
        const QString t = p.simplified();
        if (t.isEmpty())
            continue;
        const bool heading = t.startsWith(QLatin1String("CHAPTER ")) || t.startsWith(QChar(0x7B2C));
        html += heading ? QStringLiteral("<h2>") + t.toHtmlEscaped() + QStringLiteral("</h2>")
                        : QStringLiteral("<p>") + t.toHtmlEscaped() + QStringLiteral("</p>");
    }
    return html;
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    quire::util::ensureRuntimeDir();
    QGuiApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("IN"), QStringLiteral("UTF-8 text"));
    parser.addPositionalArgument(QStringLiteral("OUT"), QStringLiteral("PDF to write"));
    const QCommandLineOption title(QStringLiteral("title"), QStringLiteral("Title"), QStringLiteral("T"));
    const QCommandLineOption author(QStringLiteral("author"), QStringLiteral("Author"), QStringLiteral("A"));
    const QCommandLineOption from(QStringLiteral("from"), QStringLiteral("First chapter"), QStringLiteral("N"));
    const QCommandLineOption to(QStringLiteral("to"), QStringLiteral("Last chapter"), QStringLiteral("M"));
    parser.addOptions({ title, author, from, to });
    parser.process(app);
    if (parser.positionalArguments().size() != 2)
        return 2;
    QFile in(parser.positionalArguments().at(0));
    if (!in.open(QIODevice::ReadOnly))
        return 1;
    QString text = QString::fromUtf8(in.readAll());
    text.remove(QChar(0xFEFF));
    text.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    const qsizetype begin = chapterStart(text, parser.value(from).toInt());
    qsizetype end = chapterStart(text, parser.value(to).toInt() + 1);
    if (begin < 0)
        return 1;
    if (end < begin)
        end = text.size();

    QPdfWriter writer(parser.positionalArguments().at(1));
    writer.setTitle(parser.value(title));
    writer.setCreator(parser.value(author));
    writer.setPageSize(QPageSize(QPageSize::A5));
    writer.setPageMargins(QMarginsF(18, 18, 18, 18), QPageLayout::Millimeter);
    writer.setResolution(300);
    QTextDocument doc;
    doc.setDefaultFont(QFont(QStringLiteral("DejaVu Serif"), 10));
    doc.setHtml(htmlFor(text.mid(begin, end - begin), parser.value(title)));
    doc.print(&writer);
    return 0;
}
