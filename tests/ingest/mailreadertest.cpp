#include "ingest/mailreader.h"

#include "ingest/documentreader.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTest>

using namespace quire::ingest;

namespace
{

const QString mailDir = QStringLiteral(QUIRE_SHARED_DIR "/corpus/email");

QByteArray readFileBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

const QByteArray multipart = "From: =?ISO-8859-1?Q?Jos=E9_P=E9rez?= <jose@example.com>\r\n"
                             "To: Ann <ann@example.com>, bob@example.com\r\n"
                             "Cc: carol@example.com\r\n"
                             "Subject: =?UTF-8?B?UmU6IETDqWrDoCB2dQ==?=\r\n"
                             "Date: Tue, 03 Apr 2001 09:15:00 -0700\r\n"
                             "Message-ID: <abc@example.com>\r\n"
                             "In-Reply-To: <parent@example.com>\r\n"
                             "References: <root@example.com> <parent@example.com>\r\n"
                             "MIME-Version: 1.0\r\n"
                             "Content-Type: multipart/mixed; boundary=\"OUTER\"\r\n\r\n"
                             "--OUTER\r\n"
                             "Content-Type: multipart/alternative; boundary=\"ALT\"\r\n\r\n"
                             "--ALT\r\n"
                             "Content-Type: text/plain; charset=iso-8859-1\r\n"
                             "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                             "Caf=E9 at noon, the contract is attached. This line is long enough to be =\r\n"
                             "soft-wrapped.\r\n"
                             "--ALT\r\n"
                             "Content-Type: text/html; charset=utf-8\r\n\r\n"
                             "<p>HTML version</p>\r\n"
                             "--ALT--\r\n"
                             "--OUTER\r\n"
                             "Content-Type: application/pdf; name=\"contract.pdf\"\r\n"
                             "Content-Disposition: attachment; filename=\"contract.pdf\"\r\n"
                             "Content-Transfer-Encoding: base64\r\n\r\n"
                             "JVBERi0xLjQKJcOkw7zDtsOf\r\n"
                             "--OUTER--\r\n";

} // namespace

class MailReaderTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void multipartMessage();
    void htmlOnlyBody();
    void corpusMessages();
    void corpusMbox();
    void notMail();
};

void MailReaderTest::multipartMessage()
{
    auto doc = readData(multipart, QStringLiteral("reply.eml"), {});
    QVERIFY2(doc.has_value(), doc ? "" : doc.error().message.c_str());
    QCOMPARE(doc->type, QStringLiteral("eml"));
    QCOMPARE(doc->title, QStringLiteral("Re: Déjà vu"));
    QVERIFY(doc->author.contains(QStringLiteral("José Pérez")));
    QCOMPARE(doc->created, QStringLiteral("2001-04-03T09:15:00-07"));
    const QJsonObject &m = doc->metadata;
    QVERIFY(m.value(QStringLiteral("to")).toString().contains(QStringLiteral("bob@example.com")));
    QCOMPARE(m.value(QStringLiteral("cc")).toString(), QStringLiteral("carol@example.com"));
    QCOMPARE(m.value(QStringLiteral("messageId")).toString(), QStringLiteral("abc@example.com"));
    QCOMPARE(m.value(QStringLiteral("inReplyTo")).toString(), QStringLiteral("parent@example.com"));
    QCOMPARE(m.value(QStringLiteral("references")).toArray().size(), 2);
    const QString &text = doc->pages.front().text;
    QVERIFY(text.contains(
        QStringLiteral("Café at noon, the contract is attached. This line is long enough to be soft-wrapped.")));
    QVERIFY(!text.contains(QStringLiteral("HTML version"))); // the plain alternative wins
    QVERIFY(text.startsWith(QStringLiteral("From: ")));
    QCOMPARE(doc->children.size(), size_t(1));
    QCOMPARE(doc->children[0].name, QStringLiteral("contract.pdf"));
    QCOMPARE(doc->children[0].mimeType, QStringLiteral("application/pdf"));
    QVERIFY(doc->children[0].data.startsWith("%PDF-1.4"));
}

void MailReaderTest::htmlOnlyBody()
{
    const QByteArray mail
        = "From: a@example.com\nTo: b@example.com\nSubject: html\nDate: Mon, 1 Jan 2001 00:00:00 +0000\n"
          "MIME-Version: 1.0\nContent-Type: text/html; charset=windows-1252\n\n"
          "<html><body><p>Price: 5 \x80</p><script>x()</script></body></html>\n";
    auto doc = MailReader::readMessage(mail, QStringLiteral("h.eml"), {});
    QVERIFY(doc.has_value());
    QVERIFY(doc->pages.front().text.endsWith(QStringLiteral("Price: 5 €")));
}

void MailReaderTest::corpusMessages()
{
    const QDir dir(mailDir + QStringLiteral("/eml"));
    if (!dir.exists())
        QSKIP("../shared/corpus/email is absent");
    const QStringList files = dir.entryList({ QStringLiteral("*.eml") }, QDir::Files, QDir::Name);
    QVERIFY(files.size() >= 10);
    for (const QString &file : files) {
        auto doc = readFile(dir.filePath(file), {});
        QVERIFY2(doc.has_value(), qPrintable(file));
        QCOMPARE(doc->type, QStringLiteral("eml"));
        QVERIFY2(!doc->metadata.value(QStringLiteral("messageId")).toString().isEmpty(), qPrintable(file));
        QVERIFY2(!doc->created.isEmpty(), qPrintable(file));
        QVERIFY2(doc->author.contains(QLatin1Char('@')), qPrintable(file));
    }
    auto first = readFile(dir.filePath(QStringLiteral("001.eml")), {});
    QCOMPARE(first->metadata.value(QStringLiteral("messageId")).toString(),
        QStringLiteral("15955949.1075858645356.JavaMail.evans@thyme"));
    QCOMPARE(first->author, QStringLiteral("james.bruce@enron.com"));
    QCOMPARE(first->created, QStringLiteral("2001-10-29T16:34:23-08"));
}

void MailReaderTest::corpusMbox()
{
    const QByteArray mbox = readFileBytes(mailDir + QStringLiteral("/enron.allen-p.inbox.mbox"));
    if (mbox.isEmpty())
        QSKIP("../shared/corpus/email is absent");
    auto doc = readData(mbox, QStringLiteral("enron.allen-p.inbox.mbox"), {});
    QVERIFY(doc.has_value());
    QCOMPARE(doc->type, QStringLiteral("mbox"));
    QCOMPARE(doc->children.size(), size_t(66));
    // Each child is the message's bytes from the mailbox, without the "From " separator line.
    QVERIFY(doc->children.front().data.startsWith("Message-ID: <15955949.1075858645356.JavaMail.evans@thyme>\n"));
    QVERIFY(mbox.contains(doc->children.back().data));
    for (const ChildDocument &child : doc->children) {
        QVERIFY(!child.data.startsWith("From "));
        auto message = readData(child.data, child.name, {});
        QVERIFY2(message.has_value(), qPrintable(child.name));
        QCOMPARE(message->type, QStringLiteral("eml"));
    }
}

void MailReaderTest::notMail()
{
    auto doc = MailReader::readMbox("just some text\nwithout messages\n", QStringLiteral("x.mbox"), {});
    QVERIFY(!doc.has_value());
    QCOMPARE(doc.error().code, quire::Error::Code::Corrupt);
}

QTEST_GUILESS_MAIN(MailReaderTest)
#include "mailreadertest.moc"
