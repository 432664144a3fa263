// The words of the "screen a list" pages, in French and English.
import type { ListColumn } from "../../services/screen/columns.ts";
import type { ScreeningStatus } from "../../services/screen/saved.ts";
import type { Strings } from "../i18n.ts";

export type Key =
  | "title"
  | "past"
  | "none"
  | "date"
  | "who"
  | "list"
  | "campaign"
  | "allowed"
  | "blocked"
  | "rejected"
  | "rows"
  | "status"
  | "upload"
  | "uploadFile"
  | "uploadHint"
  | "uploadSubmit"
  | "uploadEmpty"
  | "uploadTooLarge"
  | "uploadNoFile"
  | "uploadUnreadable"
  | "viewerCannot"
  | "notFound"
  | "notFoundText"
  | "mapTitle"
  | "mapIntro"
  | "sample"
  | "sampleCaption"
  | "columns"
  | "columnsLegend"
  | "noColumn"
  | "campaignLegend"
  | "storedCampaign"
  | "newCampaign"
  | "newCampaignLegend"
  | "controller"
  | "controllerHint"
  | "channel"
  | "sector"
  | "notStated"
  | "callerId"
  | "callerIdHint"
  | "dialer"
  | "habitualCaller"
  | "yes"
  | "no"
  | "offer"
  | "relatedToProfession"
  | "relatedToContract"
  | "analogousProducts"
  | "startsAt"
  | "senderIdentified"
  | "optOut"
  | "electronic"
  | "whenLegend"
  | "whenAt"
  | "whenWindow"
  | "at"
  | "from"
  | "to"
  | "parisTime"
  | "reportLang"
  | "start"
  | "errors"
  | "required"
  | "pointColumn"
  | "exactColumn"
  | "unknownColumn"
  | "twiceColumn"
  | "aliasColumn"
  | "ambiguousColumn"
  | "read.csv"
  | "read.sheet"
  | "from.bom"
  | "from.content"
  | "from.forced"
  | "valuesLegend"
  | "valuesIntro"
  | "set"
  | "setHint"
  | "mapValues"
  | "mapValuesHint"
  | "readings"
  | "readingsIntro"
  | "readingsNone"
  | "reading"
  | "encodingRead"
  | "encodingReadText"
  | "sheetRead"
  | "columnsRead"
  | "numbersCompleted"
  | "datesFrench"
  | "wordsSpelled"
  | "valuesMapped"
  | "valuesSet"
  | "needsReview"
  | "unknownCampaign"
  | "notMapping"
  | "waitingMap"
  | "goMap"
  | "queued"
  | "progressText"
  | "cancel"
  | "delete"
  | "deleteHint"
  | "results"
  | "in"
  | "reconcile"
  | "byRule"
  | "rule"
  | "byOrigin"
  | "origin"
  | "byChannel"
  | "count"
  | "report"
  | "reportFrame"
  | "downloads"
  | "operatorOnly"
  | "pack"
  | "failed"
  | "cancelled"
  | "back"
  | "evidenceUsed"
  | "lang.fr"
  | "lang.en"
  | `st.${ScreeningStatus}`
  | `col.${ListColumn}`;

export const T: Strings<Key> = {
  fr: {
    title: "Filtrer une liste",
    past: "Listes déjà filtrées",
    none: "Aucune liste n'a encore été filtrée.",
    date: "Date",
    who: "Par",
    list: "Liste",
    campaign: "Campagne",
    allowed: "Autorisées",
    blocked: "Bloquées",
    rejected: "Rejetées",
    rows: "Lignes",
    status: "État",
    upload: "Déposer une liste",
    uploadFile: "Fichier de contacts (CSV, Excel ou JSON Lines)",
    uploadHint:
      "CSV avec une ligne d'en-tête (tout séparateur ; UTF-8, UTF-16 ou Windows-1252, reconnu à ses octets), classeur Excel .xlsx (sa première feuille), ou un objet JSON par ligne. Les colonnes aux noms français (Téléphone, Date de collecte…) sont reconnues ; vous les vérifiez à l'étape suivante.",
    uploadSubmit: "Déposer et associer les colonnes",
    uploadEmpty: "Le fichier est vide.",
    uploadTooLarge: "Le fichier dépasse la taille permise.",
    uploadNoFile: "Choisissez un fichier.",
    uploadUnreadable: "Le fichier ne peut pas être lu :",
    viewerCannot:
      "Votre rôle (lecture) permet de consulter les filtrages ; un opérateur peut déposer une liste.",
    notFound: "Filtrage introuvable",
    notFoundText: "Aucun filtrage ne porte cet identifiant.",
    mapTitle: "Associer les colonnes et choisir la campagne",
    mapIntro:
      "Vérifiez quelle colonne du fichier correspond à chaque donnée lue par vigie, puis la campagne et la date.",
    sample: "Aperçu de la liste",
    sampleCaption: "Les premières lignes de la liste, telles que lues",
    columns: "Colonnes",
    columnsLegend: "Colonne du fichier pour chaque donnée lue par vigie",
    noColumn: "— aucune —",
    campaignLegend: "Campagne",
    storedCampaign: "Campagne enregistrée",
    newCampaign: "Nouvelle campagne (ci-dessous)",
    newCampaignLegend: "Nouvelle campagne",
    controller: "Responsable du traitement",
    controllerHint: "La personne morale pour le compte de laquelle on prospecte.",
    channel: "Canal",
    sector: "Secteur",
    notStated: "non précisé",
    callerId: "Numéro affiché",
    callerIdHint: "Appels et SMS : le numéro présenté, ou « masked ».",
    dialer: "Numérotation",
    habitualCaller: "La prospection téléphonique est une activité habituelle",
    yes: "oui",
    no: "non",
    offer: "L'offre",
    relatedToProfession: "est en rapport avec la profession du destinataire (B2B)",
    relatedToContract: "porte sur l'objet d'un contrat en cours avec la personne",
    analogousProducts: "porte sur des produits analogues à ceux déjà achetés",
    startsAt: "Début de la campagne",
    senderIdentified: "Le message identifie l'expéditeur",
    optOut: "Le message offre un moyen de s'opposer",
    electronic: "Canaux électroniques",
    whenLegend: "Quand",
    whenAt: "À un instant donné",
    whenWindow: "Dans une fenêtre (chaque contact autorisé reçoit son prochain créneau licite)",
    at: "Instant",
    from: "Début de la fenêtre",
    to: "Fin de la fenêtre",
    parisTime: "Heure de Paris.",
    reportLang: "Langue du rapport et des motifs",
    start: "Lancer le filtrage",
    errors: "Le formulaire contient des erreurs :",
    required: "obligatoire",
    pointColumn: "Choisissez la colonne qui contient les points de contact de la campagne.",
    exactColumn:
      "La liste a une colonne de ce nom : vigie la lit. Pour l'ignorer, renommez-la dans le fichier.",
    unknownColumn: "Cette colonne n'est pas dans la liste.",
    twiceColumn: "La liste a deux colonnes de ce nom : renommez ou supprimez l'une d'elles dans le fichier.",
    aliasColumn:
      "vigie lit cette donnée dans la colonne « {column} » de la liste : choisissez-la, ou renommez-la dans le fichier pour l'ignorer.",
    ambiguousColumn: "Plusieurs colonnes de la liste peuvent contenir cette donnée : choisissez laquelle.",
    "read.csv": "Fichier lu en {encoding} {from}.",
    "read.sheet": "Classeur Excel : feuille « {sheet} » (la première).",
    "from.bom": "(marque d'ordre des octets)",
    "from.content": "(reconnu à ses octets)",
    "from.forced": "(imposé)",
    valuesLegend: "Valeurs pour toute la liste",
    valuesIntro:
      "Ce que la liste ne dit pas elle-même, comme les options --set et --map-values de vigie screen. Une valeur qui ne peut pas être lue est refusée.",
    set: "Valeurs des cellules vides",
    setHint:
      "Une par ligne, COLONNE=VALEUR : la valeur de chaque ligne qui n'en donne pas (ex. collected_at=01/02/2025, origin=scraped_public).",
    mapValues: "Mots de la liste → valeurs de vigie",
    mapValuesHint:
      "Une colonne par ligne, COLONNE=MOT:VALEUR,MOT:VALEUR (ex. origin=LeBonCoin:scraped_public,Salon:direct). Aucun mot de la liste n'a de sens par lui-même : une ligne dont l'origine n'est pas traduite est rejetée.",
    readings: "Lectures de la liste",
    readingsIntro:
      "Ce que vigie a lu autrement qu'écrit ; chaque ligne concernée le dit dans sa colonne interpreted.",
    readingsNone: "Rien n'a été lu autrement qu'écrit.",
    reading: "Lecture",
    encodingRead: "Encodage lu",
    encodingReadText: "{encoding} {from} ; les fichiers produits sont en UTF-8",
    sheetRead: "Feuille lue",
    columnsRead: "Colonnes reconnues",
    numbersCompleted: "Numéros complétés par leur 0 initial (perdu par le tableur)",
    datesFrench: "Dates lues au format français JJ/MM/AAAA",
    wordsSpelled: "Mots du vocabulaire lus malgré leurs majuscules ou leurs espaces",
    valuesMapped: "Valeurs traduites des mots de la liste",
    valuesSet: "Cellules vides remplies par une valeur pour toute la liste",
    needsReview: "Mentions d'annonce non reconnues, lues comme un refus (lignes bloquées jusqu'à relecture)",
    unknownCampaign: "Cette campagne n'existe pas.",
    notMapping: "Ce filtrage a déjà été lancé.",
    waitingMap: "La liste attend qu'un opérateur associe ses colonnes et choisisse la campagne.",
    goMap: "Associer les colonnes",
    queued: "En attente de la fin d'un autre filtrage.",
    progressText: "{rows} lignes lues ({percent} %).",
    cancel: "Annuler le filtrage",
    delete: "Supprimer la liste et ses résultats",
    deleteHint:
      "La liste déposée contient des données personnelles : supprimez-la quand le filtrage ne sert plus. Le journal d'audit garde la trace du filtrage et de sa suppression, sans les données.",
    results: "Résultat",
    in: "Lignes lues",
    reconcile: "{in} lues = {allowed} autorisées + {blocked} bloquées + {rejected} rejetées.",
    byRule: "Lignes bloquées par règle (première règle à bloquer)",
    rule: "Règle",
    byOrigin: "Par origine des contacts",
    origin: "Origine",
    byChannel: "Par canal",
    count: "Lignes",
    report: "Rapport",
    reportFrame: "Rapport de filtrage",
    downloads: "Téléchargements",
    operatorOnly: "réservé aux opérateurs : données personnelles",
    pack: "Dossier de preuves",
    failed: "Le filtrage a échoué :",
    cancelled: "Le filtrage a été annulé ; rien n'a été produit.",
    back: "Tous les filtrages",
    evidenceUsed: "Preuves consultées : le registre du serveur, tel qu'il était au lancement.",
    "lang.fr": "français",
    "lang.en": "anglais",
    "st.mapping": "colonnes à associer",
    "st.running": "en cours",
    "st.done": "terminé",
    "st.failed": "échec",
    "st.cancelled": "annulé",
    "col.id": "identifiant de la ligne",
    "col.phone": "numéro de téléphone",
    "col.email": "adresse e-mail",
    "col.kind": "type de personne (consumer, professional, legal_entity)",
    "col.origin": "origine du contact (direct, partner, broker, scraped_public, directory)",
    "col.collected_at": "date de collecte",
    "col.source_url": "adresse de la source",
    "col.publisher_refused": "refus du démarchage par l'auteur (ex. « pas de démarchage »)",
    "col.relationship": "relation (active_contract, past_customer, account_only, prospect)",
    "col.department": "département",
    "col.time_zone": "fuseau horaire",
    "col.sender_named": "l'émetteur était nommé à la collecte (oui/non)",
    "col.opt_out_offered": "l'opposition était offerte à la collecte (oui/non)",
    "col.informed_at": "date de l'information (art. 14, source comprise)",
    "col.customer_since": "client depuis",
    "col.customer_until": "fin de la relation client (ou du contrat)",
    "col.last_inbound_at": "dernier contact venu de la personne",
    "col.obtained_at": "date d'obtention des données (partenaire, courtier)",
    "col.transfers": "nombre de transmissions (partenaire, courtier ; 1 : du collecteur)",
    "col.free_account_of_paid_model": "compte gratuit d'un modèle payant (account_only ; oui/non)",
  },
  en: {
    title: "Screen a list",
    past: "Lists screened",
    none: "No list has been screened yet.",
    date: "Date",
    who: "By",
    list: "List",
    campaign: "Campaign",
    allowed: "Allowed",
    blocked: "Blocked",
    rejected: "Rejected",
    rows: "Rows",
    status: "Status",
    upload: "Upload a list",
    uploadFile: "Contact file (CSV, Excel or JSON Lines)",
    uploadHint:
      "CSV with a header row (any delimiter; UTF-8, UTF-16 or Windows-1252, recognised from its bytes), an Excel .xlsx workbook (its first sheet), or one JSON object per line. Columns with French names (Téléphone, Date de collecte…) are recognised; you check them in the next step.",
    uploadSubmit: "Upload and map the columns",
    uploadEmpty: "The file is empty.",
    uploadTooLarge: "The file is larger than allowed.",
    uploadNoFile: "Choose a file.",
    uploadUnreadable: "The file cannot be read:",
    viewerCannot: "Your role (viewer) lets you read screenings; an operator can upload a list.",
    notFound: "No such screening",
    notFoundText: "No screening has this id.",
    mapTitle: "Map the columns and choose the campaign",
    mapIntro: "Check which column of the file holds each item vigie reads, then the campaign and the date.",
    sample: "Preview of the list",
    sampleCaption: "The list's first rows, as read",
    columns: "Columns",
    columnsLegend: "The file's column for each item vigie reads",
    noColumn: "— none —",
    campaignLegend: "Campaign",
    storedCampaign: "Stored campaign",
    newCampaign: "New campaign (below)",
    newCampaignLegend: "New campaign",
    controller: "Controller",
    controllerHint: "The legal entity on whose behalf contacts are made.",
    channel: "Channel",
    sector: "Sector",
    notStated: "not stated",
    callerId: "Caller ID",
    callerIdHint: "Calls and SMS: the number shown, or “masked”.",
    dialer: "Dialer",
    habitualCaller: "Phone prospecting is a habitual activity",
    yes: "yes",
    no: "no",
    offer: "The offer",
    relatedToProfession: "relates to the recipient's profession (B2B)",
    relatedToContract: "relates to the object of an ongoing contract with the person",
    analogousProducts: "is for products similar to those already bought",
    startsAt: "Campaign start",
    senderIdentified: "The message identifies the sender",
    optOut: "The message offers a way to object",
    electronic: "Electronic channels",
    whenLegend: "When",
    whenAt: "At one instant",
    whenWindow: "In a window (each allowed contact gets its next lawful slot)",
    at: "Instant",
    from: "Window start",
    to: "Window end",
    parisTime: "Paris time.",
    reportLang: "Language of the report and the reasons",
    start: "Start screening",
    errors: "The form has errors:",
    required: "required",
    pointColumn: "Choose the column that holds the campaign's contact points.",
    exactColumn: "The list has a column of this name: vigie reads it. To ignore it, rename it in the file.",
    unknownColumn: "This column is not in the list.",
    twiceColumn: "The list has two columns of this name: rename or remove one in the file.",
    aliasColumn:
      "vigie reads this item from the list's column “{column}”: choose it, or rename it in the file to ignore it.",
    ambiguousColumn: "Several columns of the list may hold this item: choose which.",
    "read.csv": "File read as {encoding} {from}.",
    "read.sheet": "Excel workbook: sheet “{sheet}” (the first).",
    "from.bom": "(byte-order mark)",
    "from.content": "(recognised from its bytes)",
    "from.forced": "(forced)",
    valuesLegend: "Values for the whole list",
    valuesIntro:
      "What the list does not say itself, as vigie screen's --set and --map-values options say it. A value that cannot be read is refused.",
    set: "Values of empty cells",
    setHint:
      "One a line, COLUMN=VALUE: the value of every row that gives none (e.g. collected_at=01/02/2025, origin=scraped_public).",
    mapValues: "The list's words → vigie's values",
    mapValuesHint:
      "One column a line, COLUMN=WORD:VALUE,WORD:VALUE (e.g. origin=LeBonCoin:scraped_public,Salon:direct). No word of a list means anything by itself: a row whose origin is not translated is rejected.",
    readings: "How the list was read",
    readingsIntro:
      "What vigie read otherwise than written; each row concerned says so in its interpreted column.",
    readingsNone: "Nothing was read otherwise than written.",
    reading: "Reading",
    encodingRead: "Encoding read",
    encodingReadText: "{encoding} {from}; the files written are UTF-8",
    sheetRead: "Sheet read",
    columnsRead: "Columns recognised",
    numbersCompleted: "Numbers completed with their leading 0 (lost by the spreadsheet)",
    datesFrench: "Dates read in the French day-first form DD/MM/YYYY",
    wordsSpelled: "Words of the vocabulary read despite their capitals or spaces",
    valuesMapped: "Values translated from the list's words",
    valuesSet: "Empty cells filled with a value for the whole list",
    needsReview: "Ad wordings not understood, read as a refusal (rows blocked until reviewed)",
    unknownCampaign: "This campaign does not exist.",
    notMapping: "This screening has been started already.",
    waitingMap: "The list waits for an operator to map its columns and choose the campaign.",
    goMap: "Map the columns",
    queued: "Waiting for another screening to finish.",
    progressText: "{rows} rows read ({percent} %).",
    cancel: "Cancel the screening",
    delete: "Delete the list and its results",
    deleteHint:
      "The uploaded list holds personal data: delete it once the screening is of no more use. The audit trail keeps the screening and its deletion, without the data.",
    results: "Result",
    in: "Rows read",
    reconcile: "{in} read = {allowed} allowed + {blocked} blocked + {rejected} rejected.",
    byRule: "Rows blocked by rule (first rule to block)",
    rule: "Rule",
    byOrigin: "By origin of the contacts",
    origin: "Origin",
    byChannel: "By channel",
    count: "Rows",
    report: "Report",
    reportFrame: "Screening report",
    downloads: "Downloads",
    operatorOnly: "operators only: personal data",
    pack: "Evidence pack",
    failed: "The screening failed:",
    cancelled: "The screening was cancelled; nothing was produced.",
    back: "All screenings",
    evidenceUsed: "Evidence consulted: the server's store, as it was when the screening started.",
    "lang.fr": "French",
    "lang.en": "English",
    "st.mapping": "columns to map",
    "st.running": "running",
    "st.done": "done",
    "st.failed": "failed",
    "st.cancelled": "cancelled",
    "col.id": "row id",
    "col.phone": "phone number",
    "col.email": "e-mail address",
    "col.kind": "kind of person (consumer, professional, legal_entity)",
    "col.origin": "origin of the contact (direct, partner, broker, scraped_public, directory)",
    "col.collected_at": "date collected",
    "col.source_url": "source address",
    "col.publisher_refused": "the author refused canvassing (e.g. “pas de démarchage”)",
    "col.relationship": "relationship (active_contract, past_customer, account_only, prospect)",
    "col.department": "department",
    "col.time_zone": "time zone",
    "col.sender_named": "the sender was named when the data was collected (yes/no)",
    "col.opt_out_offered": "objection was offered at collection (yes/no)",
    "col.informed_at": "date of the art. 14 notice (source included)",
    "col.customer_since": "customer since",
    "col.customer_until": "end of the customer relationship (or contract)",
    "col.last_inbound_at": "the person's last own contact",
    "col.obtained_at": "date the data was obtained (partner, broker)",
    "col.transfers": "times passed on (partner, broker; 1: from the collector)",
    "col.free_account_of_paid_model": "free account of a paid model (account_only; yes/no)",
  },
};

/** A string of these with its `{name}`s filled in. */
export const fill = (template: string, values: Readonly<Record<string, string>>): string =>
  template.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? "");
