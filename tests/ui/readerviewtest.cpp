#include "ui/readerview.h"

#include "samplelibrary.h"
#include "ui/librarysession.h"
#include "ui/pageview.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace quire;
using namespace quire::ui;

class ReaderViewTest : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::shared_ptr<LibrarySession> m_session;
    std::vector<std::int64_t> m_ids; // contract (text), letters (markdown), minutes (pdf)

    std::optional<store::SentenceRecord> sentenceContaining(std::int64_t doc, const QString &needle)
    {
        auto lib = store::Library::open(m_session->path());
        const auto sentences = (*lib)->sentences(doc);
        for (const auto &s : *sentences) {
            if (s.text.contains(needle))
                return s;
        }
        return std::nullopt;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString path = m_dir.filePath(QStringLiteral("r.quire"));
        auto lib = store::Library::open(path, store::Library::OpenMode::CreateIfMissing);
        QVERIFY(lib);
        auto ids = test::buildSmallLibrary(**lib);
        QVERIFY(ids);
        m_ids = *ids;
        auto future = LibrarySession::open(path, false);
        future.waitForFinished();
        QVERIFY(future.result());
        m_session = *future.result();
    }

    void citationHighlights_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("start");
        QTest::addColumn<int>("end");
        QTest::addColumn<QStringList>("terms");
        QTest::addColumn<int>("marks");
        QTest::newRow("sentence only") << QStringLiteral("One two. Three four.") << 9 << 20 << QStringList() << 1;
        QTest::newRow("term inside") << QStringLiteral("One two. Three four.") << 9 << 20
                                     << QStringList { QStringLiteral("four") } << 2;
        QTest::newRow("term outside is not marked")
            << QStringLiteral("One two. Three four.") << 9 << 20 << QStringList { QStringLiteral("two") } << 1;
        QTest::newRow("case-insensitive, repeated")
            << QStringLiteral("Whale, whale, WHALE.") << 0 << 20 << QStringList { QStringLiteral("whale") } << 4;
        QTest::newRow("range clamped") << QStringLiteral("short") << 2 << 99 << QStringList() << 1;
    }

    void citationHighlights()
    {
        QFETCH(QString, text);
        QFETCH(int, start);
        QFETCH(int, end);
        QFETCH(QStringList, terms);
        QFETCH(int, marks);
        const auto h = ui::citationHighlights(text, start, end, terms);
        QCOMPARE(int(h.size()), marks);
        QCOMPARE(h.front().kind, Highlight::Kind::Citation);
        QVERIFY(h.front().end <= text.size());
    }

    void opensTextAtSentenceWithOutline()
    {
        ReaderView reader;
        reader.resize(900, 700);
        reader.show();
        reader.setSession(m_session);
        const auto sentence = sentenceContaining(m_ids[0], QStringLiteral("Delivery"));
        QVERIFY(sentence);
        QSignalSpy shown(&reader, &ReaderView::highlightShown);
        reader.openAt(m_ids[0], sentence->id, { QStringLiteral("harbour") });
        QVERIFY(shown.wait(5000));
        QVERIFY(!reader.isPagedMode());
        QCOMPARE(reader.highlights().front().start, sentence->start);
        QCOMPARE(reader.textView()->extraSelections().size(), 2);
        QCOMPARE(reader.textView()->extraSelections().at(1).cursor.selectedText(), QStringLiteral("harbour"));
        QCOMPARE(reader.textView()->textCursor().position(), sentence->start);
        QCOMPARE(reader.outline()->topLevelItemCount(), 2);
        QCOMPARE(reader.outline()->topLevelItem(1)->text(0), QStringLiteral("CHAPTER 2. Terms"));
    }

    void opensPdfPagedWithHighlightOnWords()
    {
        ReaderView reader;
        reader.resize(900, 700);
        reader.show();
        reader.setSession(m_session);
        const auto sentence = sentenceContaining(m_ids[2], QStringLiteral("treasurer"));
        QVERIFY(sentence);
        QSignalSpy shown(&reader, &ReaderView::highlightShown);
        reader.openAt(m_ids[2], sentence->id, { QStringLiteral("whale") });
        QVERIFY(shown.wait(5000));
        QVERIFY(reader.isPagedMode());
        QVERIFY(!reader.noticeText().isEmpty()); // says honestly that page pictures are missing
        PageView *pages = reader.pageView();
        QCOMPARE(pages->pageCount(), 1);
        QVERIFY(pages->fitWidth());
        QVERIFY(pages->pageRect(0).width() <= pages->viewport()->width());
        const double fitted = pages->zoom();
        reader.zoomInAction()->trigger();
        QVERIFY(pages->zoom() > fitted);
        QVERIFY(!pages->fitWidth());
        reader.fitWidthAction()->trigger();
        QVERIFY(pages->fitWidth());
    }

    void selectsAndCopiesWordsOnPage()
    {
        ReaderView reader;
        reader.resize(900, 700);
        reader.show();
        reader.setSession(m_session);
        QSignalSpy opened(&reader, &ReaderView::documentOpened);
        reader.openDocument(m_ids[2]);
        QVERIFY(opened.wait(5000));
        PageView *pages = reader.pageView();
        const auto doc = reader.document();
        const auto &words = doc->pages.front().words;
        QVERIFY(words.size() > 4);
        const double ppp = pages->pageRect(0).width() / doc->pages.front().width;
        auto centre = [&](const store::WordBox &w) {
            const QRect r = pages->pageRect(0);
            return QPoint(r.left() + int((w.x0 + w.x1) / 2 * ppp), r.top() + int((w.y0 + w.y1) / 2 * ppp));
        };
        QTest::mousePress(pages->viewport(), Qt::LeftButton, {}, centre(words[2]));
        QTest::mouseMove(pages->viewport(), centre(words[4]));
        QMouseEvent move(QEvent::MouseMove,
            centre(words[4]),
            pages->viewport()->mapToGlobal(centre(words[4])),
            Qt::NoButton,
            Qt::LeftButton,
            Qt::NoModifier);
        QApplication::sendEvent(pages->viewport(), &move);
        QTest::mouseRelease(pages->viewport(), Qt::LeftButton, {}, centre(words[4]));
        QVERIFY(pages->hasSelection());
        const QString expected = doc->text.mid(words[2].start, words[4].end - words[2].start);
        QCOMPARE(pages->selectedText(), expected);
        QVERIFY(reader.copyAction()->isEnabled());
        reader.copyAction()->trigger();
        QCOMPARE(QApplication::clipboard()->text(), expected);
    }

    void reportsMissingDocument()
    {
        ReaderView reader;
        reader.setSession(m_session);
        QSignalSpy failed(&reader, &ReaderView::openFailed);
        reader.openDocument(999999);
        QVERIFY(failed.wait(5000));
        QVERIFY(failed.first().at(0).toString().contains(QStringLiteral("no longer")));
    }
};

QTEST_MAIN(ReaderViewTest)
#include "readerviewtest.moc"
