"""Word lists the extractor leans on: reporting verbs, titles, role words, pronouns.

Kept in one place so that tuning the extractor to a new kind of document is a matter of
adding words here rather than touching the scanning code.
"""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """A word list written as one whitespace-separated string, easy to edit."""
    return frozenset(text.split())


# Reporting verbs in every form the extractor accepts ("according to" is handled apart).
REPORTING_VERBS = words(
    """
    say says said saying add adds added adding point points pointed pointing state states stated
    stating boom booms boomed thunder thunders thundered mutter mutters muttered deadpanned
    rebut rebuts rebutted cry cries cried stress stresses
    stressed stressing note notes noted noting tell tells told telling warn warns warned warning
    underline underlines underlined underlining underscore underscores underscored underscoring
    emphasise emphasises emphasised emphasising emphasize emphasizes emphasized emphasizing
    explain explains explained explaining declare declares declared declaring announce announces
    announced announcing remark remarks remarked remarking comment comments commented commenting
    continue continues continued insist insists insisted insisting argue argues argued arguing
    claim claims claimed claiming assert asserts asserted asserting affirm affirms affirmed
    affirming reaffirm reaffirms reaffirmed reaffirming reiterate reiterates reiterated
    reiterating repeat repeats repeated repeating recall recalls recalled recalling observe
    observes observed observing acknowledge acknowledges acknowledged acknowledging admit admits
    admitted admitting concede concedes conceded conceding confirm confirms confirmed confirming
    deny denies denied denying respond responds responded responding reply replies replied
    replying answer answers answered answering ask asks asked asking write writes wrote writing
    written tweet tweets tweeted tweeting post posts posted urge urges urged urging predict
    predicts predicted predicting promise promises promised promising pledge pledges pledged
    pledging vow vows vowed vowing suggest suggests suggested suggesting describe describes
    described describing call calls called calling quip quips quipped joke jokes joked joking
    boast boasts boasted boasting complain complains complained complaining lament laments
    lamented lamenting highlight highlights highlighted highlighting accuse accuses accused
    accusing charge charges charged conclude concludes concluded concluding report reports
    reported reporting express expresses expressed expressing assure assures assured assuring
    mention mentions mentioned mentioning read reads shout shouts shouted shouting chant chants
    chanted wonder wonders wondered wondering testify testifies testified testifying inform
    informs informed informing proclaim proclaims proclaimed proclaiming allege alleges alleged
    caution cautions cautioned cautioning demand demands demanded demanding recount recounts
    recounted recounting exclaim exclaims exclaimed begin began went goes put criticise
    criticises criticised criticising criticize criticizes criticized criticizing blast blasts
    blasted blasting hail hails hailed hailing condemn condemns condemned condemning label
    labels labelled labeled labelling labeling brand brands branded branding dub dubs dubbed
    dubbing term terms termed terming cite cites cited citing praise praises praised praising
    slam slams slammed slamming decry decries decried decrying mock mocks mocked mocking sing
    sings sang singing type types typed believe believes believed think thinks thought hope
    hopes hoped welcome welcomes welcomed welcoming thank thanks thanked thanking appeal appeals
    appealed appealing address addresses addressed addressing echo echoes echoed echoing
    retort retorts retorted retorting counter counters countered countering snap snaps snapped
    yell yells yelled yelling scream screams screamed screaming interject interjects
    interjected opine opines opined muse muses mused musing maintain maintains maintained
    email emails emailed texted chime chimes chimed plead pleads pleaded scoff scoffs scoffed
    gush gushes gushed brag brags bragged bragging rant rants ranted vent vents vented crack
    cracks cracked tease teases teased sneer sneers sneered agree agrees agreed whisper
    whispers whispered shot fired lashed weighed fume fumes fumed press presses pressed
    retaliate retaliates retaliated beam beams beamed sigh sighs sighed laugh laughs laughed
    marvel marvels marveled marvelled gripe gripes griped grumble grumbles grumbled
    remember remembers remembered elaborate elaborates elaborated advise advises advised
    advising quote quotes quoted quoting
    """
)

# Forms that report speech only with a following particle or object ("went on", "put it").
WEAK_VERBS = words(
    """
    begin began went goes put believe believes believed think thinks thought hope hopes hoped
    welcome welcomes welcomed welcoming thank thanks thanked thanking appeal appeals appealed
    appealing address addresses addressed addressing read reads post posts posted charge charges
    charged continue continues describe describes described describing shot fired lashed
    weighed agree agrees agreed crack cracks cracked email emails emailed maintain maintains
    maintained press presses pressed laugh laughs laughed beam beams beamed point points
    pointed pointing boom booms boomed thunder thunders thundered cry cries cried
    """
)

# Verbs after which the speaker may follow ("...," said Col. Torres). Others take an object
# there ("told the Charlotte Observer").
INVERTIBLE_VERBS = words(
    """
    say says said add adds added explain explains explained note notes noted continue continues
    continued stress stresses stressed write writes wrote ask asks asked reply replies replied
    respond responds responded recall recalls recalled insist insists insisted warn warns warned
    declare declares declared remark remarks remarked observe observes observed conclude
    concludes concluded argue argues argued answer answers answered tweet tweets tweeted
    emphasise emphasises emphasised emphasize emphasizes emphasized underline underlines
    underlined state states stated comment comments commented announce announces announced
    acknowledge acknowledges acknowledged admit admits admitted quip quips quipped joke jokes
    joked exclaim exclaims exclaimed point points pointed claim claims claimed assert asserts
    asserted confirm confirms confirmed reiterate reiterates reiterated predict predicts
    predicted boast boasts boasted complain complains complained lament laments lamented recount
    recounts recounted report reports reported echoed retorted countered snapped yelled mused
    opined cracked whispered gushed scoffed interjected agrees agreed fumed pressed retaliated
    beamed sighed laughed marveled marvelled griped grumbled remembered elaborated advises
    advised
    """
)

PRONOUNS = frozenset(["he", "she", "they", "it", "i", "we", "you", "him", "her", "them"])
SUBJECT_PRONOUNS = frozenset(["he", "she", "they", "i", "we"])
RELATIVE_PRONOUNS = frozenset(["who", "which", "that"])

# Words that may stand between a subject and its verb ("he also said", "Trump has said").
ADVERBS_AUX = words(
    """
    also later then has had have was is were are will would could can may might must previously
    once again further repeatedly recently earlier similarly publicly reportedly subsequently
    always often already just still even simply quickly flatly bluntly privately openly clearly
    specifically separately personally additionally finally
    """
)

# Honorifics and ranks: part of how a person is named, never of the canonical name.
HONORIFICS = words(
    """
    mr mr. mrs mrs. ms ms. dr dr. sir dame madam prof prof. rev rev. hon. col col. gen gen. lt
    lt. brig brig. maj maj. capt capt. sgt sgt. cpl cpl. pvt pvt. spc spc. adm adm. cmdr cmdr.
    cdr cdr. lt.col lt.col. lt.gen lt.gen. maj.gen maj.gen. brig.gen brig.gen. lt.cmdr sen sen.
    rep rep. gov gov. pres pres. amb amb. staff sergeant major colonel lieutenant captain
    corporal private specialist admiral commander u.s. u.s u.k. army navy air force marine
    marines corps airman seaman petty officer warrant master second chief command comrade
    """
)

# Words that make up a role or an organisation rather than a person's name.
ROLE_WORDS = words(
    """
    lady society
    president presidents vice prime minister ministers secretary general secretaries head heads
    deputy chief chairman chairwoman chair chairperson director directors spokesman spokeswoman
    spokesperson spokespeople adviser advisor advisers advisors official officials ambassador
    ambassadors governor governors mayor senator senators congressman congresswoman
    representative representatives commander commanders commissioner commissioners officer
    officers leader leaders chancellor king queen prince princess pope patriarch archpriest
    metropolitan sheikh emir sultan minister-president premier foreign defence defense interior
    finance economy justice health education energy state states office council committee
    commission ministry department service services agency assembly parliament government
    administration cabinet staff board management bank fund federation republic union nations
    alliance forces force army navy command headquarters corporation company group institute
    university party campaign center centre house senate congress court presidential national
    international security joint combined operations regional provincial district nato isaf eu
    un osce otan ceo cfo coo founder co-founder member members candidate nominee press media
    news post times journal daily weekly network chairmen executive spokesmen aide aides envoy
    envoys attorney judge justice lawyer professor analyst researcher expert experts reporter
    correspondent editor anchor host pollster strategist manager governor-general high
    commission commissioner-general deputy-head first-deputy acting interim former late ex
    general-secretary under-secretary undersecretary assistant special senior junior top lead
    mission missions delegation representative-office programme program affairs reintegration
    territories temporarily occupied pastor rabbi sheriff archbishop bishop alderman
    alderwoman assemblyman assemblywoman councilman councilwoman actor actress comedian
    journalist columnist dj billionaire businessman businesswoman mogul singer rapper activist
    rival speaker
    """
)

# Party words before a politician's name ("Republican Donald Trump"): part of how the
# article describes the person, never of the name.
PARTY_WORDS = words("republican republicans democrat democrats democratic gop libertarian")

# Capitalised words that are never a name or a speaker on their own.
NON_NAME_WORDS = words(
    """
    dear tell every about some another presenting thanks please welcome congratulations hello good
    glory eternal happy all any each most other such ask let see look thank yes okay ok well oh
    sir madam ladies gentlemen friends colleagues both whether
    the a an this that these those there here it its in on at of for with by from to and but or
    as if when while after before during since because although though so yet not no he she they
    we i you his her their our my your who what which where why how mr mrs ms dr monday tuesday
    wednesday thursday friday saturday sunday january february march april may june july august
    september october november december today yesterday tomorrow according however meanwhile
    also moreover furthermore but then now still read more click photo video update breaking
    exclusive watch despite even unlike like including only
    """
)

# Heads of unnamed sources: "a spokesman", "officials", "a source close to ...".
UNNAMED_HEADS = words(
    """
    message messages telegram greeting greetings condolences
    spokesman spokeswoman spokesperson source sources official officials aide aides
    representative representatives diplomat diplomats officer officers soldier soldiers commando
    commandos resident residents witness witnesses analyst analysts expert experts statement
    statements letter report reports document documents memo release person people man woman men
    women member members insider insiders adviser advisers advisor advisors leader leaders
    observer observers critic critics supporter supporters voter voters commander commanders
    spokespeople staffer staffers employee employees worker workers police villager villagers
    elder elders farmer farmers survivor survivors victim victims organizer organizers organiser
    organisers protester protesters protestors team campaign someone somebody
    boy boys girl girls child children kid kids teenager teenagers student students mother
    father wife husband son daughter parent parents designer owner driver teacher nurse doctor
    veteran veterans delegate delegates attendee attendees fan fans retiree retirees neighbor
    neighbors neighbour neighbours friend friends colleague colleagues donor donors lawmaker
    lawmakers legislator legislators economist economists scholar scholars historian
    historians researcher researchers author authors writer writers
    ministry agency department government newspaper survey poll study
    """
)

# Nouns after which a quoted phrase is a name, not speech: the press marathon "30 questions
# to the President", a joint statement "On the Urgent Need ...".
CONTAINER_NOUNS = words(
    """
    marathon statement declaration communique communiqué project programme program initiative
    operation campaign slogan motto headline title book film movie show series article report
    document resolution law bill act agreement treaty plan strategy format forum conference
    summit festival exercise exercises drills platform hashtag banner event column podcast
    channel newspaper magazine portal website site app application song album play memorandum
    mission award prize concept doctrine package fund coalition movement network group
    organisation organization party brand label motto mantra
    """
)

DETERMINERS = frozenset(
    ["a", "an", "the", "another", "one", "two", "three", "several", "some", "many", "other", "both"]
)

# Lower-case words allowed inside a name or role phrase ("President of the European Council",
# "Charles de Gaulle").
CONNECTORS = words(
    """
    - –
    of the and for de du da van von der den bin al el la le di dos del
    """
)

# Lower-case words that can head or fill a role phrase ("the head of the President's Office",
# "the deputy provincial governor").
ROLE_NOUNS = words(
    """
    head deputy chief chairman chairwoman chair director spokesman spokeswoman spokesperson
    adviser advisor official ambassador governor mayor senator commander commissioner officer
    leader chancellor minister secretary president premier envoy aide representative attorney
    judge lawyer professor analyst expert editor host pollster strategist manager candidate
    nominee founder member executive assistant general provincial deputy-provincial presidential
    former acting interim senior top regional district national international foreign defence
    defense press media campaign office of the and
    """
)

# "the Head of State" and other ways of naming a role another way.
ROLE_SYNONYMS = {
    "head of state": "president",
    "head of the state": "president",
    "ukrainian president": "president ukraine",
    "russian president": "president russia",
    "russian leader": "president russia",
    "ukrainian leader": "president ukraine",
    "kremlin leader": "president russia",
    "nato chief": "nato secretary general",
    "alliance chief": "nato secretary general",
    "nato secretary-general": "nato secretary general",
    "secretary-general": "secretary general",
    "head of the alliance": "secretary general",
    "prime minister": "prime minister",
    "premier": "prime minister",
}
