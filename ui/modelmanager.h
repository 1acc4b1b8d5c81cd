#pragma once

#include "ui/modelscanner.h"

#include <QDialog>
#include <memory>

class QComboBox;
class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QSpinBox;
class QTableView;

namespace quire
{
class CancelToken;
}

namespace quire::ui
{

class ModelListModel;

// Settings ▸ Models…: the GGUF models on this computer (Hugging Face cache, LM Studio, Ollama, the
// person's own folders and files), each with architecture, parameters, quantisation, context and size,
// read from its header in a worker; unreadable files are listed with the reason. The detail pane says
// which device the model would run on and why, and sets context length (bounded by the model's),
// attention (auto, dense, sparse) and device (auto, CPU, Vulkan). "Use This Model" writes ModelSettings.
class ModelManager : public QDialog
{
    Q_OBJECT
public:
    explicit ModelManager(QWidget *parent = nullptr);
    ~ModelManager() override;

    // Where rescan() looks; by default ModelScanner::defaultLocations() and the folders added here.
    void setLocations(QList<ModelLocation> locations);
    QList<ModelLocation> locations() const;

    QTableView *view() const { return m_view; }
    ModelListModel *model() const { return m_model; }
    QSpinBox *contextSpin() const { return m_context; }
    QComboBox *attentionCombo() const { return m_attention; }
    QComboBox *deviceCombo() const { return m_device; }
    QPushButton *useButton() const { return m_use; }
    QLabel *runsOnLabel() const { return m_runsOn; }
    const ModelEntry *currentEntry() const;
    bool isScanning() const { return m_scanning; }

public Q_SLOTS:
    void rescan();
    // Reads the file's header in a worker, then lists and selects it; remembered for next time.
    void addFile(const QString &path);
    // Remembered, then scanned with the others.
    void addFolder(const QString &path);
    bool selectPath(const QString &path);
    // Writes the chosen model and its settings (ModelSettings) and closes the dialog.
    void useCurrentModel();

Q_SIGNALS:
    void scanFinished(int models);
    void fileAdded(const QString &path);
    void deviceProbed(const QString &text);
    void modelChosen(const QString &path);

protected:
    void showEvent(QShowEvent *event) override;

private:
    QWidget *createDetails();
    QWidget *createList();
    void showEntry(const ModelEntry *entry);
    void probeDevice();
    void chooseFile();
    void chooseFolder();
    void restoreChoices();

    ModelListModel *m_model;
    QSortFilterProxyModel *m_sorted;
    QTableView *m_view = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_details = nullptr;
    QLabel *m_runsOn = nullptr;
    QSpinBox *m_context = nullptr;
    QComboBox *m_attention = nullptr;
    QComboBox *m_device = nullptr;
    QPushButton *m_use = nullptr;
    QList<ModelLocation> m_locations;
    bool m_customLocations = false;
    bool m_scanning = false;
    bool m_scannedOnce = false;
    quint64 m_scanSequence = 0;
    quint64 m_probeSequence = 0;
    std::shared_ptr<CancelToken> m_cancel;
};

} // namespace quire::ui
