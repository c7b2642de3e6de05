"""BIOL2003 Molecular Biology: the landmark experiments -- primary papers, week by week.

Nearly every item is a journal article with ISSN, volume, issue, pages and DOI;
the textbook and two databases frame them.
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

from crosswalks.rli import ResourceList

OWNER = "prof.kenji.watanabe"
NATURE = ("Nature", "0028-0836")
SCIENCE = ("Science", "0036-8075")
PNAS = ("Proceedings of the National Academy of Sciences of the United States of America",
        "0027-8424")

ALBERTS = item("b1", book(
    "Molecular Biology of the Cell",
    ("Alberts, Bruce", "Johnson, Alexander", "Lewis, Julian", "Morgan, David", "Raff, Martin",
     "Roberts, Keith", "Walter, Peter"),
    "2015", "Garland Science", "New York", edition="6th", isbn13="9780815344322",
    locations=(catalogue("b3871204"), shelf("QH581.2 .M64 2015")),
    notes=(note("Chapters 4-7 cover everything in this module.", kind="note"),),
), ESSENTIAL)

AVERY = item("a1", article(
    "Studies on the Chemical Nature of the Substance Inducing Transformation of Pneumococcal"
    " Types: Induction of Transformation by a Desoxyribonucleic Acid Fraction Isolated from"
    " Pneumococcus Type III", ("Avery, Oswald T.", "MacLeod, Colin M.", "McCarty, Maclyn"),
    "Journal of Experimental Medicine", "0022-1007", "1944-02-01", "79", "2", "137-158",
    doi_="10.1084/jem.79.2.137", publisher="Rockefeller University Press",
), ESSENTIAL)
HERSHEY = item("a2", article(
    "Independent Functions of Viral Protein and Nucleic Acid in Growth of Bacteriophage",
    ("Hershey, A. D.", "Chase, Martha"), "Journal of General Physiology", "0022-1295", "1952",
    "36", "1", "39-56", doi_="10.1085/jgp.36.1.39", publisher="Rockefeller University Press",
), ESSENTIAL)
WATSON_CRICK = item("a3", article(
    "Molecular Structure of Nucleic Acids: A Structure for Deoxyribose Nucleic Acid",
    ("Watson, J. D.", "Crick, F. H. C."), *NATURE, "1953-04-25", "171", "4356", "737-738",
    doi_="10.1038/171737a0",
), ESSENTIAL)
WILKINS = item("a4", article(
    "Molecular Structure of Deoxypentose Nucleic Acids",
    ("Wilkins, M. H. F.", "Stokes, A. R.", "Wilson, H. R."), *NATURE, "1953-04-25", "171",
    "4356", "738-740", doi_="10.1038/171738a0",
), RECOMMENDED)
FRANKLIN = item("a5", article(
    "Molecular Configuration in Sodium Thymonucleate", ("Franklin, Rosalind E.", "Gosling, R. G."),
    *NATURE, "1953-04-25", "171", "4356", "740-741", doi_="10.1038/171740a0",
    notes=(note("Look closely at Photograph 51 (fig. 1) before the seminar.", author=OWNER),),
), ESSENTIAL)
MESELSON = item("a6", article(
    "The Replication of DNA in Escherichia coli", ("Meselson, Matthew", "Stahl, Franklin W."),
    *PNAS, "1958", "44", "7", "671-682", doi_="10.1073/pnas.44.7.671",
), ESSENTIAL)
JACOB_MONOD = item("a7", article(
    "Genetic Regulatory Mechanisms in the Synthesis of Proteins", ("Jacob, François",
    "Monod, Jacques"), "Journal of Molecular Biology", "0022-2836", "1961", "3", "3",
    "318-356", doi_="10.1016/S0022-2836(61)80072-7", publisher="Academic Press",
), ESSENTIAL)
NIRENBERG = item("a8", article(
    "The Dependence of Cell-Free Protein Synthesis in E. coli upon Naturally Occurring or"
    " Synthetic Polyribonucleotides", ("Nirenberg, Marshall W.", "Matthaei, J. Heinrich"),
    *PNAS, "1961", "47", "10", "1588-1602", doi_="10.1073/pnas.47.10.1588",
), RECOMMENDED)
CRICK_DOGMA = item("a9", article(
    "Central Dogma of Molecular Biology", ("Crick, Francis",), *NATURE, "1970-08-08", "227",
    "5258", "561-563", doi_="10.1038/227561a0",
), ESSENTIAL)
SANGER = item("a10", article(
    "DNA Sequencing with Chain-Terminating Inhibitors",
    ("Sanger, F.", "Nicklen, S.", "Coulson, A. R."), *PNAS, "1977", "74", "12", "5463-5467",
    doi_="10.1073/pnas.74.12.5463",
), ESSENTIAL)
SAIKI = item("a11", article(
    "Primer-Directed Enzymatic Amplification of DNA with a Thermostable DNA Polymerase",
    ("Saiki, Randall K.", "Gelfand, David H.", "Stoffel, Susanne", "Scharf, Stephen J.",
     "Higuchi, Russell", "Horn, Glenn T.", "Mullis, Kary B.", "Erlich, Henry A."),
    *SCIENCE, "1988-01-29", "239", "4839", "487-491", doi_="10.1126/science.2448875",
), RECOMMENDED)
FIRE = item("a12", article(
    "Potent and Specific Genetic Interference by Double-Stranded RNA in Caenorhabditis"
    " elegans", ("Fire, Andrew", "Xu, SiQun", "Montgomery, Mary K.", "Kostas, Steven A.",
     "Driver, Samuel E.", "Mello, Craig C."), *NATURE, "1998-02-19", "391", "6669", "806-811",
    doi_="10.1038/35888",
), ESSENTIAL)
LANDER = item("a13", article(
    "Initial Sequencing and Analysis of the Human Genome",
    ("Lander, Eric S.", "International Human Genome Sequencing Consortium"), *NATURE,
    "2001-02-15", "409", "6822", "860-921", doi_="10.1038/35057062",
    notes=(note("Long: read the abstract, the introduction and the section on gene number.",
                kind="note"),),
), OPTIONAL)
TAKAHASHI = item("a14", article(
    "Induction of Pluripotent Stem Cells from Mouse Embryonic and Adult Fibroblast Cultures"
    " by Defined Factors", ("Takahashi, Kazutoshi", "Yamanaka, Shinya"), "Cell", "0092-8674",
    "2006-08-25", "126", "4", "663-676", doi_="10.1016/j.cell.2006.07.024",
    publisher="Cell Press",
), RECOMMENDED)
JINEK = item("a15", article(
    "A Programmable Dual-RNA-Guided DNA Endonuclease in Adaptive Bacterial Immunity",
    ("Jinek, Martin", "Chylinski, Krzysztof", "Fonfara, Ines", "Hauer, Michael",
     "Doudna, Jennifer A.", "Charpentier, Emmanuelle"), *SCIENCE, "2012-08-17", "337", "6096",
    "816-821", doi_="10.1126/science.1225829",
), ESSENTIAL)
PDB = item("w1", web(
    "RCSB Protein Data Bank", "https://www.rcsb.org/", publisher="RCSB PDB",
    description="Open archive of 3D structures of proteins and nucleic acids; used in the"
    " practical in week 2.",
))
GENBANK = item("w2", web(
    "GenBank", "https://www.ncbi.nlm.nih.gov/genbank/",
    publisher="National Center for Biotechnology Information",
))
PRACTICAL = item("h1", local(
    "Practical 3 protocol: plasmid miniprep and restriction digest", ("Watanabe, Kenji",),
    "2026-01-20", fmt="application/pdf",
    locations=(url(VLE + "biol2003/practicals/p3-protocol.pdf", "VLE"),),
    notes=(note("Print and bring to the lab; no protocol, no entry.", kind="essential"),),
))


def v1() -> ResourceList:
    return ResourceList(
        identifier="biol2003-2026",
        title="Molecular Biology: The Landmark Experiments",
        owner=OWNER,
        description="Primary papers discussed in lectures, grouped by week. Read the paper,"
        " not a summary of it.",
        courses=("BIOL2003", "BIOL2003H"),
        language="en",
        created="2025-12-15T16:00:00Z",
        modified="2026-01-08T11:20:00Z",
        items=(
            ALBERTS,
            section("wk1", "Week 1: What is the gene made of?", AVERY, HERSHEY),
            section("wk2", "Week 2: The double helix", WATSON_CRICK, WILKINS, FRANKLIN, PDB,
                    notes=(note("The three April 1953 Nature papers were printed together;"
                                " read all three.", author=OWNER),)),
            section("wk3", "Week 3: Replication and the code", MESELSON, NIRENBERG, CRICK_DOGMA),
            section("wk4", "Week 4: Gene regulation", JACOB_MONOD, FIRE),
            section("wk5", "Week 5: Reading and writing DNA", SANGER, SAIKI, PRACTICAL, GENBANK,
                    LANDER),
            section("wk6", "Week 6: Reprogramming and editing", TAKAHASHI, JINEK),
        ),
        annotations=(note("Papers marked essential will be examined.", kind="note",
                          author=OWNER),),
    )


def versions() -> tuple[ResourceList, ...]:
    return (v1(),)
