"""Generate the two course scenarios as realistic social-media exports, deterministically.

    python sample_data/generate.py          # writes connectsphere.csv and gamerfuel.csv beside this file

Each post is assembled from many interchangeable phrases (openers, bodies, closers, slots), so no
two posts share one template. The planted truth sits in `truth_*` columns that the app ignores and
the tests use. A post's planted sentiment is its intended tone; the generator keeps a phrasing only
when VADER reads it with that tone (thresholds +-0.05), so VADER reproduces the planted shares.
"""
from __future__ import annotations

import hashlib
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

HERE = Path(__file__).resolve().parent
LABELS = ("positive", "neutral", "negative")
_VADER = SentimentIntensityAnalyzer()


def vader_label(text: str) -> str:
    c = _VADER.polarity_scores(text)["compound"]
    return "positive" if c >= 0.05 else "negative" if c <= -0.05 else "neutral"


def fill(rng: random.Random, template: str, slots: dict[str, list[str]]) -> str:
    out = template
    for key, options in slots.items():
        while "{" + key + "}" in out:
            out = out.replace("{" + key + "}", rng.choice(options), 1)
    return out


def compose(rng: random.Random, bank: dict, label: str, slots: dict[str, list[str]], tries: int = 40) -> str:
    """A post of the wanted tone: opener + body + closer, re-drawn until VADER agrees with the tone."""
    for _ in range(tries):
        body = fill(rng, rng.choice(bank[label]), slots)
        opener = rng.choice(OPENERS[label]) if rng.random() < 0.45 else ""
        closer = rng.choice(CLOSERS[label]) if rng.random() < 0.5 else ""
        text = " ".join(p for p in (opener, body, closer) if p)
        text = text[0].upper() + text[1:]
        if rng.random() < 0.12:
            text = text.lower()
        if vader_label(text) == label:
            return text
    raise RuntimeError(f"no {label} phrasing found for bank starting {bank[label][0]!r}")


OPENERS = {
    "positive": ["Honestly,", "Okay,", "Have to say,", "Not gonna lie,", "Day two and", "Update:", "Small win:",
                 "So far so good:", "Quick shoutout:", "Credit where due:"],
    "neutral": ["Question:", "Quick one:", "Heads up:", "For the team:", "Note to self:", "PSA:", "Hmm,"],
    "negative": ["Ugh,", "Not impressed:", "Seriously,", "Day three and", "Sigh.", "Meh.",
                 "Frustrated:"],
}
CLOSERS = {
    "positive": ["🙌", "Well done team.", "Recommend.", "Loving it.", "#winning", "👏", "Great work!", "10/10."],
    "neutral": ["#events", "Anyone?", "(asking for a colleague)", "Will report back.",
                "#eventprofs", "More soon."],
    "negative": ["Not great.", "Disappointed.", "😒", "Fix this mess.", "Come on.", "#fail", "Annoying.",
                 "Really bad."],
}

# ------------------------------------------------------------------ ConnectSphere Conferencing

CS_SLOTS = {
    "net": ["the AI networking suggestions", "AI Assist's networking matches", "the smart networking recs",
            "the people-to-meet suggestions", "the networking suggestions", "AI Assist's intro suggestions"],
    "sum": ["the real-time session summaries", "the live summaries", "the AI session recaps",
            "the session summaries", "AI Assist's summaries", "the instant session notes"],
    "agenda": ["the personalised agenda", "the AI agenda", "my personalized agenda", "the agenda recommendations",
               "the recommended sessions", "the suggested schedule"],
    "event": ["at the Berlin summit", "during the keynote", "at our user conference", "at DevDays",
              "in this morning's workshop", "at the partner summit", "at the London roadshow", "today",
              "at the Austin meetup", "during the afternoon track", "at SaaS Week"],
    "role": ["a CFO", "a sales lead", "an HR manager", "a designer", "a product manager", "a founder", "a marketer"],
    "offtopic": ["the Kubernetes deep dive", "a beginner Excel session", "the wine tasting", "a vendor pitch",
                 "the DevOps track", "a talk from last year", "the same panel twice"],
    "n": ["three", "four", "five", "two", "six"],
    "tool": ["our CRM", "Salesforce", "HubSpot", "our own event app", "our BI dashboards", "Slack"],
    "count": ["30", "40", "12", "25", "60"],
}

CS_BANK: dict[str, dict[str, list[str]]] = {
    "networking": {
        "positive": [
            "{net} {event} were spot on, met {n} great potential partners in an hour!",
            "{net} introduced me to exactly the right people {event}. Impressive.",
            "{net} saved me so much time {event}, great matches.",
            "booked {n} great meetings {event} thanks to {net}",
            "{net} are the best part of AI Assist. Found a brilliant co-founder lead {event}.",
            "really enjoying {net}, every intro {event} has been useful",
            "{net} just paired me with a perfect customer {event}. Love this.",
        ],
        "neutral": [
            "how does AI Assist pick {net}? is it based on my session list",
            "trying {net} {event}, will see how it goes",
            "can {net} be filtered by industry",
        ],
        "negative": [
            "{net} keep pairing me with competitors {event}. Awkward and useless.",
            "{net} were wrong {event}, sent me to people who left the company",
        ],
    },
    "summaries": {
        "positive": [
            "{sum} {event} are brilliant, I could follow two tracks at once",
            "{sum} are a game changer. Shared them with my whole team {event}.",
            "loving {sum}, accurate and ready before the applause ends",
            "{sum} helped me catch up on a session I missed {event}. Great feature.",
            "{sum} {event} were clear and useful, exactly what I needed",
            "wow, {sum} even picked up the Q&A {event}. Nice job.",
        ],
        "neutral": [
            "can {sum} be exported to PDF or only viewed in the app",
            "{sum} {event}: where are they stored after the event ends",
            "is there a setting to get {sum} by email",
        ],
        "negative": [
            "{sum} {event} missed the main point of the talk. Not reliable.",
            "{sum} were wrong about the speaker's numbers {event}. Worrying.",
        ],
    },
    "agenda": {
        "positive": [
            "{agenda} actually got it right for me {event}, nice surprise",
            "{agenda} found a great session I would have missed",
        ],
        "neutral": [
            "how do I reset {agenda}",
            "is {agenda} based on my job title or on past events",
            "{agenda} suggested {offtopic} for me {event}. is that based on my profile?",
            "can I switch {agenda} off and pick sessions myself",
        ],
        "negative": [
            "{agenda} keeps recommending {offtopic} to me as {role}. Irrelevant and annoying.",
            "why does {agenda} think {role} wants {offtopic}? Frustrating.",
            "{agenda} is useless for me, wasted an hour rebuilding my schedule by hand {event}",
            "turned off {agenda}. Wrong sessions, wrong rooms, wasted morning {event}.",
            "{agenda} sent me to {offtopic} {event}. Terrible recommendations.",
            "honestly {agenda} is the worst part of AI Assist, nothing relevant for {role}",
            "{agenda} is confusing and wrong. I missed the session I came for {event}.",
        ],
    },
    "privacy": {
        "positive": [
            "glad AI Assist lets me see and delete what it stores about me. Good transparency.",
            "appreciate the clear privacy settings in AI Assist, thank you",
        ],
        "neutral": [
            "where can I find the data retention policy for AI Assist",
            "does AI Assist store conversation data in the EU",
            "asking our DPO to review the AI Assist data processing terms before {event}",
            "which attendee data does AI Assist use to make suggestions",
            "is AI Assist opt-in or opt-out for attendees",
        ],
        "negative": [
            "AI Assist knows a bit too much about who I talk to. Creepy and uncomfortable.",
            "scary that it suggests people based on my browsing history {event}",
            "not comfortable with AI Assist reading my session notes. Privacy worries are real.",
            "the networking feature feels intrusive and creepy, I hate that my profile is shared",
            "AI Assist guessed things about me I never shared. That is a privacy problem.",
            "worried about what AI Assist does with attendee data, it feels invasive",
            "stop tracking which booths I visit, AI Assist. Creepy and unwanted.",
        ],
    },
    "api": {
        "positive": [
            "as an organiser I love AI Assist, an API would make it perfect for {tool}",
            "great launch! organisers like us would benefit hugely from API access to the summaries",
        ],
        "neutral": [
            "any plans to open an API for AI Assist? we run {count} events a year and need the data in {tool}",
            "organisers here: is there an API for the agenda and summary data",
            "+1 to API access for organisers, we need to sync attendee matches with {tool}",
            "requesting API access for AI Assist so we can pipe summaries into {tool}",
            "we organise {count} events a year. is API access for AI Assist on the roadmap",
        ],
        "negative": [
            "no API for AI Assist means we cannot use it at {count} events. Disappointing for organisers.",
            "still no API access for organisers. Blocking our rollout to {tool}, frustrating.",
        ],
    },
    "general": {
        "positive": [
            "AI Assist launch {event} went smoothly, well done ConnectSphere",
            "excited to try AI Assist {event}, first impressions are great",
            "the new AI Assist features look amazing",
            "good onboarding for AI Assist {event}, easy to get started",
        ],
        "neutral": [
            "registered for the next ConnectSphere event",
            "is the venue map in the app this year",
            "rolling out AI Assist to our team next week",
            "anyone heading to the afterparty {event}",
            "what time does the closing session start {event}",
            "where do I find the AI Assist settings",
        ],
        "negative": [
            "AI Assist slowed the app down {event}. Annoying.",
            "the AI Assist update broke my login {event}. Not happy.",
        ],
    },
}

# How readily each topic carries each tone (positive, neutral, negative): the agenda draws complaints,
# privacy draws worries, networking and summaries draw praise, organisers ask for the API.
CS_TONE_AFFINITY = {
    "networking": (1.5, 0.5, 0.2), "summaries": (1.5, 0.5, 0.2), "agenda": (0.12, 1.0, 3.0),
    "privacy": (0.15, 1.0, 2.5), "api": (0.4, 2.5, 0.5), "general": (1.0, 2.0, 0.3),
}

CS_SEGMENTS = {
    # name: (share of authors, activity weight, P(pos, neu, neg), topic weights, followers median); the
    # habits below (when, where and what they post) make each segment a behaviour, not only an opinion
    "Power users": (0.15, 4.0, (0.85, 0.12, 0.03),
                    {"networking": 3, "summaries": 3, "api": 2.5, "general": 1, "agenda": 0.7, "privacy": 0.4}, 2500),
    "Cautious adopters": (0.45, 1.6, (0.62, 0.24, 0.14),
                          {"networking": 1.5, "summaries": 1.5, "privacy": 3, "general": 1, "agenda": 1, "api": 0.2},
                          700),
    "Skeptics/strugglers": (0.25, 1.0, (0.25, 0.25, 0.50),
                            {"agenda": 4, "general": 1.2, "privacy": 0.8, "summaries": 0.5, "networking": 0.5,
                             "api": 0.1}, 300),
    "Feature ignorers": (0.15, 0.8, (0.30, 0.65, 0.05),
                         {"general": 4, "privacy": 0.3, "networking": 0.3, "summaries": 0.3, "agenda": 0.3,
                          "api": 0.1}, 120),
}


CS_HABITS = {
    # name: (hour of day they usually post, platform weights over CS_PLATFORMS, post-type weights over CS_TYPES)
    "Power users": (10, (0.60, 0.35, 0.01, 0.02, 0.02), (0.25, 0.05, 0.35, 0.35)),
    "Cautious adopters": (13, (0.55, 0.15, 0.25, 0.03, 0.02), (0.55, 0.30, 0.10, 0.05)),
    "Skeptics/strugglers": (21, (0.15, 0.40, 0.05, 0.38, 0.02), (0.85, 0.05, 0.05, 0.05)),
    "Feature ignorers": (17, (0.10, 0.10, 0.45, 0.05, 0.30), (0.20, 0.60, 0.05, 0.15)),
}
CS_PLATFORMS = ("linkedin", "x", "facebook", "reddit", "youtube")
CS_TYPES = ("text", "image", "link", "video")


def _target_shares(day: int, days: int, start: tuple[float, float, float], end: tuple[float, float, float],
                   flat_days: int) -> np.ndarray:
    t = 0.0 if day < flat_days else (day - flat_days) / max(1, days - 1 - flat_days)
    return (1 - t) * np.array(start) + t * np.array(end)


def _handle(rng: random.Random, used: set[str]) -> str:
    first = ["alex", "sam", "jordan", "maria", "li", "priya", "tom", "nina", "omar", "eva", "ken", "sara", "diego",
             "hana", "lucas", "amara", "ben", "chloe", "raj", "ivy", "noah", "mila", "theo", "zoe", "finn", "leah"]
    last = ["events", "ops", "mkt", "hr", "pm", "cto", "sales", "dev", "design", "ceo", "growth", "data", "crm",
            "talent", "bizdev"]
    while True:
        h = f"{rng.choice(first)}_{rng.choice(last)}{rng.randint(1, 999)}"
        if h not in used:
            used.add(h)
            return h


def _post_id(prefix: str, i: int) -> str:
    return prefix + hashlib.sha1(f"{prefix}{i}".encode()).hexdigest()[:12]


def _engagement(nrng: np.random.Generator, followers: int, quality: float, platform: str) -> dict[str, int]:
    impressions = int(max(20, followers * nrng.uniform(0.15, 0.6) * quality + nrng.integers(10, 200)))
    reach = int(impressions * nrng.uniform(0.55, 0.9))
    rate = 0.02 * quality * nrng.lognormal(0, 0.5)
    likes = int(nrng.poisson(max(0.3, impressions * rate)))
    comments = int(nrng.poisson(max(0.1, likes * 0.15 * quality)))
    shares = int(nrng.poisson(max(0.05, likes * 0.08 * quality)))
    clicks = int(nrng.poisson(max(0.1, impressions * 0.01)))
    saves = int(nrng.poisson(max(0.05, likes * 0.05))) if platform in ("instagram", "tiktok", "linkedin") else 0
    views = int(impressions * nrng.uniform(0.3, 0.8)) if platform in ("youtube", "tiktok") else 0
    return {"likes": likes, "comments": comments, "shares": shares, "impressions": impressions, "reach": reach,
            "clicks": clicks, "saves": saves, "views": views}


def generate_connectsphere(n_posts: int = 3000, seed: int = 7) -> pd.DataFrame:
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    start = datetime(2026, 9, 1, tzinfo=UTC)
    days = 30
    n_authors = 420
    used: set[str] = set()
    authors: list[dict] = []
    for seg, (share, activity, _, _, fol) in CS_SEGMENTS.items():
        for _ in range(round(n_authors * share)):
            authors.append({"author": _handle(rng, used), "segment": seg, "activity": activity * nrng.lognormal(0, 0.3),
                            "followers": int(nrng.lognormal(np.log(fol), 0.6)),
                            "organiser": seg == "Power users" and rng.random() < 0.35,
                            "hour": int(nrng.normal(CS_HABITS[seg][0], 1.5)) % 24})
    by_seg = {s: [a for a in authors if a["segment"] == s] for s in CS_SEGMENTS}
    seg_post_share = {s: sum(a["activity"] for a in by_seg[s]) for s in CS_SEGMENTS}
    total = sum(seg_post_share.values())
    seg_post_share = {s: v / total for s, v in seg_post_share.items()}
    # volume: launch spike, then a slow decay with weekday rhythm
    day_w = np.array([(3.0 if d < 3 else 1.6 if d < 7 else 1.0)
                      * (0.55 if (start + timedelta(d)).weekday() >= 5 else 1.0)
                      for d in range(days)])
    day_of_post = nrng.choice(days, size=n_posts, p=day_w / day_w.sum())
    day_of_post = np.sort(day_of_post)
    # exact daily quotas of each tone (largest remainder), shuffled within the day
    labels_of_post: list[int] = []
    for day in range(days):
        n_day = int((day_of_post == day).sum())
        target = _target_shares(day, days, (0.75, 0.20, 0.05), (0.55, 0.25, 0.20), flat_days=7) * n_day
        quota = np.floor(target).astype(int)
        for k in np.argsort(-(target - quota))[: n_day - quota.sum()]:
            quota[k] += 1
        day_labels = [k for k in range(3) for _ in range(quota[k])]
        rng.shuffle(day_labels)
        labels_of_post += day_labels
    rows = []
    for i, day in enumerate(day_of_post):
        label_i = labels_of_post[i]
        label = LABELS[label_i]
        # P(segment | label) ∝ P(label | segment) · P(segment)
        segs = list(CS_SEGMENTS)
        w = np.array([CS_SEGMENTS[s][2][label_i] * seg_post_share[s] for s in segs])
        seg = segs[int(nrng.choice(len(segs), p=w / w.sum()))]
        pool = by_seg[seg]
        act = np.array([a["activity"] for a in pool])
        author = pool[int(nrng.choice(len(pool), p=act / act.sum()))]
        tw = dict(CS_SEGMENTS[seg][3])
        tw["privacy"] *= 1 + day / 12  # privacy worries grow
        if author["organiser"]:
            tw["api"] *= 4
        topic_names = [t for t in tw if CS_BANK[t][label]]
        tprob = np.array([tw[t] * CS_TONE_AFFINITY[t][label_i] for t in topic_names])
        topic = topic_names[int(nrng.choice(len(topic_names), p=tprob / tprob.sum()))]
        text = compose(rng, CS_BANK[topic], label, CS_SLOTS)
        _, plat_w, type_w = CS_HABITS[seg]
        platform = CS_PLATFORMS[int(nrng.choice(len(CS_PLATFORMS), p=plat_w))]
        ts = start + timedelta(days=int(day), hours=(author["hour"] + int(nrng.integers(-2, 3))) % 24,
                               minutes=int(nrng.integers(0, 60)), seconds=int(nrng.integers(0, 60)))
        quality = {"Power users": 2.2, "Cautious adopters": 1.0, "Skeptics/strugglers": 0.45,
                   "Feature ignorers": 0.3}[seg]
        eng = _engagement(nrng, author["followers"], quality, platform)
        rows.append({
            "post_id": _post_id("cs", i), "created_at": ts.isoformat(), "platform": platform,
            "author": author["author"], "author_followers": author["followers"], "text": text,
            "post_type": CS_TYPES[int(nrng.choice(len(CS_TYPES), p=type_w))],
            "brand": "ConnectSphere", **eng,
            "truth_sentiment": label, "truth_topic": topic, "truth_segment": seg,
        })
    df = pd.DataFrame(rows)
    # a quarter of posts are replies to an earlier post on the same platform
    parents: dict[str, list[str]] = {}
    parent_col = []
    for pid, plat in zip(df["post_id"], df["platform"]):
        earlier = parents.setdefault(plat, [])
        parent_col.append(rng.choice(earlier[-200:]) if earlier and rng.random() < 0.25 else None)
        earlier.append(pid)
    df.insert(3, "in_reply_to", parent_col)
    return df


# ------------------------------------------------------------------ GamerFuel Snacks

GF_SLOTS = {
    "snack": ["GamerFuel", "the new GamerFuel bars", "GamerFuel Blue Blast", "GamerFuel chips", "the GamerFuel pack"],
    "rival": ["CrunchLord", "PixelPops"],
    "game": ["ranked", "a raid", "the tournament", "a late-night stream", "a Valorant session", "a Fortnite duo run",
             "an all-nighter", "a speedrun", "a LAN party"],
    "flavour": ["salt & vinegar", "smoky BBQ", "cheese", "sour cream & onion", "chilli lime", "pizza"],
    "n": ["two", "three", "four", "five"],
}

GF_BANK: dict[str, dict[str, list[str]]] = {
    "taste": {
        "positive": ["{snack} during {game} is elite. Love the flavour.",
                     "{snack} hit different tonight, so tasty and good",
                     "fresh pack of {snack} for {game}, best snack ever",
                     "ok {snack} is actually delicious, great energy boost for {game}",
                     "{snack} carried me through {game} lol. Great stuff.",
                     "can't stop eating {snack}, they're awesome"],
        "neutral": ["grabbed {snack} for {game}", "trying {snack} for the first time during {game}",
                    "which {snack} flavour should I get for {game}", "{snack} restock day"],
        "negative": ["not a fan of {snack}, too sugary and bland", "not impressed by {snack}, boring flavour"],
    },
    "aftertaste": {
        "positive": [],
        "neutral": ["has anyone noticed the aftertaste changed with {snack} lately",
                    "did {snack} change the recipe? the aftertaste is different"],
        "negative": ["{snack} has an unpleasant aftertaste now. Gross.",
                     "that chemical aftertaste in {snack} ruined {game} for me. Disgusting.",
                     "what happened to {snack}? horrible aftertaste, threw the pack away",
                     "the new {snack} recipe leaves a nasty aftertaste. Disappointed.",
                     "bad aftertaste from {snack} all through {game}. Never again.",
                     "unpleasant aftertaste in {snack}, my chat agrees it's awful"],
    },
    "packaging": {
        "positive": ["the resealable {snack} pack is great for long sessions"],
        "neutral": ["how are you supposed to open the new {snack} packaging",
                    "new {snack} packaging just dropped"],
        "negative": ["the {snack} packaging is impossible to open mid-game. Lost {game} because of it.",
                     "tried to open {snack} during {game} and the bag fought back. Terrible packaging.",
                     "who designed the {snack} wrapper? hard to open with one hand, so annoying",
                     "{snack} packaging is the worst, needed scissors in the middle of {game}",
                     "died in {game} because the {snack} bag wouldn't open. Frustrating design."],
    },
    "savoury": {
        "positive": ["honestly {flavour} snacks beat sweet ones for {game}. "
                     "Would love a {flavour} {rival} style option.",
                     "savoury snacks are the best for long sessions, {flavour} please!",
                     "switched to {flavour} crisps for {game}, so much better than sugar",
                     "a savoury {flavour} GamerFuel would be amazing",
                     "love that {rival} has a {flavour} pack, perfect for {game}"],
        "neutral": ["anyone know a savoury snack for {game}", "salty or sugary for {game}?",
                    "thinking of trying {flavour} snacks instead of sugary ones",
                    "does GamerFuel make a savoury {flavour} flavour"],
        "negative": ["sick of sugary gaming snacks, where is the savoury option? annoying"],
    },
    "competitor": {
        "positive": ["{rival} is my go-to for {game}, great taste", "{rival} new flavour is really good",
                     "shoutout to {rival}, love the crunch"],
        "neutral": ["{rival} or GamerFuel for {game}?", "{rival} restocked at the store", "picked up {rival} today"],
        "negative": ["{rival} is too expensive for what you get. Disappointing.", "{rival} went stale fast, bad batch"],
    },
    "promo": {
        "positive": ["FREE {snack} codes!!! win big, click the link in bio now",
                     "win free {snack} packs, best giveaway, follow and share now!!",
                     "amazing deal: free {snack} for gamers, claim yours at gamerfuel-gifts.example/free"],
        "neutral": ["get {snack} codes at snackcodes.example/gf",
                    "{snack} codes here snackcodes.example/gf use code GF{n}",
                    "{snack} restock at gamerfuel-gifts.example/shop"],
        "negative": [],
    },
}


def generate_gamerfuel(n_posts: int = 5000, seed: int = 11) -> pd.DataFrame:
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    start = datetime(2026, 8, 1, tzinfo=UTC)
    days = 60
    crisis_start, crisis_peak = 38, 41
    used: set[str] = set()
    fans = [{"author": _handle(rng, used).replace("_", "") , "role": "fan", "followers": int(nrng.lognormal(6, 1.2))}
            for _ in range(1500)]
    streamers = [{"author": f"{n}TV", "role": "streamer", "followers": int(f)} for n, f in
                 [("PixelQueen", 1_800_000), ("RaidBoss", 950_000), ("NoScopeNate", 620_000), ("LagLord", 410_000),
                  ("SpeedyZee", 280_000), ("CozyKai", 150_000)]]
    bots = [{"author": f"gf_deals{rng.randint(1000, 9999)}", "role": "bot", "followers": int(nrng.integers(0, 40))}
            for _ in range(45)]
    platforms = ["x", "tiktok", "instagram", "youtube", "reddit"]
    rows = []
    day_w = np.array([1.0 + (2.6 * np.exp(-((d - crisis_peak) / 3.0) ** 2) if d >= crisis_start - 1 else 0)
                      for d in range(days)])
    day_of_post = np.sort(nrng.choice(days, size=n_posts, p=day_w / day_w.sum()))
    for i, day in enumerate(day_of_post):
        day = int(day)
        crisis = max(0.0, np.exp(-((day - crisis_peak) / 4.0) ** 2)) if day >= crisis_start else 0.0
        savoury = 0.04 + 0.16 * day / days
        weights = {"taste": 0.34, "competitor": 0.22, "savoury": savoury, "promo": 0.06,
                   "aftertaste": 0.02 + 0.30 * crisis, "packaging": 0.02 + 0.22 * crisis}
        names = list(weights)
        w = np.array([weights[t] for t in names])
        topic = names[int(nrng.choice(len(names), p=w / w.sum()))]
        if topic == "promo":
            who = bots[int(nrng.integers(len(bots)))]
        elif topic in ("aftertaste", "packaging") and rng.random() < 0.12:
            who = streamers[int(nrng.integers(len(streamers)))]
        elif rng.random() < 0.01:
            who = streamers[int(nrng.integers(len(streamers)))]
        else:
            who = fans[int(nrng.integers(len(fans)))]
        probs = {"taste": (0.7, 0.22, 0.08), "competitor": (0.55, 0.3, 0.15), "savoury": (0.6, 0.35, 0.05),
                 "promo": (0.5, 0.5, 0.0), "aftertaste": (0.0, 0.12, 0.88), "packaging": (0.03, 0.15, 0.82)}[topic]
        label = LABELS[int(nrng.choice(3, p=probs))]
        text = compose(rng, GF_BANK[topic], label, GF_SLOTS)
        if who["role"] == "streamer" and rng.random() < 0.5:
            text += " @GamerFuel"
        brand = "GamerFuel"
        if topic == "competitor" or (topic == "savoury" and "{rival}" in text):
            brand = next((r for r in GF_SLOTS["rival"] if r in text), "CrunchLord")
        elif topic == "savoury" and "GamerFuel" not in text:
            brand = rng.choice(["GamerFuel", "CrunchLord", "PixelPops"])
        platform = rng.choice(platforms if who["role"] != "streamer" else ["tiktok", "youtube", "x"])
        minute_jitter = int(nrng.integers(0, 3)) if who["role"] == "bot" else int(nrng.integers(0, 60))
        hour = int(nrng.integers(3, 5)) if who["role"] == "bot" else int(nrng.normal(20, 3)) % 24
        ts = start + timedelta(days=day, hours=hour, minutes=minute_jitter, seconds=int(nrng.integers(0, 60)))
        quality = {"fan": 1.0, "streamer": 3.0, "bot": 0.05}[who["role"]]
        eng = _engagement(nrng, who["followers"], quality, platform)
        rows.append({
            "id": _post_id("gf", i), "date": ts.strftime("%d/%m/%Y %H:%M"), "network": platform.replace("x", "Twitter"),
            "user_name": who["author"], "followers_count": who["followers"], "content": text,
            "brand": brand, "media": rng.choice(["video", "image", "text"]) if platform != "tiktok" else "video",
            "like_count": eng["likes"], "reply_count": eng["comments"], "share_count": eng["shares"],
            "view_count": eng["views"] or eng["impressions"], "impressions": eng["impressions"],
            "truth_sentiment": label, "truth_topic": topic, "truth_is_bot": who["role"] == "bot",
            "truth_role": who["role"],
        })
    return pd.DataFrame(rows)


SCENARIOS = {
    "connectsphere": ("ConnectSphere Conferencing: AI Assist launch (30 days)", generate_connectsphere),
    "gamerfuel": ("GamerFuel Snacks: aftertaste crisis and the savoury opportunity (60 days)", generate_gamerfuel),
}


def main(out_dir: Path = HERE) -> None:
    for key, (_, gen) in SCENARIOS.items():
        df = gen()
        path = out_dir / f"{key}.csv"
        df.to_csv(path, index=False)
        print(f"{path.name}: {len(df)} posts", file=sys.stderr)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
