// quire-gui: the desktop application. Wiring only; the window lives in ui/.
#include "ui/mainwindow.h"
#include "ui/screenshotrunner.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>
#include <cstdio>

namespace
{

struct Options {
    QString library;
    QString screenshots;
    QString query;
    bool timing = false;
};

Options parse(const QApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Read and analyse long document archives."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("LIB"), QApplication::translate("main", "The library to open."), QStringLiteral("[LIB]"));
    const QCommandLineOption screenshots(QStringLiteral("screenshots"),
        QApplication::translate("main", "Open LIB, search, open a citation, save a PNG of each view in DIR, quit."),
        QStringLiteral("DIR"));
    const QCommandLineOption query(QStringLiteral("query"),
        QApplication::translate("main", "The search used by --screenshots (default: whale)."),
        QStringLiteral("TEXT"),
        QStringLiteral("whale"));
    const QCommandLineOption timing(
        QStringLiteral("timing"), QApplication::translate("main", "Print the time to a usable window on stderr."));
    parser.addOptions({ screenshots, query, timing });
    parser.process(app);
    Options o;
    o.library = parser.positionalArguments().value(0);
    o.screenshots = parser.value(screenshots);
    o.query = parser.value(query);
    o.timing = parser.isSet(timing);
    return o;
}

int runScreenshots(quire::ui::MainWindow &window, const Options &o)
{
    if (o.library.isEmpty()) {
        std::fprintf(stderr, "quire-gui: --screenshots needs a library (LIB)\n");
        return 2;
    }
    // Screenshots show the default layout, whatever this user's saved state is.
    auto *runner = new quire::ui::ScreenshotRunner(&window, o.library, o.screenshots, o.query, &window);
    int code = 0;
    QObject::connect(runner, &quire::ui::ScreenshotRunner::finished, qApp, [&code](bool ok, const QString &message) {
        std::fprintf(stderr, "quire-gui: %s\n", qUtf8Printable(message));
        code = ok ? 0 : 1;
        QApplication::exit(code);
    });
    window.show();
    runner->start();
    QApplication::exec();
    return code;
}

} // namespace

int main(int argc, char **argv)
{
    QElapsedTimer clock;
    clock.start();
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Quire"));
    QApplication::setApplicationName(QStringLiteral("Quire"));
    QApplication::setApplicationDisplayName(QStringLiteral("Quire"));
#ifdef QUIRE_VERSION
    QApplication::setApplicationVersion(QStringLiteral(QUIRE_VERSION));
#endif
    QApplication::setDesktopFileName(QStringLiteral("org.quire.Quire"));
    const Options options = parse(app);
    if (!options.screenshots.isEmpty())
        QStandardPaths::setTestModeEnabled(true);

    quire::ui::MainWindow window;
    if (!options.screenshots.isEmpty())
        return runScreenshots(window, options);

    if (options.timing) {
        QObject::connect(&window, &quire::ui::MainWindow::libraryReady, &app, [&clock](int count, qint64 loadMs) {
            // The list is filled; let the event loop paint it before taking the time.
            QTimer::singleShot(0, qApp, [&clock, count, loadMs] {
                std::fprintf(stderr,
                    "quire-gui: usable after %lld ms (%d documents, list read in %lld ms)\n",
                    static_cast<long long>(clock.elapsed()),
                    count,
                    static_cast<long long>(loadMs));
            });
        });
    }
    window.show();
    if (options.timing)
        std::fprintf(stderr, "quire-gui: window shown after %lld ms\n", static_cast<long long>(clock.elapsed()));
    if (!options.library.isEmpty())
        window.openLibrary(options.library);
    return QApplication::exec();
}
