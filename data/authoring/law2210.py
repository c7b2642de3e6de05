"""LAW2210 Jurisprudence -- the Hart-Fuller-Dworkin debates and their sources.

Books, law-review articles (some with JSTOR DOIs), an essay in a collection,
a law report on the web, an encyclopaedia entry, a seminar handout, and a
vendor extension on the list itself (the list system's review status).
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
    item,
    local,
    note,
    section,
    shelf,
    url,
    web,
)

from crosswalks.rli import Extension, ResourceList

OWNER = "prof.grace.okonkwo"
HLR = ("Harvard Law Review", "0017-811X")
HLR_ASSN = "Harvard Law Review Association"

# The list system's library-review workflow flag, kept verbatim.
REVIEW = Extension(
    '<acme:review xmlns:acme="http://example.com/ns/acme-readinglists/1.0"'
    ' reviewer="library.law" status="reviewed">2026-01-14</acme:review>'
)

HART_CONCEPT = item("i1", book(
    "The Concept of Law", ("Hart, H. L. A.",), "2012", "Oxford University Press", "Oxford",
    edition="3rd", isbn13="9780199644704", series="Clarendon Law Series",
    locations=(catalogue("b4002216"), shelf("K230.H36 C6 2012")),
    notes=(note("Chapters V and VI are the core; the Postscript answers Dworkin."),),
), ESSENTIAL)
AUSTIN = item("i2", book(
    "The Province of Jurisprudence Determined", ("Austin, John",), "1832", "John Murray",
    "London", locations=(shelf("Special Collections K230.A8 P7 1832"),),
), OPTIONAL)
HART_1958 = item("i3", article(
    "Positivism and the Separation of Law and Morals", ("Hart, H. L. A.",), *HLR, "1958-02",
    "71", "4", "593-629", doi_="10.2307/1338225", publisher=HLR_ASSN,
), ESSENTIAL)
FULLER_1958 = item("i4", article(
    "Positivism and Fidelity to Law: A Reply to Professor Hart", ("Fuller, Lon L.",), *HLR,
    "1958-02", "71", "4", "630-672", publisher=HLR_ASSN,
    locations=(url("https://www.jstor.org/stable/1338226", "JSTOR"),),
), ESSENTIAL)
FULLER_MORALITY = item("i5", book(
    "The Morality of Law", ("Fuller, Lon L.",), "1969", "Yale University Press", "New Haven",
    edition="Rev. ed.", locations=(shelf("K230.F8 M6 1969"),),
), RECOMMENDED)
SPELUNCEAN = item("i6", article(
    "The Case of the Speluncean Explorers", ("Fuller, Lon L.",), *HLR, "1949-02", "62", "4",
    "616-645", publisher=HLR_ASSN,
    notes=(note("Come to the first seminar ready to give the judgment of one of the five"
                " justices.", author=OWNER),),
), ESSENTIAL)
HOLMES = item("i7", article(
    "The Path of the Law", ("Holmes, Oliver Wendell, Jr.",), *HLR, "1897-03", "10", "8",
    "457-478", publisher=HLR_ASSN,
), RECOMMENDED)
DWORKIN_RULES = item("i8", article(
    "The Model of Rules", ("Dworkin, Ronald M.",), "University of Chicago Law Review",
    "0041-9494", "1967", "35", "1", "14-46", doi_="10.2307/1598947",
), ESSENTIAL)
DWORKIN_HARD = item("i9", article(
    "Hard Cases", ("Dworkin, Ronald",), *HLR, "1975-04", "88", "6", "1057-1109",
    doi_="10.2307/1340249", publisher=HLR_ASSN,
), RECOMMENDED)
KELSEN = item("i10", book(
    "Pure Theory of Law", ("Kelsen, Hans",), "1967", "University of California Press",
    "Berkeley", translators=("Knight, Max",), locations=(shelf("K230.K4 R413 1967"),),
), RECOMMENDED)
RAZ = item("i11", book(
    "The Authority of Law: Essays on Law and Morality", ("Raz, Joseph",), "1979",
    "Clarendon Press", "Oxford", locations=(shelf("K230.R39 A8 1979"),),
), OPTIONAL)
FINNIS = item("i12", book(
    "Natural Law and Natural Rights", ("Finnis, John",), "2011", "Oxford University Press",
    "Oxford", edition="2nd", isbn13="9780199599141", series="Clarendon Law Series",
    locations=(catalogue("b3917530"),),
), ESSENTIAL)
BERLIN = item("i13", chapter(
    "Two Concepts of Liberty", ("Berlin, Isaiah",), "Four Essays on Liberty", (), "1969",
    "Oxford University Press", "London", "118-172", host_authors=("Berlin, Isaiah",),
    locations=(shelf("JC585 .B4 1969"),),
), RECOMMENDED)
DONOGHUE = item("i14", web(
    "Donoghue v Stevenson [1932] UKHL 100 (26 May 1932)",
    "https://www.bailii.org/uk/cases/UKHL/1932/100.html",
    publisher="British and Irish Legal Information Institute",
    description="Full text of the speeches; also reported at [1932] AC 562.",
    notes=(note("Used in week 4 to test Hart's open texture against a real hard case.",
                author=OWNER),),
))
SEP_POSITIVISM = item("i15", web(
    "Legal Positivism", "https://plato.stanford.edu/entries/legal-positivism/",
    authors=("Green, Leslie", "Adams, Thomas"), publisher="Stanford Encyclopedia of Philosophy",
))
HANDOUT = item("i16", local(
    "Seminar 2 handout: the Grudge Informer problem", ("Okonkwo, Grace",), "2026-01-19",
    description="Fuller's hypothetical from the appendix to The Morality of Law,"
    " with questions.",
    fmt="application/pdf",
    locations=(
        url(VLE + "law2210/seminars/2/grudge-informer.pdf", "VLE"),
        shelf("Law Library Short Loan LAW2210/2"),
    ),
))


def v1() -> ResourceList:
    return ResourceList(
        identifier="law2210-2026",
        title="Jurisprudence",
        owner=OWNER,
        description="Reading for LAW2210. Each seminar pairs a primary text with a reply.",
        courses=("LAW2210",),
        language="en-GB",
        rights="CC BY 4.0",
        created="2025-12-01T10:00:00Z",
        modified="2026-01-14T09:00:00Z",
        items=(
            section("t1", "Seminar 1: What is a legal system?", HART_CONCEPT, AUSTIN, KELSEN,
                    SEP_POSITIVISM),
            section("t2", "Seminar 2: Law and morality", HART_1958, FULLER_1958, FULLER_MORALITY,
                    HANDOUT, SPELUNCEAN),
            section("t3", "Seminar 3: Rules and principles", DWORKIN_RULES, DWORKIN_HARD,
                    HOLMES, DONOGHUE),
            section("t4", "Seminar 4: Authority, natural law and liberty", RAZ, FINNIS, BERLIN),
        ),
        annotations=(
            note("Checked by the Law Library on 14 January 2026; all items held.",
                 kind="note", author="library.law", date="2026-01-14"),
        ),
        extensions=(REVIEW,),
    )


def versions() -> tuple[ResourceList, ...]:
    return (v1(),)
