// The constructed-weight recall model: its rotary previous-token pattern keeps a margin at every
// distance, and under dense attention on the CPU backend it solves every RULER-style task exactly.
#include "inference/recallmodel.h"

#include "inference/backend.h"
#include "inference/model.h"
#include "inference/rulertasks.h"

#include <QTemporaryDir>
#include <QTest>

using namespace quire::inference;

Q_DECLARE_METATYPE(quire::inference::RulerTask)

class RecallModelTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Model> m_model;
    std::unique_ptr<Backend> m_backend;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const std::string path = m_dir.filePath(QStringLiteral("recall.gguf")).toStdString();
        RecallModelOptions o;
        o.contextLength = 1 << 18;
        auto info = writeRecallModel(path, o);
        QVERIFY2(info.has_value(), info ? "" : info.error().message.c_str());
        qInfo("previous-token margin %.4f (closest rival at distance %d), %lld parameters",
            info->prevTokenMargin,
            info->worstDistance,
            static_cast<long long>(info->parameters));
        QVERIFY(info->prevTokenMargin > 0.01);
        auto model = Model::load(path);
        QVERIFY2(model.has_value(), model ? "" : model.error().message.c_str());
        m_model = std::move(*model);
        QCOMPARE(m_model->hparams().nHeadKv, 2);
        m_backend = createCpuBackend({ 2 });
    }

    void rejectsBadOptions()
    {
        RecallModelOptions o;
        o.vocab = 200;
        QVERIFY(!writeRecallModel(m_dir.filePath(QStringLiteral("bad.gguf")).toStdString(), o).has_value());
    }

    void denseRecall_data()
    {
        QTest::addColumn<RulerTask>("task");
        QTest::addColumn<int>("length");
        for (RulerTask t : allRulerTasks()) {
            for (int length : { 1024, 2048 })
                QTest::addRow("%s %d", rulerTaskName(t), length) << t << length;
        }
    }
    void denseRecall()
    {
        QFETCH(RulerTask, task);
        QFETCH(int, length);
        ContextConfig cfg;
        cfg.nCtx = length + 16;
        int correct = 0;
        const int trials = length > 2048 ? 2 : 4;
        for (int seed = 1; seed <= trials; ++seed) {
            RulerOptions o;
            o.length = length;
            o.seed = static_cast<std::uint64_t>(seed);
            const RulerSample sample = makeRulerSample(task, o);
            QCOMPARE(static_cast<int>(sample.prompt.size()), length);
            auto ctx = m_backend->createContext(*m_model, cfg);
            QVERIFY(ctx.has_value());
            auto r = runRulerSample(**ctx, sample);
            QVERIFY2(r.has_value(), r ? "" : r.error().message.c_str());
            if (!r->correct)
                qWarning("seed %d: expected %d, got %d", seed, sample.answers.front(), r->predicted.front());
            correct += r->correct ? 1 : 0;
        }
        QCOMPARE(correct, trials);
    }
};

QTEST_GUILESS_MAIN(RecallModelTest)
#include "recallmodeltest.moc"
