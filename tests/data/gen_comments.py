"""Writes tests/data/comments.jsonl: IT-support comments written for npsbot, labelled by theme.

Deterministic (seed 14). Each comment joins an opening, a theme sentence in one of four
languages and sometimes a closing; some get typos (a dropped or doubled letter, lower case,
no accents), so the theme finder meets the mess real comments are. Run it again only to change
the set: the committed file is what the tests and bench/themes.py measure.
"""

from __future__ import annotations

import json
import random
import unicodedata
from pathlib import Path

OUT = Path(__file__).with_name("comments.jsonl")
THINGS = {
    "en": [
        "my laptop",
        "the VPN",
        "my password reset",
        "the printer",
        "Outlook",
        "my new phone",
        "the Wi-Fi",
        "my access request",
        "Teams",
        "the docking station",
    ],
    "fr": [
        "mon portable",
        "le VPN",
        "la réinitialisation du mot de passe",
        "l'imprimante",
        "Outlook",
        "mon nouveau téléphone",
        "le wifi",
        "ma demande d'accès",
        "Teams",
    ],
    "de": [
        "mein Laptop",
        "das VPN",
        "das Passwort-Reset",
        "der Drucker",
        "Outlook",
        "mein neues Handy",
        "das WLAN",
        "mein Zugriffsantrag",
        "Teams",
    ],
    "es": [
        "mi portátil",
        "la VPN",
        "el cambio de contraseña",
        "la impresora",
        "Outlook",
        "mi móvil nuevo",
        "el wifi",
        "mi solicitud de acceso",
        "Teams",
    ],
}
THEMES: dict[str, dict[str, list[str]]] = {
    "waiting": {
        "en": [
            "I waited {n} days for anyone to look at {t}",
            "it took forever, {n} days of waiting",
            "way too slow, waited {n} days for {t}",
            "the wait was far too long for {t}",
            "nobody picked it up for {n} days, I was waiting and waiting",
        ],
        "fr": [
            "j'ai attendu {n} jours pour {t}",
            "beaucoup trop long, {n} jours d'attente",
            "l'attente était interminable pour {t}",
            "trop lent, j'ai attendu {n} jours",
        ],
        "de": [
            "ich habe {n} Tage auf {t} gewartet",
            "viel zu lange Wartezeit, {n} Tage",
            "es hat ewig gedauert, {n} Tage warten",
            "zu langsam, ich musste {n} Tage warten",
        ],
        "es": [
            "esperé {n} días por {t}",
            "demasiado lento, {n} días de espera",
            "la espera fue eterna para {t}",
            "tardaron {n} días, tuve que esperar mucho",
        ],
    },
    "not_informed": {
        "en": [
            "nobody told me what was happening with {t}",
            "no updates at all, I had to chase",
            "I was never kept informed about {t}",
            "zero communication, no news for days",
            "no one let me know the status of {t}",
        ],
        "fr": [
            "personne ne m'a informé de l'avancement",
            "aucune nouvelle pendant des jours",
            "on ne m'a jamais tenu au courant pour {t}",
            "aucune communication, aucun suivi",
        ],
        "de": [
            "niemand hat mich über {t} informiert",
            "keine Rückmeldung, keine Updates",
            "ich wurde nie auf dem Laufenden gehalten",
            "null Kommunikation über den Status",
        ],
        "es": [
            "nadie me informó del estado de {t}",
            "ninguna actualización en días",
            "nunca me mantuvieron informado sobre {t}",
            "cero comunicación, ninguna noticia",
        ],
    },
    "not_fixed": {
        "en": [
            "the ticket was closed but {t} still does not work",
            "not fixed, same problem again",
            "the fix did not work, {t} broke again the next day",
            "closed without solving it",
            "{t} is still broken after the so-called fix",
        ],
        "fr": [
            "le ticket est fermé mais {t} ne marche toujours pas",
            "pas réparé, même problème",
            "la solution n'a pas fonctionné, {t} est encore en panne",
            "fermé sans solution",
        ],
        "de": [
            "das Ticket ist zu, aber {t} geht immer noch nicht",
            "nicht behoben, gleicher Fehler",
            "die Lösung hat nicht funktioniert, {t} ist wieder kaputt",
            "geschlossen ohne Lösung",
        ],
        "es": [
            "cerraron el ticket pero {t} sigue sin funcionar",
            "no está arreglado, mismo problema",
            "la solución no funcionó, {t} volvió a fallar",
            "cerrado sin resolver nada",
        ],
    },
    "rude": {
        "en": [
            "the technician was rude and condescending",
            "very impolite, made me feel stupid",
            "unfriendly agent, rude on the phone about {t}",
            "disrespectful and arrogant attitude",
            "he was rude and dismissive",
        ],
        "fr": [
            "le technicien était impoli et méprisant",
            "très désagréable, arrogant au téléphone",
            "agent grossier, il m'a pris de haut",
            "attitude irrespectueuse et impolie",
        ],
        "de": [
            "der Techniker war unhöflich und herablassend",
            "sehr unfreundlich und arrogant",
            "unhöflicher Mitarbeiter am Telefon",
            "respektlos und unfreundlich behandelt",
        ],
        "es": [
            "el técnico fue grosero y prepotente",
            "muy maleducado, me hizo sentir tonto",
            "agente antipático y grosero al teléfono",
            "actitud irrespetuosa y arrogante",
        ],
    },
    "great_fast": {
        "en": [
            "super fast, {t} fixed in minutes, great job",
            "quick and efficient, thanks a lot",
            "amazing service, solved {t} really fast",
            "great and fast, thank you so much",
            "brilliant, sorted out {t} within the hour",
        ],
        "fr": [
            "super rapide, {t} réparé en quelques minutes, merci",
            "rapide et efficace, bravo",
            "service excellent, résolu très vite",
            "génial et rapide, merci beaucoup",
        ],
        "de": [
            "super schnell, {t} in Minuten repariert, danke",
            "schnell und effizient, top",
            "toller Service, sehr schnell gelöst",
            "großartig und schnell, vielen Dank",
        ],
        "es": [
            "súper rápido, arreglaron {t} en minutos, gracias",
            "rápido y eficaz, genial",
            "servicio excelente, resuelto muy rápido",
            "genial y rápido, muchas gracias",
        ],
    },
    "repeat": {
        "en": [
            "I had to explain the problem with {t} again and again",
            "had to repeat myself to every agent",
            "every time I called I had to start over",
            "I explained {t} three times to three people",
            "they kept asking the same questions",
        ],
        "fr": [
            "j'ai dû répéter mon problème à chaque fois",
            "j'ai réexpliqué {t} trois fois",
            "il fallait tout recommencer à chaque appel",
            "on me posait sans cesse les mêmes questions",
        ],
        "de": [
            "ich musste das Problem mit {t} immer wieder erklären",
            "musste mich ständig wiederholen",
            "bei jedem Anruf wieder von vorne erklären",
            "dreimal dieselben Fragen beantwortet",
        ],
        "es": [
            "tuve que explicar el problema de {t} una y otra vez",
            "tuve que repetirme con cada agente",
            "en cada llamada empezar de cero otra vez",
            "me hacían las mismas preguntas una y otra vez",
        ],
    },
    "passed_around": {
        "en": [
            "I was passed around between teams for {t}",
            "transferred from one team to another",
            "bounced between the service desk and the network team",
            "kept being passed around, nobody owned {t}",
            "reassigned five times to other groups",
        ],
        "fr": [
            "on m'a baladé d'une équipe à l'autre pour {t}",
            "transféré d'un service à l'autre",
            "renvoyé entre le support et l'équipe réseau",
            "réaffecté cinq fois, personne ne s'en occupe",
        ],
        "de": [
            "ich wurde zwischen den Teams hin und her geschickt",
            "von einer Abteilung zur nächsten weitergeleitet",
            "zwischen Service Desk und Netzwerkteam weitergereicht",
            "fünfmal einer anderen Gruppe zugewiesen",
        ],
        "es": [
            "me pasaron de un equipo a otro por {t}",
            "transferido de un departamento a otro",
            "rebotando entre soporte y el equipo de redes",
            "reasignado cinco veces a otros grupos",
        ],
    },
    "knowledgeable": {
        "en": [
            "the agent really knew {t} inside out",
            "very knowledgeable, explained everything",
            "clearly an expert, understood the problem at once",
            "competent and knew exactly what to do",
            "she knew her stuff and taught me a trick for {t}",
        ],
        "fr": [
            "le technicien connaissait {t} sur le bout des doigts",
            "très compétent, il a tout expliqué",
            "un vrai expert, il a compris le problème tout de suite",
            "compétent, savait exactement quoi faire",
        ],
        "de": [
            "der Techniker kannte sich mit {t} bestens aus",
            "sehr kompetent, hat alles erklärt",
            "ein echter Experte, verstand das Problem sofort",
            "kompetent und wusste genau, was zu tun ist",
        ],
        "es": [
            "el técnico conocía {t} a la perfección",
            "muy competente, lo explicó todo",
            "un verdadero experto, entendió el problema enseguida",
            "competente, sabía exactamente qué hacer",
        ],
    },
}
OPENINGS = {
    "en": ["", "", "Honestly, ", "Well, ", "Ticket INC{k}: "],
    "fr": ["", "", "Franchement, ", "Bon, ", "Ticket INC{k} : "],
    "de": ["", "", "Ehrlich gesagt: ", "Also, ", "Ticket INC{k}: "],
    "es": ["", "", "Sinceramente, ", "Bueno, ", "Ticket INC{k}: "],
}
CLOSINGS = {
    "en": ["", "", ".", "!", "..", " :(", " :)"],
    "fr": ["", ".", "!", "..."],
    "de": ["", ".", "!", "..."],
    "es": ["", ".", "!", "..."],
}
LANGS = ("en", "en", "fr", "de", "es")  # English is the most common, as in most IT desks


def _typo(text: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.15:
        i = rng.randrange(1, len(text) - 1)
        return text[:i] + text[i + 1 :]  # a dropped letter
    if roll < 0.25:
        i = rng.randrange(1, len(text) - 1)
        return text[:i] + text[i] + text[i:]  # a doubled letter
    if roll < 0.35:
        return "".join(
            c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
        )
    if roll < 0.45:
        return text.lower()
    return text


def generate(per_theme: int = 45, seed: int = 14) -> list[dict[str, str]]:
    rng = random.Random(seed)
    rows = []
    for theme, by_lang in THEMES.items():
        for _ in range(per_theme):
            lang = rng.choice(LANGS)
            body = rng.choice(by_lang[lang]).format(
                n=rng.randint(2, 12), t=rng.choice(THINGS[lang])
            )
            opening = rng.choice(OPENINGS[lang]).format(k=rng.randint(10000, 99999))
            text = opening + body
            text = _typo(text[0].upper() + text[1:] + rng.choice(CLOSINGS[lang]), rng)
            rows.append({"text": text, "theme": theme, "lang": lang})
    rng.shuffle(rows)
    return rows


if __name__ == "__main__":
    rows = generate()
    seen: set[str] = set()
    unique = [r for r in rows if not (r["text"] in seen or seen.add(r["text"]))]  # type: ignore[func-returns-value]
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in unique))
    print(f"{len(unique)} comments -> {OUT}")  # noqa: T201 - a script's one line of output
