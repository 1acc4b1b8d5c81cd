#include "ingest/pdfdocument.h"

#include <mutex>
#include <unicode/usprep.h>

namespace quire::ingest
{

namespace
{

struct StringPrepCloser {
    void operator()(UStringPrepProfile *p) const { usprep_close(p); }
};

void silencePoppler()
{
    static std::once_flag once;
    // Poppler prints every recoverable syntax error of damaged files; the caller gets one clear error instead.
    std::call_once(once, [] { Poppler::setDebugErrorFunction([](const QString &, const QVariant &) {}, QVariant()); });
}

QList<QByteArray> passwordCandidates(const QString &password)
{
    QList<QByteArray> candidates { password.toUtf8() };
    const QByteArray prepped = saslPrep(password).toUtf8();
    if (!candidates.contains(prepped))
        candidates.append(prepped);
    const bool latin1 = std::all_of(password.begin(), password.end(), [](QChar c) { return c.unicode() < 256; });
    if (latin1 && !candidates.contains(password.toLatin1()))
        candidates.append(password.toLatin1());
    return candidates;
}

} // namespace

QString saslPrep(const QString &password)
{
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UStringPrepProfile, StringPrepCloser> profile(usprep_openByType(USPREP_RFC4013_SASLPREP, &status));
    if (U_FAILURE(status))
        return password;
    QString out(password.size() * 3 + 16, Qt::Uninitialized);
    UParseError parseError;
    const int32_t len = usprep_prepare(profile.get(),
        reinterpret_cast<const UChar *>(password.utf16()),
        int32_t(password.size()),
        reinterpret_cast<UChar *>(out.data()),
        int32_t(out.size()),
        USPREP_ALLOW_UNASSIGNED,
        &parseError,
        &status);
    if (U_FAILURE(status))
        return password;
    out.resize(len);
    return out;
}

Expected<std::unique_ptr<Poppler::Document>> openPdfDocument(
    const QByteArray &data, const QString &name, const QString &password)
{
    silencePoppler();
    std::unique_ptr<Poppler::Document> doc = Poppler::Document::loadFromData(data);
    if (!doc)
        return fail(Error::Code::Corrupt,
            QStringLiteral("%1 is damaged or not a PDF (Poppler could not parse it)").arg(name).toStdString());
    if (doc->isLocked()) {
        if (password.isEmpty())
            return fail(Error::Code::PasswordRequired,
                QStringLiteral("password required: %1 is encrypted; retry with --password").arg(name).toStdString());
        bool opened = false;
        for (const QByteArray &candidate : passwordCandidates(password)) {
            doc->unlock(candidate, candidate);
            if (!doc->isLocked()) {
                opened = true;
                break;
            }
        }
        if (!opened)
            return fail(Error::Code::PasswordRequired,
                QStringLiteral("wrong password for %1: retry with the document's password").arg(name).toStdString());
    }
    doc->setRenderHint(Poppler::Document::Antialiasing);
    doc->setRenderHint(Poppler::Document::TextAntialiasing);
    return doc;
}

} // namespace quire::ingest
