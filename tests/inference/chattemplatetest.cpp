#include "inference/chattemplate.h"

#include <QDir>
#include <QFile>
#include <QTest>
#include <nlohmann/json.hpp>

using namespace quire::inference;

// The expected prompts in tests/data/chat/expected/ were rendered from the real model templates next to
// them with Jinja2 by tests/data/chat/render.py (leading BOS cut off).
namespace
{

QString chatDir()
{
    return QStringLiteral(QUIRE_TEST_DATA "/chat");
}

std::string readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll().toStdString();
}

std::vector<ChatMessage> conversation(const std::string &name)
{
    const auto all = nlohmann::json::parse(readFile(chatDir() + QStringLiteral("/conversations.json")));
    std::vector<ChatMessage> messages;
    for (const auto &m : all.at(name)) {
        const std::string role = m.at("role");
        const ChatRole r = role == "system" ? ChatRole::System
            : role == "assistant"           ? ChatRole::Assistant
                                            : ChatRole::User;
        messages.push_back({ r, m.at("content") });
    }
    return messages;
}

} // namespace

class ChatTemplateTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void detect_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("family");
        QTest::newRow("chatml") << "chatml"
                                << "chatml";
        QTest::newRow("qwen2") << "qwen2"
                               << "chatml";
        QTest::newRow("llama3") << "llama3"
                                << "llama3";
        QTest::newRow("llama3.1") << "llama31"
                                  << "llama3.1";
        QTest::newRow("llama2") << "llama2"
                                << "llama2";
        QTest::newRow("mistral") << "mistral"
                                 << "mistral";
        QTest::newRow("mistral v0.3") << "mistral-v3"
                                      << "mistral-v3";
        QTest::newRow("gemma") << "gemma"
                               << "gemma";
        QTest::newRow("gemma3") << "gemma3"
                                << "gemma";
        QTest::newRow("deepseek v3") << "deepseek3"
                                     << "deepseek3";
        QTest::newRow("deepseek r1") << "deepseek-r1"
                                     << "deepseek-r1";
        QTest::newRow("deepseek llm") << "deepseek-llm"
                                      << "deepseek";
        QTest::newRow("phi3") << "phi3"
                              << "phi3";
    }
    void detect()
    {
        QFETCH(QString, file);
        QFETCH(QString, family);
        const std::string jinja = readFile(chatDir() + "/" + file + ".jinja");
        QVERIFY(!jinja.empty());
        QCOMPARE(QString::fromStdString(chatFamilyName(detectChatFamily(jinja))), family);
    }

    void plainFallback()
    {
        QCOMPARE(detectChatFamily(""), ChatFamily::Plain);
        QCOMPARE(detectChatFamily("{{ messages[0]['content'] }}"), ChatFamily::Plain);
        const std::vector<ChatMessage> chat { { ChatRole::System, "Sys" }, { ChatRole::User, "Hi" } };
        QCOMPARE(formatChat(ChatFamily::Plain, chat, true), std::string("Sys\n\nUser: Hi\n\nAssistant:"));
    }

    void defaultSystemPrompt()
    {
        QCOMPARE(detectChatTemplate(readFile(chatDir() + "/qwen2.jinja")).defaultSystemPrompt,
            std::string("You are a helpful assistant."));
        QVERIFY(detectChatTemplate(readFile(chatDir() + "/chatml.jinja")).defaultSystemPrompt.empty());
        QVERIFY(detectChatTemplate(readFile(chatDir() + "/phi3.jinja")).dropsSystem);
    }

    void format_data()
    {
        QTest::addColumn<QString>("expectedFile");
        const QDir dir(chatDir() + "/expected");
        const QStringList files = dir.entryList({ QStringLiteral("*.txt") }, QDir::Files, QDir::Name);
        QVERIFY(files.size() > 100);
        for (const QString &f : files)
            QTest::newRow(qPrintable(f)) << dir.filePath(f);
    }
    void format()
    {
        QFETCH(QString, expectedFile);
        const QStringList parts = QFileInfo(expectedFile).fileName().split(QLatin1Char('.'));
        QCOMPARE(parts.size(), 4); // template.conversation.prompt|noprompt.txt
        const ChatTemplate t = detectChatTemplate(readFile(chatDir() + "/" + parts[0] + ".jinja"));
        const auto messages = conversation(parts[1].toStdString());
        const std::string actual = formatChat(t, messages, parts[2] == QLatin1String("prompt"));
        QCOMPARE(QString::fromStdString(actual), QString::fromStdString(readFile(expectedFile)));
    }

    void stopStrings()
    {
        QCOMPARE(chatStopStrings(ChatFamily::ChatML), std::vector<std::string> { "<|im_end|>" });
        QCOMPARE(chatStopStrings(ChatFamily::Llama31), std::vector<std::string> { "<|eot_id|>" });
        for (int f = 0; f <= int(ChatFamily::Phi3); ++f)
            QVERIFY(!chatStopStrings(ChatFamily(f)).empty());
    }
};

QTEST_GUILESS_MAIN(ChatTemplateTest)
#include "chattemplatetest.moc"
