#include "datefinder.h"

#include "analysis/lexicon.h"

#include <QHash>
#include <QRegularExpression>

namespace quire::analysis
{

namespace
{

// Month names (folded) in the languages we read.
int monthNumber(const QString &word)
{
    static const QHash<QString, int> months = [] {
        QHash<QString, int> h;
        const char *names[][12] = {
            { "january",
                "february",
                "march",
                "april",
                "may",
                "june",
                "july",
                "august",
                "september",
                "october",
                "november",
                "december" },
            { "enero",
                "febrero",
                "marzo",
                "abril",
                "mayo",
                "junio",
                "julio",
                "agosto",
                "septiembre",
                "octubre",
                "noviembre",
                "diciembre" },
            { "janvier",
                "fevrier",
                "mars",
                "avril",
                "mai",
                "juin",
                "juillet",
                "aout",
                "septembre",
                "octobre",
                "novembre",
                "decembre" },
            { "januar",
                "februar",
                "marz",
                "april",
                "mai",
                "juni",
                "juli",
                "august",
                "september",
                "oktober",
                "november",
                "dezember" },
        };
        for (auto &language : names) {
            for (int m = 0; m < 12; ++m)
                h.insert(QString::fromLatin1(language[m]), m + 1);
        }
        const char *full[] = { "january",
            "february",
            "march",
            "april",
            nullptr,
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december" };
        for (int m = 0; m < 12; ++m) {
            if (full[m])
                h.insert(QString::fromLatin1(full[m]).left(3), m + 1);
        }
        h.insert(QStringLiteral("sept"), 9);
        return h;
    }();
    return months.value(foldKey(word).remove(QLatin1Char('.')), 0);
}

const QString monthAlternation
    = QStringLiteral("(?:January|February|March|April|May|June|July|August|September|October|November|December|"
                     "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec|"
                     "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|"
                     "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|"
                     "Januar|Februar|März|Juni|Juli|Oktober|Dezember)\\.?");

struct Pattern {
    QRegularExpression re;
    QString kind;
};

const std::vector<Pattern> &patterns()
{
    static const std::vector<Pattern> list = [] {
        const auto opts = QRegularExpression::CaseInsensitiveOption | QRegularExpression::UseUnicodePropertiesOption;
        std::vector<Pattern> p;
        auto add = [&](const QString &re, const char *kind) {
            p.push_back({ QRegularExpression(re, opts), QLatin1String(kind) });
        };
        add(QStringLiteral("\\b(\\d{4})-(\\d{2})-(\\d{2})\\b"), "iso");
        add(QStringLiteral("(\\d{4})年(\\d{1,2})月(?:(\\d{1,2})日)?"), "cjk");
        add(QStringLiteral("\\b(") + monthAlternation
                + QStringLiteral(")\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b"),
            "mdy");
        add(QStringLiteral("\\b(\\d{1,2})(?:st|nd|rd|th|er|\\.)?\\s+(?:de\\s+)?(") + monthAlternation
                + QStringLiteral(")\\s+(?:de\\s+|del\\s+)?(\\d{4})\\b"),
            "dmy");
        add(QStringLiteral("\\b(\\d{1,2})/(\\d{1,2})/(\\d{4})\\b"), "us");
        add(QStringLiteral("\\b(") + monthAlternation + QStringLiteral(")\\s+(?:de\\s+)?(\\d{4})\\b"), "my");
        add(QStringLiteral("\\b(?:in|of|since|until|by|en|im|année)\\s+(1[5-9]\\d\\d|20\\d\\d)\\b"), "year");
        add(QStringLiteral(
                "\\b(today|yesterday|tomorrow|hoy|ayer|mañana|aujourd'hui|hier|demain|heute|gestern|morgen)\\b"),
            "day");
        add(QStringLiteral("\\b(last|next|this)\\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday|week|"
                           "month|year)\\b"),
            "rel");
        add(QStringLiteral(
                "\\b(\\d{1,3}|a|one|two|three|four|five|six|seven|ten)\\s+(days?|weeks?|months?|years?)\\s+ago\\b"),
            "ago");
        add(QStringLiteral("\\b(\\d{1,2}):(\\d{2})(?:\\s?([ap])\\.?m\\.?)?|\\b(\\d{1,2})\\s?([ap])\\.m\\."), "time");
        return p;
    }();
    return list;
}

QString isoDay(int y, int m, int d)
{
    const QDate date(y, m, d);
    return date.isValid() ? date.toString(Qt::ISODate) : QString();
}

int smallNumber(const QString &word)
{
    static const QHash<QString, int> words = { { QStringLiteral("a"), 1 },
        { QStringLiteral("one"), 1 },
        { QStringLiteral("two"), 2 },
        { QStringLiteral("three"), 3 },
        { QStringLiteral("four"), 4 },
        { QStringLiteral("five"), 5 },
        { QStringLiteral("six"), 6 },
        { QStringLiteral("seven"), 7 },
        { QStringLiteral("ten"), 10 } };
    bool ok = false;
    const int n = word.toInt(&ok);
    return ok ? n : words.value(word.toLower(), 0);
}

QDate shiftedDate(QDate ref, int n, const QString &unit)
{
    if (unit.startsWith(QLatin1String("day")))
        return ref.addDays(n);
    if (unit.startsWith(QLatin1String("week")))
        return ref.addDays(7 * n);
    if (unit.startsWith(QLatin1String("month")))
        return ref.addMonths(n);
    return ref.addYears(n);
}

QString relative(const QRegularExpressionMatch &m, const QString &kind, QDate ref)
{
    if (!ref.isValid())
        return {};
    const QString a = foldKey(m.captured(1));
    if (kind == QLatin1String("day")) {
        static const QHash<QString, int> offsets = { { QStringLiteral("today"), 0 },
            { QStringLiteral("hoy"), 0 },
            { QStringLiteral("aujourd'hui"), 0 },
            { QStringLiteral("heute"), 0 },
            { QStringLiteral("yesterday"), -1 },
            { QStringLiteral("ayer"), -1 },
            { QStringLiteral("hier"), -1 },
            { QStringLiteral("gestern"), -1 },
            { QStringLiteral("tomorrow"), 1 },
            { QStringLiteral("manana"), 1 },
            { QStringLiteral("demain"), 1 },
            { QStringLiteral("morgen"), 1 } };
        return ref.addDays(offsets.value(a, 0)).toString(Qt::ISODate);
    }
    if (kind == QLatin1String("ago"))
        return shiftedDate(ref, -smallNumber(a), m.captured(2).toLower()).toString(Qt::ISODate);
    const QString unit = m.captured(2).toLower();
    static const QStringList days = { QStringLiteral("monday"),
        QStringLiteral("tuesday"),
        QStringLiteral("wednesday"),
        QStringLiteral("thursday"),
        QStringLiteral("friday"),
        QStringLiteral("saturday"),
        QStringLiteral("sunday") };
    const int sign = a == QLatin1String("last") ? -1 : (a == QLatin1String("next") ? 1 : 0);
    const int weekday = days.indexOf(unit) + 1;
    if (weekday == 0) {
        const QDate d = shiftedDate(ref, sign, unit);
        return unit == QLatin1String("year") ? QString::number(d.year()) : d.toString(QStringLiteral("yyyy-MM"));
    }
    int delta = weekday - ref.dayOfWeek();
    if (sign < 0 && delta >= 0)
        delta -= 7;
    if (sign > 0 && delta <= 0)
        delta += 7;
    return ref.addDays(delta).toString(Qt::ISODate);
}

QString normalizeMatch(const QRegularExpressionMatch &m, const QString &kind, QDate ref)
{
    if (kind == QLatin1String("iso") || kind == QLatin1String("cjk")) {
        if (m.captured(3).isEmpty())
            return QString::asprintf("%04d-%02d", m.captured(1).toInt(), m.captured(2).toInt());
        return isoDay(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    }
    if (kind == QLatin1String("mdy"))
        return isoDay(m.captured(3).toInt(), monthNumber(m.captured(1)), m.captured(2).toInt());
    if (kind == QLatin1String("dmy"))
        return isoDay(m.captured(3).toInt(), monthNumber(m.captured(2)), m.captured(1).toInt());
    if (kind == QLatin1String("us"))
        return isoDay(m.captured(3).toInt(), m.captured(1).toInt(), m.captured(2).toInt());
    if (kind == QLatin1String("my")) {
        const int month = monthNumber(m.captured(1));
        return month ? QString::asprintf("%04d-%02d", m.captured(2).toInt(), month) : QString();
    }
    if (kind == QLatin1String("year"))
        return m.captured(1);
    if (kind == QLatin1String("time"))
        return {};
    return relative(m, kind, ref);
}

} // namespace

DateFinder::DateFinder(QDate reference)
    : m_reference(reference)
{
}

QString DateFinder::normalize(const QString &expression) const
{
    for (const Pattern &p : patterns()) {
        const auto m = p.re.match(expression);
        if (m.hasMatch())
            return normalizeMatch(m, p.kind, m_reference);
    }
    return {};
}

std::vector<Mention> DateFinder::find(const std::vector<store::SentenceRecord> &sentences) const
{
    std::vector<Mention> out;
    for (int index = 0; index < static_cast<int>(sentences.size()); ++index) {
        const store::SentenceRecord &s = sentences[index];
        std::vector<std::pair<int, int>> taken;
        for (const Pattern &p : patterns()) {
            auto it = p.re.globalMatch(s.text);
            while (it.hasNext()) {
                const auto m = it.next();
                const int from = int(m.capturedStart()), to = int(m.capturedEnd());
                bool overlaps = false;
                for (auto [a, b] : taken)
                    overlaps = overlaps || (from < b && a < to);
                if (overlaps)
                    continue;
                taken.push_back({ from, to });
                Mention mention;
                mention.sentenceId = s.id;
                mention.sentenceIndex = index;
                mention.start = s.start + from;
                mention.end = s.start + to;
                mention.surface = mention.name = mention.canonical = m.captured().simplified();
                mention.type = p.kind == QLatin1String("time") ? EntityType::Time : EntityType::Date;
                mention.typed = true;
                mention.normalized = normalizeMatch(m, p.kind, m_reference);
                if (p.kind == QLatin1String("year")) {
                    mention.surface = mention.name = mention.canonical = m.captured(1);
                    mention.start = s.start + int(m.capturedStart(1));
                }
                if (!mention.normalized.isEmpty() && mention.type == EntityType::Date)
                    mention.canonical = mention.normalized;
                out.push_back(std::move(mention));
            }
        }
    }
    return out;
}

} // namespace quire::analysis
