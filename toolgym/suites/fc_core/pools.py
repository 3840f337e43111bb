"""Word lists the fc-core tasks draw their argument values from.

Each pool is a tuple in a fixed order; `values.part` cuts it into train and test parts by position, so
the order here is part of the suite's identity. Entries are real place names and invented people,
companies and documents.
"""

CITIES = (
    "Lisbon", "Porto", "Madrid", "Barcelona", "Valencia", "Seville", "Bilbao", "Malaga", "Paris", "Lyon",
    "Marseille", "Nice", "Bordeaux", "Toulouse", "Nantes", "Strasbourg", "Brussels", "Antwerp", "Ghent",
    "Amsterdam", "Rotterdam", "Utrecht", "The Hague", "Luxembourg", "Berlin", "Munich", "Hamburg", "Cologne",
    "Frankfurt", "Stuttgart", "Dresden", "Leipzig", "Nuremberg", "Bremen", "Vienna", "Salzburg", "Graz",
    "Innsbruck", "Zurich", "Geneva", "Basel", "Bern", "Lausanne", "Milan", "Rome", "Naples", "Turin",
    "Florence", "Venice", "Bologna", "Palermo", "Genoa", "Verona", "Athens", "Thessaloniki", "Istanbul",
    "Ankara", "Izmir", "Sofia", "Bucharest", "Cluj-Napoca", "Belgrade", "Zagreb", "Split", "Ljubljana",
    "Sarajevo", "Budapest", "Prague", "Brno", "Bratislava", "Krakow", "Warsaw", "Gdansk", "Wroclaw",
    "Poznan", "Vilnius", "Riga", "Tallinn", "Helsinki", "Tampere", "Stockholm", "Gothenburg", "Malmo",
    "Oslo", "Bergen", "Copenhagen", "Aarhus", "Reykjavik", "Dublin", "Cork", "Galway", "London",
    "Manchester", "Liverpool", "Birmingham", "Edinburgh", "Glasgow", "Cardiff", "Belfast", "Bristol",
    "Leeds", "Newcastle", "Oxford", "Cambridge", "New York", "Boston", "Chicago", "Seattle", "Portland",
    "Denver", "Austin", "Dallas", "Houston", "Phoenix", "Miami", "Orlando", "Atlanta", "Nashville",
    "Detroit", "Minneapolis", "Philadelphia", "Pittsburgh", "Baltimore", "San Diego", "San Francisco",
    "Los Angeles", "Sacramento", "Las Vegas", "Salt Lake City", "New Orleans", "Kansas City", "St. Louis",
    "Cleveland", "Charlotte", "Raleigh", "Toronto", "Montreal", "Vancouver", "Calgary", "Edmonton",
    "Ottawa", "Quebec City", "Winnipeg", "Halifax", "Victoria", "Mexico City", "Guadalajara", "Monterrey",
    "Oaxaca", "Merida", "Bogota", "Medellin", "Cartagena", "Lima", "Cusco", "Quito", "Santiago",
    "Valparaiso", "Buenos Aires", "Cordoba", "Mendoza", "Montevideo", "Sao Paulo", "Rio de Janeiro",
    "Brasilia", "Salvador", "Recife", "Curitiba", "Havana", "Panama City", "Guatemala City", "Cairo",
    "Alexandria", "Casablanca", "Marrakesh", "Rabat", "Tunis", "Algiers", "Lagos", "Abuja", "Accra",
    "Dakar", "Nairobi", "Mombasa", "Addis Ababa", "Kampala", "Kigali", "Dar es Salaam", "Lusaka",
    "Johannesburg", "Cape Town", "Durban", "Windhoek", "Dubai", "Abu Dhabi", "Doha", "Riyadh", "Jeddah",
    "Muscat", "Amman", "Beirut", "Tel Aviv", "Baku", "Tbilisi", "Yerevan", "Almaty", "Tashkent",
    "Karachi", "Lahore", "Delhi", "Mumbai", "Bangalore", "Chennai", "Kolkata", "Hyderabad", "Pune",
    "Jaipur", "Kathmandu", "Dhaka", "Colombo", "Bangkok", "Chiang Mai", "Phuket", "Hanoi",
    "Ho Chi Minh City", "Da Nang", "Phnom Penh", "Vientiane", "Yangon", "Kuala Lumpur", "Penang",
    "Singapore", "Jakarta", "Surabaya", "Yogyakarta", "Manila", "Cebu", "Taipei", "Kaohsiung",
    "Hong Kong", "Macau", "Shanghai", "Beijing", "Shenzhen", "Guangzhou", "Chengdu", "Hangzhou",
    "Xi'an", "Seoul", "Busan", "Incheon", "Tokyo", "Osaka", "Kyoto", "Sapporo", "Fukuoka", "Nagoya",
    "Sydney", "Melbourne", "Brisbane", "Perth", "Adelaide", "Hobart", "Darwin", "Auckland", "Wellington",
    "Christchurch", "Queenstown", "Honolulu", "Anchorage", "Ulaanbaatar", "Nuuk",
)

COUNTRIES = (
    "Portugal", "Spain", "France", "Belgium", "the Netherlands", "Germany", "Austria", "Switzerland",
    "Italy", "Greece", "Turkey", "Bulgaria", "Romania", "Croatia", "Slovenia", "Hungary", "Czechia",
    "Slovakia", "Poland", "Lithuania", "Latvia", "Estonia", "Finland", "Sweden", "Norway", "Denmark",
    "Iceland", "Ireland", "the United Kingdom", "the United States", "Canada", "Mexico", "Colombia",
    "Peru", "Ecuador", "Chile", "Argentina", "Uruguay", "Brazil", "Cuba", "Panama", "Egypt", "Morocco",
    "Tunisia", "Nigeria", "Ghana", "Senegal", "Kenya", "Ethiopia", "Uganda", "Rwanda", "Tanzania",
    "South Africa", "Namibia", "the United Arab Emirates", "Qatar", "Saudi Arabia", "Oman", "Jordan",
    "Israel", "Georgia", "Armenia", "Kazakhstan", "Pakistan", "India", "Nepal", "Bangladesh", "Sri Lanka",
    "Thailand", "Vietnam", "Cambodia", "Malaysia", "Singapore", "Indonesia", "the Philippines", "Taiwan",
    "China", "South Korea", "Japan", "Australia", "New Zealand", "Mongolia",
)

#: (city, country) pairs for postal addresses, so that a city sits in its own country.
CITY_COUNTRIES = (
    ("Lisbon", "Portugal"), ("Porto", "Portugal"), ("Madrid", "Spain"), ("Valencia", "Spain"),
    ("Lyon", "France"), ("Bordeaux", "France"), ("Ghent", "Belgium"), ("Antwerp", "Belgium"),
    ("Utrecht", "Netherlands"), ("Rotterdam", "Netherlands"), ("Hamburg", "Germany"), ("Leipzig", "Germany"),
    ("Graz", "Austria"), ("Salzburg", "Austria"), ("Basel", "Switzerland"), ("Lausanne", "Switzerland"),
    ("Turin", "Italy"), ("Bologna", "Italy"), ("Thessaloniki", "Greece"), ("Izmir", "Turkey"),
    ("Brno", "Czechia"), ("Wroclaw", "Poland"), ("Gdansk", "Poland"), ("Tampere", "Finland"),
    ("Gothenburg", "Sweden"), ("Bergen", "Norway"), ("Aarhus", "Denmark"), ("Cork", "Ireland"),
    ("Leeds", "United Kingdom"), ("Bristol", "United Kingdom"), ("Austin", "United States"),
    ("Denver", "United States"), ("Calgary", "Canada"), ("Halifax", "Canada"), ("Guadalajara", "Mexico"),
    ("Medellin", "Colombia"), ("Cordoba", "Argentina"), ("Curitiba", "Brazil"), ("Valparaiso", "Chile"),
    ("Cusco", "Peru"), ("Mombasa", "Kenya"), ("Durban", "South Africa"), ("Pune", "India"),
    ("Penang", "Malaysia"), ("Busan", "South Korea"), ("Fukuoka", "Japan"), ("Adelaide", "Australia"),
    ("Christchurch", "New Zealand"),
)

FIRST_NAMES = (
    "Ana", "Ben", "Chloe", "Daniel", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Keiko", "Liam",
    "Maya", "Noah", "Olivia", "Pedro", "Qing", "Rosa", "Samuel", "Tara", "Umar", "Vera", "William",
    "Ximena", "Yusuf", "Zoe", "Aisha", "Bruno", "Clara", "Diego", "Emma", "Felix", "Gabriela", "Hassan",
    "Isla", "Javier", "Kofi", "Lucia", "Mateo", "Nadia", "Oscar", "Priya", "Rafael", "Sofia", "Tomas",
    "Uma", "Victor", "Wen", "Yara", "Zain", "Amara", "Bjorn", "Carmen", "Dmitri", "Esther", "Fatima",
    "Gustavo", "Hana", "Ivan", "Julia", "Kenji", "Leila", "Marco", "Nina", "Omar", "Paula", "Quentin",
    "Ravi", "Sara", "Theo", "Ursula", "Valentina", "Wanjiru", "Xavier", "Yuki", "Zara", "Adrian",
    "Beatriz", "Caleb", "Dalia", "Emil", "Freya", "Gideon", "Helena", "Ibrahim", "Jade", "Karim", "Lena",
    "Miguel", "Nora", "Oliver", "Pia", "Reza", "Selin", "Tobias", "Ulla", "Vikram", "Willa", "Aditi",
    "Bastian", "Celine", "Dario", "Elif", "Florian", "Giulia", "Henrik", "Irene", "Joao", "Kai", "Lorenzo",
    "Mei", "Nikolai", "Ophelia", "Pablo", "Rania", "Stefan", "Tessa", "Uriel", "Vanessa", "Wei", "Yasmin",
    "Alicia", "Bernard", "Chiara", "Dev", "Elsa", "Finn", "Greta", "Hamid", "Ingrid", "Jorge", "Kira",
    "Luca", "Marta", "Nils", "Orla", "Petra", "Rohan", "Sienna", "Teodor", "Ugo", "Viktor", "Xenia",
)

LAST_NAMES = (
    "Silva", "Chen", "Garcia", "Novak", "Okafor", "Muller", "Rossi", "Kowalski", "Tanaka", "Nguyen",
    "Haddad", "Johansson", "Petrov", "Dubois", "Murphy", "Kim", "Singh", "Costa", "Fischer", "Moreau",
    "Bianchi", "Santos", "Yilmaz", "Larsen", "Ivanova", "Mensah", "Patel", "Romero", "Schmidt", "Lopez",
    "Andersen", "Kaya", "Nakamura", "Horvat", "Wagner", "Ferreira", "Lindqvist", "Mazur", "Abebe",
    "Park", "Rahman", "Ortiz", "Weber", "Fontaine", "Conti", "Oliveira", "Demir", "Nielsen", "Sokolov",
    "Owusu", "Shah", "Navarro", "Becker", "Laurent", "Greco", "Pereira", "Aksoy", "Berg", "Volkov",
    "Adeyemi", "Mehta", "Castillo", "Hoffmann", "Girard", "Marino", "Almeida", "Celik", "Dahl", "Popescu",
    "Kamau", "Kapoor", "Vargas", "Schulz", "Bonnet", "Ricci", "Rocha", "Arslan", "Holm", "Dimitrov",
    "Osei", "Iyer", "Herrera", "Koch", "Mercier", "Gallo", "Barbosa", "Ozturk", "Eriksen", "Stoica",
    "Njoroge", "Reddy", "Medina", "Richter", "Lambert", "Leone", "Carvalho", "Sahin", "Strand", "Marin",
    "Mwangi", "Joshi", "Cruz", "Wolf", "Faure", "Esposito", "Ribeiro", "Kurt", "Hansen", "Georgiou",
    "Abdi", "Nair", "Reyes", "Klein", "Roux", "Russo", "Gomes", "Polat", "Lund", "Papadopoulos", "Bakker",
    "Visser", "Jansen", "De Vries", "Okonkwo", "Achebe", "Suzuki", "Watanabe", "Ito", "Yamamoto", "Lee",
    "Wong", "Tran", "Pham", "Hosseini", "Karimi", "Novotny", "Dvorak", "Szabo", "Toth", "Nagy", "Varga",
)

#: Nouns for topics, documents, projects and file names (lower case, one word).
WORDS = (
    "budget", "roadmap", "invoice", "payroll", "inventory", "marketing", "onboarding", "hiring", "launch",
    "migration", "security", "compliance", "research", "analytics", "pricing", "design", "branding",
    "support", "sales", "partnership", "training", "wellness", "recruiting", "logistics", "procurement",
    "audit", "forecast", "strategy", "quality", "release", "backlog", "sprint", "retrospective", "vendor",
    "contract", "proposal", "renovation", "garden", "wedding", "reunion", "holiday", "conference",
    "workshop", "fundraiser", "newsletter", "podcast", "website", "catalog", "survey", "festival",
    "volunteer", "scholarship", "thesis", "seminar", "exhibition", "harvest", "charity", "tournament",
    "orientation", "insurance", "mortgage", "taxes", "warranty", "benefits", "relocation", "expansion",
    "rebrand", "infrastructure", "database", "dashboard", "prototype", "experiment", "pilot", "outreach",
    "community", "translation", "accessibility", "localization", "shipping", "packaging", "supplier",
    "kitchen", "bakery", "orchard", "vineyard", "library", "museum", "gallery", "studio", "theater",
    "choir", "robotics", "chemistry", "biology", "geology", "astronomy", "oceanography", "climate",
    "energy", "solar", "wind", "transit", "bicycle", "parking", "zoning", "housing", "tenancy",
    "maintenance", "plumbing", "roofing", "lighting", "furniture", "flooring", "painting", "landscaping",
    "catering", "photography", "videography", "printing", "merchandise", "ticketing", "sponsorship",
    "membership", "subscription", "loyalty", "referral", "feedback", "incident", "outage", "firmware",
    "hardware", "network", "backup", "archive", "cleanup", "rollout", "benchmark", "calibration",
    "telescope", "microscope", "greenhouse", "beehive", "aquarium", "compost", "recycling", "carpool",
)

#: Store departments -> (adjectives that fit them, lower-case products sold there).
PRODUCTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "electronics": (("wireless", "portable", "rechargeable", "compact", "smart", "noise-cancelling"), (
        "headphones", "phone charger", "mechanical keyboard", "webcam", "microphone", "usb hub", "hard drive",
        "router", "smart speaker", "tablet stand", "monitor stand", "baby monitor", "power bank", "earbuds",
        "e-reader", "projector")),
    "home": (("ceramic", "wooden", "bamboo", "stainless steel", "glass", "non-stick"), (
        "coffee grinder", "desk lamp", "air fryer", "blender", "electric kettle", "travel mug", "cast iron pan",
        "chef's knife", "cutting board", "wall clock", "bookshelf", "throw blanket", "duvet cover",
        "bath towels", "office chair", "standing desk")),
    "clothing": (("waterproof", "merino wool", "organic cotton", "lightweight", "leather", "insulated"), (
        "rain jacket", "winter gloves", "wool scarf", "sunglasses", "ski jacket", "hiking socks", "beanie",
        "running tights", "fleece vest", "denim jacket", "sun hat", "swimsuit", "raincoat", "belt")),
    "books": (("illustrated", "paperback", "hardcover", "pocket-size"), (
        "cookbook", "travel guide", "mystery novel", "children's atlas", "poetry collection", "history book",
        "field guide to birds", "graphic novel", "language workbook", "sketching manual", "bread baking book",
        "astronomy handbook")),
    "sports": (("lightweight", "adjustable", "foldable", "waterproof", "professional"), (
        "yoga mat", "bike helmet", "running shoes", "dumbbells", "jump rope", "tennis racket", "football",
        "swim goggles", "hiking boots", "tent", "sleeping bag", "backpack", "water bottle", "climbing chalk bag")),
    "toys": (("wooden", "kids'", "magnetic", "glow-in-the-dark", "educational"), (
        "board game", "jigsaw puzzle", "paint set", "building blocks", "toy train", "kite", "puppet theater",
        "marble run", "science kit", "dollhouse", "remote-control car", "plush bear")),
    "garden": (("solar-powered", "heavy-duty", "collapsible", "ceramic", "galvanized"), (
        "garden hose", "plant pot", "watering can", "bird feeder", "lantern", "picnic basket", "pruning shears",
        "compost bin", "raised garden bed", "wheelbarrow", "hose reel", "garden kneeler")),
}

#: Lower-case things people buy, carry or fix (for reminders, notes and messages).
ITEMS = tuple(item for _, items in PRODUCTS.values() for item in items)

STREETS = (
    "Maple", "Oak", "Cedar", "Willow", "Harbor", "Mill", "Church", "King", "Queen", "Station", "Bridge",
    "Park", "Lake", "River", "Hill", "Forest", "Sunset", "Highland", "Orchard", "Meadow", "Elm", "Pine",
    "Birch", "Chestnut", "Walnut", "Spring", "Market", "Garden", "Castle", "Abbey", "Canal", "Harvest",
    "Lighthouse", "Windmill", "Quarry", "Foundry", "Tanner", "Weaver", "Baker", "Cooper", "Fletcher",
    "Mason", "Granite", "Marble", "Copper", "Silver", "Golden", "Juniper", "Hawthorn", "Rosewood",
)

STREET_KINDS = ("Street", "Avenue", "Road", "Lane", "Boulevard", "Drive", "Way", "Place", "Court", "Terrace")

EMAIL_DOMAINS = (
    "example.com", "brightline.io", "northpeak.com", "bluefern.org", "quillworks.net", "harborview.co",
    "lumen-labs.com", "oakridge.edu", "tidewater.io", "fieldnote.app", "redkite.dev", "silverbirch.org",
    "copperleaf.com", "meridian.net", "stonebridge.co", "pinecrest.io", "wildflower.org", "ironworks.com",
    "seaglass.net", "kestrel.dev", "mapleleaf.ca", "sunbeam.io", "cloudberry.com", "granite.works",
)

CURRENCIES = (
    "USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "NZD", "CNY", "HKD", "SGD", "KRW", "INR", "BRL",
    "MXN", "ZAR", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "TRY", "ILS", "AED", "SAR", "THB", "MYR",
    "IDR", "PHP", "VND", "EGP", "NGN", "KES", "ARS", "CLP", "COP", "PEN", "TWD", "RON", "ISK", "QAR",
    "MAD", "UAH",
)

TICKERS = (
    "AAPL", "MSFT", "GOOGL", "AMZN", "NVDA", "META", "TSLA", "NFLX", "AMD", "INTC", "IBM", "ORCL", "CRM",
    "ADBE", "PYPL", "UBER", "SHOP", "SPOT", "DIS", "NKE", "KO", "PEP", "MCD", "SBUX", "WMT", "COST",
    "TGT", "HD", "LOW", "JPM", "BAC", "GS", "MS", "AXP", "XOM", "CVX", "BA", "CAT", "GE", "GM", "VZ",
    "PFE", "MRK", "JNJ", "ABBV", "LLY", "UNH", "CVS", "QCOM", "TXN", "AVGO", "MU", "CSCO", "SNOW",
    "PLTR", "ABNB", "ZM", "DOCU", "ROKU", "ETSY", "EBAY", "LYFT", "PINS", "DDOG", "NET", "CRWD",
)

AIRPORTS = (
    "LIS", "OPO", "MAD", "BCN", "CDG", "ORY", "LHR", "LGW", "MAN", "EDI", "DUB", "AMS", "BRU", "FRA",
    "MUC", "BER", "HAM", "ZRH", "GVA", "VIE", "FCO", "MXP", "VCE", "ATH", "IST", "CPH", "ARN", "OSL",
    "HEL", "KEF", "WAW", "PRG", "BUD", "JFK", "EWR", "LGA", "BOS", "ORD", "ATL", "DFW", "IAH", "DEN",
    "SEA", "SFO", "LAX", "SAN", "LAS", "PHX", "MIA", "MCO", "YYZ", "YUL", "YVR", "MEX", "GRU", "GIG",
    "EZE", "SCL", "BOG", "LIM", "CAI", "JNB", "CPT", "NBO", "DXB", "DOH", "AUH", "DEL", "BOM", "BLR",
    "SIN", "BKK", "KUL", "HKG", "ICN", "NRT", "HND", "KIX", "TPE", "PVG", "PEK", "SYD", "MEL", "AKL",
)

AIRLINES = (
    "TP", "IB", "AF", "BA", "LH", "KL", "LX", "OS", "AZ", "SK", "AY", "EI", "UA", "AA", "DL", "AC",
    "AM", "LA", "EK", "QR", "EY", "TK", "SQ", "CX", "NH", "JL", "KE", "QF", "NZ", "ET",
)

FOLDERS = (
    "documents", "downloads", "projects", "notes", "photos", "music", "reports", "backups", "invoices",
    "drafts", "archive", "data", "scripts", "work", "school", "recipes", "receipts", "contracts",
    "presentations", "research", "exports", "templates", "screenshots", "videos",
)

EXTENSIONS = ("txt", "md", "pdf", "docx", "xlsx", "csv", "json", "py", "png", "jpg", "log", "yaml",
              "pptx", "html", "xml", "sql", "ts", "ipynb", "mp3", "svg")

CHANNEL_SUFFIXES = ("team", "updates", "alerts", "review", "chat", "help", "announcements", "standup",
                    "ops", "design", "launch", "random")

MEETING_KINDS = ("review", "sync", "planning session", "kickoff", "retro", "workshop", "check-in",
                 "brainstorm", "demo", "offsite", "standup", "all-hands")

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

OFF_TOPIC = (
    "Write a short poem about {topic}.",
    "Can you tell me a joke about {topic}?",
    "Translate \"good morning, {name}\" into Italian.",
    "Who painted the Mona Lisa?",
    "Explain the difference between a virus and a bacterium in simple terms.",
    "Give me three name ideas for a {topic} newsletter.",
    "What's a good recipe for vegetarian lasagna?",
    "Summarize the plot of Hamlet in two sentences.",
    "Suggest a 20-minute beginner workout I can do at home.",
    "What year did the Berlin Wall fall?",
    "Help me write a birthday message for {name}.",
    "Recommend a few classic science fiction novels.",
    "How do I politely decline a meeting invitation from {name}?",
    "What's the origin of the word \"{topic}\"?",
    "Proofread this sentence: \"Their going to the {topic} meeting tomorow.\"",
    "Give me some tips for improving my sleep.",
    "Describe how photosynthesis works.",
    "What are some good icebreaker questions for a {topic} workshop?",
    "Write a limerick about a cat named {name}.",
    "How many players are on a soccer team?",
    "What's the difference between affect and effect?",
    "Brainstorm five slogans for a {topic} campaign.",
    "Explain what a black hole is to a ten-year-old.",
    "Can you recommend a podcast about {topic}?",
)

SYSTEM_PROMPTS = (
    "You are a helpful assistant with access to tools. Call a tool when it helps answer the user.",
    "You are an assistant that can call functions. Only call a function when it can do what the user asks.",
    "You help users by calling the provided tools with precise arguments taken from their request.",
    "You are a concise assistant. Use the available functions when they are relevant to the request.",
    "You are a productivity assistant. If none of the tools fit the request, answer without calling one.",
    "You can use tools. Fill in arguments exactly as the user gives them.",
)
