"""COMP2150 Ideas that Shaped Computing -- classic papers and the books that carry them.

Books with ISBN-13s, CACM and IEEE articles with DOIs, web pages, a recorded
lecture (video) and a vendor extension (a reading-list system's "importance"
flag) on a resource, kept verbatim.
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
    item,
    local,
    note,
    section,
    shelf,
    url,
    web,
)

from crosswalks.rli import Extension, ResourceList, ResourceType

OWNER = "dr.lucia.ferreira"
CACM = ("Communications of the ACM", "0001-0782")
ACM = "Association for Computing Machinery"

# A reading-list vendor's own flag, kept verbatim (canonical XML) by rli.
VENDOR_CORE = Extension(
    '<acme:importance xmlns:acme="http://example.com/ns/acme-readinglists/1.0">core'
    "</acme:importance>"
)

KNUTH = item("b1", book(
    "The Art of Computer Programming, Volume 1: Fundamental Algorithms", ("Knuth, Donald E.",),
    "1997", "Addison-Wesley", "Reading, MA", edition="3rd", isbn13="9780201896831",
    locations=(shelf("QA76.6 .K64 1997 v.1"),),
), OPTIONAL)
CLRS = item("b2", book(
    "Introduction to Algorithms",
    ("Cormen, Thomas H.", "Leiserson, Charles E.", "Rivest, Ronald L.", "Stein, Clifford"),
    "2009", "MIT Press", "Cambridge, MA", edition="3rd", isbn13="9780262033848",
    locations=(catalogue("b2877410"), shelf("QA76.6 .C662 2009")),
    extensions=(VENDOR_CORE,),
), ESSENTIAL)
SICP = item("b3", book(
    "Structure and Interpretation of Computer Programs",
    ("Abelson, Harold", "Sussman, Gerald Jay", "Sussman, Julie"), "1996", "MIT Press",
    "Cambridge, MA", edition="2nd", isbn13="9780262510875",
    locations=(shelf("QA76.6 .A255 1996"),),
), RECOMMENDED)
KR = item("b4", book(
    "The C Programming Language", ("Kernighan, Brian W.", "Ritchie, Dennis M."), "1988",
    "Prentice Hall", "Englewood Cliffs, NJ", edition="2nd", isbn13="9780131103627",
    locations=(shelf("QA76.73.C15 K47 1988"),),
))
GOF = item("b5", book(
    "Design Patterns: Elements of Reusable Object-Oriented Software",
    ("Gamma, Erich", "Helm, Richard", "Johnson, Ralph", "Vlissides, John"), "1994",
    "Addison-Wesley", "Reading, MA", isbn13="9780201633610",
    locations=(shelf("QA76.64 .D47 1994"),),
), RECOMMENDED)
BROOKS_MMM = item("b6", book(
    "The Mythical Man-Month: Essays on Software Engineering", ("Brooks, Frederick P., Jr.",),
    "1995", "Addison-Wesley", "Reading, MA", edition="Anniversary ed.",
    isbn13="9780201835953", locations=(shelf("QA76.758 .B75 1995"),),
))

TURING = item("p1", article(
    "Computing Machinery and Intelligence", ("Turing, A. M.",), "Mind", "0026-4423", "1950",
    "59", "236", "433-460", doi_="10.1093/mind/LIX.236.433", publisher="Oxford University Press",
), ESSENTIAL)
SHANNON = item("p2", article(
    "A Mathematical Theory of Communication", ("Shannon, C. E.",),
    "Bell System Technical Journal", "0005-8580", "1948-07", "27", "3", "379-423",
    doi_="10.1002/j.1538-7305.1948.tb01338.x",
), RECOMMENDED)
DIJKSTRA = item("p3", article(
    "Go To Statement Considered Harmful", ("Dijkstra, Edsger W.",), *CACM, "1968-03", "11", "3",
    "147-148", doi_="10.1145/362929.362947", publisher=ACM,
    notes=(note("A letter to the editor; the title was chosen by the editor, Niklaus Wirth."),),
), ESSENTIAL)
HOARE = item("p4", article(
    "An Axiomatic Basis for Computer Programming", ("Hoare, C. A. R.",), *CACM, "1969-10", "12",
    "10", "576-580", doi_="10.1145/363235.363259", publisher=ACM,
), RECOMMENDED)
CODD = item("p5", article(
    "A Relational Model of Data for Large Shared Data Banks", ("Codd, E. F.",), *CACM,
    "1970-06", "13", "6", "377-387", doi_="10.1145/362384.362685", publisher=ACM,
), ESSENTIAL)
PARNAS = item("p6", article(
    "On the Criteria to Be Used in Decomposing Systems into Modules", ("Parnas, D. L.",), *CACM,
    "1972-12", "15", "12", "1053-1058", doi_="10.1145/361598.361623", publisher=ACM,
), ESSENTIAL)
DIFFIE = item("p7", article(
    "New Directions in Cryptography", ("Diffie, Whitfield", "Hellman, Martin E."),
    "IEEE Transactions on Information Theory", "0018-9448", "1976-11", "22", "6", "644-654",
    doi_="10.1109/TIT.1976.1055638", publisher="IEEE",
), ESSENTIAL)
RSA = item("p8", article(
    "A Method for Obtaining Digital Signatures and Public-Key Cryptosystems",
    ("Rivest, R. L.", "Shamir, A.", "Adleman, L."), *CACM, "1978-02", "21", "2", "120-126",
    doi_="10.1145/359340.359342", publisher=ACM,
), RECOMMENDED)
LAMPORT = item("p9", article(
    "Time, Clocks, and the Ordering of Events in a Distributed System", ("Lamport, Leslie",),
    *CACM, "1978-07", "21", "7", "558-565", doi_="10.1145/359545.359563", publisher=ACM,
), ESSENTIAL)
THOMPSON = item("p10", article(
    "Reflections on Trusting Trust", ("Thompson, Ken",), *CACM, "1984-08", "27", "8", "761-763",
    doi_="10.1145/358198.358210", publisher=ACM,
), RECOMMENDED)
BROOKS_NSB = item("p11", article(
    "No Silver Bullet: Essence and Accidents of Software Engineering",
    ("Brooks, Frederick P., Jr.",), "Computer", "0018-9162", "1987-04", "20", "4", "10-19",
    doi_="10.1109/MC.1987.1663532", publisher="IEEE Computer Society",
), ESSENTIAL)
MAPREDUCE = item("p12", article(
    "MapReduce: Simplified Data Processing on Large Clusters",
    ("Dean, Jeffrey", "Ghemawat, Sanjay"), *CACM, "2008-01", "51", "1", "107-113",
    doi_="10.1145/1327452.1327492", publisher=ACM,
), OPTIONAL)

ACM_TURING = item("w1", web(
    "A.M. Turing Award laureates", "https://amturing.acm.org/", publisher=ACM,
    description="Biographies and award lectures of every Turing Award winner.",
))
EWD = item("w2", web(
    "E. W. Dijkstra Archive", "https://www.cs.utexas.edu/~EWD/",
    publisher="University of Texas at Austin",
    description="Scans and transcriptions of Dijkstra's manuscripts (the EWDs).",
))
LECTURE = item("v1", local(
    "Lecture 4 recording: from GOTO to modules", ("Ferreira, Lucia",), "2026-02-03",
    kind=ResourceType.AUDIO_VISUAL, fmt="video/mp4",
    description="Recorded lecture (52 min) with slides; captions available.",
    locations=(url(VLE + "comp2150/recordings/lecture-04", "Lecture capture"),),
))


def v1() -> ResourceList:
    return ResourceList(
        identifier="comp2150-2026",
        title="Ideas that Shaped Computing",
        owner=OWNER,
        description="The papers behind the ideas in the module, in the order of the lectures,"
        " with the books they grew into.",
        courses=("COMP2150",),
        language="en",
        created="2026-01-09T08:00:00Z",
        modified="2026-02-03T17:45:00Z",
        items=(
            section("bk", "Books", CLRS, SICP, KR, GOF, BROOKS_MMM, KNUTH,
                    description="Buy one of CLRS or SICP; the rest are in the library."),
            section("l1", "Lectures 1-2: Computation and information", TURING, SHANNON,
                    ACM_TURING),
            section("l3", "Lectures 3-4: Programs as mathematics", DIJKSTRA, HOARE, EWD, LECTURE),
            section("l5", "Lectures 5-6: Data and modules", CODD, PARNAS, BROOKS_NSB),
            section("l7", "Lectures 7-8: Security and distribution", DIFFIE, RSA, LAMPORT,
                    THOMPSON, MAPREDUCE),
        ),
        annotations=(
            note("Read each paper before its lecture; the quizzes assume you have.",
                 author=OWNER, date="2026-01-09"),
        ),
    )


def versions() -> tuple[ResourceList, ...]:
    return (v1(),)
