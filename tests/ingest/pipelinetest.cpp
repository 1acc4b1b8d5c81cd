#include "ingest/pipeline.h"

#include "store/library.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace quire;
using namespace quire::ingest;
using store::DocumentStatus;

namespace
{

const QString Paragraph
    = QStringLiteral("The quick brown fox jumps over the lazy dog. Mr. Smith said so in the %1 report. "
                     "It was filed on the %1 day of the month, and nobody read it.\n\n");

void writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(bytes);
}

QByteArray text(const QString &word, int paragraphs = 3)
{
    QString out;
    for (int i = 0; i < paragraphs; ++i)
        out += Paragraph.arg(word + QString::number(i));
    return out.toUtf8();
}

void run(const QString &program, const QStringList &arguments, const QString &dir)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    p.start(program, arguments);
    QVERIFY(p.waitForFinished(30000));
    QVERIFY2(p.exitCode() == 0, qPrintable(program + QLatin1Char(' ') + p.readAllStandardError()));
}

} // namespace

class PipelineTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<store::Library> m_library;

    PipelineReport ingest(const QStringList &paths, PipelineOptions options = {})
    {
        options.paths = paths;
        options.workerProgram = QStringLiteral(QUIRE_BINARY);
        if (options.jobs == 0)
            options.jobs = 2;
        Pipeline pipeline(*m_library, options);
        auto report = pipeline.run();
        if (!report)
            qFatal("pipeline failed: %s", report.error().message.c_str());
        return *report;
    }

    // With QUIRE_INGEST_FAULT set for the workers (see ingestworker.h).
    PipelineReport ingestWithFaults(const QStringList &paths, const QByteArray &faults, const PipelineOptions &options)
    {
        qputenv("QUIRE_INGEST_FAULT", faults);
        const PipelineReport r = ingest(paths, options);
        qunsetenv("QUIRE_INGEST_FAULT");
        return r;
    }

    store::DocumentRecord document(const QString &path)
    {
        auto d = m_library->documentByPath(path);
        if (!d || !*d)
            qFatal("no document %s", qPrintable(path));
        return **d;
    }

    QString path(const QString &name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        QDir(m_dir.path()).removeRecursively();
        QDir().mkpath(m_dir.path());
        auto lib = store::Library::openInMemory();
        QVERIFY(lib);
        m_library = std::move(*lib);
    }

    void ingestsFoldersRecursively()
    {
        writeFile(path("in/a.txt"), text("alpha"));
        writeFile(path("in/sub/b.txt"), text("beta"));
        writeFile(path("in/sub/deeper/c.md"), "# Title\n\n" + text("gamma"));
        writeFile(path("in/.hidden.txt"), text("hidden"));
        const PipelineReport r = ingest({ path("in") });
        QCOMPARE(r.added, 3);
        QCOMPARE(r.failed, 0);
        const auto a = document(path("in/a.txt"));
        QCOMPARE(a.status, DocumentStatus::Ok);
        QCOMPARE(a.contentHash.size(), 64);
        auto sentences = m_library->sentences(a.id);
        QVERIFY(sentences && sentences->size() == 9);
        const QString full = *m_library->documentText(a.id);
        for (const auto &s : *sentences)
            QCOMPARE(full.mid(s.start, s.end - s.start), s.text);
        QVERIFY(!m_library->documentByPath(path("in/.hidden.txt"))->has_value());
        auto hits = m_library->search(QStringLiteral("gamma1"));
        QVERIFY(hits && hits->size() == 2);
    }

    void skipsUnchangedAndReplacesChanged()
    {
        writeFile(path("in/a.txt"), text("alpha"));
        writeFile(path("in/b.txt"), text("beta"));
        ingest({ path("in") });
        const std::int64_t id = document(path("in/b.txt")).id;
        PipelineReport again = ingest({ path("in") });
        QCOMPARE(again.unchanged, 2);
        QCOMPARE(again.added + again.replaced, 0);
        writeFile(path("in/b.txt"), text("delta"));
        again = ingest({ path("in") });
        QCOMPARE(again.unchanged, 1);
        QCOMPARE(again.replaced, 1);
        QCOMPARE(document(path("in/b.txt")).id, id);
        QCOMPARE(m_library->search(QStringLiteral("beta1"))->size(), std::size_t(0));
        QCOMPARE(m_library->search(QStringLiteral("delta1"))->size(), std::size_t(2));
    }

    void expandsNestedArchives()
    {
        writeFile(path("build/inner/b.txt"), text("inner"));
        QDir().mkpath(path("build/outer"));
        QDir().mkpath(path("in"));
        run(QStringLiteral("tar"), { "czf", "../outer/inner.tar.gz", "b.txt" }, path("build/inner"));
        writeFile(path("build/outer/a.txt"), text("outer"));
        run(QStringLiteral("zip"), { "-q", "-r", "../../in/outer.zip", "." }, path("build/outer"));
        const PipelineReport r = ingest({ path("in") });
        QCOMPARE(r.failed, 0);
        const auto zip = document(path("in/outer.zip"));
        QCOMPARE(zip.status, DocumentStatus::Ok);
        const auto tgz = document(path("in/outer.zip!/inner.tar.gz"));
        QCOMPARE(tgz.parentId.value_or(0), zip.id);
        QCOMPARE(tgz.status, DocumentStatus::Ok);
        const QString innerPath = path("in/outer.zip!/inner.tar.gz!/b.txt");
        auto b = m_library->documentByPath(innerPath);
        if (!b || !*b) { // a .tar.gz may come out as a gzip member holding the tar
            auto all = m_library->documents();
            QStringList paths;
            for (const auto &d : *all)
                paths << d.path;
            QFAIL(qPrintable(QStringLiteral("missing %1; have: %2").arg(innerPath, paths.join(QLatin1String(", ")))));
        }
        QCOMPARE((*b)->status, DocumentStatus::Ok);
        QCOMPARE(m_library->search(QStringLiteral("inner1"))->size(), std::size_t(2));
        // Unchanged archives are skipped whole; a changed one drops members that are gone.
        QCOMPARE(ingest({ path("in") }).unchanged, 1);
        QFile::remove(path("in/outer.zip"));
        run(QStringLiteral("zip"), { "-q", "../../in/outer.zip", "a.txt" }, path("build/outer"));
        const PipelineReport changed = ingest({ path("in") });
        QCOMPARE(changed.replaced, 1);
        QVERIFY(!m_library->documentByPath(innerPath)->has_value());
        QCOMPARE(m_library->search(QStringLiteral("inner1"))->size(), std::size_t(0));
    }

    void badFilesEndWithAStatus()
    {
        writeFile(path("in/empty.txt"), {});
        writeFile(path("in/blank.txt"), "   \n\n  \n");
        writeFile(path("in/noise.bin"), QByteArray("\x00\x01\x02\x03\xff\xfe\x00\x00", 8).repeated(64));
        writeFile(path("in/big.txt"), text("big", 50));
        writeFile(path("in/ok.txt"), text("ok"));
        PipelineOptions options;
        options.read.maxBytes = 4096;
        const PipelineReport r = ingest({ path("in"), path("in/missing.txt") }, options);
        QCOMPARE(document(path("in/empty.txt")).status, DocumentStatus::Empty);
        QCOMPARE(document(path("in/blank.txt")).status, DocumentStatus::Empty);
        QCOMPARE(document(path("in/noise.bin")).status, DocumentStatus::Unsupported);
        const auto big = document(path("in/big.txt"));
        QCOMPARE(big.status, DocumentStatus::TooLarge);
        QVERIFY2(big.error.contains(QLatin1String("limit")), qPrintable(big.error));
        QCOMPARE(document(path("in/ok.txt")).status, DocumentStatus::Ok);
        QCOMPARE(r.failed, 5); // four stored with a status, one path that does not exist
        for (const DocumentOutcome &o : r.outcomes) {
            if (o.action == DocumentOutcome::Action::Failed)
                QVERIFY2(!o.reason.isEmpty(), qPrintable(o.path));
        }
    }

    void encryptedPdfsNeedAPassword()
    {
        const QString pdf = QStringLiteral(QUIRE_SHARED_DIR "/corpus/pdfs/encrypted/password-example.pdf");
        if (!QFile::exists(pdf))
            QSKIP("../shared/corpus is absent");
        QVERIFY(QFile::copy(pdf, path("in/locked.pdf"))
            || (QDir().mkpath(path("in")) && QFile::copy(pdf, path("in/locked.pdf"))));
        ingest({ path("in") });
        QCOMPARE(document(path("in/locked.pdf")).status, DocumentStatus::PasswordRequired);
        QCOMPARE(ingest({ path("in") }).unchanged, 1); // no password given: nothing to retry
        PipelineOptions options;
        options.read.password = QStringLiteral("test");
        const PipelineReport r = ingest({ path("in") }, options);
        QCOMPARE(r.replaced, 1);
        QCOMPARE(document(path("in/locked.pdf")).status, DocumentStatus::Ok);
    }

    void crashesAndHangsFailOneFile()
    {
        writeFile(path("in/a.txt"), text("alpha"));
        writeFile(path("in/crash.txt"), text("crash"));
        writeFile(path("in/hang.txt"), text("hang"));
        writeFile(path("in/z.txt"), text("zulu"));
        PipelineOptions options;
        options.timeoutSeconds = 2;
        const PipelineReport r = ingestWithFaults({ path("in") }, "crash:crash.txt,hang:hang.txt", options);
        QCOMPARE(r.added, 2);
        QCOMPARE(r.failed, 2);
        const auto crashed = document(path("in/crash.txt"));
        QCOMPARE(crashed.status, DocumentStatus::Error);
        QVERIFY2(crashed.error.contains(QLatin1String("crashed (signal 11")), qPrintable(crashed.error));
        QCOMPARE(crashed.contentHash.size(), 64);
        const auto hung = document(path("in/hang.txt"));
        QCOMPARE(hung.status, DocumentStatus::Timeout);
        QCOMPARE(hung.error, QStringLiteral("timed out after 2 s"));
        QCOMPARE(document(path("in/z.txt")).status, DocumentStatus::Ok);
        // Failures are retried on the next run (and now succeed).
        const PipelineReport again = ingest({ path("in") });
        QCOMPARE(again.replaced, 2);
        QCOMPARE(again.unchanged, 2);
    }

    void workerMemoryLimit_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::newRow("C++ allocation refused") << "hog";
        QTest::newRow("C library aborts") << "hog-abort";
    }

    void workerMemoryLimit()
    {
        QFETCH(QString, fault);
#if defined(__SANITIZE_ADDRESS__)
        QSKIP("AddressSanitizer builds run workers without an address-space limit");
#endif
        writeFile(path("in/a.txt"), text("alpha"));
        writeFile(path("in/hog.txt"), text("hog"));
        writeFile(path("in/z.txt"), text("zulu"));
        PipelineOptions options;
        options.workerMemoryLimit = 1LL << 30;
        const PipelineReport r
            = ingestWithFaults({ path("in") }, (fault + QStringLiteral(":hog.txt")).toUtf8(), options);
        QCOMPARE(r.added, 2);
        QCOMPARE(r.failed, 1);
        const auto hog = document(path("in/hog.txt"));
        QCOMPARE(hog.status, DocumentStatus::TooLarge);
        QVERIFY2(hog.error.startsWith(QLatin1String("out of memory: hog.txt needs more than the 1.0 GB")),
            qPrintable(hog.error));
        QCOMPARE(hog.contentHash.size(), 64);
        QCOMPARE(document(path("in/a.txt")).status, DocumentStatus::Ok);
        QCOMPARE(document(path("in/z.txt")).status, DocumentStatus::Ok);
    }

    void splitsALargePdfAcrossWorkers()
    {
        // Read by two workers, one page range each, the book is stored as one worker reads it.
        const QString pdf = QDir::cleanPath(QStringLiteral(QUIRE_SHARED_DIR "/corpus/pdfs/text/freeculture.pdf"));
        if (!QFile::exists(pdf))
            QSKIP("../shared/corpus is absent");
        PipelineOptions options;
        options.read.ocr = false;
        options.jobs = 1;
        ingest({ pdf }, options);
        const auto single = document(pdf);
        const QString singleText = *m_library->documentText(single.id);
        const auto singlePages = *m_library->pages(single.id, true);
        const auto singleSentences = *m_library->sentences(single.id);
        const auto singleSections = *m_library->sections(single.id);
        auto lib = store::Library::openInMemory();
        QVERIFY(lib);
        m_library = std::move(*lib);
        options.jobs = 2;
        const PipelineReport r = ingest({ pdf }, options);
        QCOMPARE(r.added, 1);
        QCOMPARE(r.pages, 352);
        const auto split = document(pdf);
        QCOMPARE(split.status, DocumentStatus::Ok);
        QCOMPARE(split.pageCount, 352);
        QCOMPARE(split.title, single.title);
        QCOMPARE(split.metadata, single.metadata);
        // A hyphen at a line end is kept when the document writes the word with one elsewhere: each worker
        // knows its own pages only, so "special-interest" may lose its hyphen (once in this book).
        const QString text = *m_library->documentText(split.id);
        const auto unhyphenated = [](QString s) { return s.remove(QLatin1Char('-')); };
        QCOMPARE(unhyphenated(text), unhyphenated(singleText));
        const int shift = 4; // characters that offsets may move by: a few hyphens kept or dropped before them
        const auto pages = *m_library->pages(split.id, true);
        QCOMPARE(pages.size(), singlePages.size());
        for (size_t i = 0; i < pages.size(); ++i) {
            QVERIFY(std::abs(pages[i].start - singlePages[i].start) <= shift);
            QCOMPARE(pages[i].words.size(), singlePages[i].words.size());
        }
        const auto sentences = *m_library->sentences(split.id);
        QCOMPARE(sentences.size(), singleSentences.size());
        for (size_t i = 0; i < sentences.size(); ++i) {
            QCOMPARE(sentences[i].page, singleSentences[i].page);
            QCOMPARE(unhyphenated(sentences[i].text), unhyphenated(singleSentences[i].text));
        }
        const auto sections = *m_library->sections(split.id);
        QCOMPARE(sections.size(), singleSections.size());
        for (size_t i = 0; i < sections.size(); ++i) {
            QCOMPARE(sections[i].title, singleSections[i].title);
            QVERIFY(std::abs(sections[i].start - singleSections[i].start) <= shift);
            QVERIFY(std::abs(sections[i].end - singleSections[i].end) <= shift);
        }
    }

    void marksDuplicatesAndNearDuplicates()
    {
        writeFile(path("in/b-copy.txt"), text("same", 6));
        writeFile(path("in/a-orig.txt"), text("same", 6));
        QByteArray near = text("same", 6);
        near.replace("nobody read it", "somebody read it");
        writeFile(path("in/c-near.txt"), near);
        writeFile(path("in/d-other.txt"), text("other", 6).replace("fox", "cat").replace("report", "memo"));
        const PipelineReport r = ingest({ path("in") });
        QCOMPARE(r.dedupe.exactDuplicates, 1);
        const auto original = document(path("in/a-orig.txt"));
        const auto copy = document(path("in/b-copy.txt"));
        QCOMPARE(original.status, DocumentStatus::Ok);
        QCOMPARE(copy.status, DocumentStatus::Duplicate);
        QCOMPARE(copy.duplicateOf.value_or(0), original.id);
        const auto nearDoc = document(path("in/c-near.txt"));
        QVERIFY(original.nearDuplicateGroup.has_value());
        QCOMPARE(nearDoc.nearDuplicateGroup, original.nearDuplicateGroup);
        QVERIFY(document(path("in/d-other.txt")).nearDuplicateGroup != original.nearDuplicateGroup);
        // The original going away promotes the copy.
        QFile::remove(path("in/a-orig.txt"));
        writeFile(path("in/a-orig.txt"), text("changed", 6));
        ingest({ path("in") });
        QCOMPARE(document(path("in/b-copy.txt")).status, DocumentStatus::Ok);
        QVERIFY(!document(path("in/b-copy.txt")).duplicateOf.has_value());
    }

    void groupsMailIntoThreads()
    {
        const QString eml = QStringLiteral(QUIRE_SHARED_DIR "/corpus/email/eml");
        if (!QDir(eml).exists())
            QSKIP("../shared/corpus is absent");
        writeFile(path("in/1.eml"), "Message-ID: <root@x>\nSubject: Budget\nFrom: a@x\n\nThe budget is attached.\n");
        writeFile(path("in/2.eml"),
            "Message-ID: <r1@x>\nIn-Reply-To: <root@x>\nSubject: Re: Budget\nFrom: b@x\n\nLooks fine to me.\n");
        writeFile(path("in/3.eml"),
            "Message-ID: <r2@x>\nReferences: <root@x> <r1@x>\nSubject: Re: Budget\nFrom: a@x\n\nThanks both.\n");
        writeFile(path("in/4.eml"), "Message-ID: <other@x>\nSubject: Lunch\nFrom: c@x\n\nLunch at noon?\n");
        const PipelineReport r = ingest({ path("in"), eml });
        QVERIFY(r.dedupe.mailThreads >= 1);
        const QString thread = document(path("in/1.eml")).threadId;
        QVERIFY(!thread.isEmpty());
        QCOMPARE(document(path("in/2.eml")).threadId, thread);
        QCOMPARE(document(path("in/3.eml")).threadId, thread);
        QVERIFY(document(path("in/4.eml")).threadId != thread);
    }

    void cancelStopsBeforeStarting()
    {
        writeFile(path("in/a.txt"), text("alpha"));
        CancelToken token;
        token.cancel();
        PipelineOptions options;
        options.paths = { path("in") };
        options.workerProgram = QStringLiteral(QUIRE_BINARY);
        Pipeline pipeline(*m_library, options);
        pipeline.setCancelToken(&token);
        auto report = pipeline.run();
        QVERIFY(report);
        QVERIFY(report->cancelled);
        QCOMPARE(report->documents, 0);
    }
};

QTEST_GUILESS_MAIN(PipelineTest)
#include "pipelinetest.moc"
