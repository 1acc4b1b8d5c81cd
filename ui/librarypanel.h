#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QStackedWidget;
class QTreeView;

namespace quire::ui
{

class DocumentFilterModel;
class DocumentModel;

// The library: every document with its status (and the reason when it failed), type, pages, dates and
// duplicate marks; a filter field, type and status filters, sortable columns.
class LibraryPanel : public QWidget
{
    Q_OBJECT
public:
    explicit LibraryPanel(DocumentModel *model, QWidget *parent = nullptr);

    DocumentFilterModel *filterModel() const { return m_filter; }
    QTreeView *view() const { return m_view; }
    QLineEdit *filterEdit() const { return m_filterEdit; }
    QComboBox *typeCombo() const { return m_typeCombo; }
    QComboBox *statusCombo() const { return m_statusCombo; }

    QByteArray saveState() const;
    void restoreState(const QByteArray &state);
    // Shows a message instead of the list (no library, failed load).
    void setPlaceholder(const QString &text);

Q_SIGNALS:
    void documentActivated(qint64 documentId);
    void retryWithPasswordRequested(const QString &path);

private:
    void refreshTypes();
    void updateCount();
    void showContextMenu(const QPoint &pos);

    DocumentModel *m_model;
    DocumentFilterModel *m_filter;
    QLineEdit *m_filterEdit;
    QComboBox *m_typeCombo;
    QComboBox *m_statusCombo;
    QTreeView *m_view;
    QLabel *m_countLabel;
    QLabel *m_placeholder;
    QStackedWidget *m_stack;
};

} // namespace quire::ui
