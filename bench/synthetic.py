"""Synthetic councils and case studies that read like the real thing, made from a seed.

Text is built from sentence patterns and a domain vocabulary with a long tail, so that word
frequencies look like real write-ups: "council" is in nearly every study (the common-word
search), most domain words in a few per cent, and the rarest words (RARE_WORDS) in about one
study in two thousand (the rare-word search).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from board.models import CostBand, CouncilType, Nation, Outcome, Status, Visibility


def words(text: str) -> list[str]:
    """The words of a block of text: long vocabularies read better as prose than as lists."""
    return text.split()


COMMON_WORD = "council"
RARE_WORD = "defibrillator"

PLACES = words("""
    Ash Barn Bourne Brook Burn Bury Castle Chester Combe Cross Dale Dean Ford Gate Green Ham
    Haven Hill Holme Hurst Ing Kirk Lea Leigh Ley Marsh Mere Minster Moor Ness Port Stead
    Stoke Stow Thorpe Ton Wick Wold Worth Wyke
""")
PREFIXES = words("""
    North South East West Upper Lower Great Little Old New High Long Broad Kings Queens
    Market Bishops Abbots Castle Church Mill Water Stone Wood Fair Red White Black
""")
NATIONS = [
    (
        Nation.ENGLAND,
        0.8,
        [
            "North East",
            "North West",
            "Yorkshire",
            "East Midlands",
            "West Midlands",
            "East of England",
            "London",
            "South East",
            "South West",
        ],
    ),
    (Nation.SCOTLAND, 0.09, ["Scotland"]),
    (Nation.WALES, 0.06, ["Wales"]),
    (Nation.NORTHERN_IRELAND, 0.05, ["Northern Ireland"]),
]
ENGLISH_TYPES = [
    (CouncilType.DISTRICT, "District Council", 0.45),
    (CouncilType.COUNTY, "County Council", 0.06),
    (CouncilType.UNITARY, "Council", 0.2),
    (CouncilType.METROPOLITAN_BOROUGH, "Metropolitan Borough Council", 0.12),
    (CouncilType.LONDON_BOROUGH, "London Borough Council", 0.1),
]
NATION_TYPES = {
    Nation.SCOTLAND: (CouncilType.SCOTTISH_COUNCIL_AREA, "Council"),
    Nation.WALES: (CouncilType.WELSH_PRINCIPAL_AREA, "County Borough Council"),
    Nation.NORTHERN_IRELAND: (CouncilType.NI_DISTRICT, "District Council"),
}

SUBJECTS = [
    "We",
    "The council",
    "Our digital team",
    "The project board",
    "A small team of officers",
    "The cabinet member",
    "Our IT partner",
    "The customer services team",
    "The data team",
    "The adult social care service",
    "Our communications team",
    "The cyber security lead",
]
VERBS = [
    "piloted",
    "tested",
    "rolled out",
    "procured",
    "built",
    "trialled",
    "commissioned",
    "replaced",
    "introduced",
    "paused",
    "scaled up",
    "withdrew",
    "redesigned",
    "automated",
]
THINGS = [
    "a chatbot for council tax questions",
    "smart bins with fill-level sensors",
    "a resident portal",
    "a low-power sensor network",
    "online booking for the tip",
    "a data warehouse",
    "digital skills sessions in libraries",
    "free public wifi",
    "a new case management system",
    "text message reminders for missed bins",
    "a cloud backup service",
    "multi-factor authentication for all staff",
    "a phishing simulation",
    "tablets for care home residents",
    "remote monitoring kits",
    "an open data portal",
    "a social media campaign",
    "parking bay sensors",
    "air quality monitors",
    "a single view of the resident",
    "robotic process automation",
    "a webchat service",
    "predictive analytics for homelessness prevention",
    "a digital inclusion helpline",
    "smart street lighting",
    "a members' digital allowance",
    "e-forms for housing repairs",
    "a gigabit voucher scheme",
    "telecare alarms",
    "a ransomware response plan",
    "a councillor casework app",
    "damp and mould sensors",
]
GROUPS = [
    "residents",
    "older people",
    "carers",
    "small businesses",
    "tenants",
    "young people",
    "staff",
    "councillors",
    "visitors",
    "families",
    "care leavers",
    "people who are shielding",
]
WHERE = [
    "in three wards",
    "across the district",
    "in the town centre",
    "in rural villages",
    "in two libraries",
    "on council estates",
    "at the civic centre",
    "in care homes",
    "across the county",
    "in one service first",
]
RESULTS = [
    "take-up was lower than we expected",
    "costs rose by a third",
    "complaints fell",
    "staff found it hard to use",
    "the supplier went out of business",
    "data quality was poor",
    "residents liked it",
    "we saved officer time",
    "the pilot ran out of money",
    "it worked well for some groups but not others",
    "the council changed its priorities",
    "calls to the contact centre dropped",
    "nobody owned the data",
    "the sensors failed in winter",
    "procurement took longer than the pilot",
    "the business case did not survive scrutiny",
]
LESSONS = [
    "start small and measure",
    "involve residents from the start",
    "check the data first",
    "agree what success looks like before spending",
    "plan for the end of the pilot",
    "talk to other councils before buying",
    "budget for training",
    "keep a person in the loop",
    "share failures early with members",
    "test with people who do not use computers",
    "ask why we do it that way",
    "write down the assumptions",
    "keep the supplier honest",
]
# The long tail: words most studies never use. Weights fall with rank, like real vocabulary.
VOCABULARY = words("""
    accessibility accountability adoption agile algorithm allotments analytics appetite
    architecture assurance audit backlog bandwidth baseline benefits blockers broadband
    budget business caseload census channel citizen cloud collaboration commissioning
    connectivity consent consultation contract culture dashboard dataset decommission demand
    dependency deployment design devices discovery disruption dyslexia ecosystem efficiency
    eligibility encryption engagement evaluation evidence exclusion feedback fibre firewall
    framework funding governance grants helpdesk hosting housing hypothesis identity
    incident infrastructure innovation integration interoperability inventory landlord
    legacy licensing literacy maintenance mapping metrics migration milestone mobile
    modelling monitoring neighbourhood onboarding outcomes outsourcing ownership partnership
    patching payments performance permissions planning platform postcode poverty privacy
    procurement productivity prototype publishing recruitment regulation reporting
    resilience retention risk roadmap safeguarding scalability scrutiny security
    segmentation sensors settlement signposting skills software sponsorship stakeholder
    standards storage strategy subscription sustainability telephony templates tendering
    tenancy throughput training transformation transparency triage usability vendor
    verification volunteers vulnerability wellbeing workforce workshop
""")
RARE_WORDS = words("""
    defibrillator geofencing lorawan hackathon kiosk lidar microgrid ombudsman photovoltaic
    quadcopter radiator snowplough tachograph ultrasonic vaccination wayfinding xeriscape
    yurt zebrafish beekeeping
""")
VOCABULARY_WEIGHTS = [1 / (rank + 10) for rank in range(len(VOCABULARY))]
OUTCOMES = [Outcome.WORKED, Outcome.PARTLY_WORKED, Outcome.DID_NOT_WORK, Outcome.ONGOING]
OUTCOME_WEIGHTS = [0.35, 0.25, 0.25, 0.15]
# About 80% published; the rest in every other state.
STATUSES = [
    Status.PUBLISHED,
    Status.DRAFT,
    Status.SUBMITTED,
    Status.CHANGES_REQUESTED,
    Status.REJECTED,
    Status.WITHDRAWN,
]
STATUS_WEIGHTS = [0.8, 0.08, 0.05, 0.03, 0.02, 0.02]
COST_BANDS = list(CostBand)


def councils(count: int, rng: random.Random) -> list[dict]:
    """``count`` councils with unique names and slugs across the four nations."""
    made: list[dict] = []
    names: set[str] = set()
    while len(made) < count:
        nation, _, regions = rng.choices(NATIONS, weights=[n[1] for n in NATIONS])[0]
        place = rng.choice(PREFIXES) + " " + rng.choice(PLACES).lower().capitalize()
        if rng.random() < 0.5:
            place = rng.choice(PREFIXES) + rng.choice(PLACES).lower()
        if nation is Nation.ENGLAND:
            council_type, suffix, _ = rng.choices(
                ENGLISH_TYPES, weights=[t[2] for t in ENGLISH_TYPES]
            )[0]
        else:
            council_type, suffix = NATION_TYPES[nation]
        name = f"{place} {suffix}"
        if name in names:
            continue
        names.add(name)
        slug = name.lower().replace(" ", "-").replace("'", "")
        made.append(
            {
                "slug": slug,
                "name": name,
                "nation": nation,
                "region": rng.choice(regions),
                "council_type": council_type,
                "website": f"https://www.{slug}.gov.uk",
                "domain": f"{slug}.gov.uk",
            }
        )
    return made


def _filler(rng: random.Random, words: int) -> str:
    chosen = rng.choices(VOCABULARY, weights=VOCABULARY_WEIGHTS, k=words)
    if rng.random() < 0.0025:  # the rare tail: each rare word in ~1 study in 2,000
        chosen[rng.randrange(words)] = rng.choice(RARE_WORDS)
    return (
        "The "
        + " and ".join(" ".join(chosen[index : index + 3]) for index in range(0, words, 3))
        + " mattered."
    )


def _paragraph(rng: random.Random, sentences: list[str], filler_words: int) -> str:
    return " ".join([*sentences, _filler(rng, filler_words)])


def study_text(rng: random.Random, council_name: str) -> dict:
    """Title, summary and the five Markdown sections of one study."""
    thing = rng.choice(THINGS)
    group = rng.choice(GROUPS)
    verb = rng.choice(VERBS)
    result = rng.choice(RESULTS)
    months = rng.randint(2, 24)
    title = f"{verb.capitalize()} {thing} for {group}"
    summary = (
        f"{rng.choice(SUBJECTS)} {verb} {thing} for {group} {rng.choice(WHERE)}. "
        f"After {months} months {result}."
    )[:300]
    council_word = COMMON_WORD if rng.random() < 0.9 else "authority"
    return {
        "title": title[:200],
        "summary": summary,
        "challenge": _paragraph(
            rng,
            [
                f"Before this, the {council_word} handled it by hand and {group} waited.",
                f"Why do we do it that way? Nobody at {council_name} could say.",
            ],
            12,
        ),
        "what_we_tried": _paragraph(
            rng,
            [
                f"{rng.choice(SUBJECTS)} {verb} {thing} {rng.choice(WHERE)}.",
                f"We worked with {rng.choice(GROUPS)} and {rng.choice(GROUPS)} on the design.",
            ],
            15,
        ),
        "what_happened": _paragraph(
            rng, [f"After {months} months, {result}.", f"Then {rng.choice(RESULTS)}."], 15
        ),
        "what_we_learned": "\n".join(f"- {item.capitalize()}." for item in rng.sample(LESSONS, 3)),
        "what_we_would_do_differently": _paragraph(
            rng, [f"Next time we would {rng.choice(LESSONS)}."], 9
        ),
    }


def study_row(number: int, total: int, rng: random.Random, council: dict, now: datetime) -> dict:
    """Every column of one case study; older numbers are older studies."""
    status = rng.choices(STATUSES, weights=STATUS_WEIGHTS)[0]
    # Spread over six years, oldest first, so id order roughly follows publication order.
    age = timedelta(days=6 * 365 * (total - number) / total, minutes=rng.randint(0, 600))
    created = now - age - timedelta(days=rng.randint(2, 30))
    started = (now - age - timedelta(days=rng.randint(60, 700))).date().replace(day=1)
    published = now - age if status is Status.PUBLISHED else None
    row = {
        **study_text(rng, council["name"]),
        "council_id": council["id"],
        "author_id": council["author_id"],
        "outcome": rng.choices(OUTCOMES, weights=OUTCOME_WEIGHTS)[0],
        "started_on": started,
        "ended_on": None
        if rng.random() < 0.3
        else min(date(started.year + 1, started.month, 1), now.date().replace(day=1)),
        "cost_band": rng.choice(COST_BANDS),
        "visibility": Visibility.MEMBERS if rng.random() < 0.15 else Visibility.PUBLIC,
        "status": status,
        "decision_note": "",
        "useful_count": int(rng.paretovariate(1.5)) - 1 if status is Status.PUBLISHED else 0,
        "created_at": created,
        "updated_at": published or created,
        "submitted_at": created + timedelta(days=1) if status is not Status.DRAFT else None,
        "published_at": published,
    }
    return row


def comment_text(rng: random.Random) -> str:
    """A comment of a few Markdown paragraphs, as members write them: emphasis, a list, a link
    (which the renderer sanitises and links)."""
    thing = rng.choice(THINGS)
    parts = [
        f"We {rng.choice(VERBS)} {thing} too, {rng.choice(WHERE)}, and **{rng.choice(RESULTS)}**.",
        f"What made the difference for us: *{rng.choice(LESSONS)}*. {_filler(rng, 12)}",
    ]
    if rng.random() < 0.6:
        parts.append("\n".join(f"- {item.capitalize()}" for item in rng.sample(LESSONS, 3)))
    if rng.random() < 0.5:
        parts.append(
            f"Our write-up is at https://www.example-council.gov.uk/digital/{rng.randint(1, 999)}"
            f" and the [{rng.choice(VOCABULARY)} plan](https://www.example.gov.uk/plan) is public."
        )
    return "\n\n".join(parts)


def topic_ids_for(rng: random.Random, topic_ids: list[int]) -> list[int]:
    """One to three topics per study."""
    return rng.sample(topic_ids, rng.choices([1, 2, 3], weights=[0.5, 0.35, 0.15])[0])


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)
