"""HIST2041 Industry, Class and Culture: Britain 1750-1914 -- a list with three versions.

Version 1 is the list as first published for the 2026 spring term; version 2
adds two books and an instructor note; version 3 removes a book, moves Engels
to the primary-sources section and re-tags an item. Item ids never change
between versions, so the archive's diff can follow every item.
"""

from __future__ import annotations

from dataclasses import replace

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

from crosswalks.rli import Annotation, Item, ResourceList, Section

OWNER = "dr.amira.haddad"
PP = ("Past & Present", "0031-2746")
ECHR = ("Economic History Review", "0013-0117")

INVENTION = "The Invention of Tradition"
INVENTION_EDS = ("Hobsbawm, Eric", "Ranger, Terence")

HOBSBAWM_INDUSTRY = item("i1", book(
    "Industry and Empire: From 1750 to the Present Day", ("Hobsbawm, E. J.",), "1969",
    "Penguin", "Harmondsworth", series="The Pelican Economic History of Britain",
    locations=(shelf("HC254.5 .H6 1969"),),
))
ALLEN = item("i2", book(
    "The British Industrial Revolution in Global Perspective", ("Allen, Robert C.",), "2009",
    "Cambridge University Press", "Cambridge", isbn13="9780521687850",
    series="New Approaches to Economic and Social History",
    locations=(catalogue("b3301742"), shelf("HC254.5 .A45 2009")),
), ESSENTIAL)
MOKYR = item("i3", book(
    "The Enlightened Economy: An Economic History of Britain 1700-1850", ("Mokyr, Joel",),
    "2009", "Yale University Press", "New Haven", locations=(shelf("HC253 .M65 2009"),),
), RECOMMENDED)
BERG_HUDSON = item("i4", article(
    "Rehabilitating the Industrial Revolution", ("Berg, Maxine", "Hudson, Pat"), *ECHR,
    "1992", "45", "1", "24-50", publisher="Wiley",
), ESSENTIAL)
WRIGLEY = item("i5", book(
    "Continuity, Chance and Change: The Character of the Industrial Revolution in England",
    ("Wrigley, E. A.",), "1988", "Cambridge University Press", "Cambridge",
    locations=(shelf("HC254.5 .W75 1988"),),
))
HANDOUT = item("i6", local(
    "Week 1 handout: measuring growth, 1750-1850", ("Haddad, Amira",), "2026-01-12",
    description="Two-page handout with the Crafts-Harley and Deane-Cole growth estimates"
    " side by side, and the questions for the first seminar.",
    fmt="application/pdf",
    locations=(
        url(VLE + "hist2041/resources/week1-handout.pdf", "VLE"),
        shelf("Short Loan HIST2041/1", "Printed copy, Main Library short loan"),
    ),
))
THOMPSON_MAKING = item("i7", book(
    "The Making of the English Working Class", ("Thompson, E. P.",), "1963",
    "Victor Gollancz", "London", locations=(catalogue("b1049281"), shelf("HD8388 .T5")),
    notes=(note("Read the Preface and Part One; the rest is for your essay.", author=OWNER),),
), ESSENTIAL)
STEDMAN_JONES = item("i8", book(
    "Languages of Class: Studies in English Working Class History, 1832-1982",
    ("Stedman Jones, Gareth",), "1983", "Cambridge University Press", "Cambridge",
    locations=(shelf("HD8395 .S74 1983"),),
), RECOMMENDED)
ENGELS = item("i9", book(
    "The Condition of the Working-Class in England in 1844", ("Engels, Frederick",), "1892",
    "Swan Sonnenschein & Co.", "London", translators=("Kelley Wischnewetzky, Florence",),
    locations=(shelf("Special Collections HD8389 .E5 1892"),),
))
TIME_WORK = item("i10", article(
    "Time, Work-Discipline, and Industrial Capitalism", ("Thompson, E. P.",), *PP, "1967",
    "38", "", "56-97", doi_="10.1093/past/38.1.56", publisher="Oxford University Press",
), ESSENTIAL)
MORAL_ECONOMY = item("i11", article(
    "The Moral Economy of the English Crowd in the Eighteenth Century", ("Thompson, E. P.",),
    *PP, "1971", "50", "", "76-136", doi_="10.1093/past/50.1.76",
    publisher="Oxford University Press",
), ESSENTIAL)
HOBSBAWM_SOL = item("i12", article(
    "The British Standard of Living, 1790-1850", ("Hobsbawm, E. J.",), *ECHR, "1957", "10",
    "1", "46-68",
))
HARTWELL = item("i13", article(
    "The Rising Standard of Living in England, 1800-1850", ("Hartwell, R. M.",), *ECHR,
    "1961", "13", "3", "397-416",
))
FEINSTEIN = item("i14", article(
    "Pessimism Perpetuated: Real Wages and the Standard of Living in Britain during and after"
    " the Industrial Revolution", ("Feinstein, Charles H.",), "Journal of Economic History",
    "0022-0507", "1998", "58", "3", "625-658", doi_="10.1017/S0022050700021100",
    publisher="Cambridge University Press",
), RECOMMENDED)
DAVIDOFF_HALL = item("i15", book(
    "Family Fortunes: Men and Women of the English Middle Class, 1780-1850",
    ("Davidoff, Leonore", "Hall, Catherine"), "1987", "Hutchinson", "London",
    locations=(shelf("HQ615 .D38 1987"),),
), ESSENTIAL)
SCOTT = item("i16", article(
    "Gender: A Useful Category of Historical Analysis", ("Scott, Joan W.",),
    "American Historical Review", "0002-8762", "1986", "91", "5", "1053-1075",
    doi_="10.2307/1864376",
))
VICKERY = item("i17", article(
    "Golden Age to Separate Spheres? A Review of the Categories and Chronology of English"
    " Women's History", ("Vickery, Amanda",), "Historical Journal", "0018-246X", "1993", "36",
    "2", "383-414",
))
COLLEY = item("i18", book(
    "Britons: Forging the Nation, 1707-1837", ("Colley, Linda",), "1992",
    "Yale University Press", "New Haven", locations=(shelf("DA480 .C65 1992"),),
), ESSENTIAL)
CANNADINE = item("i19", chapter(
    "The Context, Performance and Meaning of Ritual: The British Monarchy and the 'Invention"
    " of Tradition', c. 1820-1977", ("Cannadine, David",), INVENTION, INVENTION_EDS, "1983",
    "Cambridge University Press", "Cambridge", "101-164",
    locations=(shelf("GT95 .I58 1983"),),
), ESSENTIAL)
HOBSBAWM_INTRO = item("i20", chapter(
    "Introduction: Inventing Traditions", ("Hobsbawm, Eric",), INVENTION, INVENTION_EDS,
    "1983", "Cambridge University Press", "Cambridge", "1-14",
    locations=(shelf("GT95 .I58 1983"),),
))
PETERLOO = item("i21", film(
    "Peterloo", ("Leigh, Mike",), "2018", "Thin Man Films; Film4", "London", language="en",
    description="Feature film (154 min) about the St Peter's Field meeting of 16 August 1819.",
    locations=(shelf("DVD 942.733 PET"),),
    notes=(note("Screening in week 5; compare with the 1819 press reports.", author=OWNER),),
), OPTIONAL)
OLD_BAILEY = item("i22", web(
    "The Proceedings of the Old Bailey, 1674-1913", "https://www.oldbaileyonline.org/",
    authors=("Hitchcock, Tim", "Shoemaker, Robert"), publisher="Old Bailey Proceedings Online",
    description="Searchable edition of 197,745 criminal trials held at London's central"
    " criminal court.",
))
HANSARD = item("i23", web(
    "Hansard: UK Parliament debates", "https://hansard.parliament.uk/", publisher="UK Parliament",
))
BHO = item("i24", web(
    "British History Online", "https://www.british-history.ac.uk/",
    publisher="Institute of Historical Research",
))
# Added in version 2.
GRIFFIN = item("i25", book(
    "Liberty's Dawn: A People's History of the Industrial Revolution", ("Griffin, Emma",),
    "2013", "Yale University Press", "New Haven", locations=(catalogue("b4120337"),),
), RECOMMENDED)
HUMPHRIES = item("i26", book(
    "Childhood and Child Labour in the British Industrial Revolution", ("Humphries, Jane",),
    "2010", "Cambridge University Press", "Cambridge",
    series="Cambridge Studies in Economic History", locations=(catalogue("b3987115"),),
))

TITLE = "Industry, Class and Culture: Britain 1750-1914"
DESCRIPTION = (
    "Second-year option. Weekly reading for lectures and seminars; essential items are"
    " available in the Main Library short loan collection or online."
)
SEMINAR_SOL = "Seminar: the standard of living debate"


def _list(modified: str, items: tuple[Item, ...], *notes: str) -> ResourceList:
    annotations: tuple[Annotation, ...] = (
        note("Updated for the 2026 spring term.", author=OWNER, date="2026-01-05"),
    )
    annotations += tuple(note(text, author=OWNER, date=modified[:10]) for text in notes)
    return ResourceList(
        identifier="hist2041-2026",
        title=TITLE,
        owner=OWNER,
        description=DESCRIPTION,
        courses=("HIST2041",),
        language="en-GB",
        rights="Reading list (c) 2026 Department of History. Citations are facts; reuse freely.",
        created="2026-01-05T09:30:00Z",
        modified=modified,
        items=items,
        annotations=annotations,
    )


def v1() -> ResourceList:
    """As first published."""
    return _list("2026-01-05T09:30:00Z", (
        section("s0", "Core texts", HOBSBAWM_INDUSTRY, ALLEN, MOKYR),
        section("s1", "Week 1: What was the industrial revolution?", BERG_HUDSON, WRIGLEY,
                HANDOUT),
        section("s2", "Week 2: The making of the working class", THOMPSON_MAKING,
                STEDMAN_JONES, ENGELS),
        section("s3", "Week 3: Time, work and the moral economy", TIME_WORK, MORAL_ECONOMY,
                section("s3a", SEMINAR_SOL, HOBSBAWM_SOL, HARTWELL, FEINSTEIN,
                        description="Prepare one side of the debate for the seminar.")),
        section("s4", "Week 4: Gender, family and separate spheres", DAVIDOFF_HALL, SCOTT,
                VICKERY),
        section("s5", "Week 5: Nation, monarchy and invented tradition", COLLEY, CANNADINE,
                HOBSBAWM_INTRO, PETERLOO),
        section("s6", "Primary sources online", OLD_BAILEY, HANSARD, BHO),
    ))


def v2() -> ResourceList:
    """Adds Griffin (week 2) and Humphries (week 4); a note on Scott."""
    scott = item("i16", SCOTT.content, ESSENTIAL, note(
        "Read alongside Vickery: the seminar asks whether 'separate spheres' survives both.",
        author=OWNER, date="2026-02-02"))
    return _list("2026-02-02T14:05:00Z", (
        section("s0", "Core texts", HOBSBAWM_INDUSTRY, ALLEN, MOKYR),
        section("s1", "Week 1: What was the industrial revolution?", BERG_HUDSON, WRIGLEY,
                HANDOUT),
        section("s2", "Week 2: The making of the working class", THOMPSON_MAKING,
                STEDMAN_JONES, GRIFFIN, ENGELS),
        section("s3", "Week 3: Time, work and the moral economy", TIME_WORK, MORAL_ECONOMY,
                section("s3a", SEMINAR_SOL, HOBSBAWM_SOL, HARTWELL, FEINSTEIN,
                        description="Prepare one side of the debate for the seminar.")),
        section("s4", "Week 4: Gender, family and separate spheres", DAVIDOFF_HALL, scott,
                VICKERY, HUMPHRIES),
        section("s5", "Week 5: Nation, monarchy and invented tradition", COLLEY, CANNADINE,
                HOBSBAWM_INTRO, PETERLOO),
        section("s6", "Primary sources online", OLD_BAILEY, HANSARD, BHO),
    ), "Added Griffin and Humphries after student feedback.")


def v3() -> ResourceList:
    """Drops Wrigley, moves Engels to primary sources, makes Griffin essential."""
    scott = item("i16", SCOTT.content, ESSENTIAL, note(
        "Read alongside Vickery: the seminar asks whether 'separate spheres' survives both.",
        author=OWNER, date="2026-02-02"))
    griffin = item("i25", GRIFFIN.content, ESSENTIAL)
    return _list("2026-02-20T10:15:00Z", (
        section("s0", "Core texts", HOBSBAWM_INDUSTRY, ALLEN, MOKYR),
        section("s1", "Week 1: What was the industrial revolution?", BERG_HUDSON, HANDOUT),
        section("s2", "Week 2: The making of the working class", THOMPSON_MAKING,
                griffin, STEDMAN_JONES),
        section("s3", "Week 3: Time, work and the moral economy", TIME_WORK, MORAL_ECONOMY,
                section("s3a", SEMINAR_SOL, HOBSBAWM_SOL, HARTWELL, FEINSTEIN,
                        description="Prepare one side of the debate for the seminar.")),
        section("s4", "Week 4: Gender, family and separate spheres", DAVIDOFF_HALL, scott,
                VICKERY, HUMPHRIES),
        section("s5", "Week 5: Nation, monarchy and invented tradition", COLLEY, CANNADINE,
                HOBSBAWM_INTRO, PETERLOO),
        section("s6", "Primary sources online", ENGELS, OLD_BAILEY, HANSARD, BHO),
    ), "Added Griffin and Humphries after student feedback.",
       "Wrigley dropped (out of print); Engels moved to primary sources.")


AGE_OF_REVOLUTION = item("i27", book(
    "The Age of Revolution: Europe 1789-1848", ("Hobsbawm, E. J.",), "1962",
    "Weidenfeld & Nicolson", "London",
), RECOMMENDED)


def library_revision() -> ResourceList:
    """The library's revision of version 2, made in its reading-list system.

    It adds a loan note on Thompson and a core text; ``rli demo`` offers it as
    a pending change, so accepting merges it with version 3 made here.
    """
    thompson = item("i7", THOMPSON_MAKING.content, *THOMPSON_MAKING.annotations, note(
        "Library: two more copies on 4-hour loan from week 2.", author="library",
        date="2026-02-24"))
    revised = v2()
    core, week1, week2, *rest = revised.items
    assert isinstance(core.content, Section) and isinstance(week2.content, Section)
    core = replace(core, content=replace(
        core.content, items=(*core.content.items, AGE_OF_REVOLUTION)))
    week2 = replace(week2, content=replace(
        week2.content, items=(thompson, *week2.content.items[1:])))
    return replace(revised, modified="2026-02-24T16:00:00Z",
                   items=(core, week1, week2, *rest))


def proposals() -> dict[str, tuple[int, ResourceList]]:
    """Revisions made elsewhere: source name -> (the version they were made from, the list)."""
    return {"library": (2, library_revision())}


def versions() -> tuple[ResourceList, ...]:
    """Every version of the list, oldest first."""
    return (v1(), v2(), v3())
