"""FILM1203 Introduction to Film Studies -- films to watch and the theory to read with them.

Films (audio-visual resources with directors and studios), essays in edited
collections (host book, editor, translator, ISBN, pages), a Screen article, a
web page and a local screening schedule. One week holds a nested section.
"""

from __future__ import annotations

from cite import (
    ESSENTIAL,
    OPTIONAL,
    RECOMMENDED,
    VLE,
    article,
    book,
    catalogue,
    chapter,
    film,
    item,
    local,
    note,
    section,
    shelf,
    url,
    web,
)

from crosswalks.rli import ResourceList

OWNER = "dr.tomas.lindqvist"
WHAT_IS_CINEMA = "What Is Cinema? Volume 1"
UCP = ("University of California Press", "Berkeley")

BORDWELL = item("r1", book(
    "Film Art: An Introduction", ("Bordwell, David", "Thompson, Kristin"), "2013",
    "McGraw-Hill", "New York", edition="10th",
    locations=(catalogue("b4088126"), shelf("PN1995 .B617 2013")),
), ESSENTIAL)
BAZIN_ONTOLOGY = item("r2", chapter(
    "The Ontology of the Photographic Image", ("Bazin, André",), WHAT_IS_CINEMA, (), "1967",
    *UCP, "9-16", translators=("Gray, Hugh",), host_authors=("Bazin, André",),
    locations=(shelf("PN1994 .B3513 1967 v.1"),),
), ESSENTIAL)
BAZIN_EVOLUTION = item("r3", chapter(
    "The Evolution of the Language of Cinema", ("Bazin, André",), WHAT_IS_CINEMA, (), "1967",
    *UCP, "23-40", translators=("Gray, Hugh",), host_authors=("Bazin, André",),
    locations=(shelf("PN1994 .B3513 1967 v.1"),),
), RECOMMENDED)
BENJAMIN = item("r4", chapter(
    "The Work of Art in the Age of Mechanical Reproduction", ("Benjamin, Walter",),
    "Illuminations: Essays and Reflections", ("Arendt, Hannah",), "1969", "Schocken Books",
    "New York", "217-251", isbn13="9780805202410", translators=("Zohn, Harry",),
    locations=(shelf("PT2603.E455 A26 1969"),),
), ESSENTIAL)
EISENSTEIN = item("r5", book(
    "Film Form: Essays in Film Theory", ("Eisenstein, Sergei",), "1949", "Harcourt, Brace",
    "New York", editors=("Leyda, Jay",), translators=("Leyda, Jay",),
    locations=(shelf("PN1995 .E47 1949"),),
), RECOMMENDED)
KRACAUER = item("r6", book(
    "Theory of Film: The Redemption of Physical Reality", ("Kracauer, Siegfried",), "1960",
    "Oxford University Press", "New York", locations=(shelf("PN1995 .K7 1960"),),
), OPTIONAL)
MULVEY = item("r7", article(
    "Visual Pleasure and Narrative Cinema", ("Mulvey, Laura",), "Screen", "0036-9543", "1975",
    "16", "3", "6-18", doi_="10.1093/screen/16.3.6",
    notes=(note("Read twice: once before and once after the Vertigo screening.", author=OWNER),),
), ESSENTIAL)
GUNNING = item("r8", article(
    "The Cinema of Attraction: Early Film, Its Spectator and the Avant-Garde",
    ("Gunning, Tom",), "Wide Angle", "", "1986", "8", "3-4", "63-70",
), RECOMMENDED)
SIGHT_SOUND = item("r9", web(
    "The Greatest Films of All Time",
    "https://www.bfi.org.uk/sight-and-sound/greatest-films-all-time",
    publisher="British Film Institute", date="2022-12",
    description="The Sight and Sound critics' poll, 2022 edition.",
))

VERTOV = item("f1", film(
    "Man with a Movie Camera", ("Vertov, Dziga",), "1929", "VUFKU", "Kyiv",
    description="Silent city-symphony documentary.",
    locations=(shelf("DVD 791.4372 MAN"),),
), ESSENTIAL)
POTEMKIN = item("f2", film(
    "Battleship Potemkin", ("Eisenstein, Sergei",), "1925", "Goskino", "Moscow",
    description="Silent; the Odessa Steps sequence is the montage set piece.",
    locations=(shelf("DVD 791.4372 BAT"),),
), ESSENTIAL)
KANE = item("f3", film(
    "Citizen Kane", ("Welles, Orson",), "1941", "RKO Radio Pictures", "Los Angeles",
    language="en", locations=(shelf("DVD 791.4372 CIT"),),
), ESSENTIAL)
BICYCLE = item("f4", film(
    "Bicycle Thieves (Ladri di biciclette)", ("De Sica, Vittorio",), "1948",
    "Produzioni De Sica", "Rome", language="it", locations=(shelf("DVD 791.4372 BIC"),),
), ESSENTIAL)
TOKYO = item("f5", film(
    "Tokyo Story (Tōkyō monogatari)", ("Ozu, Yasujirō",), "1953", "Shochiku", "Tokyo",
    language="ja", locations=(shelf("DVD 791.4372 TOK"),),
), RECOMMENDED)
VERTIGO = item("f6", film(
    "Vertigo", ("Hitchcock, Alfred",), "1958", "Paramount Pictures", "Los Angeles",
    language="en", locations=(shelf("DVD 791.4372 VER"),),
), ESSENTIAL)
BREATHLESS = item("f7", film(
    "Breathless (À bout de souffle)", ("Godard, Jean-Luc",), "1960",
    "Les Films Impéria; Société Nouvelle de Cinématographie", "Paris", language="fr",
    locations=(shelf("DVD 791.4372 BRE"),),
), OPTIONAL)
SCHEDULE = item("h1", local(
    "Screening schedule and viewing notes, spring 2026", ("Lindqvist, Tomas",), "2026-01-06",
    fmt="application/pdf",
    locations=(url(VLE + "film1203/screenings-2026.pdf", "VLE"),),
    notes=(note("Screenings are Tuesdays 14:00 in the Arts Cinema; attendance is part of"
                " the module.", kind="essential", author=OWNER),),
))


def v1() -> ResourceList:
    return ResourceList(
        identifier="film1203-2026",
        title="Introduction to Film Studies",
        owner=OWNER,
        description="Each week pairs a film with a piece of theory. Watch the film in the"
        " screening or from the library DVD collection before the seminar.",
        courses=("FILM1203",),
        language="en-GB",
        created="2025-12-10T12:00:00Z",
        modified="2026-01-06T15:30:00Z",
        items=(
            SCHEDULE,
            BORDWELL,
            section("w1", "Week 1: Attractions and the city", VERTOV, GUNNING),
            section("w2", "Week 2: Montage", POTEMKIN, EISENSTEIN,
                    section("w2x", "If you want more", KRACAUER, BENJAMIN,
                            description="Optional background for the essay.")),
            section("w3", "Week 3: Realism and the long take", KANE, BICYCLE, BAZIN_ONTOLOGY,
                    BAZIN_EVOLUTION),
            section("w4", "Week 4: The look", VERTIGO, MULVEY),
            section("w5", "Week 5: Other cinemas", TOKYO, BREATHLESS, SIGHT_SOUND),
        ),
        annotations=(
            note("DVDs are reference-only; ask at the Media desk.", author="library.media"),
        ),
    )


def versions() -> tuple[ResourceList, ...]:
    return (v1(),)
