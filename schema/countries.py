"""ISO 3166-1 country codes: alpha-2 to alpha-3, so that one country has one written form.

Flight data names countries in both forms: travel documents, PAXLST and PNRGOV SSR DOCS in
alpha-3 (ICAO Doc 9303), PNRGOV addresses and many CSV exports in alpha-2. Keys built on a
country (a ``TravelDocument`` is its issuing country and number) must not depend on which form a
source chose, so ``country_alpha3`` writes every code as alpha-3:

- an ISO 3166-1 alpha-2 code becomes its alpha-3 code ("GB" -> "GBR");
- "UK", which ISO reserves for the United Kingdom at its request and British sources write,
  becomes "GBR"; "D", Germany in a machine-readable zone (ICAO 9303), becomes "DEU";
- any three letters are kept as written: ICAO 9303 adds codes ISO does not assign ("GBD",
  "GBN", "GBO" for the British nationality categories, "UNO", "XXA" stateless, "RKS"), and a
  document's code is what its issuer printed;
- two letters ISO does not assign (user-assigned "XK", "ZZ") are kept as written: there is no
  alpha-3 to give them, and guessing one would join documents that may differ.

The table is a constant, not a library lookup, on purpose: entity ids depend on it, and they
must not change when a dependency is upgraded. It was generated from the Debian ``iso-codes``
package 4.15.0 (``iso_3166-1.json``, 249 codes); adding a code ISO assigns later is the only
expected change, and it changes no id already written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

_ISO_3166_1 = """
AD:AND AE:ARE AF:AFG AG:ATG AI:AIA AL:ALB AM:ARM AO:AGO AQ:ATA AR:ARG AS:ASM AT:AUT AU:AUS
AW:ABW AX:ALA AZ:AZE BA:BIH BB:BRB BD:BGD BE:BEL BF:BFA BG:BGR BH:BHR BI:BDI BJ:BEN BL:BLM
BM:BMU BN:BRN BO:BOL BQ:BES BR:BRA BS:BHS BT:BTN BV:BVT BW:BWA BY:BLR BZ:BLZ CA:CAN CC:CCK
CD:COD CF:CAF CG:COG CH:CHE CI:CIV CK:COK CL:CHL CM:CMR CN:CHN CO:COL CR:CRI CU:CUB CV:CPV
CW:CUW CX:CXR CY:CYP CZ:CZE DE:DEU DJ:DJI DK:DNK DM:DMA DO:DOM DZ:DZA EC:ECU EE:EST EG:EGY
EH:ESH ER:ERI ES:ESP ET:ETH FI:FIN FJ:FJI FK:FLK FM:FSM FO:FRO FR:FRA GA:GAB GB:GBR GD:GRD
GE:GEO GF:GUF GG:GGY GH:GHA GI:GIB GL:GRL GM:GMB GN:GIN GP:GLP GQ:GNQ GR:GRC GS:SGS GT:GTM
GU:GUM GW:GNB GY:GUY HK:HKG HM:HMD HN:HND HR:HRV HT:HTI HU:HUN ID:IDN IE:IRL IL:ISR IM:IMN
IN:IND IO:IOT IQ:IRQ IR:IRN IS:ISL IT:ITA JE:JEY JM:JAM JO:JOR JP:JPN KE:KEN KG:KGZ KH:KHM
KI:KIR KM:COM KN:KNA KP:PRK KR:KOR KW:KWT KY:CYM KZ:KAZ LA:LAO LB:LBN LC:LCA LI:LIE LK:LKA
LR:LBR LS:LSO LT:LTU LU:LUX LV:LVA LY:LBY MA:MAR MC:MCO MD:MDA ME:MNE MF:MAF MG:MDG MH:MHL
MK:MKD ML:MLI MM:MMR MN:MNG MO:MAC MP:MNP MQ:MTQ MR:MRT MS:MSR MT:MLT MU:MUS MV:MDV MW:MWI
MX:MEX MY:MYS MZ:MOZ NA:NAM NC:NCL NE:NER NF:NFK NG:NGA NI:NIC NL:NLD NO:NOR NP:NPL NR:NRU
NU:NIU NZ:NZL OM:OMN PA:PAN PE:PER PF:PYF PG:PNG PH:PHL PK:PAK PL:POL PM:SPM PN:PCN PR:PRI
PS:PSE PT:PRT PW:PLW PY:PRY QA:QAT RE:REU RO:ROU RS:SRB RU:RUS RW:RWA SA:SAU SB:SLB SC:SYC
SD:SDN SE:SWE SG:SGP SH:SHN SI:SVN SJ:SJM SK:SVK SL:SLE SM:SMR SN:SEN SO:SOM SR:SUR SS:SSD
ST:STP SV:SLV SX:SXM SY:SYR SZ:SWZ TC:TCA TD:TCD TF:ATF TG:TGO TH:THA TJ:TJK TK:TKL TL:TLS
TM:TKM TN:TUN TO:TON TR:TUR TT:TTO TV:TUV TW:TWN TZ:TZA UA:UKR UG:UGA UM:UMI US:USA UY:URY
UZ:UZB VA:VAT VC:VCT VE:VEN VG:VGB VI:VIR VN:VNM VU:VUT WF:WLF WS:WSM YE:YEM YT:MYT ZA:ZAF
ZM:ZMB ZW:ZWE
"""

ALPHA3_BY_ALPHA2: Final[Mapping[str, str]] = MappingProxyType(
    {pair[:2]: pair[3:] for pair in _ISO_3166_1.split()}
)
"""ISO 3166-1 alpha-2 -> alpha-3."""

_SPECIAL: Final = {"UK": "GBR", "D": "DEU"}


def country_alpha3(value: str) -> str:
    """A country code as ISO 3166-1 alpha-3 (see the module docstring); raises ``ValueError``
    for anything that is not one to three letters."""
    code = value.strip().upper()
    if not re.fullmatch(r"[A-Z]{1,3}", code) or (len(code) == 1 and code not in _SPECIAL):
        raise ValueError(f"{value!r} is not a country code (ISO 3166 alpha-3 or alpha-2)")
    return _SPECIAL.get(code) or ALPHA3_BY_ALPHA2.get(code) or code
