// The words of the "people" pages, in French and English.
import type { EventData } from "../../evidence/events.ts";
import type { Strings } from "../i18n.ts";

type Key =
  | "title"
  | "search"
  | "point"
  | "pointHint"
  | "find"
  | "invalid"
  | "normalized"
  | "type"
  | "phone"
  | "email"
  | "key"
  | "state"
  | "active"
  | "erasedOn"
  | "nothingHeld"
  | "timeline"
  | "timelineHint"
  | "when"
  | "what"
  | "details"
  | "controller"
  | "everyController"
  | "recordedBy"
  | "seq"
  | "source"
  | "origin"
  | "collected"
  | "url"
  | "kind"
  | "relationship"
  | "method"
  | "scope"
  | "proofHeld"
  | "proofMissing"
  | "channel"
  | "via"
  | "outcome"
  | "registered"
  | "notRegistered"
  | "effective"
  | "reason"
  | "action"
  | "target"
  | "decision"
  | "decisionHint"
  | "campaign"
  | "noCampaigns"
  | "at"
  | "atHint"
  | "decide"
  | "badAt"
  | "noSuchCampaign"
  | "badCampaign"
  | "verdict"
  | "allow"
  | "block"
  | "rule"
  | "effect"
  | "article"
  | "message"
  | "contested"
  | "obligations"
  | "none"
  | "nextAllowedAt"
  | "decidedAt"
  | "rulebook"
  | "exports"
  | "exportJson"
  | "exportText"
  | "pack"
  | "packHint"
  | "packDownload"
  | "packWithDecision"
  | "erase"
  | "eraseLink"
  | "eraseTitle"
  | "eraseWhat1"
  | "eraseWhat2"
  | "eraseWhat3"
  | "eraseWhat4"
  | "eraseConfirm"
  | "eraseConfirmHint"
  | "eraseButton"
  | "eraseMismatch"
  | "erasedNow"
  | "erasedAgain"
  | "back"
  | "cancel";

export const T: Strings<Key> = {
  fr: {
    title: "Chercher une personne",
    search: "Recherche",
    point: "Téléphone ou adresse e-mail",
    pointHint: "Par exemple 06 12 34 56 78, +33 6 12 34 56 78 ou nom@exemple.fr",
    find: "Chercher",
    invalid: "Valeur non reconnue :",
    normalized: "Point de contact (normalisé)",
    type: "Type",
    phone: "téléphone",
    email: "e-mail",
    key: "Clé (pseudonyme)",
    state: "État",
    active: "données détenues",
    erasedOn: "effacé le",
    nothingHeld: "Rien n'est détenu sur ce point de contact.",
    timeline: "Historique des preuves",
    timelineHint: "Par date, la plus ancienne d'abord.",
    when: "Date",
    what: "Quoi",
    details: "Détails",
    controller: "Responsable",
    everyController: "tous les responsables",
    recordedBy: "Enregistré par",
    seq: "N°",
    source: "Source",
    origin: "origine",
    collected: "collecté le",
    url: "URL",
    kind: "personne",
    relationship: "relation",
    method: "méthode",
    scope: "portée",
    proofHeld: "preuve détenue",
    proofMissing: "preuve manquante",
    channel: "canal",
    via: "par",
    outcome: "issue",
    registered: "inscrit sur Bloctel",
    notRegistered: "non inscrit",
    effective: "effectif le",
    reason: "motif",
    action: "action",
    target: "objet",
    decision: "Décision pour une campagne",
    decisionHint: "Calculée à partir des preuves détenues à l'instant choisi, comme POST /v1/check.",
    campaign: "Campagne",
    noCampaigns:
      "Aucune campagne enregistrée. Un opérateur en crée une en filtrant une liste (« Filtrer une liste »), ou avec l'API : POST /v1/campaigns (voir /docs).",
    at: "Instant du contact prévu (heure de Paris)",
    atHint: "Vide : maintenant.",
    decide: "Décider",
    badAt:
      "Instant non reconnu ou hors de la période couverte (2016-01-01 à 2034-12-31) ; l'heure sautée au passage à l'heure d'été (de 02:00 à 03:00) n'existe pas.",
    noSuchCampaign: "Cette campagne n'existe pas.",
    badCampaign: "Campagne enregistrée invalide :",
    verdict: "Verdict",
    allow: "Autorisé",
    block: "Bloqué",
    rule: "Règle",
    effect: "Effet",
    article: "Article",
    message: "Motif",
    contested: "contesté",
    obligations: "Obligations",
    none: "aucune",
    nextAllowedAt: "Prochain instant permis",
    decidedAt: "Décidé pour le",
    rulebook: "Référentiel",
    exports: "Exporter (droit d'accès)",
    exportJson: "Télécharger en JSON",
    exportText: "Télécharger en texte",
    pack: "Dossier de preuves",
    packHint:
      "Un zip (pack.json et pack.html) à remettre à la CNIL ou à la DGCCRF : preuves, empreintes des événements, tête de la chaîne.",
    packDownload: "Télécharger le dossier",
    packWithDecision: "Télécharger le dossier avec cette décision",
    erase: "Effacer",
    eraseLink: "Effacer les données de cette personne…",
    eraseTitle: "Effacer une personne",
    eraseWhat1:
      "Les données personnelles de ce point de contact seront supprimées : sa valeur, les URL de source, les adresses IP et navigateurs des consentements.",
    eraseWhat2:
      "Une suppression par clé est conservée : la personne est traitée comme opposée à tout démarchage, et une importation ultérieure du même numéro ou de la même adresse sera refusée.",
    eraseWhat3:
      "Les événements restent, sous forme pseudonyme, pour montrer que les droits ont été respectés.",
    eraseWhat4: "C'est irréversible.",
    eraseConfirm: "Pour confirmer, saisissez à nouveau le point de contact",
    eraseConfirmHint: "Le même numéro ou la même adresse, sous n'importe quelle forme.",
    eraseButton: "Effacer définitivement",
    eraseMismatch: "Ce n'est pas le même point de contact : rien n'a été effacé.",
    erasedNow: "Effacé : les données personnelles sont supprimées, la suppression par clé est conservée.",
    erasedAgain: "Déjà effacé auparavant ; l'effacement est enregistré de nouveau.",
    back: "Retour à la fiche",
    cancel: "Annuler",
  },
  en: {
    title: "Look a person up",
    search: "Search",
    point: "Phone number or e-mail address",
    pointHint: "For instance 06 12 34 56 78, +33 6 12 34 56 78 or name@example.fr",
    find: "Look up",
    invalid: "Not recognised:",
    normalized: "Contact point (normalized)",
    type: "Type",
    phone: "phone",
    email: "e-mail",
    key: "Key (pseudonym)",
    state: "State",
    active: "data held",
    erasedOn: "erased on",
    nothingHeld: "Nothing is held about this contact point.",
    timeline: "Evidence timeline",
    timelineHint: "By date, oldest first.",
    when: "Date",
    what: "What",
    details: "Details",
    controller: "Controller",
    everyController: "every controller",
    recordedBy: "Recorded by",
    seq: "No.",
    source: "Source",
    origin: "origin",
    collected: "collected",
    url: "URL",
    kind: "kind",
    relationship: "relationship",
    method: "method",
    scope: "scope",
    proofHeld: "proof held",
    proofMissing: "proof missing",
    channel: "channel",
    via: "via",
    outcome: "outcome",
    registered: "registered with Bloctel",
    notRegistered: "not registered",
    effective: "effective",
    reason: "reason",
    action: "action",
    target: "target",
    decision: "Decision for a campaign",
    decisionHint: "Computed from the evidence held as of the chosen instant, as POST /v1/check does.",
    campaign: "Campaign",
    noCampaigns:
      "No stored campaign. An operator creates one when screening a list (“Screen a list”), or with the API: POST /v1/campaigns (see /docs).",
    at: "Instant of the planned contact (Paris time)",
    atHint: "Empty: now.",
    decide: "Decide",
    badAt:
      "Instant not recognised or outside the period covered (2016-01-01 to 2034-12-31); the hour clocks skip when they go forward (02:00 to 03:00) does not exist.",
    noSuchCampaign: "No such campaign.",
    badCampaign: "Invalid stored campaign:",
    verdict: "Verdict",
    allow: "Allowed",
    block: "Blocked",
    rule: "Rule",
    effect: "Effect",
    article: "Article",
    message: "Reason",
    contested: "contested",
    obligations: "Obligations",
    none: "none",
    nextAllowedAt: "Next allowed instant",
    decidedAt: "Decided for",
    rulebook: "Rulebook",
    exports: "Export (right of access)",
    exportJson: "Download as JSON",
    exportText: "Download as text",
    pack: "Evidence pack",
    packHint:
      "A zip (pack.json and pack.html) to hand the CNIL or the DGCCRF: the evidence, the events' hashes, the chain head.",
    packDownload: "Download the pack",
    packWithDecision: "Download the pack with this decision",
    erase: "Erase",
    eraseLink: "Erase this person's data…",
    eraseTitle: "Erase a person",
    eraseWhat1:
      "This contact point's personal data will be deleted: its value, source URLs, the IP addresses and browsers of its consents.",
    eraseWhat2:
      "A keyed suppression is kept: the person counts as objecting to all prospecting, and a later import of the same number or address is refused.",
    eraseWhat3: "The events stay, pseudonymous, to show the person's rights were honoured.",
    eraseWhat4: "This cannot be undone.",
    eraseConfirm: "To confirm, type the contact point again",
    eraseConfirmHint: "The same number or address, written any way.",
    eraseButton: "Erase for good",
    eraseMismatch: "That is not the same contact point: nothing was erased.",
    erasedNow: "Erased: the personal data is deleted, the keyed suppression is kept.",
    erasedAgain: "Already erased before; the erasure is recorded again.",
    back: "Back to the person",
    cancel: "Cancel",
  },
};

export const EVENT_NAMES: Strings<EventData["type"] | "registry.check"> = {
  fr: {
    "source.recorded": "Source",
    "consent.given": "Consentement",
    "consent.withdrawn": "Retrait du consentement",
    "objection.recorded": "Opposition",
    "contact.made": "Contact effectué",
    "callback.requested": "Rappel demandé",
    "notice.sent": "Information envoyée (art. 14)",
    "registry.snapshot": "Liste Bloctel importée",
    "registry.check": "Vérification Bloctel",
    "subject.erased": "Effacement",
    "subject.linked": "Lié à un autre point de la personne",
    "activity.recorded": "Activité",
  },
  en: {
    "source.recorded": "Source",
    "consent.given": "Consent",
    "consent.withdrawn": "Consent withdrawn",
    "objection.recorded": "Objection",
    "contact.made": "Contact made",
    "callback.requested": "Callback requested",
    "notice.sent": "Notice sent (art. 14)",
    "registry.snapshot": "Bloctel list imported",
    "registry.check": "Bloctel check",
    "subject.erased": "Erasure",
    "subject.linked": "Linked to another point of the person",
    "activity.recorded": "Activity",
  },
};
