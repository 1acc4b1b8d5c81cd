#include "ingest/pdfrenderer.h"

#include "pdftestutil.h"

#include <QFile>
#include <QTest>

using namespace quire::ingest;
using namespace quire::ingest::test;

class PdfRendererTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rendersPages_data();
    void rendersPages();
    void outOfRange();
    void passwords();
    void notAPdf();
};

void PdfRendererTest::rendersPages_data()
{
    QTest::addColumn<double>("scale");
    QTest::newRow("72 dpi") << 1.0;
    QTest::newRow("144 dpi") << 2.0;
    QTest::newRow("thumbnail") << 0.25;
}

void PdfRendererTest::rendersPages()
{
    QFETCH(double, scale);
    const QByteArray pdf = makePdf({ { { "Page one" }, {} }, { { "Page two" }, {} } });
    auto renderer = PdfRenderer::openData(pdf, QStringLiteral("two.pdf"));
    QVERIFY(renderer.has_value());
    PdfRenderer &r = **renderer;
    QCOMPARE(r.pageCount(), 2);
    const QSizeF size = r.pageSize(1);
    QCOMPARE(qRound(size.width()), 595);
    QCOMPARE(qRound(size.height()), 842);
    const QImage image = r.render(2, scale);
    QVERIFY(!image.isNull());
    QVERIFY(qAbs(image.width() - size.width() * scale) <= 1);
    QVERIFY(qAbs(image.height() - size.height() * scale) <= 1);
    // Some ink where the text was drawn (top left), white elsewhere.
    const QImage gray = image.convertToFormat(QImage::Format_Grayscale8);
    int dark = 0;
    for (int y = 0; y < gray.height() / 4; ++y)
        for (int x = 0; x < gray.width() / 2; ++x)
            dark += gray.constScanLine(y)[x] < 250;
    QVERIFY(dark > 0);
    QCOMPARE(gray.pixelColor(gray.width() - 2, gray.height() - 2), QColor(Qt::white));
}

void PdfRendererTest::outOfRange()
{
    auto renderer = PdfRenderer::openData(makePdf({ { { "x" }, {} } }), QStringLiteral("one.pdf"));
    QVERIFY(renderer.has_value());
    QVERIFY((*renderer)->render(0, 1).isNull());
    QVERIFY((*renderer)->render(2, 1).isNull());
    QVERIFY((*renderer)->render(1, 0).isNull());
    QVERIFY((*renderer)->pageSize(5).isEmpty());
}

void PdfRendererTest::passwords()
{
    const QString path = QStringLiteral(QUIRE_SHARED_DIR "/corpus/pdfs/encrypted/password-example.pdf");
    if (!QFile::exists(path))
        QSKIP("../shared/corpus/pdfs is absent");
    auto locked = PdfRenderer::open(path);
    QVERIFY(!locked.has_value());
    QCOMPARE(locked.error().code, quire::Error::Code::PasswordRequired);
    auto wrong = PdfRenderer::open(path, QStringLiteral("nope"));
    QVERIFY(!wrong.has_value());
    QVERIFY(QString::fromStdString(wrong.error().message).contains(QLatin1String("wrong password")));
    auto opened = PdfRenderer::open(path, QStringLiteral("test"));
    QVERIFY(opened.has_value());
    QVERIFY(!(*opened)->render(1, 0.5).isNull());
}

void PdfRendererTest::notAPdf()
{
    auto r = PdfRenderer::openData("not a pdf at all", QStringLiteral("x.pdf"));
    QVERIFY(!r.has_value());
    QCOMPARE(r.error().code, quire::Error::Code::Corrupt);
    auto missing = PdfRenderer::open(QStringLiteral("/nonexistent/file.pdf"));
    QVERIFY(!missing.has_value());
    QCOMPARE(missing.error().code, quire::Error::Code::Io);
}

QTEST_MAIN(PdfRendererTest)
#include "pdfrenderertest.moc"
