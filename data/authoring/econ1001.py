"""ECON1001 Great Ideas in Economics -- the articles every economist cites.

Mostly journal articles (QJE, AER, Economica, Econometrica ...), an NBER
conference chapter, books with ISBNs, JSTOR links where an article has no DOI,
and a central-bank web page.
"""

from __future__ import annotations

from cite import (
    ESSENTIAL,
    OPTIONAL,
    RECOMMENDED,
    article,
    book,
    catalogue,
    chapter,
    item,
    note,
    section,
    shelf,
    url,
    web,
)

from crosswalks.rli import ResourceList

OWNER = "dr.samuel.mensah"
QJE = ("Quarterly Journal of Economics", "0033-5533")
AER = ("American Economic Review", "0002-8282")
ECONOMICA = ("Economica", "0013-0427")

SMITH = item("e1", book(
    "An Inquiry into the Nature and Causes of the Wealth of Nations", ("Smith, Adam",), "1776",
    "W. Strahan and T. Cadell", "London", locations=(shelf("Special Collections HB161 .S6"),),
), OPTIONAL)
KEYNES = item("e2", book(
    "The General Theory of Employment, Interest and Money", ("Keynes, John Maynard",), "1936",
    "Macmillan", "London", locations=(shelf("HB171 .K44 1936"),),
), RECOMMENDED)
OSTROM = item("e3", book(
    "Governing the Commons: The Evolution of Institutions for Collective Action",
    ("Ostrom, Elinor",), "1990", "Cambridge University Press", "Cambridge",
    isbn13="9780521405997", series="Political Economy of Institutions and Decisions",
    locations=(catalogue("b2215590"), shelf("HD1286 .O77 1990")),
), ESSENTIAL)
KAHNEMAN_BOOK = item("e4", book(
    "Thinking, Fast and Slow", ("Kahneman, Daniel",), "2011", "Farrar, Straus and Giroux",
    "New York", isbn13="9780374275631", locations=(shelf("BF441 .K238 2011"),),
), RECOMMENDED)
PIKETTY = item("e5", book(
    "Capital in the Twenty-First Century", ("Piketty, Thomas",), "2014",
    "Belknap Press of Harvard University Press", "Cambridge, MA",
    translators=("Goldhammer, Arthur",), isbn13="9780674430006",
    locations=(catalogue("b4219903"),),
), RECOMMENDED)

COASE_FIRM = item("a1", article(
    "The Nature of the Firm", ("Coase, R. H.",), *ECONOMICA, "1937-11", "4", "16", "386-405",
    doi_="10.1111/j.1468-0335.1937.tb00002.x",
), ESSENTIAL)
HAYEK = item("a2", article(
    "The Use of Knowledge in Society", ("Hayek, F. A.",), *AER, "1945-09", "35", "4", "519-530",
    publisher="American Economic Association",
    locations=(url("https://www.jstor.org/stable/1809376", "JSTOR"),),
), ESSENTIAL)
SAMUELSON = item("a3", article(
    "The Pure Theory of Public Expenditure", ("Samuelson, Paul A.",),
    "Review of Economics and Statistics", "0034-6535", "1954-11", "36", "4", "387-389",
    doi_="10.2307/1925895",
), ESSENTIAL)
SOLOW = item("a4", article(
    "A Contribution to the Theory of Economic Growth", ("Solow, Robert M.",), *QJE, "1956-02",
    "70", "1", "65-94", doi_="10.2307/1884513",
), ESSENTIAL)
PHILLIPS = item("a5", article(
    "The Relation between Unemployment and the Rate of Change of Money Wage Rates in the"
    " United Kingdom, 1861-1957", ("Phillips, A. W.",), *ECONOMICA, "1958-11", "25", "100",
    "283-299", doi_="10.1111/j.1468-0335.1958.tb00003.x",
), ESSENTIAL)
COASE_COST = item("a6", article(
    "The Problem of Social Cost", ("Coase, R. H.",), "Journal of Law and Economics",
    "0022-2186", "1960-10", "3", "", "1-44", doi_="10.1086/466560",
    publisher="University of Chicago Press",
), ESSENTIAL)
ARROW_INVENTION = item("a7", chapter(
    "Economic Welfare and the Allocation of Resources for Invention", ("Arrow, Kenneth J.",),
    "The Rate and Direction of Inventive Activity: Economic and Social Factors",
    ("Nelson, Richard R.",), "1962", "Princeton University Press", "Princeton", "609-626",
    locations=(url("https://www.nber.org/chapters/c2144", "NBER"),),
), RECOMMENDED)
HARDIN = item("a8", article(
    "The Tragedy of the Commons", ("Hardin, Garrett",), "Science", "0036-8075", "1968-12-13",
    "162", "3859", "1243-1248", doi_="10.1126/science.162.3859.1243",
), ESSENTIAL)
FRIEDMAN = item("a9", article(
    "The Role of Monetary Policy", ("Friedman, Milton",), *AER, "1968-03", "58", "1", "1-17",
    publisher="American Economic Association",
    locations=(url("https://www.jstor.org/stable/1831652", "JSTOR"),),
), RECOMMENDED)
AKERLOF = item("a10", article(
    "The Market for \"Lemons\": Quality Uncertainty and the Market Mechanism",
    ("Akerlof, George A.",), *QJE, "1970-08", "84", "3", "488-500", doi_="10.2307/1879431",
    notes=(note("Start here if you read only one article this term.", author=OWNER),),
), ESSENTIAL)
KAHNEMAN_TVERSKY = item("a11", article(
    "Prospect Theory: An Analysis of Decision under Risk",
    ("Kahneman, Daniel", "Tversky, Amos"), "Econometrica", "0012-9682", "1979-03", "47", "2",
    "263-291", doi_="10.2307/1914185", publisher="Econometric Society",
), ESSENTIAL)
BOE = item("w1", web(
    "Monetary policy", "https://www.bankofengland.co.uk/monetary-policy",
    publisher="Bank of England",
    description="How the Monetary Policy Committee sets Bank Rate, with the latest decision.",
))


def v1() -> ResourceList:
    return ResourceList(
        identifier="econ1001-2026",
        title="Great Ideas in Economics",
        owner=OWNER,
        description="First-year module: one classic article a week, read in the original.",
        courses=("ECON1001",),
        language="en",
        created="2025-11-28T09:00:00Z",
        modified="2026-01-07T13:10:00Z",
        items=(
            section("bk", "Books for the whole module", SMITH, KEYNES, OSTROM, KAHNEMAN_BOOK,
                    PIKETTY),
            section("m1", "Part 1: Markets, firms and information", COASE_FIRM, HAYEK, AKERLOF,
                    ARROW_INVENTION),
            section("m2", "Part 2: Public goods and the commons", SAMUELSON, COASE_COST, HARDIN),
            section("m3", "Part 3: Growth, inflation and money", SOLOW, PHILLIPS, FRIEDMAN, BOE),
            section("m4", "Part 4: Behaviour", KAHNEMAN_TVERSKY),
        ),
        annotations=(
            note("All articles are on JSTOR or the publisher's site through the library"
                 " proxy; log in first.", author=OWNER),
        ),
    )


def versions() -> tuple[ResourceList, ...]:
    return (v1(),)
