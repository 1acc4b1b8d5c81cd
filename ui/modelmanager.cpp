#include "ui/modelmanager.h"

#include "ui/deliver.h"
#include "ui/deviceinfo.h"
#include "ui/icons.h"
#include "ui/modellistmodel.h"
#include "ui/modelsettings.h"
#include "util/cancel.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace quire::ui
{

namespace
{

const QString FoldersKey = QStringLiteral("modelManager/folders");
const QString FilesKey = QStringLiteral("modelManager/files");
constexpr int UnknownContextMax = 1 << 20; // the most a model without a stated context may be given

void remember(const QString &key, const QString &path)
{
    QSettings settings;
    QStringList list = settings.value(key).toStringList();
    if (!list.contains(path)) {
        list.append(path);
        settings.setValue(key, list);
    }
}

void addChoices(QComboBox *combo, const QList<std::pair<QString, QString>> &choices)
{
    for (const auto &[text, value] : choices)
        combo->addItem(text, value);
}

QString detailsHtml(const ModelEntry &e)
{
    auto row = [](const QString &label, const QString &value) {
        return QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(label, value.toHtmlEscaped());
    };
    QString html = QStringLiteral("<table cellspacing=3>") + row(ModelManager::tr("Model"), e.displayName)
        + row(ModelManager::tr("File"), QDir::toNativeSeparators(e.path))
        + row(ModelManager::tr("Size"), QLocale().formattedDataSize(e.fileBytes));
    if (!e.isUsable())
        return html + row(ModelManager::tr("Cannot be used"), e.error) + QStringLiteral("</table>");
    const QString unknown = ModelManager::tr("not stated");
    html += row(ModelManager::tr("Name"), e.name.isEmpty() ? unknown : e.name)
        + row(ModelManager::tr("Architecture"), e.architecture.isEmpty() ? unknown : e.architecture)
        + row(ModelManager::tr("Parameters"), ModelListModel::parameterText(e.parameters))
        + row(ModelManager::tr("Quantisation"), e.quantisation) + row(ModelManager::tr("Tensor types"), e.typeMix)
        + row(ModelManager::tr("Context"),
            e.contextLength > 0 ? ModelManager::tr("%1 tokens").arg(QLocale().toString(e.contextLength)) : unknown)
        + row(ModelManager::tr("Chat template"), e.chatFamily.isEmpty() ? ModelManager::tr("none") : e.chatFamily);
    return html + QStringLiteral("</table>");
}

} // namespace

ModelManager::ModelManager(QWidget *parent)
    : QDialog(parent)
    , m_model(new ModelListModel(this))
    , m_sorted(new QSortFilterProxyModel(this))
    , m_cancel(std::make_shared<CancelToken>())
{
    setWindowTitle(tr("Models"));
    setAccessibleName(tr("Model manager"));
    m_sorted->setSourceModel(m_model);
    m_sorted->setSortRole(ModelListModel::SortRole);
    auto *splitter = new QSplitter(this);
    splitter->addWidget(createList());
    splitter->addWidget(createDetails());
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_use = buttons->addButton(tr("&Use This Model"), QDialogButtonBox::AcceptRole);
    m_use->setDefault(true);
    m_use->setEnabled(false);
    connect(buttons, &QDialogButtonBox::accepted, this, &ModelManager::useCurrentModel);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(1000, 560);
    restoreChoices();
}

ModelManager::~ModelManager()
{
    m_cancel->cancel();
}

QWidget *ModelManager::createList()
{
    auto *box = new QWidget(this);
    m_view = new QTableView(box);
    m_view->setModel(m_sorted);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(-1, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(ModelListModel::Name, QHeaderView::Interactive);
    m_view->setColumnWidth(ModelListModel::Name, 280);
    m_view->setAccessibleName(tr("Models found"));
    connect(
        m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] { showEntry(currentEntry()); });
    connect(m_view, &QTableView::activated, this, [this] {
        if (m_use->isEnabled())
            useCurrentModel();
    });
    auto *addFileButton = new QPushButton(themeIcon(QStringLiteral("document-open")), tr("Add &File…"), box);
    auto *addFolderButton = new QPushButton(themeIcon(QStringLiteral("folder-open")), tr("Add F&older…"), box);
    auto *rescanButton = new QPushButton(themeIcon(QStringLiteral("view-refresh")), tr("&Rescan"), box);
    connect(addFileButton, &QPushButton::clicked, this, &ModelManager::chooseFile);
    connect(addFolderButton, &QPushButton::clicked, this, &ModelManager::chooseFolder);
    connect(rescanButton, &QPushButton::clicked, this, &ModelManager::rescan);
    auto *row = new QHBoxLayout;
    row->addWidget(addFileButton);
    row->addWidget(addFolderButton);
    row->addStretch(1);
    row->addWidget(rescanButton);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view, 1);
    layout->addLayout(row);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setAccessibleName(tr("Scan status"));
    return box;
}

QWidget *ModelManager::createDetails()
{
    auto *box = new QWidget(this);
    m_details = new QLabel(tr("Choose a model in the list."), box);
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_details->setAccessibleName(tr("Model details"));
    m_runsOn = new QLabel(tr("Looking for a Vulkan device…"), box);
    m_runsOn->setWordWrap(true);
    m_runsOn->setAccessibleName(tr("Device the model runs on"));
    m_context = new QSpinBox(box);
    m_context->setRange(0, UnknownContextMax);
    m_context->setSingleStep(1024);
    m_context->setGroupSeparatorShown(true);
    m_context->setSpecialValueText(tr("The model's own"));
    m_context->setSuffix(tr(" tokens"));
    m_context->setAccessibleName(tr("Context length"));
    m_attention = new QComboBox(box);
    addChoices(m_attention,
        { { tr("Automatic (sparse for long contexts)"), QStringLiteral("auto") },
            { tr("Dense (exact, slower on long contexts)"), QStringLiteral("dense") },
            { tr("Sparse (fast on million-token contexts)"), QStringLiteral("sparse") } });
    m_attention->setAccessibleName(tr("Attention mode"));
    m_device = new QComboBox(box);
    addChoices(m_device,
        { { tr("Automatic (a GPU when there is one)"), QStringLiteral("auto") },
            { tr("CPU"), QStringLiteral("cpu") },
            { tr("Vulkan GPU"), QStringLiteral("vulkan") } });
    m_device->setAccessibleName(tr("Compute device"));
    connect(m_device, &QComboBox::currentIndexChanged, this, &ModelManager::probeDevice);
    auto *form = new QFormLayout;
    form->addRow(tr("&Context length:"), m_context);
    form->addRow(tr("&Attention:"), m_attention);
    form->addRow(tr("&Device:"), m_device);
    form->addRow(tr("Runs on:"), m_runsOn);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_details, 1);
    layout->addLayout(form);
    return box;
}

void ModelManager::restoreChoices()
{
    const ModelSettings settings = ModelSettings::load();
    m_context->setValue(settings.contextLength);
    m_attention->setCurrentIndex(qMax(0, m_attention->findData(settings.attention)));
    QSignalBlocker block(m_device);
    m_device->setCurrentIndex(qMax(0, m_device->findData(settings.device)));
}

void ModelManager::setLocations(QList<ModelLocation> locations)
{
    m_locations = std::move(locations);
    m_customLocations = true;
}

QList<ModelLocation> ModelManager::locations() const
{
    QList<ModelLocation> all = m_customLocations
        ? m_locations
        : ModelScanner::defaultLocations(QDir::homePath(), QProcessEnvironment::systemEnvironment());
    for (const QString &folder : QSettings().value(FoldersKey).toStringList())
        all.append({ folder, ModelLocation::Layout::Folder, QDir::toNativeSeparators(folder) });
    return all;
}

void ModelManager::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    if (!m_scannedOnce) {
        rescan();
        probeDevice();
    }
}

void ModelManager::rescan()
{
    m_scannedOnce = true;
    m_cancel->cancel();
    m_cancel = std::make_shared<CancelToken>();
    m_scanning = true;
    const quint64 sequence = ++m_scanSequence;
    const QList<ModelLocation> where = locations();
    m_status->setText(tr("Looking for GGUF models…"));
    auto work = [where, files = QSettings().value(FilesKey).toStringList(), cancel = m_cancel] {
        return ModelScanner::scan(where, files, cancel.get());
    };
    deliver(QtConcurrent::run(std::move(work)), this, [this, sequence, where](std::vector<ModelEntry> found) {
        if (sequence != m_scanSequence)
            return;
        m_scanning = false;
        const int count = int(found.size());
        m_model->setEntries(std::move(found));
        QStringList places;
        for (const ModelLocation &l : where)
            places << QDir::toNativeSeparators(l.path);
        m_status->setText(
            count == 0 ? tr(
                "No GGUF models found. Add a file or a folder, or download one with Hugging Face, LM Studio or Ollama.")
                       : tr("%n model(s) found in %1.", nullptr, count).arg(places.join(QStringLiteral(", "))));
        if (!selectPath(ModelSettings::load().path) && count > 0)
            m_view->selectRow(0);
        Q_EMIT scanFinished(count);
    });
}

void ModelManager::addFile(const QString &path)
{
    remember(FilesKey, path);
    m_status->setText(tr("Reading %1…").arg(QDir::toNativeSeparators(path)));
    auto work = [path] { return ModelScanner::describe(path, {}, tr("Added file")); };
    deliver(QtConcurrent::run(std::move(work)), this, [this](ModelEntry entry) {
        const QString path = entry.path;
        m_status->setText(entry.isUsable() ? tr("Added %1.").arg(entry.displayName)
                                           : tr("%1 cannot be used: %2").arg(entry.displayName, entry.error));
        m_model->addEntry(std::move(entry));
        selectPath(path);
        Q_EMIT fileAdded(path);
    });
}

void ModelManager::addFolder(const QString &path)
{
    remember(FoldersKey, path);
    rescan();
}

bool ModelManager::selectPath(const QString &path)
{
    const int row = path.isEmpty() ? -1 : m_model->rowOfPath(path);
    if (row < 0)
        return false;
    const QModelIndex index = m_sorted->mapFromSource(m_model->index(row, 0));
    m_view->setCurrentIndex(index);
    m_view->scrollTo(index);
    return true;
}

const ModelEntry *ModelManager::currentEntry() const
{
    const QModelIndex index = m_sorted->mapToSource(m_view->currentIndex());
    return index.isValid() ? m_model->entry(index.row()) : nullptr;
}

void ModelManager::showEntry(const ModelEntry *entry)
{
    m_use->setEnabled(entry && entry->isUsable());
    if (!entry) {
        m_details->setText(tr("Choose a model in the list."));
        return;
    }
    m_details->setText(detailsHtml(*entry));
    const int max
        = entry->contextLength > 0 ? int(qMin<qint64>(entry->contextLength, UnknownContextMax)) : UnknownContextMax;
    m_context->setMaximum(max);
    m_context->setSpecialValueText(entry->contextLength > 0
            ? tr("The model's own (%1)").arg(QLocale().toString(entry->contextLength))
            : tr("The model's own"));
}

void ModelManager::probeDevice()
{
    const quint64 sequence = ++m_probeSequence;
    const QString device = m_device->currentData().toString();
    m_runsOn->setText(tr("Looking for a Vulkan device…"));
    deliver(QtConcurrent::run([device] { return DeviceInfo::probe(device); }), this, [this, sequence](DeviceInfo info) {
        if (sequence != m_probeSequence)
            return;
        m_runsOn->setText(info.text());
        m_runsOn->setToolTip(info.reason);
        Q_EMIT deviceProbed(info.text());
    });
}

void ModelManager::useCurrentModel()
{
    const ModelEntry *entry = currentEntry();
    if (!entry || !entry->isUsable())
        return;
    ModelSettings settings;
    settings.path = entry->path;
    settings.name = entry->displayName;
    settings.contextLength = m_context->value();
    settings.attention = m_attention->currentData().toString();
    settings.device = m_device->currentData().toString();
    settings.save();
    Q_EMIT modelChosen(entry->path);
    accept();
}

void ModelManager::chooseFile()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Add a Model"), QDir::homePath(), tr("GGUF models (*.gguf);;All files (*)"));
    if (!path.isEmpty())
        addFile(path);
}

void ModelManager::chooseFolder()
{
    const QString path = QFileDialog::getExistingDirectory(this, tr("Add a Folder of Models"), QDir::homePath());
    if (!path.isEmpty())
        addFolder(path);
}

} // namespace quire::ui
