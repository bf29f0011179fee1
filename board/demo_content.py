"""Demo data for ``flask --app wsgi demo-data``: councils, people and published case studies.

The councils are real, with their real websites and email domains, so that registration by
council domain can be tried out. The people are fictional, and so are the case studies: they are
written to read like the experiments councils run, not as accounts of what any council did.
"""

COUNCILS = [
    {
        "slug": "leeds-city-council",
        "name": "Leeds City Council",
        "nation": "england",
        "region": "Yorkshire and the Humber",
        "council_type": "metropolitan-borough",
        "website": "https://www.leeds.gov.uk",
        "domains": ["leeds.gov.uk"],
    },
    {
        "slug": "camden-council",
        "name": "London Borough of Camden",
        "nation": "england",
        "region": "London",
        "council_type": "london-borough",
        "website": "https://www.camden.gov.uk",
        "domains": ["camden.gov.uk"],
    },
    {
        "slug": "kent-county-council",
        "name": "Kent County Council",
        "nation": "england",
        "region": "South East",
        "council_type": "county",
        "website": "https://www.kent.gov.uk",
        "domains": ["kent.gov.uk"],
    },
    {
        "slug": "south-cambridgeshire-district-council",
        "name": "South Cambridgeshire District Council",
        "nation": "england",
        "region": "East of England",
        "council_type": "district",
        "website": "https://www.scambs.gov.uk",
        "domains": ["scambs.gov.uk"],
    },
    {
        "slug": "bristol-city-council",
        "name": "Bristol City Council",
        "nation": "england",
        "region": "South West",
        "council_type": "unitary",
        "website": "https://www.bristol.gov.uk",
        "domains": ["bristol.gov.uk"],
    },
    {
        "slug": "wigan-council",
        "name": "Wigan Council",
        "nation": "england",
        "region": "North West",
        "council_type": "metropolitan-borough",
        "website": "https://www.wigan.gov.uk",
        "domains": ["wigan.gov.uk"],
    },
    {
        "slug": "cardiff-council",
        "name": "Cardiff Council",
        "nation": "wales",
        "region": "South East Wales",
        "council_type": "welsh-principal-area",
        "website": "https://www.cardiff.gov.uk",
        "domains": ["cardiff.gov.uk"],
    },
    {
        "slug": "gwynedd-council",
        "name": "Gwynedd Council",
        "nation": "wales",
        "region": "North West Wales",
        "council_type": "welsh-principal-area",
        "website": "https://www.gwynedd.llyw.cymru",
        "domains": ["gwynedd.llyw.cymru"],
    },
    {
        "slug": "fife-council",
        "name": "Fife Council",
        "nation": "scotland",
        "region": "East of Scotland",
        "council_type": "scottish-council-area",
        "website": "https://www.fife.gov.uk",
        "domains": ["fife.gov.uk"],
    },
    {
        "slug": "highland-council",
        "name": "The Highland Council",
        "nation": "scotland",
        "region": "Highlands and Islands",
        "council_type": "scottish-council-area",
        "website": "https://www.highland.gov.uk",
        "domains": ["highland.gov.uk"],
    },
    {
        "slug": "belfast-city-council",
        "name": "Belfast City Council",
        "nation": "northern-ireland",
        "region": "Belfast",
        "council_type": "ni-district",
        "website": "https://www.belfastcity.gov.uk",
        "domains": ["belfastcity.gov.uk"],
    },
    {
        "slug": "derry-city-and-strabane-district-council",
        "name": "Derry City and Strabane District Council",
        "nation": "northern-ireland",
        "region": "North West",
        "council_type": "ni-district",
        "website": "https://www.derrystrabane.com",
        "domains": ["derrystrabane.com"],
    },
]

PEOPLE = [
    {
        "email": "admin@caseboard.example",
        "name": "Sam Okafor",
        "role": "admin",
        "council": None,
        "council_role": "officer",
        "job_title": "Service administrator",
    },
    {
        "email": "priya.natarajan@kent.gov.uk",
        "name": "Priya Natarajan",
        "role": "moderator",
        "council": "kent-county-council",
        "council_role": "officer",
        "job_title": "Digital standards lead",
    },
    {
        "email": "gareth.price@cardiff.gov.uk",
        "name": "Gareth Price",
        "role": "member",
        "council": "cardiff-council",
        "council_role": "councillor",
        "job_title": "Cabinet Member for Digital Services",
    },
    {
        "email": "aileen.macleod@fife.gov.uk",
        "name": "Aileen MacLeod",
        "role": "member",
        "council": "fife-council",
        "council_role": "officer",
        "job_title": "Data and insight manager",
    },
]

STUDIES = [
    {
        "council": "leeds-city-council",
        "title": "A council tax chatbot that sent people back to the phone queue",
        "summary": (
            "We put a chatbot on the council tax pages to answer common questions out of hours. "
            "It answered simple questions well, but most people had a problem with their own "
            "account, and the bot could only tell them to ring us."
        ),
        "topics": ["digital-communications"],
        "outcome": "did-not-work",
        "challenge": (
            "Council tax calls peak every March when bills go out, and the phone queue regularly "
            "passed 40 minutes. Most calls were handled the same way they had been for years: "
            "an adviser reads the account and explains it. Nobody could say why we had never "
            "asked which of those calls needed a person at all."
        ),
        "what_we_tried": (
            "A chatbot from an existing framework supplier, trained on our 60 most-read web "
            "pages and switched on for the billing period. It could answer general questions "
            "(discounts, payment dates, how to move house) but, for data protection reasons, "
            "could not see anyone's account."
        ),
        "what_happened": (
            "- 11,400 conversations in eight weeks.\n"
            "- 71% ended with the bot suggesting the person ring us.\n"
            "- Calls did not fall; complaints mentioning the bot rose.\n\n"
            "Reading the transcripts showed why: people came with *their* bill, *their* "
            "arrears letter, *their* direct debit."
        ),
        "what_we_learned": (
            "We automated the questions that were already answered well on the website, and "
            "left untouched the ones that filled the queue. **Read a week of call notes before "
            "choosing a channel**: it would have cost us two days and told us the answer."
        ),
        "what_we_would_do_differently": (
            "Start with signed-in self-service for the three account tasks that made up half "
            "of the calls, and only then look at conversational tools. Agree a stop date and "
            "a measure (calls avoided, not conversations held) before going live."
        ),
        "started": "2022-04",
        "ended": "2023-01",
        "cost_band": "10k-50k",
        "visibility": "public",
        "days_ago": 212,
        "useful": 47,
    },
    {
        "council": "leeds-city-council",
        "title": "Joining housing and adult social care data to spot hoarding risk early",
        "summary": (
            "Housing officers and social workers each held part of the picture when a tenant's "
            "hoarding became a fire risk. A shared weekly list helped in one area, but the "
            "matching of records was too unreliable to roll out."
        ),
        "topics": ["data-and-research", "digital-in-social-care"],
        "outcome": "partly-worked",
        "challenge": (
            "Serious hoarding cases usually reached us through the fire service, by which time "
            "the home was unsafe. Looking back at twelve cases, housing and social care had "
            "each recorded warning signs months earlier, in systems that never met."
        ),
        "what_we_tried": (
            "A data sharing agreement between the two services, then a weekly list matching "
            "tenancy records with open social care cases that mentioned clutter, missed "
            "repairs access or fire safety visits. A named officer in each service reviewed it "
            "together in one area for nine months."
        ),
        "what_happened": (
            "The pilot area found 14 households early and arranged support for 9 of them. "
            "But a quarter of the matches were wrong: different spellings of names, old "
            "addresses, shared surnames in the same block. Checking them took a day a week."
        ),
        "what_we_learned": (
            "The conversation between the two officers did more than the list. Record "
            "matching on names and addresses is weaker than anyone expects; without a shared "
            "identifier, the human review cannot be removed."
        ),
        "what_we_would_do_differently": (
            "Fix the address data first (we now use UPRNs in both systems) and budget for the "
            "review time as part of the service, not as a pilot overhead."
        ),
        "started": "2021-09",
        "ended": "2023-03",
        "cost_band": "50k-250k",
        "visibility": "public",
        "days_ago": 281,
        "useful": 33,
    },
    {
        "council": "camden-council",
        "title": "Lending tablets with data to residents over 70",
        "summary": (
            "We lent 300 tablets with a year of mobile data and weekly help sessions to older "
            "residents who were not online. Two thirds were still using them a year later, "
            "and library staff now run the scheme."
        ),
        "topics": ["digital-inclusion-and-connectivity"],
        "outcome": "worked",
        "challenge": (
            "More services, from GP appointments to blue badges, were moving online, and our "
            "own survey suggested one in five residents over 70 had no internet at home. "
            "Buying devices alone had failed before: they ended up in drawers."
        ),
        "what_we_tried": (
            "Tablets set up with large text and a few chosen apps, a SIM with a year of data, "
            "and a weekly drop-in at four libraries run by volunteers. Residents were referred "
            "by social prescribers, housing officers and carers' groups."
        ),
        "what_happened": (
            "Of 300 residents, 204 were using their tablet at twelve months, mostly for video "
            "calls with family, repeat prescriptions and the library's e-books. The drop-ins "
            "mattered most: people who came three times kept going."
        ),
        "what_we_learned": (
            "Support is the service; the device is the easy part. Referrals through people "
            "residents already trust worked far better than a leaflet campaign."
        ),
        "what_we_would_do_differently": (
            "Plan for what happens when the free data ends from the start. We had to find "
            "social tariffs for people one by one in month eleven."
        ),
        "started": "2020-11",
        "ended": "2022-06",
        "cost_band": "50k-250k",
        "visibility": "public",
        "days_ago": 344,
        "useful": 58,
    },
    {
        "council": "camden-council",
        "title": "A residents' panel on where the council uses algorithms",
        "summary": (
            "Before using data tools in decisions about people, we asked a panel of 20 "
            "residents to set the ground rules. Their principles now shape every project and "
            "stopped one before it started."
        ),
        "topics": ["data-and-research", "digital-political-leadership"],
        "outcome": "worked",
        "challenge": (
            "Several services wanted to try predictive tools. Councillors were uneasy but had "
            "no way to say which uses were acceptable, so each proposal became a one-off "
            "argument between enthusiasts and sceptics."
        ),
        "what_we_tried": (
            "A panel of 20 residents, recruited to reflect the borough, met for four "
            "evenings with officers, an academic and a civil liberties group. They were "
            "paid for their time and wrote their own principles."
        ),
        "what_happened": (
            "The panel agreed nine principles, including *a person always makes the final "
            "decision* and *residents can find out when data was used about them*. Cabinet "
            "adopted them within three months."
        ),
        "what_we_learned": (
            "Residents were neither for nor against data in general; they cared about purpose "
            "and fairness. Giving councillors a resident-written standard made the political "
            "conversation far easier."
        ),
        "what_we_would_do_differently": (
            "Build in a yearly check-back with the panel. Two years on, new tools have arrived "
            "that the principles do not quite cover."
        ),
        "started": "2022-01",
        "ended": "2022-07",
        "cost_band": "under-10k",
        "visibility": "public",
        "days_ago": 97,
        "useful": 29,
    },
    {
        "council": "camden-council",
        "title": "Phishing simulations that made staff stop reporting suspicious emails",
        "summary": (
            "Monthly fake phishing emails were meant to train staff. Click rates fell, but so "
            "did reports of real phishing, because people felt tricked and stopped trusting "
            "the security team."
        ),
        "topics": ["cyber-security"],
        "outcome": "did-not-work",
        "challenge": (
            "Phishing is how most attacks on councils begin. Our insurer asked for evidence "
            "of staff awareness, and a simulation service gave us a click-rate figure for the "
            "risk register."
        ),
        "what_we_tried": (
            "Monthly simulated phishing emails to all 4,000 staff, with a short training page "
            "for anyone who clicked and a league table of departments shared with directors."
        ),
        "what_happened": (
            "Click rates fell from 19% to 7% over a year. Over the same year, reports of "
            "genuine suspicious emails to the service desk fell by 40%. Staff told us they "
            "ignored anything odd rather than risk looking foolish."
        ),
        "what_we_learned": (
            "We measured the wrong thing. The number that protects us is how quickly real "
            "phishing is reported, and shaming people drives it down. The league table did the "
            "most harm."
        ),
        "what_we_would_do_differently": (
            "Make reporting one click, thank every report, and run simulations rarely and "
            "without naming departments. We have since done this and reports are recovering."
        ),
        "started": "2023-02",
        "ended": "2023-08",
        "cost_band": "under-10k",
        "visibility": "members",
        "days_ago": 36,
        "useful": 51,
    },
    {
        "council": "kent-county-council",
        "title": "Acoustic sensors to predict falls in extra care housing",
        "summary": (
            "We tested sound and movement sensors that promised to spot a rising risk of falls "
            "before one happened. Staff could not act on the alerts, and residents disliked "
            "the devices, so we stopped after a year."
        ),
        "topics": ["digital-in-social-care", "smart-places-technology"],
        "outcome": "did-not-work",
        "challenge": (
            "Falls are the most common reason older people in extra care move into residential "
            "care. Pendant alarms only help after a fall, and many residents do not wear them."
        ),
        "what_we_tried": (
            "Sensors in 40 flats across two schemes that learned each resident's routine and "
            "flagged changes, such as slower movement at night, to the on-site care team "
            "through a dashboard."
        ),
        "what_happened": (
            "The system raised around 30 alerts a week. Staff could not tell which ones "
            "mattered, and there was no agreed response to *risk is rising*. Falls did not "
            "change measurably. Eleven residents asked for the sensors to be removed."
        ),
        "what_we_learned": (
            "An alert is only useful if someone knows what to do next and has time to do it. "
            "We bought a prediction without designing the response. Residents' consent has to "
            "be ongoing, not a signature on day one."
        ),
        "what_we_would_do_differently": (
            "Start with the care team and the residents: what would they do differently with "
            "earlier warning? Pilot in five flats for three months, not forty for a year."
        ),
        "started": "2021-05",
        "ended": "2022-11",
        "cost_band": "50k-250k",
        "visibility": "public",
        "days_ago": 158,
        "useful": 40,
    },
    {
        "council": "kent-county-council",
        "title": "Replacing paper Blue Badge renewals with an online form",
        "summary": (
            "Renewals were posted, scanned and rekeyed. A short online form that reuses what "
            "we already hold cut processing time from six weeks to eight days, with a phone "
            "and paper route kept for anyone who needs it."
        ),
        "topics": ["digital-communications", "digital-inclusion-and-connectivity"],
        "outcome": "worked",
        "challenge": (
            "Every renewal repeated the whole application, even when nothing had changed. "
            "Forms arrived incomplete, and the backlog meant badges expired while people waited."
        ),
        "what_we_tried": (
            "An online renewal that asks only what may have changed, tested with disabled "
            "residents and carers at every stage. We kept the paper form and a phone line, and "
            "trained library staff to help people fill in the online form."
        ),
        "what_happened": (
            "Within a year 68% of renewals came online. Average processing fell from six weeks "
            "to eight days, and incomplete applications from one in three to one in twenty."
        ),
        "what_we_learned": (
            "Testing with disabled residents found problems no internal review had, such as "
            "a timeout that logged people out while they found their documents. Keeping the "
            "other routes open built trust rather than slowing take-up."
        ),
        "what_we_would_do_differently": (
            "Involve the service desk from the start; they knew the ten most common mistakes "
            "on the paper form."
        ),
        "started": "2019-06",
        "ended": "2020-02",
        "cost_band": "10k-50k",
        "visibility": "public",
        "days_ago": 367,
        "useful": 22,
    },
    {
        "council": "kent-county-council",
        "title": "A ransomware exercise for our adult social care systems",
        "summary": (
            "We rehearsed a ransomware attack that took out the social care case system for two "
            "weeks. The exercise showed our paper fallback would have failed on day two, and "
            "we rebuilt it."
        ),
        "topics": ["cyber-security", "digital-in-social-care"],
        "outcome": "worked",
        "challenge": (
            "Other councils' experience of ransomware showed that social care suffers most "
            "when systems go down. Our business continuity plan said *revert to paper*, but "
            "nobody had tried it."
        ),
        "what_we_tried": (
            "A half-day tabletop exercise, using the NCSC's free "
            "[Exercise in a Box](https://www.ncsc.gov.uk/information/exercise-in-a-box), with "
            "care managers, IT, communications, the emergency planning team and two "
            "councillors."
        ),
        "what_happened": (
            "By the end of *day two* of the scenario, teams could not find which home care "
            "visits were due, because the only rota was in the system. The printed contact "
            "lists were two years old."
        ),
        "what_we_learned": (
            "A continuity plan that has never been rehearsed is a hope. The most important "
            "fallback was a daily export of visits and contacts, kept off the network."
        ),
        "what_we_would_do_differently": (
            "Run it a year earlier, and include the home care providers, who hold half of the "
            "information we would need."
        ),
        "started": "2023-05",
        "ended": "2023-06",
        "cost_band": "under-10k",
        "visibility": "members",
        "days_ago": 64,
        "useful": 44,
    },
    {
        "council": "south-cambridgeshire-district-council",
        "title": "Solar compacting smart bins in village centres",
        "summary": (
            "Smart bins that compact rubbish and report when full were meant to cut "
            "collections. In villages with few bins and fixed rounds, the data changed nothing "
            "and the bins cost five times as much."
        ),
        "topics": ["smart-places-technology"],
        "outcome": "did-not-work",
        "challenge": (
            "Overflowing litter bins in village centres were a common complaint to "
            "councillors, especially at weekends."
        ),
        "what_we_tried": (
            "Twelve solar-powered compacting bins with fill-level sensors in six villages, "
            "with alerts sent to the waste team."
        ),
        "what_happened": (
            "Overflowing stopped where the bins were. But crews still passed every bin on "
            "fixed rounds, so collections did not fall and the alerts went unused. Two bins "
            "failed in winter for lack of sun."
        ),
        "what_we_learned": (
            "Sensor data saves money only when the operation can change in response, such as "
            "dynamic routes. For our rounds, a larger ordinary bin would have solved the "
            "complaint at a fraction of the cost."
        ),
        "what_we_would_do_differently": (
            "Ask the crews first. They knew which bins overflowed and when."
        ),
        "started": "2020-03",
        "ended": "2021-04",
        "cost_band": "10k-50k",
        "visibility": "public",
        "days_ago": 301,
        "useful": 38,
    },
    {
        "council": "south-cambridgeshire-district-council",
        "title": "Councillor surgeries by video call",
        "summary": (
            "We offered video surgeries alongside village hall ones. Younger residents and "
            "carers used them, but many ward members found them hard to run without support, "
            "and take-up varied widely between wards."
        ),
        "topics": ["digital-political-leadership", "digital-inclusion-and-connectivity"],
        "outcome": "partly-worked",
        "challenge": (
            "Surgeries in village halls drew the same few residents. People who worked or "
            "cared for someone during the day rarely came."
        ),
        "what_we_tried": (
            "Bookable 15-minute video slots for any councillor who wanted them, with a booking "
            "page, a short guide and a member services officer on hand for the first sessions."
        ),
        "what_happened": (
            "Twenty of 45 councillors offered video slots; nine used them regularly. Where "
            "they were offered, a third of residents booking were under 40, compared with "
            "almost none in person."
        ),
        "what_we_learned": (
            "Confidence, not kit, held councillors back. Pairing them with a colleague who "
            "already ran video surgeries worked better than written guidance."
        ),
        "what_we_would_do_differently": (
            "Offer one-to-one coaching in the first month after an election, when new members "
            "are setting their habits."
        ),
        "started": "2020-05",
        "ended": "2021-12",
        "cost_band": "under-10k",
        "visibility": "public",
        "days_ago": 142,
        "useful": 12,
    },
    {
        "council": "bristol-city-council",
        "title": "Damp and mould sensors in council homes",
        "summary": (
            "Humidity and temperature sensors in 500 homes flagged damp risk months before "
            "tenants reported it. They helped target repairs, but we learned to lead with "
            "advice and repairs, not data about people's habits."
        ),
        "topics": ["smart-places-technology", "data-and-research"],
        "outcome": "partly-worked",
        "challenge": (
            "Damp and mould in social housing can cause serious illness. We relied on tenants "
            "reporting it, and some never did, worried they would be blamed."
        ),
        "what_we_tried": (
            "Small sensors in 500 homes with a history of damp, reading humidity and "
            "temperature hourly. Readings above a threshold for a week triggered a visit from "
            "a surveyor."
        ),
        "what_happened": (
            "The sensors flagged 86 homes; surveyors found damp in 61, most not yet reported. "
            "But early visit letters that mentioned *ventilation and drying clothes* upset "
            "tenants, and 40 asked for the sensors to be removed."
        ),
        "what_we_learned": (
            "The data was useful for finding buildings with defects. Used to comment on how "
            "people live, it destroyed trust. Tenants accepted sensors once visits led with "
            "repairs."
        ),
        "what_we_would_do_differently": (
            "Co-write the letters and the consent information with tenants, and give tenants "
            "their own readings."
        ),
        "started": "2022-10",
        "ended": "2024-03",
        "cost_band": "50k-250k",
        "visibility": "public",
        "days_ago": 23,
        "useful": 55,
    },
    {
        "council": "bristol-city-council",
        "title": "Predicting which families might need early help: why we stopped",
        "summary": (
            "We built a model to rank families by likelihood of needing children's services. "
            "It was accurate on paper, but we could not explain its scores to families or "
            "social workers, so we stopped before using it."
        ),
        "topics": ["data-and-research", "digital-in-social-care"],
        "outcome": "did-not-work",
        "challenge": (
            "Early help works best early, and we hoped joined-up data could point to families "
            "who might benefit before a crisis."
        ),
        "what_we_tried": (
            "A model trained on five years of linked data from several services, built with a "
            "university partner, tested only on historical records, with an ethics board "
            "overseeing the work."
        ),
        "what_happened": (
            "The model ranked families reasonably well in testing, but the features that "
            "drove its scores were largely measures of poverty and contact with services. "
            "Social workers said they could not act on a score they could not explain."
        ),
        "what_we_learned": (
            "Being accurate is not enough. A tool used about families must be explainable to "
            "them and fair between them; ours was neither. The ethics board's early questions "
            "saved us from a damaging launch."
        ),
        "what_we_would_do_differently": (
            "Start with the decision social workers need help with, and with families' views, "
            "rather than with the data we happened to have."
        ),
        "started": "2019-01",
        "ended": "2020-09",
        "cost_band": "over-250k",
        "visibility": "members",
        "days_ago": 389,
        "useful": 60,
    },
    {
        "council": "bristol-city-council",
        "title": "Free public wifi on five high streets",
        "summary": (
            "We are running free wifi on five high streets, paid for by a concession on "
            "street furniture. Early use is high, but the business case depends on advertising "
            "income that is not yet there."
        ),
        "topics": ["digital-inclusion-and-connectivity", "smart-places-technology"],
        "outcome": "ongoing",
        "challenge": (
            "Mobile coverage is poor in parts of some high streets, and traders asked for "
            "wifi to help attract shoppers. Many residents rely on pay-as-you-go data."
        ),
        "what_we_tried": (
            "A ten-year concession with a provider who installs and runs the network on "
            "lamp posts in exchange for advertising rights, with a sign-in that collects no "
            "personal data beyond the device."
        ),
        "what_happened": (
            "Around 9,000 devices connect each week. Traders report more people staying "
            "longer. Advertising income is a third below forecast, and the concession review "
            "is next spring."
        ),
        "what_we_learned": (
            "So far: plan for the concession failing. We have kept the right to take over "
            "the equipment so the service does not simply stop."
        ),
        "what_we_would_do_differently": "",
        "started": "2024-04",
        "ended": None,
        "cost_band": "not-disclosed",
        "visibility": "public",
        "days_ago": 8,
        "useful": 6,
    },
    {
        "council": "wigan-council",
        "title": "WhatsApp updates for bin collection changes",
        "summary": (
            "Residents can now sign up to get bin collection changes on WhatsApp. Take-up was "
            "faster than email alerts ever managed, and calls about missed collections fell in "
            "the areas that used it."
        ),
        "topics": ["digital-communications"],
        "outcome": "worked",
        "challenge": (
            "Bank holiday and bad-weather changes to collections led to calls and missed "
            "bins. Our email alerts had under 5,000 subscribers after three years."
        ),
        "what_we_tried": (
            "A WhatsApp Business channel through an approved messaging supplier, sending "
            "only collection changes for the subscriber's round, promoted on bin hangers."
        ),
        "what_happened": (
            "21,000 households signed up in six months. Calls about collection days fell by "
            "a quarter in rounds with high take-up. Unsubscribes stayed under 2% because we "
            "sent nothing else."
        ),
        "what_we_learned": (
            "Meet people in the app they already use, and keep the promise about what you "
            "will send. The hangers on bins worked better than any online promotion."
        ),
        "what_we_would_do_differently": (
            "Settle the data protection impact assessment and records retention before "
            "launch; doing it after slowed the second phase."
        ),
        "started": "2022-08",
        "ended": "2023-02",
        "cost_band": "under-10k",
        "visibility": "public",
        "days_ago": 176,
        "useful": 31,
    },
    {
        "council": "wigan-council",
        "title": "Digital champions in community centres",
        "summary": (
            "Volunteers trained as digital champions helped residents in community centres "
            "with everyday online tasks. Over two years they helped 2,600 people, and the "
            "network now runs with the voluntary sector."
        ),
        "topics": ["digital-inclusion-and-connectivity"],
        "outcome": "worked",
        "challenge": (
            "Courses in libraries drew few people. The residents who most needed help did "
            "not see themselves as learners and would not sign up for a class."
        ),
        "what_we_tried": (
            "Training 80 volunteers and front-line staff as digital champions, placed in "
            "community centres, food banks and sheltered housing, helping with whatever "
            "people came in with."
        ),
        "what_happened": (
            "2,600 people helped, mostly with benefits, health appointments and talking to "
            "family. Half came back for more help. Volunteer turnover was high in the first "
            "year until we added a monthly meet-up."
        ),
        "what_we_learned": (
            "Help with the task in hand beats a course. Volunteers need support too; the "
            "meet-ups halved turnover."
        ),
        "what_we_would_do_differently": (
            "Share the lead with the voluntary sector from day one, not at the end of the funding."
        ),
        "started": "2021-01",
        "ended": "2022-12",
        "cost_band": "10k-50k",
        "visibility": "public",
        "days_ago": 233,
        "useful": 26,
    },
    {
        "council": "wigan-council",
        "title": "A single customer record across eight systems",
        "summary": (
            "We tried to join eight service systems into one view of each resident. After two "
            "years the matching engine worked, but services did not change how they worked, "
            "and we switched it off."
        ),
        "topics": ["data-and-research"],
        "outcome": "did-not-work",
        "challenge": (
            "Residents told us they had to repeat their story to every service. A single "
            "view seemed the obvious fix."
        ),
        "what_we_tried": (
            "A master data management platform matching records from revenues, housing, "
            "social care, waste and four other systems, with a read-only view for contact "
            "centre staff."
        ),
        "what_happened": (
            "Matching reached 92% accuracy after 18 months of cleansing. But each system "
            "remained the master of its own data, updates did not flow back, and advisers "
            "stopped opening the view because it was often out of date."
        ),
        "what_we_learned": (
            "A technology project cannot fix a problem of ownership. Nobody was responsible "
            "for the resident's record as a whole, so nobody kept it right."
        ),
        "what_we_would_do_differently": (
            "Pick one journey, such as moving home, and join only the data it needs, with a "
            "named owner."
        ),
        "started": "2019-09",
        "ended": "2021-06",
        "cost_band": "over-250k",
        "visibility": "public",
        "days_ago": 395,
        "useful": 49,
    },
    {
        "council": "cardiff-council",
        "title": "A bilingual voice assistant skill for council services",
        "summary": (
            "We built a Welsh and English voice assistant skill for bin days and opening "
            "times. Few people found it, Welsh speech recognition was unreliable, and usage "
            "never passed a few dozen a week."
        ),
        "topics": ["digital-communications"],
        "outcome": "did-not-work",
        "challenge": (
            "Smart speakers were in many homes, and we wanted to be early and to offer the "
            "service in Welsh as well as English."
        ),
        "what_we_tried": (
            "A skill answering bin collection days, recycling centre hours and library "
            "opening times, promoted on social media and in the council's magazine."
        ),
        "what_happened": (
            "Fewer than 60 uses a week at the peak. Welsh phrases were often misheard, "
            "so most Welsh speakers used it in English. Maintaining it through platform "
            "changes took more time than it saved."
        ),
        "what_we_learned": (
            "A new channel needs a reason to switch. Nobody was struggling to find their bin "
            "day; they were struggling when it changed. Language support depends on the "
            "platform, not on us."
        ),
        "what_we_would_do_differently": (
            "Test demand with a prototype and ten households before building, and put the "
            "effort into the bilingual website that everyone already uses."
        ),
        "started": "2020-09",
        "ended": "2021-07",
        "cost_band": "10k-50k",
        "visibility": "public",
        "days_ago": 326,
        "useful": 19,
    },
    {
        "council": "cardiff-council",
        "title": "Monthly performance dashboards for cabinet members",
        "summary": (
            "We replaced a 90-page quarterly report with live dashboards for cabinet. Members "
            "used them to ask sharper questions, but scrutiny members felt shut out until we "
            "gave them the same access."
        ),
        "topics": ["digital-political-leadership", "data-and-research"],
        "outcome": "partly-worked",
        "challenge": (
            "The quarterly performance report was out of date by the time it reached "
            "cabinet, and few members read past the summary."
        ),
        "what_we_tried": (
            "Dashboards for each portfolio, refreshed monthly, with a half-hour session for "
            "each cabinet member on reading them and a named analyst to call."
        ),
        "what_happened": (
            "Cabinet members used them weekly and started asking about trends rather than "
            "single figures. Scrutiny members, who still got the quarterly report, said the "
            "executive now knew more than they did."
        ),
        "what_we_learned": (
            "Data changes the balance of power in a council. Giving it to the executive alone "
            "looked like hiding it from everyone else."
        ),
        "what_we_would_do_differently": (
            "Give every councillor the same dashboards from the start, with training open to all."
        ),
        "started": "2021-04",
        "ended": "2022-03",
        "cost_band": "10k-50k",
        "visibility": "public",
        "days_ago": 119,
        "useful": 17,
    },
    {
        "council": "cardiff-council",
        "title": "Passwordless sign-in for staff",
        "summary": (
            "We are moving staff from passwords to phishing-resistant sign-in with security "
            "keys and device biometrics. Office staff have moved; the harder part, shared "
            "devices in depots and care settings, is still under way."
        ),
        "topics": ["cyber-security"],
        "outcome": "ongoing",
        "challenge": (
            "Most account compromises we saw began with a phished password, and text-message "
            "codes were being intercepted or approved by tired staff."
        ),
        "what_we_tried": (
            "Security keys and device biometrics for 3,000 office staff first, then shared "
            "devices, following the NCSC's advice on multi-factor authentication."
        ),
        "what_happened": (
            "So far: office staff moved in four months with few problems, and password reset "
            "calls fell by 60%. Shared tablets in depots need a different approach, and we "
            "are testing badge-based sign-in."
        ),
        "what_we_learned": (
            "So far: staff liked it once they tried it; fear of change was the main barrier. "
            "Keep spare keys at every site."
        ),
        "what_we_would_do_differently": "",
        "started": "2025-01",
        "ended": None,
        "cost_band": "50k-250k",
        "visibility": "public",
        "days_ago": 15,
        "useful": 14,
    },
    {
        "council": "gwynedd-council",
        "title": "Mapping mobile signal with sensors on bin lorries",
        "summary": (
            "We fitted signal loggers to refuse vehicles to map real mobile coverage across "
            "the county. The maps differed from operators' own and gave us evidence for "
            "masts in three areas."
        ),
        "topics": ["digital-inclusion-and-connectivity", "smart-places-technology"],
        "outcome": "worked",
        "challenge": (
            "Residents in rural areas said coverage was far worse than the official maps "
            "showed, but we had no evidence to take to operators or government."
        ),
        "what_we_tried": (
            "Low-cost loggers on 20 refuse vehicles, which cover every road each fortnight, "
            "recording signal from all four networks for four months."
        ),
        "what_happened": (
            "The data showed coverage gaps on roads that operator maps marked as covered. We "
            "shared it with operators and the shared rural network programme; three sites "
            "are now planned."
        ),
        "what_we_learned": (
            "Vehicles that already visit every street are an excellent sensor platform. "
            "Evidence moved conversations that complaints had not."
        ),
        "what_we_would_do_differently": (
            "Publish the data as open data from the start so community councils could use it."
        ),
        "started": "2021-07",
        "ended": "2022-01",
        "cost_band": "under-10k",
        "visibility": "public",
        "days_ago": 267,
        "useful": 42,
    },
    {
        "council": "gwynedd-council",
        "title": "Telecare alerts through a Welsh-language app for families",
        "summary": (
            "Families of telecare users could get alerts and check-ins through an app in "
            "Welsh or English. Families valued it, but fewer than a third of users had a "
            "relative with a smartphone nearby."
        ),
        "topics": ["digital-in-social-care", "digital-communications"],
        "outcome": "partly-worked",
        "challenge": (
            "Our telecare call centre rang family responders for minor alerts, often at "
            "night, and families wanted to know more without being called."
        ),
        "what_we_tried": (
            "An app for nominated family members showing alerts and daily activity, "
            "available in Welsh and English, offered to 400 telecare users."
        ),
        "what_happened": (
            "120 families signed up. They reported feeling reassured, and night calls to "
            "those families fell. But many users lived far from family or had responders "
            "without smartphones."
        ),
        "what_we_learned": (
            "Useful for some, not a replacement for the call centre. Offering it in Welsh "
            "from day one mattered to families and was easier than translating later."
        ),
        "what_we_would_do_differently": (
            "Survey who the responders are before building. We assumed family nearby."
        ),
        "started": "2022-03",
        "ended": "2023-05",
        "cost_band": "10k-50k",
        "visibility": "public",
        "days_ago": 51,
        "useful": 9,
    },
    {
        "council": "fife-council",
        "title": "An open data portal for planning applications that nobody used",
        "summary": (
            "We published planning application data on an open data portal, expecting "
            "developers and community groups to build on it. After a year downloads were in "
            "single figures a month."
        ),
        "topics": ["data-and-research", "digital-communications"],
        "outcome": "did-not-work",
        "challenge": (
            "Community councils asked for easier ways to follow planning applications, and "
            "open data was national policy."
        ),
        "what_we_tried": (
            "A nightly export of applications and decisions to a hosted open data portal, "
            "with an API and a launch event for local developers."
        ),
        "what_happened": (
            "Eight downloads a month on average, mostly from the same two users. Community "
            "councils did not know what an API was and kept emailing planning officers. "
            "Nobody built anything on it."
        ),
        "what_we_learned": (
            "Publishing data is not the same as meeting a need. Community councils wanted a "
            "weekly email of applications in their area, which we now send."
        ),
        "what_we_would_do_differently": (
            "Ask the people who asked what they would do with it. The email alert took two "
            "days to build."
        ),
        "started": "2020-02",
        "ended": "2021-03",
        "cost_band": "10k-50k",
        "visibility": "public",
        "days_ago": 190,
        "useful": 36,
    },
    {
        "council": "fife-council",
        "title": "Moving the care at home rota to a mobile app",
        "summary": (
            "A scheduling app for home carers was meant to cut travel and paperwork. Poor "
            "rural signal and a rushed roll-out meant carers went back to paper within weeks "
            "in two areas, and we paused it."
        ),
        "topics": ["digital-in-social-care"],
        "outcome": "did-not-work",
        "challenge": (
            "Carers collected paper rotas from offices each week and phoned in changes. "
            "Travel time between visits was long and poorly planned."
        ),
        "what_we_tried": (
            "A scheduling system with a mobile app for 350 carers showing visits, routes and "
            "care notes, rolled out across the region over six weeks."
        ),
        "what_happened": (
            "In towns it worked. In rural areas the app could not load notes without signal, "
            "and carers arrived without knowing what had changed. Two teams returned to "
            "paper and sickness absence rose during the roll-out."
        ),
        "what_we_learned": (
            "Test where the work happens, not in the office. Offline working was a basic "
            "need, and we treated it as a later phase."
        ),
        "what_we_would_do_differently": (
            "Pilot with one rural team for three months, with carers choosing the devices and "
            "agreeing the go-live date."
        ),
        "started": "2021-10",
        "ended": "2022-09",
        "cost_band": "50k-250k",
        "visibility": "public",
        "days_ago": 248,
        "useful": 37,
    },
    {
        "council": "fife-council",
        "title": "Cyber Essentials for every primary school",
        "summary": (
            "We helped all our primary schools meet Cyber Essentials with a shared set of "
            "configurations and a visiting technician. Every school certified within a year, "
            "and the common set-up is now the standard."
        ),
        "topics": ["cyber-security"],
        "outcome": "worked",
        "challenge": (
            "Schools ran their own devices with little technical support. Several had "
            "unsupported operating systems and shared administrator passwords."
        ),
        "what_we_tried": (
            "A standard configuration for school devices, a technician visiting each school "
            "twice, and the council paying for certification through "
            "[Cyber Essentials](https://www.ncsc.gov.uk/cyberessentials/overview)."
        ),
        "what_happened": (
            "All schools certified within eleven months. Replacing old devices was the "
            "biggest cost. Head teachers valued having one person to call."
        ),
        "what_we_learned": (
            "A shared baseline is cheaper than helping each school separately. "
            "Certification gave heads a clear goal to explain to staff."
        ),
        "what_we_would_do_differently": (
            "Budget for device replacement at the start instead of finding it school by school."
        ),
        "started": "2022-09",
        "ended": "2023-07",
        "cost_band": "10k-50k",
        "visibility": "public",
        "days_ago": 133,
        "useful": 24,
    },
    {
        "council": "highland-council",
        "title": "Vouchers for satellite broadband at remote homes",
        "summary": (
            "We topped up national vouchers so remote homes could get satellite broadband "
            "while fibre is years away. 480 homes connected, but installation backlogs and "
            "cost-of-living pressures limited take-up."
        ),
        "topics": ["digital-inclusion-and-connectivity"],
        "outcome": "partly-worked",
        "challenge": (
            "Some homes in the council area will wait years for fibre. Residents could not "
            "work from home or use online services reliably."
        ),
        "what_we_tried": (
            "A council top-up to national voucher schemes covering installation and "
            "equipment, with local installers and help applying."
        ),
        "what_happened": (
            "480 homes connected over two years, against a target of 900. Installers had "
            "long waiting lists, and some households could not afford the monthly cost once "
            "connected."
        ),
        "what_we_learned": (
            "Connection costs were only part of the barrier. The monthly bill mattered as "
            "much, and we had no way to help with it."
        ),
        "what_we_would_do_differently": (
            "Link the scheme to social tariffs and to advice on benefits from the start."
        ),
        "started": "2021-03",
        "ended": "2023-09",
        "cost_band": "over-250k",
        "visibility": "public",
        "days_ago": 81,
        "useful": 15,
    },
    {
        "council": "highland-council",
        "title": "A live map of where the gritters have been",
        "summary": (
            "We published a live map showing gritter routes and when each road was last "
            "treated. Calls asking whether roads had been gritted fell sharply, and the map "
            "cost almost nothing to run."
        ),
        "topics": ["smart-places-technology", "digital-communications"],
        "outcome": "worked",
        "challenge": (
            "On icy mornings the phones were flooded with people asking if their road had "
            "been gritted. Staff had to look it up in the vehicle tracking system."
        ),
        "what_we_tried": (
            "A public web map fed by the tracking devices the gritters already carried, "
            "showing treated routes with a short delay."
        ),
        "what_happened": (
            "On the first icy morning the map had 40,000 visits and calls fell by about half "
            "compared with similar days the year before."
        ),
        "what_we_learned": (
            "Data we already held answered the public's question. The delay mattered: a "
            "slight lag avoided showing exactly where vehicles were at every moment."
        ),
        "what_we_would_do_differently": (
            "Explain the priority routes on the same page; many callers wanted to know why "
            "their road was not treated."
        ),
        "started": "2020-11",
        "ended": "2021-03",
        "cost_band": "under-10k",
        "visibility": "public",
        "days_ago": 354,
        "useful": 28,
    },
    {
        "council": "highland-council",
        "title": "Livestreaming every committee meeting",
        "summary": (
            "We are livestreaming and archiving all committee meetings, not just full "
            "council. Viewing is steady, but captions and the cost of cameras in area "
            "offices are still being worked out."
        ),
        "topics": ["digital-political-leadership", "digital-communications"],
        "outcome": "ongoing",
        "challenge": (
            "Residents far from our headquarters could not attend meetings, and only full "
            "council was streamed."
        ),
        "what_we_tried": (
            "Fixed cameras in the main chamber and portable kits for area committees, with "
            "recordings kept for a year and linked from the agenda."
        ),
        "what_happened": (
            "So far: an average of 300 live viewers per committee and more watching "
            "recordings. Automatic captions struggle with place names, and correcting them "
            "takes staff time."
        ),
        "what_we_learned": (
            "So far: councillors' behaviour in meetings changed once they were on camera, "
            "mostly for the better."
        ),
        "what_we_would_do_differently": "",
        "started": "2024-09",
        "ended": None,
        "cost_band": "10k-50k",
        "visibility": "public",
        "days_ago": 3,
        "useful": 4,
    },
    {
        "council": "belfast-city-council",
        "title": "Air quality sensors on lamp posts",
        "summary": (
            "Low-cost air quality sensors were meant to give a street-by-street picture. "
            "Their readings drifted and disagreed with our reference stations, so we could "
            "not publish them with confidence."
        ),
        "topics": ["smart-places-technology", "data-and-research"],
        "outcome": "did-not-work",
        "challenge": (
            "Our reference monitoring stations are accurate but few. Residents and "
            "councillors wanted to know about pollution on their own streets and near schools."
        ),
        "what_we_tried": (
            "Fifty low-cost sensors on lamp posts near schools and busy roads, reporting "
            "particulates and nitrogen dioxide every fifteen minutes."
        ),
        "what_happened": (
            "Within months the sensors disagreed with co-located reference stations by more "
            "than the differences we wanted to measure. Humidity affected readings badly, "
            "and recalibration needed staff we did not have."
        ),
        "what_we_learned": (
            "Low-cost sensors can show patterns but not trustworthy numbers without "
            "calibration. Publishing uncertain data about children's exposure would have "
            "caused alarm we could not answer."
        ),
        "what_we_would_do_differently": (
            "Fewer sensors, co-located and calibrated against a reference station, with a "
            "clear plan for what the data would change."
        ),
        "started": "2019-10",
        "ended": "2021-02",
        "cost_band": "50k-250k",
        "visibility": "public",
        "days_ago": 221,
        "useful": 32,
    },
    {
        "council": "belfast-city-council",
        "title": "Social media training for newly elected councillors",
        "summary": (
            "New members had a two-hour session on using social media well and safely, "
            "including handling abuse. Complaints under the code of conduct about online "
            "posts fell, and members asked for more."
        ),
        "topics": ["digital-political-leadership", "digital-communications"],
        "outcome": "worked",
        "challenge": (
            "Social media was how many councillors reached residents, but it was also the "
            "source of most code of conduct complaints and of abuse directed at members."
        ),
        "what_we_tried": (
            "A two-hour session for new members in their first month, covering the code of "
            "conduct online, privacy settings, handling abuse and when to ask for help."
        ),
        "what_happened": (
            "Complaints about online posts fell by half compared with the previous term. "
            "Members said the part on handling abuse was the most useful."
        ),
        "what_we_learned": (
            "Timing matters: the first month is when habits form. Talking about safety "
            "first made members more open to the parts about conduct."
        ),
        "what_we_would_do_differently": "",
        "started": "2023-06",
        "ended": "2023-10",
        "cost_band": "under-10k",
        "visibility": "public",
        "days_ago": 108,
        "useful": 11,
    },
    {
        "council": "derry-city-and-strabane-district-council",
        "title": "A shared cyber incident response arrangement with neighbouring councils",
        "summary": (
            "Small IT teams cannot run a full incident response alone. We agreed to lend each "
            "other staff in an incident. The agreement is signed, but a test showed gaps in "
            "access and insurance."
        ),
        "topics": ["cyber-security", "digital-political-leadership"],
        "outcome": "partly-worked",
        "challenge": (
            "Our IT team is small. In a serious incident we would need more people quickly, "
            "and commercial responders were expensive and unfamiliar with our systems."
        ),
        "what_we_tried": (
            "A memorandum with neighbouring councils to lend staff during incidents, with "
            "shared runbooks and a joint exercise, endorsed by each council's leadership."
        ),
        "what_happened": (
            "The exercise showed that borrowed staff could not get accounts on our systems "
            "quickly, and our insurance did not cover their work. Both are being fixed."
        ),
        "what_we_learned": (
            "Political backing got the agreement signed in months. The practical details "
            "(accounts, insurance, who decides) only surfaced when we rehearsed."
        ),
        "what_we_would_do_differently": (
            "Exercise before signing, not after, and involve the insurers early."
        ),
        "started": "2022-01",
        "ended": "2023-12",
        "cost_band": "not-disclosed",
        "visibility": "members",
        "days_ago": 29,
        "useful": 21,
    },
    {
        "council": "derry-city-and-strabane-district-council",
        "title": "Free tablets for digitally excluded residents that stayed in their boxes",
        "summary": (
            "We gave 300 tablets with a year of data to residents who had never been online. "
            "Six months later, fewer than a third were being used: we had handed out devices "
            "without the confidence and help to use them."
        ),
        "topics": ["digital-inclusion-and-connectivity"],
        "outcome": "did-not-work",
        "challenge": (
            "More services were moving online, and our survey found about one in eight "
            "households with no one who used the internet. We had always treated that as a "
            "problem of cost, because cost was the reason people gave first."
        ),
        "what_we_tried": (
            "A grant paid for 300 tablets with a year of mobile data. Libraries and the "
            "housing team chose who received one, and each came with a printed guide and a "
            "helpline number."
        ),
        "what_happened": (
            "- 94 tablets were used at least once a week after six months.\n"
            "- The helpline took 40 calls, most in the first week.\n"
            "- Many people told us they were afraid of breaking the device or of scams.\n\n"
            "The devices were not the barrier we had assumed."
        ),
        "what_we_learned": (
            "**Confidence, not kit, kept people offline.** Those who used their tablet had "
            "someone (a grandchild, a neighbour, a library volunteer) who sat with them in the "
            "first weeks."
        ),
        "what_we_would_do_differently": (
            "Start with drop-in help sessions and lend devices there, so that the first hour "
            "online happens with someone beside you. Measure use at one month, not six."
        ),
        "started": "2022-09",
        "ended": "2023-06",
        "cost_band": "50k-250k",
        "visibility": "public",
        "days_ago": 57,
        "useful": 33,
    },
    {
        "council": "leeds-city-council",
        "title": "A digital strategy written by officers that the cabinet never owned",
        "summary": (
            "Officers wrote a thorough digital strategy and took it to cabinet for approval. "
            "It was approved without debate, and nothing in it was ever championed by a "
            "member: within a year it had stalled."
        ),
        "topics": ["digital-political-leadership"],
        "outcome": "did-not-work",
        "challenge": (
            "Strategies at the council had always been drafted by officers and brought to "
            "members at the end, for approval. Digital was no different, and no one asked "
            "why members were not involved earlier."
        ),
        "what_we_tried": (
            "A six-month project by the digital team: research with services, a draft "
            "strategy with eight priorities, and a cabinet report asking for approval."
        ),
        "what_happened": (
            "Cabinet approved it in four minutes. When two priorities needed money in the "
            "next budget round, no cabinet member argued for them, and both were dropped."
        ),
        "what_we_learned": (
            "Approval is not ownership. A strategy needs members who have shaped it and who "
            "will make its case when it competes for money."
        ),
        "what_we_would_do_differently": (
            "Ask the cabinet member to lead the work from the start, hold sessions with "
            "scrutiny members, and write fewer priorities in their words."
        ),
        "started": "2021-05",
        "ended": "2022-07",
        "cost_band": "under-10k",
        "visibility": "public",
        "days_ago": 139,
        "useful": 26,
    },
    {
        "council": "gwynedd-council",
        "title": "Locking accounts after three wrong passwords, which locked out our own staff",
        "summary": (
            "After an attack on a neighbouring council we locked accounts after three failed "
            "sign-ins. The service desk was overwhelmed by staff locked out, and an attacker "
            "could lock out anyone by guessing."
        ),
        "topics": ["cyber-security"],
        "outcome": "did-not-work",
        "challenge": (
            "A strict lockout had always been seen as the safe setting, and an audit had "
            "recommended it. Nobody had asked what it would cost or whom it would stop."
        ),
        "what_we_tried": (
            "Accounts locked for 30 minutes after three wrong passwords, for all 5,000 staff, "
            "switched on overnight with an email the day before."
        ),
        "what_happened": (
            "Calls to the service desk trebled in the first week, many from staff using "
            "shared devices in care homes. A test showed anyone who knew a colleague's "
            "username could lock them out at will."
        ),
        "what_we_learned": (
            "A setting that looks strict can be weak: lockouts help attackers deny service. "
            "Multi-factor sign-in and checks for breached passwords protect more and stop "
            "fewer people."
        ),
        "what_we_would_do_differently": (
            "Follow current national guidance rather than an old audit finding, and try a "
            "change with one service before everyone."
        ),
        "started": "2023-02",
        "ended": "2023-04",
        "cost_band": "under-10k",
        "visibility": "public",
        "days_ago": 74,
        "useful": 18,
    },
    # Written in Welsh ("language": "cy"): their pages mark the text as Welsh, and search
    # matches their words as written, without English stemming (board/search.py).
    {
        "council": "gwynedd-council",
        "language": "cy",
        "title": "Clybiau codio ar ôl ysgol na allai'r plant eu cyrraedd",
        "summary": (
            "Cynigion ni glybiau codio wythnosol i ddisgyblion blwyddyn 7 i 9 mewn pum ysgol "
            "uwchradd. Daeth llawer i'r sesiynau cyntaf, ond roedd y bysiau ysgol yn gadael am "
            "chwarter wedi tri, ac erbyn y gwanwyn prin fod neb ar ôl."
        ),
        "topics": ["digital-inclusion-and-connectivity"],
        "outcome": "did-not-work",
        "challenge": (
            "Ychydig iawn o bobl ifanc y sir sy'n dewis cyfrifiadureg at TGAU, a llai fyth o "
            "ferched. Mae cwmnïau technoleg lleol yn dweud nad ydyn nhw'n gallu recriwtio staff "
            "sy'n siarad Cymraeg, ac roedd cynghorwyr am weld sgiliau digidol yn cael eu "
            "meithrin yn nes at adref."
        ),
        "what_we_tried": (
            "Clybiau codio awr o hyd ar ôl ysgol, dan arweiniad gwirfoddolwyr o fusnesau lleol "
            "a myfyrwyr o'r brifysgol ym Mangor. Y trefi oedd Pwllheli, Porthmadog, Dolgellau, "
            "Tywyn a Blaenau Ffestiniog. Roedd y deunyddiau i gyd yn Gymraeg, a chafodd pob "
            "ysgol gadw'r gliniaduron."
        ),
        "what_happened": (
            "Daeth 140 o ddisgyblion i'r sesiwn gyntaf, a thraean ohonyn nhw'n ferched. Erbyn "
            "diwedd y tymor cyntaf roedd llai na 30 yn dal i ddod.\n\n"
            "Mae'r rhan fwyaf o'r disgyblion yn teithio ar fysiau ysgol sy'n gadael yn syth ar "
            "ôl y gloch olaf, a doedd gan lawer o rieni ddim ffordd o'u casglu awr yn "
            "ddiweddarach. Yn y trefi, lle gallai plant gerdded adref, arhosodd y clybiau'n "
            "llawn."
        ),
        "what_we_learned": (
            "Trafnidiaeth, nid diffyg diddordeb, oedd y rhwystr. Mewn sir wledig, dim ond y plant "
            "sy'n byw yn y dref sy'n gallu mynd i unrhyw beth sy'n digwydd ar ôl y gloch olaf. "
            "Roedd merched yn fwy tebygol o ddal ati pan oedd ffrind yn dod hefyd."
        ),
        "what_we_would_do_differently": (
            "Cynnal y clybiau amser cinio neu yn ystod gwersi, gyda chytundeb yr ysgolion o'r "
            "dechrau, a siarad â'r adran drafnidiaeth cyn dewis amser. Byddem hefyd yn gofyn i'r "
            "disgyblion eu hunain pryd y gallen nhw ddod."
        ),
        "started": "2022-09",
        "ended": "2023-07",
        "cost_band": "10k-50k",
        "visibility": "public",
        "days_ago": 63,
        "useful": 12,
    },
    {
        "council": "cardiff-council",
        "language": "cy",
        "title": "Sgwrs fyw yn Gymraeg ar wefan y cyngor",
        "summary": (
            "Rhoesom sgwrs fyw Gymraeg ar dudalennau'r dreth gyngor a chasgliadau gwastraff, "
            "gyda staff Cymraeg eu hiaith o'r ganolfan gyswllt yn ateb. Mae'n cael ei "
            "defnyddio'n llawer mwy na'r llinell ffôn Gymraeg erbyn hyn."
        ),
        "topics": ["digital-communications"],
        "outcome": "worked",
        "challenge": (
            "Mae Caerdydd yn ddinas ddwyieithog, ac mae gennym ddyletswydd i gynnig gwasanaethau "
            "yn Gymraeg sydd cystal â'r rhai Saesneg. Roedd miloedd o sgyrsiau bob mis ar ein "
            "sgwrs fyw Saesneg, ond dim ond llinell ffôn oedd ar gael yn Gymraeg, ac roedd honno'n "
            "dawel iawn. Dywedodd siaradwyr Cymraeg wrthym eu bod yn troi at y Saesneg am ei bod "
            "yn gynt."
        ),
        "what_we_tried": (
            'Botwm "Sgwrsio yn Gymraeg" ar y tudalennau mwyaf poblogaidd, wedi\'i gysylltu â '
            "chiw ar wahân a atebir gan wyth aelod o staff y ganolfan gyswllt sy'n siarad "
            "Cymraeg. Roedd y ciw ar agor yr un oriau â'r sgwrs Saesneg, a dim ond pan oedd "
            "rhywun ar gael i ateb y byddai'r botwm yn ymddangos."
        ),
        "what_happened": (
            "- Dros 1,900 o sgyrsiau Cymraeg yn y chwe mis cyntaf: mwy na phedair gwaith nifer "
            "y galwadau i'r llinell Gymraeg yn yr un cyfnod.\n"
            "- Roedd yr amser aros yn fyrrach nag yn y ciw Saesneg.\n"
            "- Rhoddodd 92% o'r bobl a atebodd yr arolwg byr sgôr o bedwar neu bump."
        ),
        "what_we_learned": (
            "Mae pobl yn defnyddio gwasanaethau Cymraeg pan maen nhw'r un mor hawdd â'r rhai "
            "Saesneg. Roedd cuddio'r botwm pan nad oedd neb ar gael yn bwysig: doedd neb yn cael "
            "ei adael yn aros am ateb na fyddai'n dod. Mae cynghorau eraill yn y "
            "de-ddwyrain wedi gofyn am y drefn, ac rydym wedi'i rhannu â nhw."
        ),
        "what_we_would_do_differently": (
            "Hyfforddi mwy o staff o'r dechrau. Am y ddau fis cyntaf roedd y cyfan yn dibynnu ar "
            "bedwar person, ac roedd gwyliau'r haf yn anodd."
        ),
        "started": "2023-01",
        "ended": "2023-12",
        "cost_band": "under-10k",
        "visibility": "public",
        "days_ago": 40,
        "useful": 21,
    },
    {
        "council": "gwynedd-council",
        "language": "cy",
        "title": "Synwyryddion mewn meysydd parcio i ddangos lleoedd gwag i ymwelwyr",
        "summary": (
            "Gosodon ni synwyryddion mewn chwe maes parcio ar arfordir Llŷn i ddangos faint o "
            "leoedd oedd yn wag. Roedd y data'n werthfawr wrth gynllunio, ond ychydig o "
            "ymwelwyr a edrychodd ar y dudalen we cyn cychwyn."
        ),
        "topics": ["smart-places-technology", "data-and-research"],
        "outcome": "partly-worked",
        "challenge": (
            "Bob haf mae ffyrdd cul pentrefi fel Abersoch ac Aberdaron yn llenwi â cheir yn "
            "chwilio am le i barcio. Mae trigolion yn methu mynd allan o'u tai, ac mae'r "
            "gwasanaethau brys wedi cwyno am geir wedi'u parcio ar y palmant."
        ),
        "what_we_tried": (
            "Synwyryddion bach ym mhob bae parcio yn chwe maes parcio'r cyngor, yn anfon data "
            "dros rwydwaith LoRaWAN i dudalen ar wefan y cyngor ac i arwyddion electronig ar y "
            "prif ffyrdd i mewn i'r penrhyn."
        ),
        "what_happened": (
            "Roedd y synwyryddion yn gywir naw gwaith o bob deg, ar ôl i ni symud rhai a oedd "
            "dan ddŵr ar lanw uchel. Ychydig iawn o bobl a ddefnyddiodd y dudalen we, ond roedd "
            "yr arwyddion ar y ffordd yn gweithio: roedd llai o geir yn troi i mewn i'r pentrefi "
            "pan oedd y meysydd parcio'n llawn."
        ),
        "what_we_learned": (
            "Mae ymwelwyr yn penderfynu ble i barcio pan maen nhw ar y ffordd, nid cyn gadael y "
            "tŷ. Roedd gwerth mwyaf y prosiect yn y data: am y tro cyntaf roedd gennym ffigurau "
            "i'w dangos i gynghorwyr a chymunedau yn lle straeon."
        ),
        "what_we_would_do_differently": (
            "Rhoi'r arian i gyd i arwyddion ar y ffordd o'r dechrau, a gofyn i gynghorau cymuned "
            "ble i'w gosod. Byddem hefyd yn profi'r synwyryddion am dymor cyn eu prynu i gyd."
        ),
        "started": "2023-04",
        "ended": "2023-10",
        "cost_band": "10k-50k",
        "visibility": "public",
        "days_ago": 28,
        "useful": 8,
    },
]

# Updates ("six months on"): what happened after a study was published, approved by a
# moderator. ``after_days``: days after the study's publication the update was approved (its
# month is that day's); ``outcome``: the outcome it moved the study to, or None.
UPDATES = [
    {
        "study": "A council tax chatbot that sent people back to the phone queue",
        "after_days": 150,
        "body": (
            "We switched the chatbot off at the end of the billing period and spent what was "
            "left of the budget on signed-in self-service for the three account tasks that "
            "filled the queue: direct debits, moving home and single person discount.\n\n"
            "In the next billing month, calls fell by **18%** and the longest wait was 22 "
            "minutes. The call notes were the cheapest research we have ever done."
        ),
        "outcome": None,
    },
    {
        "study": "An open data portal for planning applications that nobody used",
        "after_days": 60,
        "body": (
            "We took the portal down and now publish the same data as a weekly file on the "
            "national planning data platform. Two neighbouring councils and a community group "
            "use it already: it was the place, not the data, that nobody wanted."
        ),
        "outcome": None,
    },
    {
        "study": "Free public wifi on five high streets",
        "after_days": 6,
        "body": (
            "The provider has given notice on the concession: advertising income stayed at "
            "a third of the forecast. Two streets keep wifi, on equipment we took over as the "
            "contract allowed; three lose it in the spring.\n\n"
            "Keeping the right to take over the equipment was the one decision that saved "
            "anything. Without it, all five would go dark."
        ),
        "outcome": "did-not-work",
    },
]

# Questions to the network ("Has any council tried...?"), asked by demo councils' people.
QUESTIONS = [
    {
        "council": "cardiff-council",
        "title": "Has any council used a chatbot for council tax queries?",
        "details": (
            "Our phone lines are swamped for the six weeks after bills go out. We are being "
            "offered a chatbot and would like to hear from councils that tried one:\n\n"
            "- did it take calls off the queue, or just move them?\n"
            "- what did residents ask it that it could not answer?"
        ),
        "topics": ["digital-communications", "digital-inclusion-and-connectivity"],
        "visibility": "public",
        "days_ago": 2,
    },
    {
        "council": "fife-council",
        "title": "Has anyone linked housing and social care data to find people at risk?",
        "details": (
            "We want to spot households at risk of a crisis before it happens. How did you "
            "handle the data protection impact assessment, and who signed it off?"
        ),
        "topics": ["data-and-research", "digital-in-social-care"],
        "visibility": "members",
        "days_ago": 5,
    },
    {
        "council": "cardiff-council",
        "title": "What did your council do after a phishing test caught senior staff?",
        "details": (
            "Our first simulated phishing email was opened by a third of managers. Did you "
            "publish the results, and what training actually changed behaviour?"
        ),
        "topics": ["cyber-security", "digital-political-leadership"],
        "visibility": "members",
        "days_ago": 9,
    },
    {
        "council": "fife-council",
        "title": "Are sensors in litter bins worth it in a rural area?",
        "details": (
            "The sensors promise fewer collection rounds, but our bins are far apart and mobile "
            "coverage is patchy. Has anyone run a pilot outside a city centre?"
        ),
        "topics": ["smart-places-technology"],
        "visibility": "public",
        "days_ago": 14,
    },
    {
        "council": "cardiff-council",
        "title": "How do you get councillors to use the members' app?",
        "details": "",
        "topics": ["digital-political-leadership"],
        "visibility": "public",
        "days_ago": 21,
    },
]
