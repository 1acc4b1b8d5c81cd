#include "ui/documentmodel.h"

#include "samplelibrary.h"
#include "ui/documentfiltermodel.h"
#include "ui/librarysession.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace quire;
using namespace quire::ui;
using F = DocumentFilterModel::StatusFilter;

class DocumentModelTest : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::shared_ptr<LibrarySession> m_session;

    bool load(DocumentModel &model)
    {
        QSignalSpy loaded(&model, &DocumentModel::loaded);
        connect(&model, &DocumentModel::loadFailed, this, [](const QString &m) { qWarning() << m; });
        model.setSession(m_session);
        return loaded.count() > 0 || loaded.wait(5000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString path = m_dir.filePath(QStringLiteral("m.quire"));
        auto lib = store::Library::open(path, store::Library::OpenMode::CreateIfMissing);
        QVERIFY(lib);
        QVERIFY(test::buildSmallLibrary(**lib));
        auto future = LibrarySession::open(path, false);
        future.waitForFinished();
        auto session = future.result();
        QVERIFY(session);
        m_session = *session;
    }

    void listsDocumentsWithStatusReasonAndDuplicates()
    {
        DocumentModel model;
        QVERIFY(load(model));
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.columnCount(), int(DocumentModel::ColumnCount));
        QCOMPARE(
            model.types(), (QStringList { QStringLiteral("markdown"), QStringLiteral("pdf"), QStringLiteral("text") }));
        bool sawPassword = false, sawDuplicate = false;
        for (int row = 0; row < model.rowCount(); ++row) {
            const QString status = model.index(row, DocumentModel::Status).data().toString();
            if (status.startsWith(QStringLiteral("Needs password"))) {
                sawPassword = true;
                QVERIFY(status.contains(QStringLiteral("password required")));
            }
            if (model.index(row, 0).data(DocumentModel::IsDuplicateRole).toBool()) {
                sawDuplicate = true;
                QVERIFY(model.index(row, 0).data(Qt::ToolTipRole).toString().contains(QStringLiteral("Same content")));
            }
        }
        QVERIFY(sawPassword);
        QVERIFY(sawDuplicate);
        const int pdfRow = model.rowOfDocument(model.record(0)->id);
        QCOMPARE(pdfRow, 0);
    }

    void filters_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("type");
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("rows");
        QTest::newRow("everything") << QString() << QString() << int(F::All) << 5;
        QTest::newRow("title text") << QStringLiteral("minutes") << QString() << int(F::All) << 1;
        QTest::newRow("path text, any case") << QStringLiteral("ARCHIVE/LET") << QString() << int(F::All) << 1;
        QTest::newRow("type") << QString() << QStringLiteral("pdf") << int(F::All) << 2;
        QTest::newRow("ready") << QString() << QString() << int(F::Ready) << 3;
        QTest::newRow("problems") << QString() << QString() << int(F::Problems) << 1;
        QTest::newRow("duplicates") << QString() << QString() << int(F::Duplicates) << 1;
        QTest::newRow("type and status") << QString() << QStringLiteral("pdf") << int(F::Ready) << 1;
        QTest::newRow("no match") << QStringLiteral("zzz") << QString() << int(F::All) << 0;
    }

    void filters()
    {
        QFETCH(QString, text);
        QFETCH(QString, type);
        QFETCH(int, status);
        QFETCH(int, rows);
        DocumentModel model;
        QVERIFY(load(model));
        DocumentFilterModel filter;
        filter.setSourceModel(&model);
        filter.setText(text);
        filter.setType(type);
        filter.setStatusFilter(F(status));
        QCOMPARE(filter.rowCount(), rows);
    }

    void sortsNumbersAsNumbers()
    {
        DocumentModel model;
        QVERIFY(load(model));
        DocumentFilterModel filter;
        filter.setSourceModel(&model);
        filter.sort(DocumentModel::Size, Qt::AscendingOrder);
        qint64 previous = -1;
        for (int row = 0; row < filter.rowCount(); ++row) {
            const qint64 size = filter.index(row, DocumentModel::Size).data(DocumentModel::SortRole).toLongLong();
            QVERIFY(size >= previous);
            previous = size;
        }
    }

    void pendingRowsUntilIngested()
    {
        DocumentModel model;
        QVERIFY(load(model));
        model.addPending(
            { QStringLiteral("/new/a.pdf"), QStringLiteral("/new/b.txt"), QStringLiteral("/archive/letters.md") },
            QStringLiteral("waiting"));
        QCOMPARE(model.pendingCount(), 2); // letters.md is already in the library
        QCOMPARE(model.rowCount(), 7);
        const QModelIndex pending = model.index(5, DocumentModel::Status);
        QVERIFY(pending.data(DocumentModel::IsPendingRole).toBool());
        QCOMPARE(pending.data().toString(), QStringLiteral("Pending — waiting"));
        DocumentFilterModel filter;
        filter.setSourceModel(&model);
        filter.setStatusFilter(F::Pending);
        QCOMPARE(filter.rowCount(), 2);
    }

    void staleLoadsAreDropped()
    {
        DocumentModel model;
        QSignalSpy loaded(&model, &DocumentModel::loaded);
        model.setSession(m_session);
        model.setSession(nullptr);
        QTest::qWait(300);
        QCOMPARE(loaded.count(), 0);
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(DocumentModelTest)
#include "documentmodeltest.moc"
