#pragma once

#include <QString>
#include <cstdint>
#include <optional>

namespace quire::analysis
{

enum class EntityType {
    Person,
    Organisation,
    Place,
    Date,
    Time,
    Money,
    Quantity,
    Party, // a contract party (also an organisation or person)
    Court,
    CaseNumber,
    Statute,
    Other, // a name we could not type (ships, works, events)
};

QString typeName(EntityType type); // "person", "organisation", ...
std::optional<EntityType> typeFromName(const QString &name);

// Evidence for the type of a name, summed over its mentions before a cluster is typed.
struct TypeVotes {
    float person = 0;
    float place = 0;
    float organisation = 0;
    float other = 0;
    void add(const TypeVotes &v)
    {
        person += v.person;
        place += v.place;
        organisation += v.organisation;
        other += v.other;
    }
};

// One occurrence of an entity in a document. Offsets are into the document text.
struct Mention {
    std::int64_t sentenceId = 0;
    int sentenceIndex = 0; // index into the document's sentence list
    int start = 0;
    int end = 0;
    QString surface; // as written, honorific included
    QString name; // the name proper ("Ahab" for "Captain Ahab"); aliases are resolved on it
    QString honorific; // folded honorific, when one preceded the name
    EntityType type = EntityType::Other;
    bool typed = false; // type is certain (a pattern, an honorific); otherwise votes decide
    TypeVotes votes;
    QString canonical; // set by alias resolution: the display name of the entity
    QString key; // set by alias resolution: stable identity of the entity across runs
    QString normalized; // dates: ISO form; money: amount and currency
};

} // namespace quire::analysis
