#pragma once

#include "ui/modelscanner.h"

#include <QAbstractTableModel>
#include <vector>

namespace quire::ui
{

// The models the scanner found, one per row. Unreadable files stay in the list, marked, with the reason
// as their tooltip. SortRole gives numbers for the numeric columns.
class ModelListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Architecture, Parameters, Quantisation, Context, Size, Source, ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1, PathRole };

    explicit ModelListModel(QObject *parent = nullptr);

    void setEntries(std::vector<ModelEntry> entries);
    // Adds or replaces (same path) one entry; returns its row.
    int addEntry(ModelEntry entry);
    const ModelEntry *entry(int row) const;
    int rowOfPath(const QString &path) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // "8.03 B", "135 M": parameters as people write them.
    static QString parameterText(qint64 parameters);

private:
    QVariant display(const ModelEntry &e, int column) const;

    std::vector<ModelEntry> m_entries;
};

} // namespace quire::ui
