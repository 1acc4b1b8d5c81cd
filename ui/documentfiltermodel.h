#pragma once

#include <QSortFilterProxyModel>
#include <optional>

namespace quire::ui
{

// Filters the library by free text (title or path), type and status, and sorts on natural keys
// (numbers as numbers, dates as ISO text) rather than on the displayed strings.
class DocumentFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    enum class StatusFilter { All, Ready, Problems, Pending, Duplicates };
    Q_ENUM(StatusFilter)

    explicit DocumentFilterModel(QObject *parent = nullptr);

    void setText(const QString &text);
    void setType(const QString &type); // empty: all types
    void setStatusFilter(StatusFilter filter);
    QString text() const { return m_text; }
    QString type() const { return m_type; }
    StatusFilter statusFilter() const { return m_status; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
    QString m_type;
    StatusFilter m_status = StatusFilter::All;
};

} // namespace quire::ui
