"""Frequency tables for the synthetic region (``loaders.generate``), written from general
knowledge of UK naming and geography, not copied from data files.

Names are listed in order of frequency; ``zipf_weights`` turns a rank order into weights that
fall off as UK name frequencies do (the commonest surname, Smith, about 1.3% of people; the
hundredth about 0.1%). Forenames come by birth cohort, since a Gary is usually born in the 1960s
and an Oliver after 2000. Postcode areas are real, with their main post town, the number of
districts used here and a weight roughly proportional to population.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def zipf_weights(count: int, exponent: float = 0.9, offset: float = 2.0) -> NDArray[np.float64]:
    """Weights for ``count`` names in rank order, normalised to sum to one."""
    weights = 1.0 / (np.arange(count, dtype=np.float64) + offset) ** exponent
    return np.asarray(weights / weights.sum(), dtype=np.float64)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


SURNAMES = _words(
    """
    Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson
    Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson
    Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen
    James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook
    Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall
    Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray
    Mason Ali Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler
    Russell Barker Fisher Stevens Jenkins Murray Dixon Harvey Graham Pearson Ahmed Fletcher
    Walsh Kaur Gibson Howard Andrews Stewart Elliott Reynolds Saunders Payne Fox Ford Pearce Day
    Brooks West Lawrence Cole Atkinson Bradley Spencer Gill Dawson Ball Burton O'Brien Watts
    Rose Booth Perry Ryan Grant Wells Armstrong Francis Rees Hayes Hart Hudson Newman Barrett
    Webster Hunter Gregory Carr Lowe Page Marsh Riley Dunn Woods Parsons Berry Stone Reid
    Holland Hawkins Harding Porter Robertson Newton Oliver Reed Kennedy Williamson Bird Gardner
    Shah Dean Lane Cooke Bates Henderson Parry Burgess Bishop Walton Burns Nicholson Shepherd
    Ross Cross Long Freeman Warren Nicholls Hamilton Byrne Sutton McDonald Yates Hodgson Robson
    Curtis Hopkins O'Connor Harper Coleman Watkins Moss McCarthy Chambers O'Neill Griffin Sharp
    Hardy Wheeler Potter Osborne Johnston Gordon Doyle Wallace George Jordan Hutchinson Rowe
    Burke May Pritchard Gilbert Willis Higgins Read Miles Stevenson Stephenson Hammond Arnold
    Buckley Walters Hewitt Barber Nelson Slater Austin Sullivan Whitehead Mann Frost Lambert
    Stephens Blake Akhtar Lynch Goodwin Barton Woodward Thomson Cunningham Quinn Barnett Baxter
    Bibi Clayton Nash Greenwood Jennings Holt Kemp Poole Gallagher Bond Stokes Tucker Davidson
    Fowler Heath Norman Middleton Lawson Banks French Stanley Jarvis Gibbs Ferguson Hayward
    Carroll Farrell Thornton Hancock Rahman Islam Uddin Miah Hossain Mahmood Iqbal Hassan
    Ibrahim Mohammed Kumar Sharma Mistry Chauhan Nowak Kowalski Wisniewski Kowalczyk Popescu
    Ionescu Okafor Adeyemi Okonkwo Mensah Osei Chen Wang Nguyen Silva Santos Yilmaz Kaya
    Abdi Farah Hoxha Krasniqi Ivanov Petrov Smith-Jones Fitzgerald MacLeod McKenzie Sinclair
    """
)

# Forenames by birth cohort and sex, in rough order of popularity within the cohort.
COHORT_STARTS = (1900, 1960, 1980, 2000)
"""Birth years from which each cohort's names are used (a cohort runs to the next start)."""

MALE_FORENAMES = (
    _words(
        """
        David John Peter Michael Stephen Paul Robert Richard Mark Andrew Christopher Ian
        Anthony Gary Alan Kevin Brian Keith Colin Graham Martin Trevor Philip Barry Terence
        Raymond Kenneth Nigel Geoffrey Roger Malcolm Derek Dennis Leslie Ronald Gordon Stuart
        Thomas James William George Edward Frank Patrick Mohammed
        """
    ),
    _words(
        """
        Christopher Paul David Mark Michael James Andrew Daniel Richard Matthew Stephen Lee
        Darren Robert Craig Jason Simon Gareth Carl Wayne Dean Adam Thomas Neil Scott Stuart
        Jonathan Anthony Steven Martin Shaun Ian Nicholas Peter Gavin Ryan Kevin Jamie Philip
        John Mohammed Imran Sean Liam Ashley Benjamin Marc Tony
        """
    ),
    _words(
        """
        Daniel Thomas James Joshua Matthew Ryan Luke Jack Adam Samuel Benjamin Jordan Callum
        Lewis Jake Michael Connor Liam Alexander Nathan Christopher Kieran Joseph Bradley
        Jamie Aaron Harry Dean Ashley Scott Sean Oliver Charlie William George Mohammed
        Muhammad Ali Reece Jacob Tyler Kyle Dylan Owen Ben Alfie Declan Jay Robert
        """
    ),
    _words(
        """
        Oliver Jack Harry George Noah Charlie Jacob Alfie Freddie Oscar Leo Thomas James
        William Joshua Henry Archie Ethan Isaac Muhammad Mohammed Joseph Alexander Max Lucas
        Theo Logan Harrison Riley Samuel Daniel Mason Dylan Teddy Arthur Finley Jayden Reggie
        Tommy Ronnie Louie Kai Zain Tyler Aaron Adam Callum Toby Ryan
        """
    ),
)

FEMALE_FORENAMES = (
    _words(
        """
        Susan Linda Christine Margaret Janet Patricia Carol Elizabeth Mary Anne Jacqueline
        Barbara Pauline Sandra Julie Lesley Jean Maureen Valerie Gillian Karen Deborah Helen
        Kathleen Diane Brenda Sheila Shirley Jennifer Joan Dorothy Sarah Jane Catherine Alison
        Wendy Ann Judith Irene Marion Angela Denise Josephine Rita Eileen
        """
    ),
    _words(
        """
        Sarah Claire Emma Lisa Nicola Joanne Michelle Rachel Helen Samantha Karen Louise
        Kelly Amanda Rebecca Victoria Donna Julie Tracey Laura Natalie Kerry Zoe Catherine
        Elizabeth Stephanie Lindsay Gemma Melanie Dawn Angela Kirsty Hayley Nicole Suzanne
        Charlotte Jennifer Lucy Kate Joanna Jessica Amy Leanne Deborah Caroline Fatima Sharon
        """
    ),
    _words(
        """
        Jessica Emily Sophie Chloe Lauren Hannah Rebecca Charlotte Amy Megan Lucy Laura
        Katie Emma Bethany Georgia Holly Samantha Jade Ellie Olivia Abigail Shannon Danielle
        Natasha Courtney Molly Amber Leah Grace Jasmine Paige Sarah Zoe Rachel Eleanor Naomi
        Aisha Ayesha Kayleigh Jodie Stacey Victoria Gemma Alice Elizabeth Francesca Kirsty
        """
    ),
    _words(
        """
        Olivia Amelia Isla Ava Emily Sophia Grace Mia Poppy Ella Lily Evie Isabella Sophie
        Ivy Freya Harper Willow Charlotte Jessica Daisy Florence Isabelle Phoebe Alice Evelyn
        Ruby Matilda Sienna Millie Rosie Maya Esme Layla Elsie Scarlett Lola Eva Hannah Chloe
        Holly Maisie Erin Amber Zara Aisha Maryam Fatima Niamh Megan
        """
    ),
)

NICKNAMES: dict[str, tuple[str, ...]] = {
    "Robert": ("Bob", "Rob", "Bobby"),
    "William": ("Bill", "Will", "Billy"),
    "Richard": ("Rick", "Dick", "Rich"),
    "James": ("Jim", "Jimmy", "Jamie"),
    "John": ("Jack", "Johnny"),
    "Michael": ("Mike", "Mick", "Micky"),
    "Anthony": ("Tony", "Ant"),
    "Christopher": ("Chris", "Kit"),
    "Daniel": ("Dan", "Danny"),
    "Thomas": ("Tom", "Tommy"),
    "Joseph": ("Joe", "Joey"),
    "Jonathan": ("Jon", "Jonny"),
    "Alexander": ("Alex", "Xander"),
    "Samuel": ("Sam", "Sammy"),
    "Matthew": ("Matt",),
    "Nicholas": ("Nick", "Nicky"),
    "Stephen": ("Steve", "Stevie"),
    "Steven": ("Steve",),
    "Andrew": ("Andy", "Drew"),
    "David": ("Dave", "Davey"),
    "Edward": ("Ed", "Eddie", "Ted"),
    "Benjamin": ("Ben", "Benji"),
    "Joshua": ("Josh",),
    "Nathan": ("Nate",),
    "Gary": ("Gaz",),
    "Gareth": ("Gaz",),
    "Kenneth": ("Ken", "Kenny"),
    "Terence": ("Terry",),
    "Raymond": ("Ray",),
    "Peter": ("Pete",),
    "Philip": ("Phil",),
    "Frederick": ("Fred", "Freddie"),
    "Oliver": ("Ollie",),
    "Harrison": ("Harry",),
    "Mohammed": ("Mo", "Muhammad", "Mohammad"),
    "Muhammad": ("Mohammed", "Mohamed"),
    "Margaret": ("Maggie", "Peggy", "Meg"),
    "Elizabeth": ("Liz", "Beth", "Lizzie"),
    "Catherine": ("Cath", "Kate", "Cathy"),
    "Patricia": ("Pat", "Trish"),
    "Susan": ("Sue", "Suzie"),
    "Jennifer": ("Jen", "Jenny"),
    "Rebecca": ("Becky", "Becca"),
    "Victoria": ("Vicky", "Tori"),
    "Deborah": ("Debbie", "Debs"),
    "Jacqueline": ("Jackie",),
    "Samantha": ("Sam", "Sammie"),
    "Charlotte": ("Charlie", "Lottie"),
    "Christine": ("Chris", "Chrissie"),
    "Dorothy": ("Dot", "Dottie"),
    "Abigail": ("Abbie", "Abby"),
    "Isabella": ("Bella", "Izzy"),
    "Isabelle": ("Izzy", "Belle"),
    "Amelia": ("Millie", "Amy"),
    "Jessica": ("Jess", "Jessie"),
    "Eleanor": ("Ellie", "Nell"),
    "Natasha": ("Tash", "Tasha"),
    "Nicola": ("Nicky", "Nikki"),
    "Alexandra": ("Alex", "Lexi"),
    "Stephanie": ("Steph",),
    "Kathleen": ("Kath", "Kathy"),
    "Barbara": ("Babs",),
    "Josephine": ("Jo", "Josie"),
    "Joanne": ("Jo",),
    "Gillian": ("Gill",),
    "Valerie": ("Val",),
    "Pauline": ("Paula",),
    "Sophia": ("Sophie",),
    "Florence": ("Flo",),
    "Matilda": ("Tilly",),
}
"""Forename -> the short forms and spelling variants sources write for it."""

STREET_NAMES = _words(
    """
    High Church Station Victoria Park Mill London Green Manor Queens Kings Albert New School
    North South Grange Springfield Windsor Highfield Kingsway Chester York Alexandra Main
    Broadway Richmond Stanley Cromwell Nelson Oxford Cambridge Bridge Chapel Market Castle
    Orchard Meadow Beech Oak Elm Ash Willow Cedar Rose Poplar Maple Hawthorn Cherry Birch
    Holly Clarence Gladstone Marlborough Waterloo Wellington Trafalgar Balmoral Sandringham
    Devonshire Cavendish Grosvenor Stafford Warwick Lancaster Salisbury Shakespeare Milton
    Byron Tennyson Dickens Wordsworth Churchill Coronation Jubilee Forest Moor Hill Valley
    Brook River Lake Bank Well Farm Field Common Heath Abbey Priory Rectory Vicarage St Johns
    St Marys St Peters Denmark Hanover Cumberland Lime Sycamore Laburnum Chestnut Larch
    """
)

STREET_TYPES = (
    ("Street", 18.0),
    ("Road", 30.0),
    ("Lane", 9.0),
    ("Avenue", 8.0),
    ("Close", 10.0),
    ("Drive", 7.0),
    ("Way", 4.0),
    ("Crescent", 4.0),
    ("Gardens", 3.0),
    ("Terrace", 2.0),
    ("Court", 2.0),
    ("Place", 2.0),
    ("Grove", 2.0),
    ("Walk", 1.0),
    ("Rise", 1.0),
    ("Mews", 1.0),
    ("View", 1.0),
)

POSTCODE_AREAS: tuple[tuple[str, str, int, float], ...] = (
    # (area, post town, districts used, weight ~ population in 100k)
    ("AB", "ABERDEEN", 16, 5.0),
    ("AL", "ST ALBANS", 10, 2.5),
    ("B", "BIRMINGHAM", 76, 18.0),
    ("BA", "BATH", 16, 3.5),
    ("BB", "BLACKBURN", 12, 4.5),
    ("BD", "BRADFORD", 24, 7.0),
    ("BH", "BOURNEMOUTH", 25, 6.0),
    ("BL", "BOLTON", 9, 4.0),
    ("BN", "BRIGHTON", 45, 9.0),
    ("BR", "BROMLEY", 8, 3.0),
    ("BS", "BRISTOL", 49, 11.0),
    ("CB", "CAMBRIDGE", 11, 4.0),
    ("CF", "CARDIFF", 48, 10.0),
    ("CH", "CHESTER", 66, 6.0),
    ("CM", "CHELMSFORD", 24, 7.5),
    ("CO", "COLCHESTER", 16, 4.5),
    ("CR", "CROYDON", 9, 4.0),
    ("CT", "CANTERBURY", 21, 5.0),
    ("CV", "COVENTRY", 37, 8.5),
    ("DA", "DARTFORD", 18, 4.0),
    ("DE", "DERBY", 75, 9.0),
    ("DH", "DURHAM", 9, 3.0),
    ("DN", "DONCASTER", 41, 8.0),
    ("DY", "DUDLEY", 14, 5.0),
    ("E", "LONDON", 18, 12.0),
    ("EH", "EDINBURGH", 55, 9.0),
    ("EN", "ENFIELD", 11, 3.5),
    ("EX", "EXETER", 39, 5.5),
    ("FY", "BLACKPOOL", 8, 3.0),
    ("G", "GLASGOW", 84, 12.0),
    ("GL", "GLOUCESTER", 56, 6.0),
    ("GU", "GUILDFORD", 52, 7.5),
    ("HA", "HARROW", 9, 4.0),
    ("HD", "HUDDERSFIELD", 9, 3.5),
    ("HP", "HEMEL HEMPSTEAD", 23, 4.0),
    ("HU", "HULL", 20, 5.5),
    ("HX", "HALIFAX", 7, 2.0),
    ("IG", "ILFORD", 11, 3.5),
    ("IP", "IPSWICH", 33, 6.0),
    ("KT", "KINGSTON UPON THAMES", 24, 5.0),
    ("L", "LIVERPOOL", 40, 10.0),
    ("LE", "LEICESTER", 67, 10.0),
    ("LN", "LINCOLN", 13, 3.0),
    ("LS", "LEEDS", 29, 9.0),
    ("LU", "LUTON", 7, 3.0),
    ("M", "MANCHESTER", 46, 13.0),
    ("ME", "ROCHESTER", 20, 6.0),
    ("MK", "MILTON KEYNES", 46, 5.5),
    ("N", "LONDON", 22, 10.0),
    ("NE", "NEWCASTLE UPON TYNE", 71, 12.0),
    ("NG", "NOTTINGHAM", 34, 11.0),
    ("NN", "NORTHAMPTON", 18, 5.5),
    ("NP", "NEWPORT", 26, 4.5),
    ("NR", "NORWICH", 35, 6.5),
    ("NW", "LONDON", 11, 6.0),
    ("OL", "OLDHAM", 16, 4.5),
    ("OX", "OXFORD", 29, 6.0),
    ("PE", "PETERBOROUGH", 38, 9.0),
    ("PL", "PLYMOUTH", 35, 5.5),
    ("PO", "PORTSMOUTH", 41, 8.0),
    ("PR", "PRESTON", 26, 5.5),
    ("RG", "READING", 45, 8.5),
    ("RM", "ROMFORD", 20, 5.0),
    ("S", "SHEFFIELD", 81, 12.0),
    ("SA", "SWANSEA", 73, 7.0),
    ("SE", "LONDON", 28, 14.0),
    ("SK", "STOCKPORT", 23, 6.0),
    ("SL", "SLOUGH", 9, 3.5),
    ("SM", "SUTTON", 7, 2.5),
    ("SN", "SWINDON", 26, 4.5),
    ("SO", "SOUTHAMPTON", 53, 7.5),
    ("SR", "SUNDERLAND", 9, 3.5),
    ("SS", "SOUTHEND-ON-SEA", 17, 4.5),
    ("ST", "STOKE-ON-TRENT", 21, 7.0),
    ("SW", "LONDON", 20, 13.0),
    ("TN", "TONBRIDGE", 40, 7.0),
    ("TS", "MIDDLESBROUGH", 29, 6.5),
    ("TW", "TWICKENHAM", 20, 5.0),
    ("UB", "SOUTHALL", 11, 3.5),
    ("W", "LONDON", 14, 8.0),
    ("WA", "WARRINGTON", 16, 6.0),
    ("WF", "WAKEFIELD", 17, 5.5),
    ("WN", "WIGAN", 8, 3.0),
    ("WR", "WORCESTER", 15, 4.0),
    ("WS", "WALSALL", 15, 5.0),
    ("WV", "WOLVERHAMPTON", 16, 5.0),
    ("YO", "YORK", 62, 5.0),
)

INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
"""The letters Royal Mail uses in an inward code's last two places."""

MOBILE_PREFIXES = tuple(str(p) for p in (*range(7400, 7600), *range(7701, 8000)) if p != 7911)
"""Four-digit UK mobile prefixes (after the trunk 0) that ``phonenumbers`` accepts as
allocated; 07700 (the drama range's block) and 07911 (partly unallocated) are left out."""

NETWORKS = (
    ("EE", 26.0),
    ("Vodafone", 18.0),
    ("O2", 22.0),
    ("Three", 12.0),
    ("Tesco Mobile", 6.0),
    ("giffgaff", 5.0),
    ("Sky Mobile", 3.0),
    ("Virgin Media", 3.0),
    ("Lebara", 2.0),
    ("Lycamobile", 2.0),
    ("iD Mobile", 1.0),
)

NATIONALITIES = (
    # (word for nominal records, ISO 3166 alpha-3 for travel documents, weight)
    ("British", "GBR", 86.0),
    ("Polish", "POL", 2.5),
    ("Romanian", "ROU", 2.0),
    ("Irish", "IRL", 1.2),
    ("Indian", "IND", 1.8),
    ("Pakistani", "PAK", 1.5),
    ("Nigerian", "NGA", 0.8),
    ("Albanian", "ALB", 0.6),
    ("Lithuanian", "LTU", 0.6),
    ("Italian", "ITA", 0.8),
    ("Portuguese", "PRT", 0.8),
    ("Chinese", "CHN", 0.6),
    ("Vietnamese", "VNM", 0.4),
    ("Bulgarian", "BGR", 0.4),
)

SIC_CODES = (
    ("56101", "Licensed restaurants"),
    ("56103", "Take-away food shops and mobile food stands"),
    ("96020", "Hairdressing and other beauty treatment"),
    ("45200", "Maintenance and repair of motor vehicles"),
    ("68209", "Other letting and operating of own or leased real estate"),
    ("70229", "Management consultancy activities other than financial management"),
    ("41202", "Construction of domestic buildings"),
    ("43390", "Other building completion and finishing"),
    (
        "47110",
        "Retail sale in non-specialised stores with food, beverages or tobacco predominating",
    ),
    ("62020", "Information technology consultancy activities"),
    ("82990", "Other business support service activities n.e.c."),
    ("99999", "Dormant Company"),
    ("96090", "Other service activities n.e.c."),
    ("55900", "Other accommodation"),
    ("49320", "Taxi operation"),
    ("81210", "General cleaning of buildings"),
    ("45111", "Sale of new cars and light motor vehicles"),
    ("49410", "Freight transport by road"),
    ("86900", "Other human health activities"),
    ("74909", "Other professional, scientific and technical activities n.e.c."),
)

COMPANY_WORDS = _words(
    """
    Acorn Apex Atlas Beacon Bluebell Bridge Castle Cedar Crown Crystal Delta Eagle Elite
    Empire Evergreen Falcon Fusion Galaxy Globe Golden Granite Harbour Horizon Imperial
    Infinity Kingfisher Lion Lotus Majestic Meridian Monarch Nova Oak Omega Orchid Orion
    Phoenix Pinnacle Premier Prime Quantum Regal Riverside Royal Sapphire Silver Sovereign
    Spectrum Sterling Summit Sunrise Titan Trinity Unity Vanguard Vertex Victory Zenith
    """
)

COMPANY_TRADES = (
    ("Hand Car Wash", "45200"),
    ("Nails & Beauty", "96020"),
    ("Pizza & Grill", "56103"),
    ("Lettings", "68209"),
    ("Property Services", "68209"),
    ("Consulting", "70229"),
    ("Building Services", "41202"),
    ("Plastering", "43390"),
    ("Convenience Store", "47110"),
    ("IT Solutions", "62020"),
    ("Business Services", "82990"),
    ("Holdings", "99999"),
    ("Cleaning Services", "81210"),
    ("Private Hire", "49320"),
    ("Motors", "45111"),
    ("Logistics", "49410"),
    ("Guest House", "55900"),
    ("Restaurant", "56101"),
    ("Care Services", "86900"),
    ("Trading", "96090"),
)

OCCUPATIONS = _words(
    """
    Director Company_Director Manager Builder Consultant Accountant Retailer Driver Mechanic
    Chef Electrician Plasterer Landlord Hairdresser Beautician Businessman Businesswoman
    Cleaner Engineer Carer
    """
)

AIRPORTS: tuple[tuple[str, str, bool], ...] = (
    # (IATA code, IANA zone, in the UK)
    ("LHR", "Europe/London", True),
    ("LGW", "Europe/London", True),
    ("MAN", "Europe/London", True),
    ("STN", "Europe/London", True),
    ("LTN", "Europe/London", True),
    ("BHX", "Europe/London", True),
    ("BRS", "Europe/London", True),
    ("EDI", "Europe/London", True),
    ("GLA", "Europe/London", True),
    ("NCL", "Europe/London", True),
    ("LPL", "Europe/London", True),
    ("EMA", "Europe/London", True),
    ("LBA", "Europe/London", True),
    ("DUB", "Europe/Dublin", False),
    ("AMS", "Europe/Amsterdam", False),
    ("CDG", "Europe/Paris", False),
    ("BCN", "Europe/Madrid", False),
    ("AGP", "Europe/Madrid", False),
    ("PMI", "Europe/Madrid", False),
    ("ALC", "Europe/Madrid", False),
    ("FAO", "Europe/Lisbon", False),
    ("FCO", "Europe/Rome", False),
    ("ATH", "Europe/Athens", False),
    ("IST", "Europe/Istanbul", False),
    ("WAW", "Europe/Warsaw", False),
    ("KRK", "Europe/Warsaw", False),
    ("OTP", "Europe/Bucharest", False),
    ("SOF", "Europe/Sofia", False),
    ("TIA", "Europe/Tirane", False),
    ("DXB", "Asia/Dubai", False),
    ("LOS", "Africa/Lagos", False),
    ("ISB", "Asia/Karachi", False),
    ("BOM", "Asia/Kolkata", False),
    ("JFK", "America/New_York", False),
)

CARRIERS = ("BA", "U2", "FR", "EI", "W6", "LS", "VS", "EK", "TK", "KL")

FORCES = (
    "Metropolitan Police Service",
    "West Midlands Police",
    "Greater Manchester Police",
    "West Yorkshire Police",
    "Merseyside Police",
    "Northumbria Police",
    "South Yorkshire Police",
    "Thames Valley Police",
    "Kent Police",
    "Avon and Somerset Constabulary",
    "Police Scotland",
    "South Wales Police",
    "National Crime Agency",
)

UNITS = (
    "Intelligence Unit",
    "Exploitation Team",
    "Missing Persons Unit",
    "Serious and Organised Crime Unit",
    "Neighbourhood Policing Team",
    "Child Protection Team",
    "Proactive CID",
)

WARNING_MARKERS = ("VI", "WE", "DR", "SH", "ES", "FI")
