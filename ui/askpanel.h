#pragma once

#include "analysis/asker.h"
#include "analysis/askmodel.h"

#include <QWidget>
#include <memory>
#include <optional>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTextBrowser;
class QUrl;

namespace quire::ui
{

class AskRunner;
class JobManager;
class LibrarySession;

// The Ask tab: a question about the whole library, answered by the configured model as it is generated,
// with citations [n] that open the reader at the passage's sentence; the passages themselves below.
// Without a model it says so ("Configure a model…") and the best passages are the answer. The questions of
// the session stay in a list; choosing one shows its answer again.
class AskPanel : public QWidget
{
    Q_OBJECT
public:
    explicit AskPanel(JobManager *jobs, QWidget *parent = nullptr);
    ~AskPanel() override;

    void setSession(std::shared_ptr<LibrarySession> session);
    // Settings used instead of the saved ones (QSettings model/*), e.g. by tests; nullopt: the saved ones.
    void setModelSettings(std::optional<analysis::AskModelSettings> settings);
    analysis::AskModelSettings modelSettings() const;

    QLineEdit *questionEdit() const { return m_question; }
    QPushButton *askButton() const { return m_ask; }
    QPushButton *stopButton() const { return m_stop; }
    QTextBrowser *answerView() const { return m_answer; }
    QListWidget *passageList() const { return m_passages; }
    QListWidget *historyList() const { return m_history; }
    QWidget *noModelBanner() const { return m_banner; }
    QLabel *statusLabel() const { return m_status; }
    bool isRunning() const;
    // The result shown now (the latest question, or the one chosen in the history).
    const analysis::AskResult *currentResult() const;

public Q_SLOTS:
    void ask(const QString &question);
    void askCurrent();
    void stop();
    // Opens passage n (1-based) of the shown result: emits citationActivated.
    void activateCitation(int number);
    // Re-reads the saved model settings (after the model manager changed them).
    void reloadSettings();

Q_SIGNALS:
    void citationActivated(qint64 documentId, qint64 sentenceId, const QString &surface);
    void configureModelRequested();
    void answerStarted(const QString &question);
    void answerFinished(bool ok);

private:
    struct Entry {
        analysis::AskResult result;
        QString error;
    };
    void buildUi();
    void connectWidgets();
    void finish(const analysis::AskResult &result, const QString &error);
    void showEntry(int index);
    void showPassages(const analysis::AskResult &result);
    void openLink(const QUrl &url);
    void updateButtons();

    AskRunner *m_runner;
    std::shared_ptr<LibrarySession> m_session;
    std::optional<analysis::AskModelSettings> m_override;
    std::vector<Entry> m_entries;
    int m_shown = -1;
    QString m_streamed;
    QLineEdit *m_question = nullptr;
    QPushButton *m_ask = nullptr;
    QPushButton *m_stop = nullptr;
    QWidget *m_banner = nullptr;
    QLabel *m_bannerText = nullptr;
    QLabel *m_status = nullptr;
    QTextBrowser *m_answer = nullptr;
    QListWidget *m_passages = nullptr;
    QListWidget *m_history = nullptr;
};

} // namespace quire::ui
