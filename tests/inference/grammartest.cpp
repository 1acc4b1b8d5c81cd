#include "inference/grammar.h"

#include "inference/gguffile.h"
#include "inference/jsonschema.h"
#include "inference/sampler.h"
#include "inference/tokenizer.h"

#include <QFile>
#include <QTest>
#include <nlohmann/json.hpp>
#include <random>

using namespace quire::inference;
using json = nlohmann::json;

namespace
{

// A toy vocabulary: every single byte (so any text can be spelled), multi-character pieces that cross
// JSON token boundaries, UTF-8 characters whole and split, and words used by the schemas below.
std::shared_ptr<const GrammarVocabulary> toyVocabulary(std::int32_t *eog)
{
    std::vector<std::string> pieces;
    for (int b = 0; b < 256; ++b)
        pieces.emplace_back(1, char(b));
    for (const char *p : { "{\"",
             "\":",
             "\": ",
             ", ",
             ",\"",
             "\"}",
             "\"]",
             "}]",
             "}}",
             "]}",
             "\"\"",
             "[\"",
             "[{",
             "true",
             "false",
             "null",
             "tr",
             "ue",
             "nu",
             "ll",
             "fa",
             "lse",
             "12",
             "3.",
             "0.5",
             "e+",
             "E-",
             "-1",
             "00",
             "\\n",
             "\\\"",
             "\\u00",
             "\\uD8",
             "41",
             "e9",
             "é",
             "日本",
             "\xC3",
             "\xA9",
             "\xE6\x97",
             "name",
             "age",
             "tags",
             "id",
             "kind",
             "items",
             "\"name\"",
             "person",
             "city",
             "  ",
             "\n",
             "\n  ",
             "hello",
             " world",
             "ok",
             "a\"",
             "x\",",
             "\"\xF0\x9F",
             "\x98\x80" })
        pieces.emplace_back(p);
    pieces.emplace_back(); // a special token with no text
    *eog = std::int32_t(pieces.size());
    pieces.emplace_back(); // end of generation
    return std::make_shared<GrammarVocabulary>(pieces, std::vector<std::int32_t> { *eog });
}

// Generates under the grammar with random logits standing in for a model, through Sampler (which owns the
// grammar). Returns the text, or nothing when the token budget ran out.
std::optional<std::string> randomWalk(const std::string &gbnf,
    std::shared_ptr<const GrammarVocabulary> vocabulary,
    std::int32_t eog,
    std::uint64_t seed,
    int budget)
{
    SamplerSettings settings;
    settings.temperature = 1.0f;
    settings.topK = 0;
    settings.topP = 1.0f;
    settings.minP = 0.0f;
    settings.seed = seed;
    Sampler sampler(settings);
    auto grammar = Grammar::create(gbnf, vocabulary);
    if (!grammar)
        return std::nullopt;
    sampler.setGrammar(std::move(*grammar));
    std::mt19937_64 rng(seed * 7919 + 1);
    std::normal_distribution<float> normal(0.0f, 2.0f);
    std::vector<float> logits(vocabulary->size());
    std::string text;
    for (int step = 0; step < budget; ++step) {
        for (float &l : logits)
            l = normal(rng);
        logits[std::size_t(eog)] += 2.0f; // a model that likes to stop when it may
        const std::int32_t token = sampler.sample(logits);
        if (token < 0 || !sampler.grammar()->isAllowed(token))
            return std::nullopt;
        sampler.accept(token);
        if (sampler.grammar()->isFinished())
            return text;
        text += vocabulary->piece(token);
    }
    return std::nullopt;
}

std::size_t codePoints(const std::string &s)
{
    std::size_t n = 0;
    for (unsigned char c : s)
        n += (c & 0xC0) != 0x80;
    return n;
}

bool matches(const json &v, const json &schema, const json &root);

bool matchesType(const json &v, const std::string &type)
{
    if (type == "object")
        return v.is_object();
    if (type == "array")
        return v.is_array();
    if (type == "string")
        return v.is_string();
    if (type == "integer")
        return v.is_number_integer();
    if (type == "number")
        return v.is_number();
    if (type == "boolean")
        return v.is_boolean();
    return type == "null" && v.is_null();
}

bool matchesObject(const json &v, const json &schema, const json &root)
{
    const json properties = schema.value("properties", json::object());
    for (const auto &name : schema.value("required", json::array()))
        if (!v.contains(name.get<std::string>()))
            return false;
    for (auto it = v.begin(); it != v.end(); ++it) {
        if (!properties.empty() && !properties.contains(it.key()))
            return false;
        if (properties.contains(it.key()) && !matches(it.value(), properties[it.key()], root))
            return false;
    }
    return true;
}

bool matches(const json &v, const json &schema, const json &root)
{
    if (schema.is_boolean())
        return schema.get<bool>();
    if (schema.contains("$ref"))
        return matches(v, root.at(json::json_pointer(schema["$ref"].get<std::string>().substr(1))), root);
    if (schema.contains("const"))
        return v == schema["const"];
    if (schema.contains("enum"))
        return std::find(schema["enum"].begin(), schema["enum"].end(), v) != schema["enum"].end();
    for (const char *key : { "anyOf", "oneOf" }) {
        if (schema.contains(key))
            return std::any_of(
                schema[key].begin(), schema[key].end(), [&](const json &s) { return matches(v, s, root); });
    }
    if (schema.contains("type")) {
        const json types = schema["type"].is_array() ? schema["type"] : json::array({ schema["type"] });
        if (std::none_of(types.begin(), types.end(), [&](const json &t) { return matchesType(v, t); }))
            return false;
    }
    if (v.is_object())
        return matchesObject(v, schema, root);
    if (v.is_array()) {
        if (v.size() < schema.value("minItems", 0u) || v.size() > schema.value("maxItems", 1u << 30))
            return false;
        return std::all_of(
            v.begin(), v.end(), [&](const json &e) { return matches(e, schema.value("items", json(true)), root); });
    }
    if (v.is_number()) {
        const double x = v.get<double>();
        return x >= schema.value("minimum", -1e300) && x <= schema.value("maximum", 1e300)
            && x > schema.value("exclusiveMinimum", -1e300) && x < schema.value("exclusiveMaximum", 1e300);
    }
    if (v.is_string()) {
        const std::size_t n = codePoints(v.get<std::string>());
        return n >= schema.value("minLength", 0u) && n <= schema.value("maxLength", 1u << 30);
    }
    return true;
}

} // namespace

class GrammarTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parseErrors_data();
    void parseErrors();
    void matching_data();
    void matching();
    void maskAndEndOfGeneration();
    void utf8AcrossTokens();
    void deepNestingCompactsCaches();
    void maskMatchesPerTokenCheck();
    void schemaAcceptance_data();
    void schemaAcceptance();
    void integerRanges_data();
    void integerRanges();
    void schemaErrors_data();
    void schemaErrors();
    void schemaRandomWalk_data();
    void schemaRandomWalk();
    void genericJsonRandomWalk();
    void realVocabulary();
};

void GrammarTest::parseErrors_data()
{
    QTest::addColumn<QString>("gbnf");
    QTest::addColumn<QString>("message");
    QTest::newRow("no root") << "item ::= \"a\"\n"
                             << "line 2, column 1: the grammar has no `root` rule";
    QTest::newRow("undefined") << "root ::= item\n"
                               << "line 1, column 10: rule 'item' is used but never defined";
    QTest::newRow("twice") << "root ::= \"a\"\nroot ::= \"b\"\n"
                           << "line 2, column 1: rule 'root' is defined twice";
    QTest::newRow("left recursion") << "root ::= x\nx ::= \"a\"? x \"b\"\n"
                                    << "rule 'x' is left-recursive";
    QTest::newRow("unterminated literal") << "root ::= \"abc\n"
                                          << "unterminated string literal";
    QTest::newRow("unterminated class") << "root ::= [a-z\n"
                                        << "line 1, column 10: unterminated character class";
    QTest::newRow("backwards range") << "root ::= [z-a]\n"
                                     << "character range is backwards";
    QTest::newRow("bad escape") << "root ::= \"\\q\"\n"
                                << "line 1, column 11: unknown escape '\\q'";
    QTest::newRow("short hex") << "root ::= \"\\x4\"\n"
                               << "expected 2 hex digits after '\\x'";
    QTest::newRow("repeat nothing") << "root ::= * \"a\"\n"
                                    << "'*' does not follow anything to repeat";
    QTest::newRow("braces") << "root ::= \"a\"{3,1}\n"
                            << "repetition '{m,n}' has n < m";
    QTest::newRow("no ::=") << "root = \"a\"\n"
                            << "line 1, column 6: expected '::=' after rule name 'root'";
    QTest::newRow("unclosed group") << "root ::= (\"a\" | \"b\"\n"
                                    << "expected ')'";
    QTest::newRow("deep nesting") << "root ::= " + QString(300, QLatin1Char('(')) + "\"a\""
            + QString(300, QLatin1Char(')'))
                                  << "groups are nested more than 256 deep";
    QTest::newRow("huge repetition") << "root ::= " + QStringLiteral("\"abcdefgh\"{10000} ").repeated(60) + "\n"
                                     << "repetitions make the grammar too large";
    QTest::newRow("stray") << "root ::= \"a\" )\n"
                           << "unexpected ')' in rule 'root'";
}

void GrammarTest::parseErrors()
{
    QFETCH(QString, gbnf);
    QFETCH(QString, message);
    auto grammar = Grammar::create(gbnf.toStdString(), nullptr);
    QVERIFY(!grammar);
    QVERIFY2(QString::fromStdString(grammar.error().message).contains(message), grammar.error().message.c_str());
    QVERIFY(!validateGrammar(gbnf.toStdString()));
}

void GrammarTest::matching_data()
{
    QTest::addColumn<QString>("gbnf");
    QTest::addColumn<QString>("input");
    QTest::addColumn<bool>("accepted"); // every byte accepted
    QTest::addColumn<bool>("complete");
    const QString seq = "root ::= \"a\" [b-d]+ (\"x\" | \"yz\")? \"é\"{1,2}  # comment\n";
    QTest::newRow("seq min") << seq << "abé" << true << true;
    QTest::newRow("seq max") << seq << "abbdxéé" << true << true;
    QTest::newRow("seq prefix") << seq << "abcy" << true << false;
    QTest::newRow("seq too many") << seq << "abééé" << false << false;
    QTest::newRow("seq missing") << seq << "aé" << false << false;
    const QString neg = "root ::= [^a-c\\n]* \"!\"\n";
    QTest::newRow("negated ok") << neg << "xyz日本!" << true << true;
    QTest::newRow("negated hit") << neg << "xyb" << false << false;
    QTest::newRow("negated newline") << neg << "x\n" << false << false;
    const QString esc = "root ::= \"\\x41\\u00e9\\U0001F600\\t\" [\\]\\-\\\\]\n";
    QTest::newRow("escapes") << esc << "Aé😀\t]" << true << true;
    QTest::newRow("escapes dash") << esc << "Aé😀\t-" << true << true;
    QTest::newRow("escapes wrong") << esc << "Aé😀\tx" << false << false;
    const QString multi = "root ::= item (\",\" item){0,2}\nitem ::= \"x\" | (\n  \"y\"\n  | \"zz\"\n)\n";
    QTest::newRow("multiline groups") << multi << "x,zz,y" << true << true;
    QTest::newRow("bounded repetition") << multi << "x,x,x,x" << false << false;
    QTest::newRow("dot") << "root ::= . . \"!\"\n"
                         << "é\n!" << true << true;
    QTest::newRow("exact count") << "root ::= [0-9]{3}\n"
                                 << "12" << true << false;
    QTest::newRow("open count") << "root ::= [0-9]{2,}\n"
                                << "1234567" << true << true;
    QTest::newRow("empty alternative") << "root ::= \"a\" |\n"
                                       << "" << true << true;
    QTest::newRow("recursion") << "root ::= \"(\" root \")\" | \"x\"\n"
                               << "(((x)))" << true << true;
    QTest::newRow("unbalanced") << "root ::= \"(\" root \")\" | \"x\"\n"
                                << "((x)))" << false << false;
    QTest::newRow("invalid utf8") << "root ::= .*\n" << QString::fromLatin1("\xFF") << false << false;
}

void GrammarTest::matching()
{
    QFETCH(QString, gbnf);
    QFETCH(QString, input);
    QFETCH(bool, accepted);
    QFETCH(bool, complete);
    auto grammar = Grammar::create(gbnf.toStdString(), nullptr);
    QVERIFY2(grammar, grammar ? "" : grammar.error().message.c_str());
    std::string bytes = input.toStdString();
    if (QTest::currentDataTag() == QLatin1String("invalid utf8"))
        bytes = "\xFF";
    bool all = true;
    for (char c : bytes)
        all = all && (*grammar)->acceptText(std::string(1, c));
    QCOMPARE(all, accepted);
    if (accepted)
        QCOMPARE((*grammar)->isComplete(), complete);
}

void GrammarTest::maskAndEndOfGeneration()
{
    auto vocabulary = std::make_shared<GrammarVocabulary>(
        std::vector<std::string> { "a", "ab", "abc", "b", "c", "", "ca", "bb" }, std::vector<std::int32_t> { 5 });
    auto grammar = Grammar::create("root ::= \"a\" \"b\"* \"c\"?\n", vocabulary);
    QVERIFY(grammar);
    Grammar &g = **grammar;
    std::vector<std::uint8_t> mask;
    g.allowedMask(mask);
    QCOMPARE(mask, (std::vector<std::uint8_t> { 1, 1, 1, 0, 0, 0, 0, 0 }));
    QVERIFY(!g.accept(3));
    QVERIFY(!g.accept(5)); // end of generation before the grammar can end
    QVERIFY(g.accept(1));
    g.allowedMask(mask);
    QCOMPARE(mask, (std::vector<std::uint8_t> { 0, 0, 0, 1, 1, 1, 0, 1 }));
    std::vector<float> logits(10, 1.0f); // padded past the vocabulary
    g.apply(logits);
    QCOMPARE(logits[3], 1.0f);
    QVERIFY(std::isinf(logits[0]) && std::isinf(logits[6]) && std::isinf(logits[9]));
    QVERIFY(g.accept(4));
    QVERIFY(g.isComplete());
    QVERIFY(!g.canContinue());
    g.allowedMask(mask);
    QCOMPARE(mask, (std::vector<std::uint8_t> { 0, 0, 0, 0, 0, 1, 0, 0 }));
    QVERIFY(g.accept(5));
    QVERIFY(g.isFinished());
    g.reset();
    QVERIFY(!g.isComplete());
    QVERIFY(g.isAllowed(2));
}

void GrammarTest::utf8AcrossTokens()
{
    // "é" is C3 A9, "日" is E6 97 A5: tokens may end inside a character, but only where it can be finished.
    auto vocabulary = std::make_shared<GrammarVocabulary>(
        std::vector<std::string> { "\xC3", "\xA9", "\xE6\x97", "\xA5", "\xC3\xA8", "\xED\xA0", "\xC0\x80", "x" },
        std::vector<std::int32_t> {});
    auto grammar = Grammar::create("root ::= [é-ê日]+\n", vocabulary);
    QVERIFY(grammar);
    Grammar &g = **grammar;
    std::vector<std::uint8_t> mask;
    g.allowedMask(mask);
    // C3 can become é..ê; E6 97 can become 日; ED A0 is a surrogate half; C0 80 is overlong; è is out of range.
    QCOMPARE(mask, (std::vector<std::uint8_t> { 1, 0, 1, 0, 0, 0, 0, 0 }));
    QVERIFY(g.accept(0));
    g.allowedMask(mask);
    QCOMPARE(mask, (std::vector<std::uint8_t> { 0, 1, 0, 0, 0, 0, 0, 0 }));
    QVERIFY(g.accept(1));
    QVERIFY(g.isComplete());
    QVERIFY(g.accept(2));
    QVERIFY(!g.isComplete());
    QVERIFY(g.accept(3));
    QVERIFY(g.isComplete());
}

// Each level of nesting is a new matcher state; past the cache budget the caches are rebuilt from the
// live state, and matching goes on unchanged.
void GrammarTest::deepNestingCompactsCaches()
{
    auto vocabulary = std::make_shared<GrammarVocabulary>(
        std::vector<std::string> { "(", ")", "x", "))", "" }, std::vector<std::int32_t> { 4 });
    auto grammar = Grammar::create("root ::= \"(\" root \")\" | \"x\"\n", vocabulary);
    QVERIFY(grammar);
    Grammar &g = **grammar;
    const int depth = 20000;
    std::vector<std::uint8_t> mask;
    for (int i = 0; i < depth; ++i) {
        if (i % 997 == 0) {
            g.allowedMask(mask);
            QCOMPARE(mask, (std::vector<std::uint8_t> { 1, 0, 1, 0, 0 }));
        }
        QVERIFY(g.accept(0));
    }
    QVERIFY(g.accept(2));
    for (int i = 0; i < depth / 2; ++i) {
        QVERIFY(!g.isComplete());
        QVERIFY(g.accept(3));
    }
    QVERIFY(g.isComplete());
    g.allowedMask(mask);
    QCOMPARE(mask, (std::vector<std::uint8_t> { 0, 0, 0, 0, 1 }));
}

// The trie walk (and the per-state mask cache) agree with checking each token on its own, at every step
// of random walks through the generic JSON grammar.
void GrammarTest::maskMatchesPerTokenCheck()
{
    std::int32_t eog = 0;
    auto vocabulary = toyVocabulary(&eog);
    auto grammar = Grammar::create(jsonGrammar(), vocabulary);
    QVERIFY(grammar);
    Grammar &g = **grammar;
    std::vector<std::uint8_t> mask;
    std::mt19937 rng(5);
    int steps = 0;
    for (int walk = 0; walk < 12; ++walk) {
        g.reset();
        QVERIFY(g.acceptText("[")); // an array can go on for as long as the walk does
        for (int step = 0; step < 150; ++step, ++steps) {
            g.allowedMask(mask);
            std::vector<std::int32_t> allowed;
            for (std::int32_t t = 0; t < std::int32_t(vocabulary->size()); ++t) {
                QCOMPARE(bool(mask[std::size_t(t)]), g.isAllowed(t));
                if (mask[std::size_t(t)] && t != eog)
                    allowed.push_back(t);
            }
            if (allowed.empty()) // only the end is left
                break;
            QVERIFY(g.accept(allowed[rng() % allowed.size()]));
        }
    }
    QVERIFY(steps > 150);
}

void GrammarTest::schemaAcceptance_data()
{
    QTest::addColumn<QString>("schema");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("accepted");
    const QString person = R"({"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"},
        "email":{"type":"string"}},"required":["name"]})";
    QTest::newRow("all") << person << R"({"name": "Ann", "age": 31, "email": "a@b.c"})" << true;
    QTest::newRow("required only") << person << R"({"name":"Ann"})" << true;
    QTest::newRow("skip middle") << person << "{\n  \"name\": \"Ann\",\n  \"email\": \"x\"\n}" << true;
    QTest::newRow("missing required") << person << R"({"age": 3})" << false;
    QTest::newRow("extra property") << person << R"({"name":"A","zip":1})" << false;
    QTest::newRow("out of order") << person << R"({"age":1,"name":"A"})" << false;
    QTest::newRow("wrong type") << person << R"({"name":"A","age":"3"})" << false;
    QTest::newRow("float for integer") << person << R"({"name":"A","age":3.5})" << false;
    QTest::newRow("escapes") << person << R"({"name":"a\"b\\c\n\u00e9\ud83d"})" << false; // lone surrogate
    QTest::newRow("escapes ok") << person << R"({"name":"a\"b\\c\n\u00e9\/"})" << true;
    QTest::newRow("raw control char") << person << "{\"name\":\"a\tb\"}" << false;
    QTest::newRow("trailing comma") << person << R"({"name":"A",})" << false;
    const QString numbers = R"({"type":"array","items":{"type":"number"},"minItems":1,"maxItems":3})";
    QTest::newRow("numbers") << numbers << "[0, -1.5, 2e10]" << true;
    QTest::newRow("leading zero") << numbers << "[01]" << false;
    QTest::newRow("too many") << numbers << "[1,2,3,4]" << false;
    QTest::newRow("too few") << numbers << "[]" << false;
    const QString choice = R"({"anyOf":[{"type":"null"},{"enum":["a",1,true]},{"const":{"k":[1,2]}}]})";
    QTest::newRow("enum string") << choice << R"("a")" << true;
    QTest::newRow("enum other") << choice << R"("b")" << false;
    QTest::newRow("const object") << choice << R"({"k":[1,2]})" << true;
    QTest::newRow("const spaced") << choice << R"({"k": [1, 2]})" << false; // const is matched as written
    QTest::newRow("null") << choice << "null" << true;
    const QString lengths = R"({"type":"string","minLength":2,"maxLength":3})";
    QTest::newRow("length ok") << lengths << R"("日本語")" << true;
    QTest::newRow("length short") << lengths << R"("a")" << false;
    QTest::newRow("length long") << lengths << R"("abcd")" << false;
    const QString dated = R"({"type":"object","properties":{"d":{"type":"string","format":"date"},
        "t":{"type":"string","format":"date-time"},"u":{"type":"string","format":"uuid"}}})";
    QTest::newRow("date") << dated << R"({"d":"2024-02-29"})" << true;
    QTest::newRow("bad month") << dated << R"({"d":"2024-13-01"})" << false;
    QTest::newRow("date-time") << dated << R"({"t":"2024-02-29T23:59:60Z"})" << false; // no leap seconds
    QTest::newRow("date-time offset") << dated << R"({"t":"1999-12-31T23:59:59.123+05:30"})" << true;
    QTest::newRow("uuid") << dated << R"({"u":"123e4567-e89b-12d3-a456-426614174000"})" << true;
    QTest::newRow("bad uuid") << dated << R"({"u":"123e4567e89b12d3a456426614174000"})" << false;
    QTest::newRow("any json") << "{}"
                              << R"({"a":[1,{"b":null}],"c":"d"})" << true;
}

void GrammarTest::schemaAcceptance()
{
    QFETCH(QString, schema);
    QFETCH(QString, text);
    QFETCH(bool, accepted);
    auto gbnf = jsonSchemaToGrammar(schema.toStdString());
    QVERIFY2(gbnf, gbnf ? "" : gbnf.error().message.c_str());
    auto grammar = Grammar::create(*gbnf, nullptr);
    QVERIFY2(grammar, grammar ? "" : grammar.error().message.c_str());
    const bool ok = (*grammar)->acceptText(text.toStdString()) && (*grammar)->isComplete();
    QCOMPARE(ok, accepted);
}

void GrammarTest::integerRanges_data()
{
    QTest::addColumn<QString>("bounds");
    QTest::addColumn<qlonglong>("lo");
    QTest::addColumn<qlonglong>("hi");
    QTest::newRow("small") << R"("minimum":3,"maximum":7)" << 3LL << 7LL;
    QTest::newRow("across lengths") << R"("minimum":-15,"maximum":123)" << -15LL << 123LL;
    QTest::newRow("exclusive") << R"("exclusiveMinimum":9,"exclusiveMaximum":200)" << 10LL << 199LL;
    QTest::newRow("fractional bounds") << R"("minimum":-2.5,"maximum":99.9)" << -2LL << 99LL;
    QTest::newRow("negative only") << R"("minimum":-250,"maximum":-17)" << -250LL << -17LL;
    QTest::newRow("non-negative") << R"("minimum":0)" << 0LL << 9999999999999999LL;
    QTest::newRow("upper only") << R"("maximum":-3)" << -9999999999999999LL << -3LL;
    QTest::newRow("one value") << R"("minimum":42,"maximum":42)" << 42LL << 42LL;
    QTest::newRow("ragged") << R"("minimum":1234,"maximum":56789)" << 1234LL << 56789LL;
}

// Every integer near the bounds (and a sweep) is accepted exactly when it lies in the range.
void GrammarTest::integerRanges()
{
    QFETCH(QString, bounds);
    QFETCH(qlonglong, lo);
    QFETCH(qlonglong, hi);
    auto gbnf = jsonSchemaToGrammar("{\"type\":\"integer\"," + bounds.toStdString() + "}");
    QVERIFY2(gbnf, gbnf ? "" : gbnf.error().message.c_str());
    auto grammar = Grammar::create(*gbnf, nullptr);
    QVERIFY2(grammar, grammar ? "" : (grammar.error().message + "\n" + *gbnf).c_str());
    std::vector<long long> probes;
    for (long long v = -400; v <= 400; ++v)
        probes.push_back(v);
    for (long long edge : { lo, hi })
        for (long long d = -3; d <= 3; ++d)
            probes.push_back(edge + d);
    for (long long v : { 999LL, 1000LL, 9999LL, 10000LL, 56790LL, 99999LL, 123456789LL, 9999999999999999LL })
        probes.insert(probes.end(), { v, -v });
    for (long long v : probes) {
        (*grammar)->reset();
        const bool ok = (*grammar)->acceptText(std::to_string(v)) && (*grammar)->isComplete();
        const bool inRange = v >= lo && v <= hi && std::llabs(v) <= 9999999999999999LL;
        QVERIFY2(ok == inRange, qPrintable(QStringLiteral("%1 %2").arg(v).arg(ok ? "accepted" : "rejected")));
    }
}

void GrammarTest::schemaErrors_data()
{
    QTest::addColumn<QString>("schema");
    QTest::addColumn<QString>("message");
    QTest::newRow("not json") << "{\"type\": "
                              << "does not parse";
    QTest::newRow("pattern") << R"({"type":"string","pattern":"^a+$"})"
                             << "'pattern' is not supported";
    QTest::newRow("bad type") << R"({"type":"date"})"
                              << "unknown type 'date'";
    QTest::newRow("bad ref") << R"({"$ref":"#/$defs/missing"})"
                             << "points at nothing";
    QTest::newRow("remote ref") << R"({"$ref":"http://x/y"})"
                                << "only local $ref";
    QTest::newRow("required unknown") << R"({"type":"object","properties":{"a":{}},"required":["b"]})"
                                      << "not described";
    QTest::newRow("empty integer range") << R"({"type":"integer","minimum":5,"maximum":4.5})"
                                         << "no integer lies";
    QTest::newRow("minmax") << R"({"type":"array","minItems":3,"maxItems":2})"
                            << "maxItems is below minItems";
}

void GrammarTest::schemaErrors()
{
    QFETCH(QString, schema);
    QFETCH(QString, message);
    auto gbnf = jsonSchemaToGrammar(schema.toStdString());
    QVERIFY(!gbnf);
    QVERIFY2(QString::fromStdString(gbnf.error().message).contains(message), gbnf.error().message.c_str());
}

void GrammarTest::schemaRandomWalk_data()
{
    QTest::addColumn<QString>("schema");
    QTest::newRow("person") << R"({"type":"object","properties":{"name":{"type":"string","maxLength":12},
        "age":{"type":"integer"},"tags":{"type":"array","items":{"type":"string"},"maxItems":3},
        "score":{"type":"number"},"ok":{"type":"boolean"}},"required":["name","age"]})";
    QTest::newRow("all optional") << R"({"type":"object","properties":{"a":{"type":"null"},"b":{"const":[1,"x"]},
        "c":{"enum":["red","green",3,null]}}})";
    QTest::newRow("nested array") << R"({"type":"array","minItems":2,"maxItems":4,
        "items":{"type":"array","items":{"type":["integer","string"]},"minItems":1,"maxItems":2}})";
    QTest::newRow("anyOf") << R"({"anyOf":[{"type":"object","properties":{"kind":{"const":"a"},"x":{"type":"number"}},
        "required":["kind","x"]},{"type":"string","minLength":2,"maxLength":5},{"type":"boolean"}]})";
    QTest::newRow("refs") << R"({"$defs":{"node":{"type":"object","properties":{"id":{"type":"integer"},
        "kids":{"type":"array","items":{"$ref":"#/$defs/node"},"maxItems":2}},"required":["id"]}},
        "$ref":"#/$defs/node"})";
    QTest::newRow("any value") << R"({"type":"object","properties":{"data":{}},"required":["data"]})";
    QTest::newRow("free object") << R"({"type":"object"})";
    QTest::newRow("bounded numbers")
        << R"({"type":"array","maxItems":6,"items":{"anyOf":[{"type":"integer","minimum":-5,"maximum":250},
        {"type":"integer","exclusiveMinimum":1000},{"type":"number","minimum":0}]}})";
}

void GrammarTest::schemaRandomWalk()
{
    QFETCH(QString, schema);
    const json schemaJson = json::parse(schema.toStdString());
    auto gbnf = jsonSchemaToGrammar(schema.toStdString());
    QVERIFY2(gbnf, gbnf ? "" : gbnf.error().message.c_str());
    std::int32_t eog = 0;
    auto vocabulary = toyVocabulary(&eog);
    auto check = validateGrammar(*gbnf);
    QVERIFY2(check, check ? "" : (check.error().message + "\n" + *gbnf).c_str());
    int finished = 0;
    for (std::uint64_t seed = 1; seed <= 60; ++seed) {
        const auto text = randomWalk(*gbnf, vocabulary, eog, seed, 4000);
        if (!text)
            continue;
        ++finished;
        json value;
        try {
            value = json::parse(*text);
        } catch (const json::exception &e) {
            QFAIL(("does not parse: " + *text + "\n" + e.what()).c_str());
        }
        QVERIFY2(matches(value, schemaJson, schemaJson), ("does not match the schema: " + *text).c_str());
        if (finished <= 2)
            qInfo("%s", QString::fromStdString(*text).simplified().toUtf8().constData());
    }
    QVERIFY2(finished >= 50, qPrintable(QStringLiteral("only %1 of 60 walks finished").arg(finished)));
}

void GrammarTest::genericJsonRandomWalk()
{
    std::int32_t eog = 0;
    auto vocabulary = toyVocabulary(&eog);
    int finished = 0;
    for (std::uint64_t seed = 100; seed < 160; ++seed) {
        const auto text = randomWalk(jsonGrammar(), vocabulary, eog, seed, 4000);
        if (!text)
            continue;
        ++finished;
        QVERIFY2(json::accept(*text), ("does not parse: " + *text).c_str());
        if (finished <= 3)
            qInfo("%s", QString::fromStdString(*text).simplified().toUtf8().constData());
    }
    qInfo("%d of 60 walks finished", finished);
    QVERIFY2(finished >= 40, qPrintable(QStringLiteral("only %1 of 60 walks finished").arg(finished)));
}

// The GPT-2 byte-level BPE vocabulary (50257 tokens) from the reference pack, pieces built the way
// Generator builds them: constrained random walks decode to JSON that matches the schema.
void GrammarTest::realVocabulary()
{
    const QString path = QStringLiteral(QUIRE_SHARED_DIR "/reference/vocab/ggml-vocab-gpt-2.gguf");
    if (!QFile::exists(path))
        QSKIP(qPrintable(path + " is absent (reference pack not installed)"));
    auto file = GgufFile::open(path.toStdString());
    QVERIFY(file);
    auto tokenizer = Tokenizer::fromGguf(**file);
    QVERIFY(tokenizer);
    const Tokenizer &tok = **tokenizer;
    std::vector<std::string> pieces(std::size_t(tok.nVocab()));
    std::vector<std::int32_t> eog;
    for (std::int32_t id = 0; id < tok.nVocab(); ++id) {
        if (tok.isEog(id))
            eog.push_back(id);
        else if (!tok.isControl(id))
            pieces[std::size_t(id)] = tok.tokenToPiece(id, false);
    }
    QVERIFY(!eog.empty());
    auto vocabulary = std::make_shared<GrammarVocabulary>(pieces, eog);
    const std::string schema = R"({"type":"object","properties":{"name":{"type":"string","maxLength":20},
        "age":{"type":"integer"},"tags":{"type":"array","items":{"enum":["red","green","blue"]},"maxItems":4}},
        "required":["name","age","tags"]})";
    const json schemaJson = json::parse(schema);
    auto gbnf = jsonSchemaToGrammar(schema);
    QVERIFY(gbnf);
    int finished = 0;
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        const auto text = randomWalk(*gbnf, vocabulary, eog.front(), seed, 3000);
        if (!text)
            continue;
        ++finished;
        QVERIFY2(json::accept(*text), text->c_str());
        QVERIFY2(matches(json::parse(*text), schemaJson, schemaJson), text->c_str());
        if (finished == 1)
            qInfo("%s", QString::fromStdString(*text).simplified().toUtf8().constData());
    }
    QVERIFY2(finished >= 15, qPrintable(QStringLiteral("only %1 of 20 walks finished").arg(finished)));
}

QTEST_GUILESS_MAIN(GrammarTest)
#include "grammartest.moc"
