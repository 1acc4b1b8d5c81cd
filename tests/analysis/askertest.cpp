// Questions over a library: the question's query, passages from the bundled samples (Moby-Dick, 三国演义),
// citation mapping, the prompt's token budget, and the stories260K model streaming an answer and stopping.
#include "analysis/asker.h"

#include "analysis/askmodel.h"
#include "analysis/questionquery.h"
#include "analysis/wordbreaker.h"
#include "inference/backend.h"
#include "inference/chattemplate.h"
#include "inference/gguffile.h"
#include "inference/tokenizer.h"
#include "testcorpus.h"

#include <QTest>

using namespace quire;
using namespace quire::analysis;

class AskerTest : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<store::Library> m_library;
    std::int64_t m_moby = 0;
    std::int64_t m_mobyCopy = 0;
    std::int64_t m_sanguo = 0;
    std::int64_t m_contract = 0;

    static QString modelPath() { return QStringLiteral(QUIRE_TEST_DATA "/reference/stories260K.gguf"); }
    static std::vector<Passage> fakePassages(int n);

private Q_SLOTS:
    void initTestCase();
    void query_data();
    void query();
    void matches();
    void retrieval_data();
    void retrieval();
    void passageShape();
    void copiesOnce();
    void noContentWords();
    void noModelAnswerIsPassages();
    void citations_data();
    void citations();
    void promptFitsBudget();
    void modelStreamsAndStops();
    void contextTooSmall();
    void cancelKeepsAnswer();
    void modelSettings();
};

void AskerTest::initTestCase()
{
    auto library = store::Library::openInMemory();
    QVERIFY(library);
    m_library = std::move(*library);
    const QString samples = QStringLiteral(QUIRE_SOURCE_DIR "/resources/samples/");
    const QString moby = testing::readText(samples + QStringLiteral("moby-dick.txt"));
    const QString sanguo = testing::readText(samples + QStringLiteral("sanguoyanyi-1-10.txt"));
    QVERIFY(!moby.isEmpty() && !sanguo.isEmpty());
    m_moby = testing::addDocument(*m_library, QStringLiteral("/samples/moby-dick.txt"), moby, QStringLiteral("en"));
    m_sanguo
        = testing::addDocument(*m_library, QStringLiteral("/samples/sanguoyanyi.txt"), sanguo, QStringLiteral("zh"));
    // The first chapters again, as another document: a copy must not fill the passages twice.
    const qsizetype chapter3
        = moby.indexOf(QStringLiteral("CHAPTER 3. The Spouter-Inn."), moby.indexOf(QStringLiteral("CHAPTER 3")) + 10);
    m_mobyCopy = testing::addDocument(*m_library, QStringLiteral("/copies/moby-start.txt"), moby.left(chapter3));
    m_contract = testing::addDocument(*m_library,
        QStringLiteral("/archive/contract.txt"),
        QStringLiteral("The buyer shall pay the seller in full. The harbour master witnessed the deed.\n\nDelivery "
                       "happens at the harbour in spring. Payment follows delivery within thirty days."));
    QVERIFY(m_moby > 0 && m_sanguo > 0 && m_mobyCopy > 0 && m_contract > 0);
}

void AskerTest::query_data()
{
    QTest::addColumn<QString>("question");
    QTest::addColumn<QStringList>("words");
    QTest::addColumn<QStringList>("contains"); // parts of anyTermQuery()
    QTest::addColumn<QStringList>("lacks");
    QTest::newRow("white whale") << "What is the white whale?" << QStringList { "white", "whale" }
                                 << QStringList { R"("white whale" OR)", R"("whales")", R"("whaling")" }
                                 << QStringList { "*", "NEAR" };
    QTest::newRow("plural and verb") << "Who hunted the whales?" << QStringList { "hunted", "whales" }
                                     << QStringList { R"("hunting")", R"("whale")" }
                                     << QStringList { R"("hunted whales")" }; // not neighbours
    QTest::newRow("short words") << "Tell me about Ahab and the sea" << QStringList { "ahab", "sea" }
                                 << QStringList { R"(("ahab" OR "ahabs"))", R"(("sea" OR "seas"))" }
                                 << QStringList { R"("ahab sea")" };
    QTest::newRow("-ies") << "stories of Nantucket" << QStringList { "stories", "nantucket" }
                          << QStringList { R"(("stories" OR "story"))" } << QStringList {};
    QTest::newRow("accents folded") << "¿Quién es Sancho Panza?" << QStringList { "sancho", "panza" }
                                    << QStringList { R"("sancho panza" OR)" } << QStringList { "quien" };
    QTest::newRow("CJK") << "刘备在哪里？" << QStringList { "刘备" } << QStringList { R"("刘备")" }
                         << QStringList { "哪里" };
    QTest::newRow("only stop words") << "What is it?" << QStringList {} << QStringList {} << QStringList {};
}

void AskerTest::query()
{
    QFETCH(QString, question);
    QFETCH(QStringList, words);
    QFETCH(QStringList, contains);
    QFETCH(QStringList, lacks);
    WordBreaker breaker;
    const QuestionQuery q = QuestionQuery::parse(question, breaker);
    QCOMPARE(q.words(), words);
    QCOMPARE(q.isEmpty(), words.isEmpty());
    const QString any = q.anyTermQuery();
    for (const QString &part : contains)
        QVERIFY2(any.contains(part), qPrintable(any));
    for (const QString &part : lacks)
        QVERIFY2(!any.contains(part), qPrintable(any));
}

void AskerTest::matches()
{
    WordBreaker breaker;
    const QuestionQuery q = QuestionQuery::parse(QStringLiteral("whaling in the white seas"), breaker);
    const QString text = QStringLiteral("The whale's white hump; whalers and Whales whaled. Seashells.");
    QStringList marked;
    for (const auto &[offset, length] : q.matches(text, breaker))
        marked << text.mid(offset, length);
    QCOMPARE(marked, (QStringList { "whale's", "white", "Whales", "whaled" }));
}

void AskerTest::retrieval_data()
{
    QTest::addColumn<QString>("question");
    QTest::addColumn<QString>("document"); // moby, sanguo or contract
    QTest::addColumn<QString>("mustContain");
    QTest::newRow("white whale") << "What do the sailors say about the white whale?"
                                 << "moby"
                                 << "White Whale";
    QTest::newRow("Queequeg's harpoon") << "Where does Queequeg keep his harpoon?"
                                        << "moby"
                                        << "harpoon";
    QTest::newRow("payment") << "When is the payment due after delivery?"
                             << "contract"
                             << "thirty days";
    QTest::newRow("peach garden oath") << "刘备、关羽、张飞在桃园做了什么？"
                                       << "sanguo"
                                       << "桃园";
    QTest::newRow("Dong Zhuo") << "董卓是怎么死的？"
                               << "sanguo"
                               << "董卓";
}

void AskerTest::retrieval()
{
    QFETCH(QString, question);
    QFETCH(QString, document);
    QFETCH(QString, mustContain);
    const std::int64_t expected = document == QLatin1String("moby") ? m_moby
        : document == QLatin1String("sanguo")                       ? m_sanguo
                                                                    : m_contract;
    Asker asker(*m_library);
    auto r = asker.retrieve(question, { .passages = 5 });
    QVERIFY2(r, r ? "" : r.error().message.c_str());
    QVERIFY(!r->passages.empty());
    const Passage &best = r->passages.front();
    const bool sameText = best.documentId == expected || (expected == m_moby && best.documentId == m_mobyCopy);
    QVERIFY2(sameText, qPrintable(best.title + QStringLiteral(": ") + best.text));
    const bool found = std::any_of(r->passages.cbegin(), r->passages.cend(), [&](const Passage &p) {
        return p.text.contains(mustContain, Qt::CaseInsensitive);
    });
    QVERIFY2(found, qPrintable(r->query));
    QVERIFY(!best.highlights.empty());
    QVERIFY(std::is_sorted(r->passages.cbegin(), r->passages.cend(), [](const Passage &a, const Passage &b) {
        return a.score > b.score;
    }));
}

void AskerTest::passageShape()
{
    Asker asker(*m_library);
    auto r = asker.retrieve(QStringLiteral("Who is Captain Ahab?"), { .passages = 6, .neighbours = 1 });
    QVERIFY(r);
    QCOMPARE(int(r->passages.size()), 6);
    for (const Passage &p : r->passages) {
        QVERIFY(!p.sentences.empty());
        QVERIFY(int(p.sentences.size()) <= 6);
        QVERIFY(!p.hitSentenceIds().empty());
        const auto ids = p.sentenceIds();
        QVERIFY(std::find(ids.begin(), ids.end(), p.citedSentenceId) != ids.end());
        for (std::size_t i = 0; i < p.sentences.size(); ++i) {
            const PassageSentence &s = p.sentences[i];
            if (i > 0)
                QCOMPARE(s.id, p.sentences[i - 1].id + 1);
            auto stored = m_library->sentence(s.id);
            QVERIFY(stored && *stored);
            QCOMPARE((*stored)->documentId, p.documentId);
            QCOMPARE(p.text.mid(s.offset, s.end - s.start), (*stored)->text);
        }
        for (const auto &[offset, length] : p.highlights)
            QVERIFY(p.text.mid(offset, length).startsWith(QStringLiteral("ahab"), Qt::CaseInsensitive)
                || p.text.mid(offset, length).startsWith(QStringLiteral("captain"), Qt::CaseInsensitive));
    }
}

void AskerTest::copiesOnce()
{
    Asker asker(*m_library);
    // Loomings, in chapter 1: in both the book and the copy of its first chapters.
    auto r
        = asker.retrieve(QStringLiteral("Why does Ishmael go to sea when it is a damp, drizzly November in his soul?"),
            { .passages = 8 });
    QVERIFY(r);
    QSet<QString> texts;
    for (const Passage &p : r->passages) {
        for (const PassageSentence &s : p.sentences) {
            if (!s.hit)
                continue;
            const QString text = p.text.mid(s.offset, s.end - s.start);
            QVERIFY2(!texts.contains(text), qPrintable(text));
            texts.insert(text);
        }
    }
    QVERIFY(std::any_of(r->passages.cbegin(), r->passages.cend(), [](const Passage &p) {
        return p.text.contains(QStringLiteral("drizzly November"));
    }));
}

void AskerTest::noContentWords()
{
    Asker asker(*m_library);
    auto r = asker.retrieve(QStringLiteral("What is it?"));
    QVERIFY(!r);
    QCOMPARE(r.error().code, Error::Code::Empty);
    auto none = asker.retrieve(QStringLiteral("zyxwvut qqqqqq"));
    QVERIFY(none);
    QVERIFY(none->passages.empty());
}

void AskerTest::noModelAnswerIsPassages()
{
    Asker asker(*m_library);
    int pieces = 0;
    auto r = asker.ask(QStringLiteral("the white whale"), {}, nullptr, [&](const QString &) {
        ++pieces;
        return true;
    });
    QVERIFY(r);
    QVERIFY(!r->modelUsed);
    QVERIFY(r->answer.isEmpty());
    QCOMPARE(pieces, 0);
    QCOMPARE(int(r->retrieval.passages.size()), 8);
}

std::vector<Passage> AskerTest::fakePassages(int n)
{
    std::vector<Passage> out;
    for (int i = 0; i < n; ++i) {
        Passage p;
        p.documentId = 100 + i;
        p.title = QStringLiteral("Doc %1").arg(i + 1);
        p.text = QStringLiteral("Sentence a. Sentence b.");
        p.sentences = { { 1000 + 10 * i, 1, 0, 11, 0, false }, { 1001 + 10 * i, 1, 12, 23, 12, true } };
        p.citedSentenceId = 1001 + 10 * i;
        out.push_back(p);
    }
    return out;
}

void AskerTest::citations_data()
{
    QTest::addColumn<QString>("answer");
    QTest::addColumn<QList<int>>("numbers");
    QTest::addColumn<QStringList>("marks"); // the text each citation covers
    QTest::newRow("brackets") << "Ahab hunts the whale [2]. He is obsessed [1][3]." << QList<int> { 2, 1, 3 }
                              << QStringList { "[2]", "[1]", "[3]" };
    QTest::newRow("list") << "Both say so [1, 3]." << QList<int> { 1, 3 } << QStringList { "1", "3" };
    QTest::newRow("range") << "See [2-4]." << QList<int> { 2, 3, 4 } << QStringList { "2", "4", "4" };
    QTest::newRow("full-width") << "刘备在桃园结义【1】。" << QList<int> { 1 } << QStringList { "【1】" };
    QTest::newRow("out of range") << "Nothing [9] or [0] here [4]." << QList<int> { 4 } << QStringList { "[4]" };
    QTest::newRow("not a citation") << "The array a[i] and [x] stay." << QList<int> {} << QStringList {};
}

void AskerTest::citations()
{
    QFETCH(QString, answer);
    QFETCH(QList<int>, numbers);
    QFETCH(QStringList, marks);
    const std::vector<Passage> passages = fakePassages(5);
    const auto cites = Asker::citations(answer, passages, 4);
    QCOMPARE(int(cites.size()), numbers.size());
    for (std::size_t i = 0; i < cites.size(); ++i) {
        const Citation &c = cites[i];
        QCOMPARE(c.number, numbers[qsizetype(i)]);
        QCOMPARE(answer.mid(c.start, c.length), marks[qsizetype(i)]);
        const Passage &p = passages[std::size_t(c.number - 1)];
        QCOMPARE(c.documentId, p.documentId);
        QCOMPARE(c.sentenceId, p.citedSentenceId);
        QCOMPARE(c.sentenceIds, p.sentenceIds());
    }
}

void AskerTest::promptFitsBudget()
{
    auto gguf = inference::GgufFile::open(modelPath().toStdString());
    QVERIFY(gguf);
    auto tokenizer = inference::Tokenizer::fromGguf(**gguf);
    QVERIFY(tokenizer);
    Asker asker(*m_library);
    auto r = asker.retrieve(QStringLiteral("the white whale"), { .passages = 8 });
    QVERIFY(r && r->passages.size() == 8);
    const inference::ChatTemplate chatml { inference::ChatFamily::ChatML, {}, false };
    const QString question = QStringLiteral("What is the white whale?");
    auto count = [&](const std::string &text) { return int((*tokenizer)->encode(text, true, true).size()); };

    auto all = Asker::buildPrompt(**tokenizer, chatml, question, r->passages, 1 << 20);
    QVERIFY(all);
    QCOMPARE(all->passages, 8);
    QCOMPARE(all->tokens, count(all->text));
    QVERIFY(QString::fromStdString(all->text).contains(QStringLiteral("[8] ")));
    QVERIFY(QString::fromStdString(all->text).contains(QStringLiteral("<|im_start|>system")));

    for (int budget : { all->tokens / 2, all->tokens / 4 }) {
        auto some = Asker::buildPrompt(**tokenizer, chatml, question, r->passages, budget);
        QVERIFY(some);
        QVERIFY(some->tokens <= budget);
        QVERIFY(some->passages >= 1 && some->passages < 8);
        QCOMPARE(some->tokens, count(some->text));
        QVERIFY(!QString::fromStdString(some->text).contains(QStringLiteral("[%1] ").arg(some->passages + 1)));
    }
    auto bare = Asker::buildPrompt(**tokenizer, chatml, question, {}, 1 << 20);
    QVERIFY(bare);
    // Room for the question and a little more: the first passage is cut to fit.
    auto cut = Asker::buildPrompt(**tokenizer, chatml, question, r->passages, bare->tokens + 60);
    QVERIFY(cut);
    QCOMPARE(cut->passages, 1);
    QVERIFY(cut->tokens <= bare->tokens + 60);
    QVERIFY(QString::fromStdString(cut->text).contains(QStringLiteral("…")));
    auto tooSmall = Asker::buildPrompt(**tokenizer, chatml, question, r->passages, 10);
    QVERIFY(!tooSmall);
    QCOMPARE(tooSmall.error().code, Error::Code::TooLarge);
}

void AskerTest::modelStreamsAndStops()
{
    AskModelSettings settings;
    settings.path = modelPath();
    auto model = AskModel::load(settings, inference::createCpuBackend({ 2 }));
    QVERIFY2(model, model ? "" : model.error().message.c_str());
    QCOMPARE((*model)->contextLength(), 2048); // stories260K's own (its metadata; trained with 512)
    Asker asker(*m_library);
    AskOptions options;
    options.maxTokens = 24;
    options.temperature = 0;
    options.retrieval.passages = 4;
    QString streamed;
    int pieces = 0;
    auto r = asker.ask(QStringLiteral("What is the white whale?"), options, model->get(), [&](const QString &piece) {
        streamed += piece;
        ++pieces;
        return true;
    });
    QVERIFY2(r, r ? "" : r.error().message.c_str());
    QVERIFY(r->modelUsed);
    QVERIFY(!r->cancelled);
    QVERIFY(pieces > 0);
    QCOMPARE(r->answer, streamed);
    QVERIFY(r->stats.generatedTokens > 0 && r->stats.generatedTokens <= 24);
    QVERIFY(r->promptPassages >= 1);
    QVERIFY(r->promptTokens + r->stats.generatedTokens <= (*model)->contextLength());
    QVERIFY(r->model.startsWith(QStringLiteral("stories260K.gguf on ")));

    // The same question again: the same greedy answer (the context is reused, not corrupted).
    auto again = asker.ask(QStringLiteral("What is the white whale?"), options, model->get());
    QVERIFY(again);
    QCOMPARE(again->answer, r->answer);
}

void AskerTest::contextTooSmall()
{
    AskModelSettings settings;
    settings.path = modelPath();
    settings.contextLength = 256;
    auto model = AskModel::load(settings, inference::createCpuBackend({ 2 }));
    QVERIFY(model);
    QCOMPARE((*model)->contextLength(), 256);
    Asker asker(*m_library);
    AskOptions options;
    options.maxTokens = 200; // leaves 56 tokens: not even the question and one passage
    auto r = asker.ask(QStringLiteral("What is the white whale?"), options, model->get());
    QVERIFY(r);
    QVERIFY(!r->modelUsed);
    QVERIFY(!r->problem.isEmpty());
    QVERIFY(!r->retrieval.passages.empty()); // the passages are still the answer
}

void AskerTest::cancelKeepsAnswer()
{
    AskModelSettings settings;
    settings.path = modelPath();
    auto model = AskModel::load(settings, inference::createCpuBackend({ 2 }));
    QVERIFY(model);
    Asker asker(*m_library);
    AskOptions options;
    options.maxTokens = 200;
    options.temperature = 0;
    CancelToken cancel;
    QString streamed;
    auto r = asker.ask(
        QStringLiteral("Who is Queequeg?"),
        options,
        model->get(),
        [&](const QString &piece) {
            streamed += piece;
            cancel.cancel();
            return true;
        },
        &cancel);
    QVERIFY(r);
    QVERIFY(r->cancelled);
    QVERIFY(!r->answer.isEmpty());
    QCOMPARE(r->answer, streamed);
    QVERIFY(r->answer.size() < 40);

    CancelToken before;
    before.cancel();
    auto early = asker.ask(QStringLiteral("Who is Queequeg?"), options, model->get(), {}, &before);
    QVERIFY(early);
    QVERIFY(early->cancelled);
    QVERIFY(!early->modelUsed);
    QVERIFY(early->answer.isEmpty());
    QVERIFY(!early->retrieval.passages.empty());
}

void AskerTest::modelSettings()
{
    auto good = AskModelSettings::fromStrings(
        QStringLiteral("/m.gguf"), QStringLiteral("2048"), QStringLiteral("sparse"), QStringLiteral("cpu"));
    QVERIFY(good);
    QCOMPARE(good->contextLength, 2048);
    QCOMPARE(good->attention, inference::AttentionMode::Sparse);
    QCOMPARE(good->device, QStringLiteral("cpu"));
    QVERIFY(!AskModelSettings::fromStrings({}, QStringLiteral("lots"), {}, {}));
    QVERIFY(!AskModelSettings::fromStrings({}, {}, QStringLiteral("fast"), {}));
    QVERIFY(!AskModelSettings::fromStrings({}, {}, {}, QStringLiteral("tpu")));
    auto missing
        = AskModel::load({ .path = QStringLiteral("/nonexistent/model.gguf") }, inference::createCpuBackend({ 1 }));
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, Error::Code::NotFound);
}

QTEST_GUILESS_MAIN(AskerTest)
#include "askertest.moc"
