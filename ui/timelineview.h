#pragma once

#include <QWidget>
#include <memory>

class QStackedWidget;
class QTreeWidget;

namespace quire::ui
{

class EmptyStatePage;
class LibrarySession;

// The dated events of the library (analysis::timeline) in chronological order; activating one opens its
// sentence in the reader with the date marked.
class TimelineView : public QWidget
{
    Q_OBJECT
public:
    explicit TimelineView(QWidget *parent = nullptr);

    void setSession(std::shared_ptr<LibrarySession> session);
    QTreeWidget *tree() const { return m_tree; }

public Q_SLOTS:
    void reload();

Q_SIGNALS:
    void citationActivated(qint64 documentId, qint64 sentenceId, const QString &dateText);
    void analysisRequested();
    void loaded(int events);

private:
    std::shared_ptr<LibrarySession> m_session;
    quint64 m_sequence = 0;
    QTreeWidget *m_tree;
    EmptyStatePage *m_empty;
    QStackedWidget *m_stack;
};

} // namespace quire::ui
