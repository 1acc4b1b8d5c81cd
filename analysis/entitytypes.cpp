#include "entitytypes.h"

#include <array>

namespace quire::analysis
{

namespace
{
constexpr std::array<const char *, 12> names = { "person",
    "organisation",
    "place",
    "date",
    "time",
    "money",
    "quantity",
    "party",
    "court",
    "case_number",
    "statute",
    "other" };
}

QString typeName(EntityType type)
{
    return QLatin1String(names[static_cast<std::size_t>(type)]);
}

std::optional<EntityType> typeFromName(const QString &name)
{
    const QString n = name.toLower();
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (n == QLatin1String(names[i]))
            return static_cast<EntityType>(i);
    }
    if (n == QLatin1String("organization") || n == QLatin1String("org"))
        return EntityType::Organisation;
    if (n == QLatin1String("location") || n == QLatin1String("loc"))
        return EntityType::Place;
    return std::nullopt;
}

} // namespace quire::analysis
