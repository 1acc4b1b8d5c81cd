#pragma once

#include "store/library.h"

#include <QWidget>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QTimer;

namespace quire::ui
{

class LibrarySession;
class SearchResultModel;

// Full-text search as you type: the query runs in a worker 250 ms after the last key stroke, stale
// answers are dropped. Up/Down move through the hits from the search field, Enter opens the current one.
class SearchPanel : public QWidget
{
    Q_OBJECT
public:
    explicit SearchPanel(QWidget *parent = nullptr);
    ~SearchPanel() override;

    void setSession(std::shared_ptr<LibrarySession> session);
    void setTypes(const QStringList &types);

    QLineEdit *queryEdit() const { return m_query; }
    QComboBox *typeCombo() const { return m_type; }
    QListView *resultView() const { return m_results; }
    SearchResultModel *resultModel() const { return m_model; }

public Q_SLOTS:
    void focusSearch();
    void setQuery(const QString &query);
    // Opens the next / previous hit in the reader (F3 / Shift+F3).
    void activateNext();
    void activatePrevious();
    void runSearchNow();

Q_SIGNALS:
    // A hit was chosen: open its sentence in the reader; `terms` are the matched words to mark.
    void hitActivated(const quire::store::SearchHit &hit, const QStringList &terms);
    void searchFinished(int hitCount);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void showResults(const QString &query, Expected<std::vector<store::SearchHit>> result);
    void activateRow(int row);
    void moveCurrent(int delta);

    std::shared_ptr<LibrarySession> m_session;
    QLineEdit *m_query;
    QComboBox *m_type;
    QLabel *m_status;
    QListView *m_results;
    SearchResultModel *m_model;
    QTimer *m_debounce;
    quint64 m_sequence = 0;
    int m_activeRow = -1;
};

} // namespace quire::ui
