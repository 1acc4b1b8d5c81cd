#include "ui/summaryview.h"

#include "analysis/analyzer.h"
#include "samplelibrary.h"
#include "store/analysisstore.h"
#include "ui/librarysession.h"
#include "util/cancel.h"
#include "util/progress.h"

#include <QComboBox>
#include <QListWidget>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace quire;
using namespace quire::ui;

class SummaryViewTest : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::shared_ptr<LibrarySession> m_session;
    std::vector<std::int64_t> m_ids;

private Q_SLOTS:
    void initTestCase()
    {
        const QString path = m_dir.filePath(QStringLiteral("s.quire"));
        auto lib = store::Library::open(path, store::Library::OpenMode::CreateIfMissing);
        QVERIFY(lib);
        auto ids = test::buildSmallLibrary(**lib);
        QVERIFY2(ids, ids ? "" : ids.error().message.c_str());
        m_ids = *ids;
        NullProgress progress;
        CancelToken cancel;
        auto analysed = analysis::Analyzer::run(**lib, {}, progress, cancel);
        QVERIFY2(analysed, analysed ? "" : analysed.error().message.c_str());
        auto future = LibrarySession::open(path, false);
        future.waitForFinished();
        QVERIFY(future.result());
        m_session = *future.result();
    }

    // The analysis stores a summary for every chapter that has sentences, each made of its own sentences.
    void analysisStoresSectionSummaries()
    {
        auto lib = store::Library::open(m_dir.filePath(QStringLiteral("s.quire")));
        QVERIFY(lib);
        store::AnalysisStore analysis(**lib);
        auto sections = (*lib)->sections(m_ids.front());
        QVERIFY(sections);
        QCOMPARE(int(sections->size()), 2);
        for (const store::SectionRecord &section : *sections) {
            auto rows = analysis.summary(m_ids.front(), section.id);
            QVERIFY(rows && !rows->empty());
            for (const store::SummaryRow &row : *rows) {
                auto sentence = (*lib)->sentence(row.sentenceId);
                QVERIFY(sentence && *sentence);
                QVERIFY((*sentence)->start >= section.start && (*sentence)->start < section.end);
            }
        }
    }

    void showsDocumentThenSections()
    {
        SummaryView view;
        view.setSession(m_session);
        QSignalSpy loaded(&view, &SummaryView::loaded);
        view.setCurrentDocument(m_ids.front(), QStringLiteral("Contract of Sale"));
        qobject_cast<QComboBox *>(view.findChild<QComboBox *>())->setCurrentIndex(1);
        QTRY_VERIFY(!loaded.isEmpty() && loaded.last().at(0).toInt() > 0);
        QVERIFY(view.list()->count() > 0);
        QTreeWidget *tree = view.sectionTree();
        QCOMPARE(tree->topLevelItemCount(), 2);
        QCOMPARE(tree->topLevelItem(0)->text(0), QStringLiteral("CHAPTER 1. Parties"));
        QCOMPARE(tree->topLevelItem(1)->text(0), QStringLiteral("CHAPTER 2. Terms"));
        QVERIFY(tree->topLevelItem(1)->childCount() > 0);

        // A section's sentence opens its source; a section heading opens nothing.
        QSignalSpy cited(&view, &SummaryView::citationActivated);
        Q_EMIT tree->itemActivated(tree->topLevelItem(1), 0);
        QCOMPARE(cited.count(), 0);
        QTreeWidgetItem *sentence = tree->topLevelItem(1)->child(0);
        Q_EMIT tree->itemActivated(sentence, 0);
        QCOMPARE(cited.count(), 1);
        QCOMPARE(cited.first().at(0).toLongLong(), m_ids.front());
        auto lib = store::Library::open(m_dir.filePath(QStringLiteral("s.quire")));
        auto source = (*lib)->sentence(cited.first().at(1).toLongLong());
        QVERIFY(source && *source);
        QCOMPARE((*source)->text, sentence->text(0));
    }

    void libraryScopeHasNoSections()
    {
        SummaryView view;
        QSignalSpy loaded(&view, &SummaryView::loaded);
        view.setSession(m_session);
        QTRY_VERIFY(!loaded.isEmpty() && loaded.last().at(0).toInt() > 0);
        QCOMPARE(view.sectionTree()->topLevelItemCount(), 0);
        QVERIFY(view.sectionTree()->isHidden());
    }
};

QTEST_MAIN(SummaryViewTest)
#include "summaryviewtest.moc"
