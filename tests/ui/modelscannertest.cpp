#include "ui/modelscanner.h"

#include "modeltestfiles.h"
#include "util/cancel.h"

#include <QTemporaryDir>
#include <QTest>

using namespace quire;
using namespace quire::ui;

namespace
{

const QString Digest = QStringLiteral("4f2d6a0c9a1b7d3e5f60718293a4b5c6d7e8f90112233445566778899aabbcc0");

QByteArray manifest(const QString &modelDigest)
{
    return QStringLiteral(R"({"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
        "config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"sha256:00","size":1},
        "layers":[{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:%1","size":1},
                  {"mediaType":"application/vnd.ollama.image.license","digest":"sha256:11","size":1}]})")
        .arg(modelDigest)
        .toUtf8();
}

const ModelEntry *find(const std::vector<ModelEntry> &entries, const QString &displayName)
{
    for (const ModelEntry &e : entries) {
        if (e.displayName == displayName)
            return &e;
    }
    return nullptr;
}

} // namespace

class ModelScannerTest : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_home;

    QString home(const QString &relative) const { return m_home.filePath(relative); }

private Q_SLOTS:
    // A home folder as Hugging Face, LM Studio and Ollama leave it, with a few traps.
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        const QString hub = home(QStringLiteral(".cache/huggingface/hub/models--TheOrg--Tiny-GGUF"));
        QVERIFY(test::writeModel(hub + QStringLiteral("/blobs/aaaa"), QStringLiteral("Tiny HF"), 8192));
        for (const char *revision : { "rev1", "rev2" }) { // two snapshots of the same blob: listed once
            const QString snapshot = hub + QStringLiteral("/snapshots/") + QLatin1String(revision);
            QVERIFY(QDir().mkpath(snapshot));
            QVERIFY(QFile::link(QStringLiteral("../../blobs/aaaa"), snapshot + QStringLiteral("/tiny.Q8_0.gguf")));
        }
        QVERIFY(test::writeText(hub + QStringLiteral("/snapshots/rev1/README.md"), "not a model"));

        const QString studio = home(QStringLiteral(".lmstudio/models/pub/repo"));
        QVERIFY(test::writeModel(studio + QStringLiteral("/model.gguf"), QStringLiteral("Studio Model"), 32768));
        QVERIFY(test::writeModel(studio + QStringLiteral("/big-00001-of-00002.gguf"), QStringLiteral("Split"), 0));
        QVERIFY(test::writeModel(studio + QStringLiteral("/big-00002-of-00002.gguf"), QStringLiteral("Split 2"), 0));
        QVERIFY(test::writeTruncated(
            studio + QStringLiteral("/model.gguf"), studio + QStringLiteral("/truncated.gguf"), 100));

        const QString ollama = home(QStringLiteral(".ollama/models"));
        QVERIFY(test::writeModel(ollama + QStringLiteral("/blobs/sha256-") + Digest, QStringLiteral("Ollama Tiny")));
        const QString manifests = ollama + QStringLiteral("/manifests/registry.ollama.ai/library");
        QVERIFY(test::writeText(manifests + QStringLiteral("/tiny/latest"), manifest(Digest)));
        QVERIFY(test::writeText(manifests + QStringLiteral("/gone/7b"), manifest(QStringLiteral("ffff"))));
        QVERIFY(test::writeText(manifests + QStringLiteral("/broken/1b"), "{ not json"));
    }

    void defaultLocations_data()
    {
        QTest::addColumn<QString>("variable");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expectedHub"); // relative to the home folder when not absolute
        QTest::newRow("home") << QString() << QString() << QStringLiteral(".cache/huggingface/hub");
        QTest::newRow("HF_HOME") << QStringLiteral("HF_HOME") << home(QStringLiteral(".cache/huggingface"))
                                 << QStringLiteral(".cache/huggingface/hub");
        QTest::newRow("HF_HUB_CACHE") << QStringLiteral("HF_HUB_CACHE")
                                      << home(QStringLiteral(".cache/huggingface/hub"))
                                      << QStringLiteral(".cache/huggingface/hub");
        QTest::newRow("missing HF_HOME") << QStringLiteral("HF_HOME") << home(QStringLiteral("nowhere")) << QString();
    }
    void defaultLocations()
    {
        QFETCH(QString, variable);
        QFETCH(QString, value);
        QFETCH(QString, expectedHub);
        QProcessEnvironment env;
        if (!variable.isEmpty())
            env.insert(variable, value);
        const QList<ModelLocation> found = ModelScanner::defaultLocations(m_home.path(), env, false);
        QStringList paths;
        for (const ModelLocation &l : found)
            paths << QDir(m_home.path()).relativeFilePath(l.path);
        QStringList expected { QStringLiteral(".lmstudio/models"), QStringLiteral(".ollama/models") };
        if (!expectedHub.isEmpty())
            expected.prepend(expectedHub);
        QCOMPARE(paths, expected);
    }

    void findsModelsInEveryLayout()
    {
        const auto locations = ModelScanner::defaultLocations(m_home.path(), QProcessEnvironment(), false);
        const std::vector<ModelEntry> entries = ModelScanner::scan(locations);
        QStringList names;
        for (const ModelEntry &e : entries)
            names << e.displayName;
        QCOMPARE(entries.size(), 7u);

        const ModelEntry *hf = find(entries, QStringLiteral("TheOrg/Tiny-GGUF · tiny.Q8_0.gguf"));
        QVERIFY2(hf, qPrintable(names.join(QStringLiteral(", "))));
        QVERIFY2(hf->isUsable(), qPrintable(hf->error));
        QCOMPARE(hf->source, QStringLiteral("Hugging Face"));
        QCOMPARE(hf->architecture, QStringLiteral("llama"));
        QCOMPARE(hf->name, QStringLiteral("Tiny HF"));
        QCOMPARE(hf->contextLength, qint64(8192));
        QCOMPARE(hf->quantisation, QStringLiteral("Q8_0"));
        QCOMPARE(hf->parameters, qint64(32));
        QCOMPARE(hf->typeMix, QStringLiteral("f32 100%"));
        QVERIFY(hf->fileBytes > 128);

        const ModelEntry *studio = find(entries, QStringLiteral("pub/repo/model.gguf"));
        QVERIFY(studio && studio->isUsable());
        QCOMPARE(studio->source, QStringLiteral("LM Studio"));
        QCOMPARE(studio->contextLength, qint64(32768));
        const ModelEntry *split = find(entries, QStringLiteral("pub/repo/big-00001-of-00002.gguf"));
        QVERIFY(split && split->isUsable());
        QCOMPARE(split->contextLength, qint64(0)); // not stated in the file
        QVERIFY(!find(entries, QStringLiteral("pub/repo/big-00002-of-00002.gguf")));
    }

    void namesOllamaBlobsFromManifests()
    {
        const std::vector<ModelEntry> entries
            = ModelScanner::scan({ { m_home.filePath(QStringLiteral(".ollama/models")),
                ModelLocation::Layout::Ollama,
                QStringLiteral("Ollama") } });
        QCOMPARE(entries.size(), 3u);
        const ModelEntry *tiny = find(entries, QStringLiteral("library/tiny:latest"));
        QVERIFY(tiny);
        QVERIFY2(tiny->isUsable(), qPrintable(tiny->error));
        QVERIFY(tiny->path.endsWith(QStringLiteral("/blobs/sha256-") + Digest));
        QCOMPARE(tiny->name, QStringLiteral("Ollama Tiny"));
        const ModelEntry *gone = find(entries, QStringLiteral("library/gone:7b"));
        QVERIFY(gone && !gone->isUsable());
        QVERIFY2(gone->error.contains(QStringLiteral("missing")), qPrintable(gone->error));
        const ModelEntry *broken = find(entries, QStringLiteral("library/broken:1b"));
        QVERIFY(broken && !broken->isUsable());
        QVERIFY2(broken->error.contains(QStringLiteral("JSON")), qPrintable(broken->error));
    }

    void reportsBrokenFiles()
    {
        const QString truncated = home(QStringLiteral(".lmstudio/models/pub/repo/truncated.gguf"));
        const ModelEntry e = ModelScanner::describe(truncated, {}, QStringLiteral("test"));
        QVERIFY(!e.isUsable());
        QVERIFY(!e.error.isEmpty());
        QCOMPARE(e.displayName, QStringLiteral("truncated.gguf"));
        QCOMPARE(e.fileBytes, qint64(100));
        const ModelEntry notGguf = ModelScanner::describe(
            home(QStringLiteral(".cache/huggingface/hub/models--TheOrg--Tiny-GGUF/snapshots/rev1/README.md")), {}, {});
        QVERIFY(!notGguf.isUsable());
    }

    void addedFiles()
    {
        const QString model = home(QStringLiteral(".lmstudio/models/pub/repo/model.gguf"));
        const QString missing = home(QStringLiteral("deleted.gguf"));
        const std::vector<ModelEntry> entries = ModelScanner::scan({}, { model, missing, model });
        QCOMPARE(entries.size(), 2u); // the same file twice is listed once
        QVERIFY(entries[0].isUsable());
        QCOMPARE(entries[0].source, QStringLiteral("Added file"));
        QVERIFY(!entries[1].isUsable());
        QVERIFY(entries[1].error.contains(QStringLiteral("gone")));
    }

    void stopsWhenCancelled()
    {
        CancelToken cancel;
        cancel.cancel();
        const auto locations = ModelScanner::defaultLocations(m_home.path(), QProcessEnvironment(), false);
        QVERIFY(ModelScanner::scan(locations, {}, &cancel).empty());
    }
};

QTEST_GUILESS_MAIN(ModelScannerTest)
#include "modelscannertest.moc"
