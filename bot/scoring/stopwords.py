"""Function words of the languages the survey is offered in (en, fr, de, es), accents stripped.

Comments are short: without these, "I", "le", "der", "el" would weigh as much as the words that
say what went wrong, and the themes would split by language and grammar instead of by topic.
Fillers that open a comment in any of them ("honestly", "franchement", "ehrlich gesagt") and
the ticket reference go too: they say nothing about the service.
"""

from __future__ import annotations

_LISTED = """
    a an the and or but of to in on at for with from by is was were be been being it its this
    that these those i me my mine we our us you your he him his she her they them their had has
    have do did does done not no so very all as if just about again got get there here what
    when who which would could should can will one also too only then than up out into over
    le la les un une des du de d l et ou mais au aux en dans pour par sur avec est etait ete
    il elle on je j m me moi mon ma mes nous vous ils elles ce cet cette ces qui que qu ne pas
    plus tres tout tous toute ai avait fait n s y se sa son ses leur
    der die das den dem des ein eine einen einem einer eines und oder aber zu zum zur im in an
    am auf fur mit von vom bei ist war waren sind wurde wurden es ich mich mir mein meine meinen
    wir uns sie er ihr nicht kein keine keinen so sehr hat habe hatte hatten auch noch nur dass
    el la los las un una unos unas y o pero del al en por para con es era fue esta estaba me
    mi mis yo nos le les lo se su sus que no muy todo toda ya
    ticket tickets inc ok okay hi hello well honestly frankly really actually
    bon bref alors franchement bonjour ehrlich gesagt naja halt hallo bueno pues vale sinceramente
    hola
    """
STOP_WORDS = frozenset(_LISTED.split())
