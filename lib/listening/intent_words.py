"""The words behind intent (lib/listening/intent.py): named lexicons of lower-case words and phrases of up to
three words, as intent's tokeniser reads them (apostrophes kept: "can't", "doesn't"). Listening Lab's own
(MIT), written for brand and customer talk and checked against hand-labelled real posts (the tune part of
bench/data/intent_labels.csv only). Add a word where it means the same thing in most posts that use it;
leave out words that mostly mean something else ("bugs", "dead", "show")."""
from __future__ import annotations

from itertools import product

from lib.listening.cues import STRONG_ISSUE

_CANNOT = ("can't", "cant", "cannot", "won't", "wont", "doesn't", "doesnt", "didn't", "didnt", "isn't", "isnt",
           "not", "never")
_FAILED_ACTIONS = (
    "work", "working", "load", "open", "play", "install", "show", "showing", "arrive", "arrived", "receive",
    "received", "let", "connect", "allowed", "able", "access", "accept", "charge", "find", "see my", "go through",
    "process", "support", "supporting", "log", "login", "sign", "get through", "reach")
# Everyday words that report a problem only sometimes ("waiting in line", "lost my voice"): weaker evidence.
TROUBLE = ("waiting", "waited", "late", "lost", "lose", "losing", "missed", "fail", "failed", "wrong", "stuck",
           "broke", "no one", "nobody", "problem", "problems", "issue", "issues")

LEXICONS: dict[str, tuple[str, ...]] = {
    # A problem report: something broken, missing, refused, charged, sent back; "why was I ..." about it.
    "issue": tuple(t for t in STRONG_ISSUE if t not in TROUBLE and t != "worst")
    + tuple(f"{c} {a}" for c, a in product(_CANNOT, _FAILED_ACTIONS)) + (
        "stopped working", "stopped showing", "not showing", "still waiting", "still not", "not mine", "wrong amount",
        "charged", "declined", "pending", "extra fee", "hidden fee", "went down", "gone down", "is down", "was down",
        "went out", "shut down", "shuts down", "keeps dropping", "dropped calls", "no internet", "no signal",
        "no disc", "no sound", "froze", "freezes", "frozen", "blurry", "blurriness", "glitches", "glitchy", "laggy",
        "died", "fell off", "came off", "fell apart", "broke off", "noise", "waste of money", "wasted", "ruined",
        "returned", "return it", "rip off", "ripoff", "overpriced", "surge pricing", "fix", "please fix",
        "get it sorted", "sort it", "please help", "help me", "unlock", "locked", "exceeded",
        "forgot my", "forgotten my", "stolen", "hacked", "besides me", "fraud", "unauthorized", "going on with",
        "the issue", "drawback", "drawbacks", "downside", "unfortunately", "unable", "wish there was", "wish it had",
        "lied", "harassed", "spamming", "lawsuit", "fault", "dropped the ball", "fucking up", "messing up",
        "screwing up", "screwed up", "fighting with", "struggling with", "never again", "will never", "got rid of",
        "get rid of", "have to deal", "thanks for nothing", "on your own", "take your chances", "why didn't",
        "didn't i", "why can't", "why am i", "why is my", "why does my", "why won't", "how come",
        "where did the money", "where is my", "where's my", "not up to", "wasn't up to", "fly off", "please add",
        "add a feature", "come up with a feature", "feature request", "needs an option",
        # defects and failures, as customers put them
        "defective", "faulty", "cracked", "scratched", "dented", "leaks", "overheats", "overheating", "burned out",
        "dead on arrival", "doa", "won't turn on", "keeps crashing", "keeps freezing", "keeps disconnecting",
        "disconnects", "disconnected", "buffering", "skips", "skipping", "distorted", "muffled", "flickering",
        "unreliable", "unusable", "unresponsive", "quit working", "died on me", "crapped out", "buggy",
        "error message", "not loading", "takes forever", "took forever", "outage", "dropped call", "dead zone",
        "no power", "no wifi", "no reception", "no response", "no reply", "no answer", "never responded",
        "never heard back", "hung up", "run around", "runaround", "wasted my time", "waste of time", "bumped",
        "stranded", "lost luggage", "lost my", "wrong order", "wrong item", "never came", "never showed",
        "didn't show up", "still hasn't", "still haven't", "still no", "yet again", "down again", "third time",
        # money
        "overcharge", "overcharged", "billing error", "charged twice", "double charged", "hidden fees", "price hike",
        "raised prices", "money back", "refunds", "chargeback", "scammed", "ripped off", "false advertising",
        "misleading", "poorly made", "cheaply made", "falls apart", "wore out",
        # service
        "unhelpful", "unprofessional", "incompetent", "clueless", "no help", "didn't help", "not helpful",
        "complaining", "escalate", "speak to a manager", "fix your", "sort this out", "do better",
        "get your act together", "shame on you", "never buying", "never shopping", "never flying", "never using",
        "won't be back", "cancel my", "cancelling", "canceling", "unsubscribe", "returning it", "send it back",
        "sending it back", "take it back", "robocalls", "keeps calling", "keep calling", "too many ads",
        "update broke", "food poisoning", "made me sick", "undercooked",
        "inedible", "no legroom", "not supported", "doesn't support", "incompatible", "battery drain", "drains"),
    "trouble": TROUBLE + (
        "slow", "sluggish", "expensive", "pricey", "cheap", "flimsy", "noisy", "loud", "hard to", "difficult to",
        "impossible to", "confusing", "complicated", "clunky", "awkward", "lacks", "lacking", "garbled", "garbling",
        "hasn't been", "haven't been", "has not been", "no way to", "no option", "long wait", "long line",
        "long lines", "forever", "every time", "again", "dirty", "filthy", "smells", "stale", "cold food", "bland",
        "soggy", "cramped", "uncomfortable", "stopped"),
    # A verdict on a thing ("X sucks", "worst phone ever"): a complaint beside a consumer target or an unknown one.
    "verdict": (
        "sucks", "suck", "sucked", "sucky", "crap", "crappy", "shitty", "junk", "fail", "epic fail", "worst", "worse",
        "horrible", "terrible", "awful", "useless", "lame", "blows", "rubbish", "garbage", "pathetic", "unacceptable",
        "ridiculous", "disappointing", "disappointed", "disappointment", "not worth", "overrated", "so bad", "is bad",
        "was bad", "really bad", "very bad", "poor quality", "poor service", "very poor", "is shit", "was shit",
        "piece of shit", "didn't like", "did not like", "don't like", "not a fan", "ugly", "cringe", "not happy",
        "not impressed", "not good", "not great", "negative stars", "mediocre", "subpar", "sub par", "meh",
        "not recommended", "do not buy", "don't buy", "avoid", "stay away", "regret", "disgusting", "gross", "nasty",
        "unbearable", "atrocious", "abysmal", "dreadful", "appalling", "shoddy", "crummy", "lousy", "a joke",
        "laughable", "shameful", "disgrace", "outrageous", "poorly", "badly"),
    # Feelings and curses: as much about the writer's mood as about a thing, so weaker than a verdict.
    "upset": (
        "hate", "hated", "dislike", "damn", "ugh", "ughh", "wtf", "pissed", "furious", "annoying", "annoyed", "stupid",
        "boo", "grr", "argh", "arg", "arrgh", "fml", "devil", "screw", "screwed", "bastards", "frustrating",
        "frustrated", "mad at", "upset with", "drive me nuts", "drive me crazy", "driving me crazy",
        "making me crazy"),
    # What customers complain about: a service and its people, a product and its parts, a price, an account.
    "consumer": (
        "service", "services", "customer service", "customer support", "support", "rep", "reps", "agent", "staff",
        "clerk", "cashier", "manager", "customer care", "cust care", "store", "stores", "shop", "restaurant",
        "company", "brand", "product", "products", "quality", "price", "prices", "pricing", "cost", "costs", "bill",
        "billing", "fee", "fees", "charge", "plan", "contract", "subscription", "promotions", "slogan", "commercial",
        "commercials", "ads", "warranty", "bought", "purchased", "internet", "cable", "wifi", "connection", "signal",
        "reception", "network", "tethering", "phone", "phones", "iphone", "android", "app", "apps", "software",
        "program", "install", "update", "upgrade", "version", "site", "website", "api", "server", "account",
        "accounts", "card", "cards", "bank", "atm", "pin", "statement", "withdrawal", "payment", "payments",
        "transfer", "transfers", "transaction", "transactions", "order", "orders", "delivery", "package", "shipping",
        "device", "electronics", "player", "camera", "battery", "screen", "button", "menu", "interface", "ui", "dvd",
        "dvds", "disc", "tv", "dvr", "modem", "router", "laptop", "computer", "pc", "headphones", "car", "flight",
        "flights", "airline", "bag", "luggage", "seat", "ride", "rides", "fare", "fares", "driver", "ticket",
        "tickets", "hotel", "room", "food", "meal", "movie", "movies", "film", "dentist", "doctor", "customer",
        "customers", "client", "item", "items", "unit", "model", "business", "outlet", "branch", "online", "checkout",
        "cart", "shipment", "courier", "parcel", "tracking", "technician", "installer", "appointment", "booking",
        "reservation", "check in", "gate", "boarding", "airport", "plane", "train", "bus", "subway", "taxi", "cab",
        "waiter", "waitress", "dish", "drink", "coffee", "receipt", "rate", "rates", "loan", "mortgage", "insurance",
        "premium", "data", "coverage", "carrier", "provider", "isp", "broadband", "channel", "channels", "hd",
        "remote", "cell", "mobile", "handset", "smartphone", "tablet", "mac", "printer", "keyboard", "monitor",
        "display", "charger", "earbuds", "speaker", "speakers", "sound", "audio", "volume", "lens", "picture",
        "pictures", "photos", "video", "cd", "feature", "features", "settings", "login", "password", "email",
        "helpdesk", "help desk", "call center", "hotline", "employee", "employees", "deposit", "balance", "membership",
        "repair", "replacement", "refund", "exchange", "dealer", "dealership", "mechanic", "vehicle", "engine",
        "console", "controller", "episode", "book", "ebook"),
    # Public affairs and news: negativity about these is nobody's customer complaint.
    "public": (
        "president", "government", "govt", "congress", "senate", "senator", "election", "elections", "vote", "voters",
        "voting", "democrats", "democrat", "republicans", "republican", "gop", "tcot", "politics", "political",
        "politician", "politicians", "war", "terror", "terrorism", "terrorist", "terrorists", "nuclear", "military",
        "troops", "bailout", "stimulus", "taxpayers", "tax", "taxes", "economy", "bankruptcy", "bankrupt", "layoffs",
        "scandal", "regime", "minister", "parliament", "arrests", "arrested", "killed", "torture", "news", "headline",
        "police", "court", "judge", "law", "laws", "immigration", "refugees", "protest", "protesters", "riot",
        "shooting", "attack", "bomb", "climate", "country", "nation", "citizens", "campaign", "candidate", "debate",
        "media", "rights", "abortion", "gun", "guns", "religion", "church", "obamacare", "liberals", "conservatives",
        "leftists", "trump", "hillary"),
    # The writer's own day, body, mood, family and friends: negativity about these is not a complaint either.
    "personal": (
        "exam", "exams", "homework", "revision", "studying", "study", "school", "class", "classes", "college",
        "teacher", "lecture", "essay", "assignment", "boss", "sleep", "slept", "asleep", "awake", "tired", "exhausted",
        "sick", "flu", "fever", "hurts", "pain", "ache", "aching", "headache", "tooth", "toothache", "sore", "itchy",
        "hungry", "starving", "bored", "boring", "crying", "cried", "tears", "lonely", "sad", "depressed",
        "depression", "anxiety", "anxious", "stressed", "stress", "hangover", "drunk", "weather", "rain", "raining",
        "snow", "hot", "heat", "humid", "degrees", "sunny", "mosquito", "mosquitos", "insects", "spider", "cancer",
        "loss", "feeling", "feelings", "mood", "birthday", "weekend", "hair", "diet", "gym", "workout", "skin", "mom",
        "mum", "dad", "mother", "father", "sister", "brother", "family", "wife", "husband", "boyfriend", "girlfriend",
        "bf", "gf", "friend", "friends", "baby", "kids", "dog", "cat", "grandma", "grandpa", "funeral", "staying up",
        "up late", "my voice"),
    # Other people, sport and fandom: a verdict here is about a person or a match, not a purchase.
    "people": (
        "he", "she", "him", "his", "himself", "herself", "team", "season", "player", "players", "coach", "playoffs",
        "finals", "league", "referee", "quarterback", "touchdown", "inning", "nba", "nfl", "mlb", "fifa", "actor",
        "actress", "singer", "celebrity"),
    # Thanks and cheer said of a failure ("thanks for nothing", "oh great, another delay"): a complaint.
    "sarcastic": (
        "thanks for nothing", "thanks a lot", "yeah right", "oh great", "oh good", "just great", "just what i needed",
        "what a surprise", "wow thanks", "gotta love", "love how", "love it when", "great job", "nice job",
        "well done", "way to go"),
    "praise": (
        "recommend", "love", "loving", "loved", "loves", "lovin", "love it", "lt 3", "like it", "really like", "liked",
        "best", "shout out", "shoutout", "shout outs", "kudos", "well done", "great job", "thank you", "thanks", "thx",
        "amazing", "awesome", "brilliant", "game changer", "obsessed", "fan of", "big fan", "great", "excellent",
        "fantastic", "perfect", "rocks", "rock", "rocked", "cool", "nice", "good", "pretty good", "so good",
        "really good", "enjoy", "enjoyed", "fun", "excited", "favorite", "favourite", "pleased", "impressed", "happy",
        "happy with", "glad", "satisfied", "superb", "wonderful", "beautiful", "cute", "hilarious", "interesting",
        "mind blowing", "yum", "yummy", "delicious", "sweet", "genius", "beast", "legend", "winner", "worth",
        "a dream", "top notch", "a plus", "big plus", "easy", "easy to use", "intuitive", "helpful", "fast", "smooth",
        "solid", "well structured", "try it", "try this", "yay", "woot"),
    # Wanting, choosing or having just bought something: enough on its own.
    "purchase_strong": tuple(f"{a} {b}" for a, b in product(
        ("want to", "going to", "gonna", "about to", "ready to", "need to", "plan to", "thinking of", "should i",
         "thinking about", "decided to", "where can i", "where to"),
        ("buy", "order", "get", "purchase", "subscribe", "upgrade", "book", "buying", "getting"))) + (
        "just bought", "just got", "just ordered", "take my money", "add to cart", "added to cart", "pre order",
        "preorder", "got a new", "got my new", "picked up my", "new toy", "supposed to come", "need a new",
        "could go for", "get me some", "need suggestions", "all i need", "i want a", "get one"),
    # Shopping words: a purchase only where nothing stronger is said.
    "purchase": (
        "buy", "buying", "bought", "purchase", "ordered", "my new", "tickets", "shopping", "in stock", "how much",
        "discount", "coupon", "promo code", "deal", "sign up", "signed up", "free trial", "quote", "pricing"),
    "info": (
        "anyone know", "does anyone", "anyone have", "anyone with", "how do i", "how can i", "how do you",
        "is there a", "are there any", "can someone", "any idea", "any ideas", "any suggestions", "suggestions",
        "any tips", "tell me", "need to know", "want to know", "explain", "can you", "could you", "do you know",
        "is it possible", "where can i", "how long", "when will", "i'd like to", "i want to request",
        "i want to cancel", "question", "should i", "what are the", "what is the", "what's the", "please advise",
        "kindly advise", "advise me"),
    "navigational": (
        "contact at", "contact for", "contact number", "contact email", "phone number", "email address", "link to",
        "the link", "url", "homepage", "login page", "log in", "sign in", "where is the", "can't find the",
        "how do i find", "how do i get to", "support page", "download page"),
    "comparing": (
        "vs", "versus", "compared to", "comparison", "better than", "worse than", "instead of", "switch to",
        "switched to", "switching to", "switch from", "prefer", "which one", "which is better", "difference between",
        "alternative", "alternatives", "superior to", "inferior to", "pales in comparison", "hands down",
        "stick with"),
}
