#pragma once

#include <QWidget>
#include <memory>

class QComboBox;
class QLabel;
class QListWidget;
class QSplitter;
class QStackedWidget;
class QTreeWidget;

namespace quire::ui
{

class EmptyStatePage;
class LibrarySession;

// Extractive summaries stored by the analysis (store::AnalysisStore): of the whole library or of the
// document open in the reader, whose summary is followed by one per section (chapter): document →
// section → sentences. Every sentence opens its source, highlighted, when activated.
class SummaryView : public QWidget
{
    Q_OBJECT
public:
    explicit SummaryView(QWidget *parent = nullptr);

    void setSession(std::shared_ptr<LibrarySession> session);
    // The document whose summary the "this document" scope shows.
    void setCurrentDocument(qint64 documentId, const QString &title);
    QListWidget *list() const { return m_list; }
    // The document scope's section summaries: one top-level item per section, its sentences as children.
    QTreeWidget *sectionTree() const { return m_sections; }
    EmptyStatePage *emptyPage() const { return m_empty; }

public Q_SLOTS:
    void reload();

Q_SIGNALS:
    void citationActivated(qint64 documentId, qint64 sentenceId);
    void analysisRequested();
    void loaded(int sentences); // of the library or document summary; the sections are loaded too then

private:
    std::shared_ptr<LibrarySession> m_session;
    qint64 m_documentId = 0;
    QString m_documentTitle;
    quint64 m_sequence = 0;
    QComboBox *m_scope;
    QLabel *m_heading;
    QListWidget *m_list;
    QTreeWidget *m_sections;
    QSplitter *m_splitter;
    EmptyStatePage *m_empty;
    QStackedWidget *m_stack;
};

} // namespace quire::ui
