#include "ui/searchpanel.h"

#include "ui/deliver.h"
#include "ui/librarysession.h"
#include "ui/searchresultmodel.h"
#include "ui/snippetdelegate.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QTimer>
#include <QVBoxLayout>

namespace quire::ui
{

namespace
{
constexpr int DebounceMs = 250;
constexpr int ResultLimit = 200;
} // namespace

SearchPanel::SearchPanel(QWidget *parent)
    : QWidget(parent)
    , m_query(new QLineEdit(this))
    , m_type(new QComboBox(this))
    , m_document(new QComboBox(this))
    , m_from(new QLineEdit(this))
    , m_to(new QLineEdit(this))
    , m_status(new QLabel(this))
    , m_results(new QListView(this))
    , m_model(new SearchResultModel(this))
    , m_debounce(new QTimer(this))
{
    m_query->setPlaceholderText(tr("Search all documents…"));
    m_query->setClearButtonEnabled(true);
    m_query->setAccessibleName(tr("Search query"));
    m_query->installEventFilter(this);

    m_results->setModel(m_model);
    m_results->setItemDelegate(new SnippetDelegate(m_results));
    m_results->setAccessibleName(tr("Search results"));
    m_results->setUniformItemSizes(true);
    m_results->setAlternatingRowColors(true);
    m_results->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_status->setWordWrap(true);
    m_status->setContentsMargins(4, 2, 4, 2);
    m_status->setText(tr("Type to search the full text. Quotes make a phrase; OR, NOT and prefix* work too."));

    m_debounce->setSingleShot(true);
    m_debounce->setInterval(DebounceMs);
    connect(m_debounce, &QTimer::timeout, this, &SearchPanel::runSearchNow);
    connect(m_query, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_query, &QLineEdit::returnPressed, this, [this] {
        if (m_debounce->isActive())
            runSearchNow();
        else
            activateRow(qMax(0, m_results->currentIndex().row()));
    });
    connect(m_results, &QListView::activated, this, [this](const QModelIndex &i) { activateRow(i.row()); });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_query);
    layout->addLayout(createFilterRow());
    layout->addWidget(m_status);
    layout->addWidget(m_results, 1);
    setFocusProxy(m_query);
}

SearchPanel::~SearchPanel() = default;

QLayout *SearchPanel::createFilterRow()
{
    m_type->setAccessibleName(tr("Search in document type"));
    m_type->addItem(tr("All types"), QString());
    m_document->setAccessibleName(tr("Search in document"));
    m_document->addItem(tr("All documents"), qint64(0));
    m_document->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_document->setMinimumContentsLength(10);
    const QFontMetrics metrics(m_from->font());
    for (QLineEdit *edit : { m_from, m_to }) {
        edit->setClearButtonEnabled(true);
        edit->setMaximumWidth(metrics.horizontalAdvance(QStringLiteral("0000-00-00")) * 3 / 2 + 24);
        edit->setToolTip(tr("Documents dated (created, else modified, else the file's date) on or %1 this day. "
                            "Write 2021, 2021-03 or 2021-03-15.")
                             .arg(edit == m_from ? tr("after") : tr("before")));
        connect(edit, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
        connect(edit, &QLineEdit::returnPressed, this, &SearchPanel::runSearchNow);
    }
    m_from->setPlaceholderText(tr("From"));
    m_from->setAccessibleName(tr("Documents dated from"));
    m_to->setPlaceholderText(tr("To"));
    m_to->setAccessibleName(tr("Documents dated until"));
    connect(m_type, &QComboBox::currentIndexChanged, this, &SearchPanel::runSearchNow);
    connect(m_document, &QComboBox::currentIndexChanged, this, &SearchPanel::runSearchNow);
    auto *row = new QHBoxLayout;
    row->addWidget(m_type);
    row->addWidget(m_document, 1);
    row->addWidget(m_from);
    row->addWidget(m_to);
    return row;
}

void SearchPanel::setCurrentDocument(qint64 documentId, const QString &title)
{
    const bool selected = m_document->currentIndex() == 1;
    QSignalBlocker block(m_document);
    if (m_document->count() > 1)
        m_document->removeItem(1);
    if (documentId > 0)
        m_document->addItem(tr("Only in “%1”").arg(title.isEmpty() ? tr("this document") : title), documentId);
    m_document->setCurrentIndex(selected && documentId > 0 ? 1 : 0);
    if (selected)
        runSearchNow();
}

bool SearchPanel::currentFilter(store::SearchFilter &filter, QString *error) const
{
    filter = {};
    filter.type = m_type->currentData().toString();
    if (const qint64 id = m_document->currentData().toLongLong(); id > 0)
        filter.documentId = id;
    for (QLineEdit *edit : { m_from, m_to }) {
        const QString text = edit->text().trimmed();
        if (text.isEmpty())
            continue;
        const QDate date = store::SearchFilter::parseBound(text, edit == m_to);
        if (!date.isValid()) {
            if (error)
                *error = tr("“%1” is not a date: write 2021, 2021-03 or 2021-03-15.").arg(text);
            return false;
        }
        (edit == m_to ? filter.to : filter.from) = date;
    }
    return true;
}

void SearchPanel::setSession(std::shared_ptr<LibrarySession> session)
{
    m_session = std::move(session);
    ++m_sequence;
    m_model->setHits({});
    if (!m_query->text().isEmpty())
        runSearchNow();
}

void SearchPanel::setTypes(const QStringList &types)
{
    const QString current = m_type->currentData().toString();
    QSignalBlocker block(m_type);
    while (m_type->count() > 1)
        m_type->removeItem(1);
    for (const QString &t : types)
        m_type->addItem(t, t);
    m_type->setCurrentIndex(qMax(0, m_type->findData(current)));
}

void SearchPanel::focusSearch()
{
    m_query->setFocus(Qt::ShortcutFocusReason);
    m_query->selectAll();
}

void SearchPanel::setQuery(const QString &query)
{
    m_query->setText(query);
}

void SearchPanel::runSearchNow()
{
    m_debounce->stop();
    const QString query = m_query->text().trimmed();
    const quint64 sequence = ++m_sequence;
    if (query.isEmpty() || !m_session) {
        m_model->setHits({});
        m_status->setText(m_session ? tr("Type to search the full text.") : tr("Open a library to search it."));
        return;
    }
    store::RankedSearchOptions options;
    options.limit = ResultLimit;
    QString filterError;
    if (!currentFilter(options.filter, &filterError)) {
        m_model->setHits({});
        m_status->setText(filterError);
        Q_EMIT searchFinished(0);
        return;
    }
    m_status->setText(tr("Searching…"));
    deliver(m_session->run([query, options](store::Library &lib) { return store::rankedSearch(lib, query, options); }),
        this,
        [this, sequence, query](Expected<store::RankedSearchResult> result) {
            if (sequence == m_sequence)
                showResults(query, std::move(result));
        });
}

void SearchPanel::showResults(const QString &query, Expected<store::RankedSearchResult> result)
{
    if (!result) {
        m_model->setHits({});
        m_status->setText(errorText(result.error()));
        Q_EMIT searchFinished(0);
        return;
    }
    const int count = int(result->hits.size());
    const bool filtered = !m_type->currentData().toString().isEmpty() || m_document->currentIndex() > 0
        || !m_from->text().trimmed().isEmpty() || !m_to->text().trimmed().isEmpty();
    m_activeRow = -1;
    m_model->setHits(std::move(result->hits));
    if (count == 0)
        m_status->setText(filtered ? tr("No matches for “%1” with these filters.").arg(query)
                                   : tr("No matches for “%1”.").arg(query));
    else if (count >= ResultLimit)
        m_status->setText(tr("Best %1 matches; refine the query to see others.").arg(count));
    else
        m_status->setText(tr("%n match(es)", nullptr, count));
    if (count > 0)
        m_results->setCurrentIndex(m_model->index(0));
    Q_EMIT searchFinished(count);
}

void SearchPanel::activateRow(int row)
{
    const store::SearchHit *hit = m_model->hit(row);
    if (!hit)
        return;
    m_activeRow = row;
    m_results->setCurrentIndex(m_model->index(row));
    Q_EMIT hitActivated(*hit, SearchResultModel::matchedTerms(*hit));
}

void SearchPanel::moveCurrent(int delta)
{
    const int count = m_model->rowCount();
    if (count == 0)
        return;
    const int row = qBound(0, m_results->currentIndex().row() + delta, count - 1);
    m_results->setCurrentIndex(m_model->index(row));
}

void SearchPanel::activateNext()
{
    if (m_model->rowCount() == 0)
        return;
    activateRow((m_activeRow + 1) % m_model->rowCount());
}

void SearchPanel::activatePrevious()
{
    const int count = m_model->rowCount();
    if (count == 0)
        return;
    activateRow(m_activeRow <= 0 ? count - 1 : m_activeRow - 1);
}

bool SearchPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_query && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        const int page = qMax(1, m_results->viewport()->height() / qMax(1, m_results->sizeHintForRow(0)));
        switch (key->key()) {
        case Qt::Key_Down:
            moveCurrent(1);
            return true;
        case Qt::Key_Up:
            moveCurrent(-1);
            return true;
        case Qt::Key_PageDown:
            moveCurrent(page);
            return true;
        case Qt::Key_PageUp:
            moveCurrent(-page);
            return true;
        default:
            break;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace quire::ui
