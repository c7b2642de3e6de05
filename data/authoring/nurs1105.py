"""NURS1105 Foundations of Evidence-Based Nursing Practice -- safety, staffing and evidence.

Clinical journal articles with DOIs, nursing classics, national guidance as
web pages, a public-inquiry report, and local material (a skills-lab video
and a handout with a shelfmark).
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

from crosswalks.rli import ResourceList, ResourceType

OWNER = "ms.rachel.oduya"
BMJ = ("BMJ", "0959-8138")
NEJM = ("New England Journal of Medicine", "0028-4793")

NIGHTINGALE = item("n1", book(
    "Notes on Nursing: What It Is, and What It Is Not", ("Nightingale, Florence",), "1859",
    "Harrison", "London",
    locations=(url("https://www.gutenberg.org/ebooks/12439", "Project Gutenberg"),
               shelf("Special Collections RT40 .N5 1859")),
), RECOMMENDED)
BENNER = item("n2", book(
    "From Novice to Expert: Excellence and Power in Clinical Nursing Practice",
    ("Benner, Patricia",), "1984", "Addison-Wesley", "Menlo Park, CA",
    isbn13="9780201002997", locations=(catalogue("b0912733"), shelf("RT42 .B44 1984")),
), ESSENTIAL)
TO_ERR = item("n3", book(
    "To Err Is Human: Building a Safer Health System",
    ("Institute of Medicine, Committee on Quality of Health Care in America",), "2000",
    "National Academy Press", "Washington, DC",
    editors=("Kohn, Linda T.", "Corrigan, Janet M.", "Donaldson, Molla S."),
    isbn13="9780309068376",
    locations=(url("https://doi.org/10.17226/9728", "DOI"),),
), RECOMMENDED)
CARPER = item("n4", article(
    "Fundamental Patterns of Knowing in Nursing", ("Carper, Barbara A.",),
    "Advances in Nursing Science", "0161-9268", "1978-10", "1", "1", "13-23",
), ESSENTIAL)
SACKETT = item("n5", article(
    "Evidence Based Medicine: What It Is and What It Isn't",
    ("Sackett, David L.", "Rosenberg, William M. C.", "Gray, J. A. Muir", "Haynes, R. Brian",
     "Richardson, W. Scott"), *BMJ, "1996-01-13", "312", "7023", "71-72",
    doi_="10.1136/bmj.312.7023.71",
), ESSENTIAL)
REASON = item("n6", article(
    "Human Error: Models and Management", ("Reason, James",), *BMJ, "2000-03-18", "320",
    "7237", "768-770", doi_="10.1136/bmj.320.7237.768",
    notes=(note("The 'Swiss cheese' model: you will meet it in every incident review.",
                author=OWNER),),
), ESSENTIAL)
AIKEN_2002 = item("n7", article(
    "Hospital Nurse Staffing and Patient Mortality, Nurse Burnout, and Job Dissatisfaction",
    ("Aiken, Linda H.", "Clarke, Sean P.", "Sloane, Douglas M.", "Sochalski, Julie",
     "Silber, Jeffrey H."), "JAMA", "0098-7484", "2002-10-23", "288", "16", "1987-1993",
    doi_="10.1001/jama.288.16.1987",
), ESSENTIAL)
AIKEN_2014 = item("n8", article(
    "Nurse Staffing and Education and Hospital Mortality in Nine European Countries: A"
    " Retrospective Observational Study", ("Aiken, Linda H.", "Sloane, Douglas M.",
    "Bruyneel, Luk", "Van den Heede, Koen", "Griffiths, Peter", "Busse, Reinhard",
    "Diomidous, Marianna", "Kinnunen, Juha", "Kózka, Maria", "Lesaffre, Emmanuel",
    "McHugh, Matthew D.", "Moreno-Casbas, M. T.", "Rafferty, Anne Marie",
    "Schwendimann, Rene", "Scott, P. Anne", "Tishelman, Carol", "van Achterberg, Theo",
    "Sermeus, Walter"), "The Lancet", "0140-6736", "2014-05-24", "383", "9931", "1824-1830",
    doi_="10.1016/S0140-6736(13)62631-8",
), RECOMMENDED)
PRONOVOST = item("n9", article(
    "An Intervention to Decrease Catheter-Related Bloodstream Infections in the ICU",
    ("Pronovost, Peter", "Needham, Dale", "Berenholtz, Sean", "Sinopoli, David",
     "Chu, Haitao", "Cosgrove, Sara", "Sexton, Bryan", "Hyzy, Robert", "Welsh, Robert",
     "Roth, Gary", "Bander, Joseph", "Kepros, John", "Goeschel, Christine"), *NEJM,
    "2006-12-28", "355", "26", "2725-2732", doi_="10.1056/NEJMoa061115",
), RECOMMENDED)
HAYNES = item("n10", article(
    "A Surgical Safety Checklist to Reduce Morbidity and Mortality in a Global Population",
    ("Haynes, Alex B.", "Weiser, Thomas G.", "Berry, William R.", "Lipsitz, Stuart R.",
     "Breizat, Abdel-Hadi S.", "Dellinger, E. Patchen", "Herbosa, Teodoro", "Joseph, Sudhir",
     "Kibatala, Pascience L.", "Lapitan, Marie Carmela M.", "Merry, Alan F.",
     "Moorthy, Krishna", "Reznick, Richard K.", "Taylor, Bryce", "Gawande, Atul A."), *NEJM,
    "2009-01-29", "360", "5", "491-499", doi_="10.1056/NEJMsa0810119",
), ESSENTIAL)
FRANCIS = item("n11", web(
    "Report of the Mid Staffordshire NHS Foundation Trust Public Inquiry",
    "https://www.gov.uk/government/publications/report-of-the-mid-staffordshire-nhs-foundation"
    "-trust-public-inquiry", authors=("Francis, Robert",), publisher="The Stationery Office",
    date="2013-02-06",
    description="The Francis Report (HC 947): executive summary and three volumes.",
    notes=(note("Read the executive summary only.", kind="note", author=OWNER),),
), ESSENTIAL)
NMC_CODE = item("n12", web(
    "The Code: Professional standards of practice and behaviour for nurses, midwives and"
    " nursing associates", "https://www.nmc.org.uk/standards/code/",
    publisher="Nursing and Midwifery Council",
), ESSENTIAL)
NICE_SEPSIS = item("n13", web(
    "Sepsis: recognition, diagnosis and early management (NG51)",
    "https://www.nice.org.uk/guidance/ng51",
    publisher="National Institute for Health and Care Excellence",
), RECOMMENDED)
COCHRANE = item("n14", web(
    "Cochrane Handbook for Systematic Reviews of Interventions",
    "https://training.cochrane.org/handbook", publisher="Cochrane",
), OPTIONAL)
SKILLS_VIDEO = item("n15", local(
    "Skills lab: aseptic non-touch technique (demonstration)", ("Oduya, Rachel",),
    "2025-09-22", kind=ResourceType.AUDIO_VISUAL, fmt="video/mp4",
    description="Recorded demonstration (14 min) used before the first skills-lab session.",
    locations=(url(VLE + "nurs1105/skills/antt-demo", "VLE"),),
), ESSENTIAL)
HANDOUT = item("n16", local(
    "Appraising a research article: worksheet", ("Oduya, Rachel",), "2025-09-29",
    fmt="application/pdf",
    locations=(
        url(VLE + "nurs1105/handouts/appraisal-worksheet.pdf", "VLE"),
        shelf("Health Sciences Library Short Loan NURS1105/3"),
    ),
))


def v1() -> ResourceList:
    return ResourceList(
        identifier="nurs1105-2026",
        title="Foundations of Evidence-Based Nursing Practice",
        owner=OWNER,
        description="Year 1 BSc Nursing (Adult, Child, Mental Health). Reading to prepare"
        " for placement and the skills labs.",
        courses=("NURS1105",),
        language="en-GB",
        created="2025-08-30T08:15:00Z",
        modified="2025-09-29T16:40:00Z",
        items=(
            section("u1", "Unit 1: What nursing knows", NIGHTINGALE, CARPER, BENNER, NMC_CODE),
            section("u2", "Unit 2: Evidence", SACKETT, COCHRANE, HANDOUT),
            section("u3", "Unit 3: Safety", REASON, TO_ERR, HAYNES, PRONOVOST, SKILLS_VIDEO,
                    NICE_SEPSIS),
            section("u4", "Unit 4: Staffing and outcomes", AIKEN_2002, AIKEN_2014, FRANCIS),
        ),
        annotations=(
            note("Bring the appraisal worksheet to every seminar in Unit 2.", author=OWNER),
        ),
    )


def versions() -> tuple[ResourceList, ...]:
    return (v1(),)
