#include "command.h"

#include "progressbar.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>
#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace quire::cli
{

namespace
{

std::vector<Command> &registry()
{
    static std::vector<Command> all;
    return all;
}

volatile std::sig_atomic_t g_interrupts = 0;

void onSignal(int)
{
    Context::cancel().cancel();
    if (++g_interrupts >= 2)
        _exit(ExitCancelled);
    static const char msg[] = "\nquire: stopping after the current item (Ctrl-C again to quit at once)\n";
    [[maybe_unused]] auto n = write(STDERR_FILENO, msg, sizeof msg - 1);
}

} // namespace

bool registerCommand(Command command)
{
    registry().push_back(std::move(command));
    return true;
}

const std::vector<Command> &commands()
{
    return registry();
}

void installSignalHandlers()
{
    struct sigaction sa = {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

CancelToken &Context::cancel()
{
    static CancelToken token;
    return token;
}

bool Context::parse(QCommandLineParser &parser, const QStringList &arguments, int minPositional, int *exitCode)
{
    parser.addHelpOption();
    parser.addOption(QCommandLineOption(QStringLiteral("json"), QStringLiteral("Print machine-readable JSON.")));
    if (!parser.parse(arguments)) {
        QTextStream(stderr) << "quire: " << parser.errorText() << '\n';
        *exitCode = ExitUsage;
        return false;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        *exitCode = ExitOk;
        return false;
    }
    m_json = parser.isSet(QStringLiteral("json"));
    if (parser.positionalArguments().size() < minPositional) {
        QTextStream(stderr) << "quire: missing arguments\n" << parser.helpText();
        *exitCode = ExitUsage;
        return false;
    }
    return true;
}

Progress &Context::progress()
{
    if (!m_progress) {
        if (m_json)
            m_progress = std::make_unique<NullProgress>();
        else
            m_progress = std::make_unique<ProgressBar>(isatty(STDERR_FILENO) != 0);
    }
    return *m_progress;
}

void Context::printJson(const QJsonObject &object) const
{
    QTextStream(stdout) << QJsonDocument(object).toJson(QJsonDocument::Indented);
}

void Context::printJson(const QJsonArray &array) const
{
    QTextStream(stdout) << QJsonDocument(array).toJson(QJsonDocument::Indented);
}

int exitCodeFor(const Error &error)
{
    switch (error.code) {
    case Error::Code::NotFound:
        return ExitNotFound;
    case Error::Code::TooNew:
        return ExitTooNew;
    case Error::Code::Cancelled:
        return ExitCancelled;
    case Error::Code::InvalidArgument:
        return ExitUsage;
    default:
        return ExitFailure;
    }
}

int Context::fail(const Error &error) const
{
    const int code = exitCodeFor(error);
    if (m_json) {
        QJsonObject o { { QStringLiteral("error"), QString::fromStdString(error.message) },
            { QStringLiteral("code"), QString::fromLatin1(errorCodeName(error.code)) } };
        QTextStream(stdout) << QJsonDocument(o).toJson(QJsonDocument::Compact) << '\n';
    } else {
        QTextStream(stderr) << "quire: " << QString::fromStdString(error.message) << '\n';
    }
    return code;
}

int Context::fail(int exitCode, const QString &message) const
{
    if (m_json) {
        QJsonObject o { { QStringLiteral("error"), message } };
        QTextStream(stdout) << QJsonDocument(o).toJson(QJsonDocument::Compact) << '\n';
    } else {
        QTextStream(stderr) << "quire: " << message << '\n';
    }
    return exitCode;
}

} // namespace quire::cli
