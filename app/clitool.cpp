#include "cli/command.h"
#include "util/runtimedir.h"

#include <QCoreApplication>
#include <QFile>
#include <QGuiApplication>
#include <QTextStream>
#include <algorithm>
#include <cstdio>

using namespace quire::cli;

namespace
{

void printUsage(QTextStream &out)
{
    out << "Usage: quire COMMAND [OPTIONS] [ARGS]\n\n"
        << "Quire reads and analyses archives too long for a person to read.\n\n"
        << "Commands:\n";
    auto sorted = commands();
    std::sort(sorted.begin(), sorted.end(), [](const Command &a, const Command &b) { return a.name < b.name; });
    for (const Command &c : sorted) {
        // Internal commands (the ingest worker) work but are not advertised.
        if (!c.name.startsWith(QLatin1String("bench-")) && !c.summary.startsWith(QLatin1String("(internal)")))
            out << "  " << c.name.leftJustified(14) << c.summary << '\n';
    }
    out << "  " << QStringLiteral("bench").leftJustified(14) << "Benchmarks:\n";
    for (const Command &c : sorted) {
        if (c.name.startsWith(QLatin1String("bench-")))
            out << "    bench " << c.name.mid(6).leftJustified(10) << c.summary << '\n';
    }
    out << "\nRun 'quire COMMAND --help' for the options of a command.\n";
}

} // namespace

int main(int argc, char **argv)
{
    // Some jobs draw (sample PDFs, rendering): a GUI application on the offscreen platform needs no display.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    quire::util::ensureRuntimeDir();
    QGuiApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Quire"));
    QCoreApplication::setApplicationName(QStringLiteral("quire"));
    QCoreApplication::setApplicationVersion(QStringLiteral(QUIRE_VERSION));
    installSignalHandlers();

    const QStringList args = QCoreApplication::arguments();
    QTextStream out(stdout);
    if (args.size() < 2 || args[1] == QLatin1String("--help") || args[1] == QLatin1String("-h")
        || args[1] == QLatin1String("help")) {
        printUsage(out);
        return args.size() < 2 ? ExitUsage : ExitOk;
    }
    if (args[1] == QLatin1String("--version")) {
        out << "quire " << QCoreApplication::applicationVersion() << '\n';
        return ExitOk;
    }
    // `quire bench NAME ...` runs the command registered as "bench-NAME".
    QString name = args[1];
    int consumed = 2;
    if (name == QLatin1String("bench") && args.size() > 2) {
        name = QStringLiteral("bench-") + args[2];
        consumed = 3;
    }
    for (const Command &c : commands()) {
        if (c.name == name) {
            QStringList rest = args.mid(consumed);
            rest.prepend(
                QStringLiteral("quire ") + QString(c.name).replace(QLatin1String("bench-"), QLatin1String("bench ")));
            return c.run(rest);
        }
    }
    QTextStream(stderr) << "quire: unknown command '" << args[1] << "' (see 'quire --help')\n";
    return ExitUsage;
}
