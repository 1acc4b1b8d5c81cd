#pragma once

#include "store/rankedsearch.h"

#include <QWidget>
#include <memory>

class QComboBox;
class QLabel;
class QLayout;
class QLineEdit;
class QListView;
class QTimer;

namespace quire::ui
{

class LibrarySession;
class SearchResultModel;

// Full-text search as you type: the query runs in a worker 250 ms after the last key stroke, stale
// answers are dropped. Up/Down move through the hits from the search field, Enter opens the current one.
// A filter row narrows it to a document type, the document open in the reader, and a date range
// (store::SearchFilter: "2021", "2021-03" or "2021-03-15").
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
    QComboBox *documentCombo() const { return m_document; }
    QLineEdit *fromEdit() const { return m_from; }
    QLineEdit *toEdit() const { return m_to; }
    // The filter the next search uses; false (and `error` set) when a date cannot be read.
    bool currentFilter(store::SearchFilter &filter, QString *error = nullptr) const;
    QListView *resultView() const { return m_results; }
    SearchResultModel *resultModel() const { return m_model; }

public Q_SLOTS:
    void focusSearch();
    void setQuery(const QString &query);
    // Opens the next / previous hit in the reader (F3 / Shift+F3).
    void activateNext();
    void activatePrevious();
    void runSearchNow();
    // The document open in the reader: the document filter offers it.
    void setCurrentDocument(qint64 documentId, const QString &title);

Q_SIGNALS:
    // A hit was chosen: open its sentence in the reader; `terms` are the matched words to mark.
    void hitActivated(const quire::store::SearchHit &hit, const QStringList &terms);
    void searchFinished(int hitCount);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QLayout *createFilterRow();
    void showResults(const QString &query, Expected<store::RankedSearchResult> result);
    void activateRow(int row);
    void moveCurrent(int delta);

    std::shared_ptr<LibrarySession> m_session;
    QLineEdit *m_query;
    QComboBox *m_type;
    QComboBox *m_document;
    QLineEdit *m_from;
    QLineEdit *m_to;
    QLabel *m_status;
    QListView *m_results;
    SearchResultModel *m_model;
    QTimer *m_debounce;
    quint64 m_sequence = 0;
    int m_activeRow = -1;
};

} // namespace quire::ui
