#pragma once

#include "util/cancel.h"
#include "util/error.h"
#include "util/progress.h"

#include <QCommandLineParser>
#include <QJsonObject>
#include <QStringList>
#include <memory>
#include <vector>

namespace quire::cli
{

// Exit codes of `quire`: scripts can rely on them.
enum ExitCode {
    ExitOk = 0,
    ExitFailure = 1, // the job failed (the message says why)
    ExitUsage = 2, // bad arguments
    ExitPartial = 3, // the job finished but some items failed (e.g. files that could not be ingested)
    ExitNotFound = 4, // the library, document or model does not exist
    ExitTooNew = 5, // the library was written by a newer Quire
    ExitCancelled = 130,
};

// A subcommand: `quire NAME ...`. Each lives in its own cli/cmd*.cpp and registers itself with
// `static const bool registered = quire::cli::registerCommand({...});`.
struct Command {
    QString name;
    QString summary; // one line, for `quire --help`
    int (*run)(const QStringList &arguments); // arguments[0] is "quire NAME"
};

bool registerCommand(Command command);
const std::vector<Command> &commands();

// Shared plumbing for subcommands.
class Context
{
public:
    // Adds --help and --json to the parser and processes `arguments`; returns false (with the
    // exit code in *exitCode) when the command should stop now (help shown, usage error).
    bool parse(QCommandLineParser &parser, const QStringList &arguments, int minPositional, int *exitCode);
    bool json() const { return m_json; }

    // Progress on stderr: a bar with ETA on a terminal, plain lines otherwise; silent with --json.
    Progress &progress();
    // Set by Ctrl-C (SIGINT/SIGTERM); a second Ctrl-C exits at once.
    static CancelToken &cancel();

    void printJson(const QJsonObject &object) const;
    void printJson(const QJsonArray &array) const;
    // Prints "quire: <message>" on stderr (or {"error":...} with --json) and returns the exit code for it.
    int fail(const Error &error) const;
    int fail(int exitCode, const QString &message) const;

private:
    bool m_json = false;
    std::unique_ptr<Progress> m_progress;
};

int exitCodeFor(const Error &error);
void installSignalHandlers();

} // namespace quire::cli
