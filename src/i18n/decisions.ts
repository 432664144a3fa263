// What a rule found, as a code and its arguments, rendered in French or English from one catalogue:
// a rule returns `{ code, args }`, and the words are made only where a reason is shown (the
// decision's `message` is rendered on first read: the API's JSON, the CLI, the screening report,
// the dashboard). Every text is the message decisions have always carried, byte for byte
// (docs/contract.md §1: `message: { fr, en }`).
//
// A sibling of reasons.ts (why a value is refused), with the same templates (template.ts): its
// codes name a rule's findings, not an input's faults, and its arguments may be words given in
// both languages by dated parameters (what a call must say) besides strings, numbers and nested
// codes. Codes are stable and dotted: the rule's article (the part of its id before "/"), then
// the case; `exception.*` for exceptions several rules share; `channel.*`, `weekday.*` and a
// rule's fragments are words quoted inside other texts. Arguments are typed from the templates,
// so a rule that leaves one out does not compile; rendering throws all the same.
import { compile, type Lang, render, type Template } from "./template.ts";

/** Words in both languages: a dated parameter's, or words composed from this catalogue's. */
export interface Words {
  readonly fr: string;
  readonly en: string;
}

/** A code of this catalogue and the values its texts quote. */
export interface Coded {
  readonly code: DecisionCode;
  readonly args: DecisionArgs;
}

export type Arg = string | number | Words | Coded;
export type DecisionArgs = Readonly<Record<string, Arg>>;

const TEXTS = {
  // Words quoted inside other texts.
  "channel.voice_live": { fr: "appel par un conseiller", en: "call by an agent" },
  "channel.voice_automated": { fr: "appel automatisé", en: "automated call" },
  "channel.sms": { fr: "SMS/MMS", en: "SMS/MMS" },
  "channel.email": { fr: "courrier électronique", en: "e-mail" },
  "channel.fax": { fr: "télécopie", en: "fax" },
  "channel.social_dm": { fr: "message privé sur un réseau social", en: "social-network private message" },
  "channel.inbox_ad": { fr: "publicité dans la boîte de réception", en: "inbox advertising" },
  "channel.postal": { fr: "courrier postal", en: "postal mail" },
  "weekday.1": { fr: "lundi", en: "Monday" },
  "weekday.2": { fr: "mardi", en: "Tuesday" },
  "weekday.3": { fr: "mercredi", en: "Wednesday" },
  "weekday.4": { fr: "jeudi", en: "Thursday" },
  "weekday.5": { fr: "vendredi", en: "Friday" },
  "weekday.6": { fr: "samedi", en: "Saturday" },
  "weekday.7": { fr: "dimanche", en: "Sunday" },

  // Exceptions several rules share (src/rules/fr/sector-ban.ts, conso-l223/rules.ts).
  "exception.ongoing_contract": {
    fr: "Exception : sollicitation dans le cadre de l'exécution d'un contrat en cours, en rapport avec son objet.",
    en: "Exception: solicitation in the performance of an ongoing contract, related to its object.",
  },
  "exception.callback_in_sector_ban": {
    fr: "Exception (politique callbackExceptionInSectorBans) : rappel demandé par la personne dans le délai fixé (CAA Lyon 10 nov. 2023 EDF ENR) ; la DGCCRF ne l'admet pas.",
    en: "Exception (policy callbackExceptionInSectorBans): callback the person asked for, within the window (CAA Lyon 10 Nov 2023 EDF ENR); the DGCCRF does not accept it.",
  },
  "exception.preexisting_contract": {
    fr: "Exception : relations contractuelles préexistantes (contrat en cours).",
    en: "Exception: pre-existing contractual relations (contract in force).",
  },
  "exception.preexisting_past_customer": {
    fr: "Exception : relations contractuelles préexistantes, lues comme couvrant un ancien client depuis moins de {years} ans (lecture incertaine).",
    en: "Exception: pre-existing contractual relations, read as covering a customer whose relationship ended less than {years} years ago (uncertain reading).",
  },
  "exception.callback_in_slot": {
    fr: "La personne a demandé à être rappelée dans ce créneau : ce rappel n'est pas du démarchage (ARCEP ; CAA Lyon 10 nov. 2023 n° 22LY01667). S'en tenir à la demande.",
    en: "The person asked to be called back in this slot: this call is not canvassing (ARCEP; CAA Lyon 10 Nov 2023 no. 22LY01667). Keep to the request.",
  },
  "exception.callback_within_window": {
    fr: "La personne a demandé à être rappelée il y a moins de {hours} h : ce rappel n'est pas du démarchage (ARCEP ; CAA Lyon 10 nov. 2023 n° 22LY01667). S'en tenir à la demande.",
    en: "The person asked to be called back less than {hours} h ago: this call is not canvassing (ARCEP; CAA Lyon 10 Nov 2023 no. 22LY01667). Keep to the request.",
  },

  // ARCEP numbering plan (arcep/number-ranges).
  "arcep.show_reserved_number": {
    fr: "Afficher un numéro des tranches réservées aux systèmes automatisés ({prefixes}).",
    en: "Show a number from the ranges reserved to automated systems ({prefixes}).",
  },
  "arcep.outside_ranges": {
    fr: "Numéro affiché « {callerId} » hors des tranches des systèmes automatisés.",
    en: 'Caller ID "{callerId}" is outside the ranges for automated systems.',
  },
  "arcep.outside_ranges_mobile": {
    fr: "Numéro affiché « {callerId} » hors des tranches des systèmes automatisés (les 06/07 sont réservés aux communications entre personnes).",
    en: 'Caller ID "{callerId}" is outside the ranges for automated systems (06/07 numbers are for person-to-person use).',
  },

  // Insurance sold by telephone (assur-l112-2-2/insurance-call).
  "assur-l112-2-2.existing_customer": {
    fr: "Client existant : hors du régime de vente à distance en deux temps.",
    en: "Existing customer: outside the two-step telephone-sale regime.",
  },
  "assur-l112-2-2.two_step_sale": {
    fr: "Vente en deux temps : accord pour poursuivre au début de l'appel ; fin de l'appel et pas de rappel en cas de refus ; documents envoyés, {waitHours} h avant tout nouvel appel ; signature écrite ou électronique ; enregistrement conservé {recordingYears} ans.",
    en: "Two-step sale: agreement to go on at the start of the call; end the call and never call back on refusal; send the documents and wait {waitHours} h before any new call; written or electronic signature; keep the recording {recordingYears} years.",
  },
  "assur-l112-2-2.declined": {
    fr: "Le prospect a décliné le {declined} : le distributeur s'abstient de le rappeler.",
    en: "The prospect declined on {declined}: the distributor must not call again.",
  },
  "assur-l112-2-2.solicited_call": {
    fr: "Appel sollicité le {asked} (moins de {days} jours) : hors régime en deux temps, à condition que la personne ait connu l'identité et le numéro ORIAS du distributeur avant sa demande.",
    en: "Call requested on {asked} (less than {days} days ago): outside the two-step regime, provided the person knew the distributor's identity and ORIAS number before asking.",
  },

  // CNIL doctrine (cnil/*).
  "cnil.b2b_function": {
    fr: "Exception B2B : l'offre porte sur la fonction professionnelle du destinataire ; pas de consentement requis, mais information et opposition possibles.",
    en: "B2B exception: the offer concerns the recipient's professional function; no consent needed, but the person must be informed and able to object.",
  },
  "cnil.non_commercial": {
    fr: "Message non commercial (associatif, caritatif) : hors du consentement de L.34-5 ; information et opposition restent dues.",
    en: "Non-commercial message (charity, association): outside L.34-5 consent; information and a way to object are still due.",
  },
  "cnil.partner_named_sender": {
    fr: "Consentement recueilli par un tiers nommant l'expéditeur ; informer la personne lors du premier contact et ne pas transmettre à d'autres.",
    en: "Consent collected by a third party that named the sender; inform the person at the first contact and pass the data on to no one.",
  },
  "cnil.partner_named_sender_unspecified": {
    fr: "Consentement recueilli par un tiers nommant l'expéditeur (sur le formulaire ou par un lien, non précisé) ; informer la personne lors du premier contact et ne pas transmettre à d'autres.",
    en: "Consent collected by a third party that named the sender (on the form or through a link, not recorded); inform the person at the first contact and pass the data on to no one.",
  },
  "cnil.partner_listed_with_link": {
    fr: "Consentement recueilli par un tiers dont le formulaire renvoyait, par un lien, à une liste de partenaires nommant l'expéditeur : admis par la CNIL (2018), mais la CJUE est saisie (C-317/25). Informer la personne lors du premier contact et ne pas transmettre à d'autres.",
    en: "Consent collected by a third party whose form linked to a list of partners naming the sender: accepted by the CNIL (2018), but referred to the CJEU (C-317/25). Inform the person at the first contact and pass the data on to no one.",
  },
  "cnil.collector.partner": { fr: "un partenaire", en: "a partner" },
  "cnil.collector.broker": { fr: "un courtier en données", en: "a data broker" },
  "cnil.sender_naming_unknown": {
    fr: "Le consentement du {given} a été recueilli par {who} : rien n'établit que son formulaire nommait « {sender} » (sur le formulaire ou dans une liste accessible par un lien). Il ne vaut pas pour lui tant que ce n'est pas vérifié : c'est à l'utilisateur des données de le vérifier (CNIL, Foriou 2024).",
    en: 'The consent of {given} was collected by {who}: nothing shows that its form named "{sender}" (on the form or in a list behind a link). It does not count for it until checked: the user of the data must check (CNIL, Foriou 2024).',
  },
  "cnil.sender_not_named": {
    fr: "Le consentement du {given} a été recueilli par {who} sur un formulaire qui ne nommait pas « {sender} » (ni ne renvoyait à une liste le nommant) : il ne vaut pas pour lui.",
    en: 'The consent of {given} was collected by {who} on a form that did not name "{sender}" (nor link to a list naming it): it does not count for it.',
  },
  "cnil.passed_on_again": {
    fr: "Le consentement du {given}, recueilli par {who}, est parvenu au responsable après {transfers} transmissions : un partenaire ne peut pas transmettre à son tour les données, le consentement n'est pas transmissible (CNIL, 28 déc. 2018).",
    en: "The consent of {given}, collected by {who}, reached the controller after {transfers} transfers: a partner may not pass the data on again, a consent is not transferable (CNIL, 28 Dec 2018).",
  },
  "cnil.collector_unknown": {
    fr: "Qui a recueilli le consentement du {given} n'est pas enregistré : s'il l'a été par un partenaire ou un courtier, il ne vaut que si son formulaire nommait « {sender} » (sur le formulaire ou par un lien vers la liste des partenaires). Le vérifier et l'enregistrer (collectedBy).",
    en: 'Who collected the consent of {given} is not recorded: if a partner or a broker did, it counts only if its form named "{sender}" (on the form or through a link to the list of partners). Check it and record it (collectedBy).',
  },
  "cnil.customer_end_unknown": {
    fr: "Date de fin de la relation client inconnue : la prospection n'est permise que {years} ans après cette fin.",
    en: "End of the customer relationship unknown: prospecting is allowed for {years} years after it ends.",
  },
  "cnil.customer_retention_ended": {
    fr: "Relation client terminée le {ended} : durée de conservation pour la prospection échue le {until}.",
    en: "Customer relationship ended on {ended}: the retention period for prospecting ended on {until}.",
  },
  "cnil.former_customer_retention_ended": {
    fr: "Ancien client, dernier contact de sa part le {since} : durée de conservation échue le {until}.",
    en: "Former customer who last contacted us on {since}: the retention period ended on {until}.",
  },
  "cnil.collection_unknown": {
    fr: "Date de collecte inconnue : les données d'un prospect ne se conservent que {years} ans après la collecte ou son dernier contact.",
    en: "Collection date unknown: a prospect's data may be kept only {years} years after collection or the prospect's last contact.",
  },
  "cnil.prospect_retention_ended": {
    fr: "Prospect collecté, ou dernier contact de sa part, le {since} : durée de conservation échue le {until}.",
    en: "Prospect collected, or last contacted us, on {since}: the retention period ended on {until}.",
  },
  "cnil.postal_no_opt_out": {
    fr: "Adresse collectée sans possibilité de s'opposer à la prospection postale.",
    en: "Address collected with no way to object to postal prospecting.",
  },
  "cnil.postal_duties": {
    fr: "Courrier : la personne doit avoir été informée à la collecte (ou à ce premier envoi, source comprise, pour des données de tiers) et pouvoir s'opposer ; respecter la liste Robinson.",
    en: "Post: the person must have been informed at collection (or in this first mailing, source included, for third-party data) and able to object; honour the Robinson list.",
  },

  // Days, hours and frequency of telephone canvassing (conso-d223-9/*).
  "conso-d223-9.within_hours": {
    fr: "Dans les jours et heures permis ({days} {windows}, heure du consommateur).",
    en: "Within the allowed days and hours ({days} {windows}, consumer's time).",
  },
  "conso-d223-9.closed_weekday": { fr: "{when}, {weekday}", en: "{when}, {weekday}" },
  "conso-d223-9.closed_holiday": {
    fr: "{when}, férié ({holiday})",
    en: "{when}, public holiday ({holiday})",
  },
  "conso-d223-9.outside_windows": {
    fr: "{when}, hors des plages horaires",
    en: "{when}, outside the calling windows",
  },
  "conso-d223-9.outside_hours_consented": {
    fr: "{outside} : permis par le consentement exprès aux appels hors horaires du {given}.",
    en: "{outside}: allowed by the express consent to out-of-hours calls of {given}.",
  },
  "conso-d223-9.outside_hours": {
    fr: "{outside} (heure du consommateur, {timeZone}) : appels permis {days} {windows}, hors jours fériés.",
    en: "{outside} (consumer's time, {timeZone}): calls allowed {days} {windows}, public holidays excepted.",
  },
  "conso-d223-9.calls_counted": {
    fr: "{count} appel(s) ou tentative(s) sur les {days} derniers jours (maximum {calls}).",
    en: "{count} call(s) or attempt(s) in the last {days} days (at most {calls}).",
  },
  "conso-d223-9.too_many_calls": {
    fr: "Déjà {count} appels ou tentatives depuis le {since} : au plus {calls} par période de {days} jours calendaires.",
    en: "Already {count} calls or attempts since {since}: at most {calls} in any {days} calendar days.",
  },
  "conso-d223-9.refusal_pause": {
    fr: "Sollicitation refusée le {refused} : pas de nouvel appel avant le {until} ({days} jours calendaires pleins).",
    en: "Canvassing refused on {refused}: no new call before {until} ({days} full calendar days).",
  },

  // What a canvassing call must say, and the number it shows (conso-l221-16/*, conso-l221-17/*).
  "conso-l221-16.call_opening": {
    fr: "Dire au début de l'appel : {duties}. Confirmer toute offre par écrit.",
    en: "Say at the start of the call: {duties}. Confirm any offer in writing.",
  },
  "conso-l221-16.end_call_on_refusal": {
    fr: "Mettre fin à l'appel dès que le consommateur ne souhaite pas poursuivre, et ne plus le recontacter.",
    en: "End the call as soon as the consumer does not wish to go on, and do not contact them again.",
  },
  "conso-l221-16.refused_no_recontact": {
    fr: "Le consommateur a refusé de poursuivre le {refused} : ne plus le recontacter sans un nouveau consentement.",
    en: "The consumer declined to go on on {refused}: do not contact them again without a new consent.",
  },
  "conso-l221-17.masked_number": {
    fr: "Appel en numéro masqué : interdit pour démarcher un consommateur.",
    en: "Masked number: forbidden when canvassing a consumer.",
  },
  "conso-l221-17.number_not_authorised": {
    fr: "Numéro affiché ni affecté au professionnel pour le compte duquel l'appel est passé, ni autorisé par son attributaire.",
    en: "The number shown is neither assigned to the professional the call is made for nor authorised by its assignee.",
  },
  "conso-l221-17.identify_on_callback": {
    fr: "S'identifier si la personne rappelle, avant toute facturation autre que le prix de la communication.",
    en: "Identify yourself if the person calls back, before charging anything beyond the price of the call.",
  },
  "conso-l221-17.show_own_number": {
    fr: "Afficher un numéro affecté au responsable pour le compte duquel l'appel est passé ; s'identifier si la personne rappelle.",
    en: "Show a number assigned to the controller on whose behalf the call is made; identify yourself if the person calls back.",
  },

  // Telephone canvassing of consumers: Bloctel, prior consent, the energy ban (conso-l223-*).
  "conso-l223-1.not_consumer": {
    fr: "Pas un consommateur : les règles du démarchage téléphonique du Code de la consommation ne s'appliquent pas.",
    en: "Not a consumer: the Consumer Code's telephone-canvassing rules do not apply.",
  },
  "conso-l223-1.not_commercial": {
    fr: "Appel non commercial (association, enquête, service public) : hors du démarchage téléphonique.",
    en: "Non-commercial call (charity, survey, public service): not telephone canvassing.",
  },
  "conso-l223-1.unscreened": {
    fr: "Numéro non vérifié : aucune consultation de Bloctel enregistrée. Non vérifié n'est pas « libre ».",
    en: "Unscreened number: no Bloctel check on record. Unscreened is not clean.",
  },
  "conso-l223-1.registered_unknown_date": {
    fr: "Numéro inscrit sur Bloctel, date d'effet inconnue : tenu pour inscrit et effectif ; démarchage téléphonique interdit.",
    en: "Number registered on Bloctel, date of effect unknown: held registered and in force; telephone canvassing is banned.",
  },
  "conso-l223-1.listed_pending": {
    fr: "Inscrit sur Bloctel (date inconnue) selon la consultation du {checked}, effectif au plus tard ce jour-là.",
    en: "Registered on Bloctel (date unknown) per the check of {checked}, in force on that day at the latest.",
  },
  "conso-l223-1.listed": {
    fr: "Numéro inscrit sur Bloctel selon la consultation du {checked} (date d'effet inconnue, effectif au plus tard ce jour-là) : démarchage téléphonique interdit.",
    en: "Number registered on Bloctel per the check of {checked} (date of effect unknown, in force on that day at the latest): telephone canvassing is banned.",
  },
  "conso-l223-1.registered_pending": {
    fr: "Inscrit sur Bloctel, inscription effective au plus tard le {effective}.",
    en: "Registered on Bloctel, effective on {effective} at the latest.",
  },
  "conso-l223-1.registered": {
    fr: "Numéro inscrit sur Bloctel (effectif depuis le {effective}) : démarchage téléphonique interdit.",
    en: "Number registered on Bloctel (effective since {effective}): telephone canvassing is banned.",
  },
  "conso-l223-1.scrub_too_old_monthly": {
    fr: "Dernière consultation de Bloctel le {checked}, trop ancienne (obligation : au moins une fois par mois).",
    en: "Last Bloctel check on {checked} is too old (duty: at least monthly).",
  },
  "conso-l223-1.scrub_too_old_campaign": {
    fr: "Dernière consultation de Bloctel le {checked}, trop ancienne (obligation : avant la campagne).",
    en: "Last Bloctel check on {checked} is too old (duty: before the campaign).",
  },
  "conso-l223-1.scrubbed": {
    fr: "Vérifié sur Bloctel le {checked}.",
    en: "Checked against Bloctel on {checked}.",
  },
  "conso-l223-1.no_phone_consent": {
    fr: "Depuis le 11 août 2026, appeler un consommateur exige son consentement préalable prouvé. Un contrat conclu à la suite de cet appel serait nul.",
    en: "Since 11 August 2026, calling a consumer requires their proven prior consent. A contract made after this call would be void.",
  },
  "conso-l223-1.no_valid_phone_consent": {
    fr: "Depuis le 11 août 2026, appeler un consommateur exige son consentement préalable prouvé (consentement enregistré : {status}). Un contrat conclu à la suite de cet appel serait nul.",
    en: "Since 11 August 2026, calling a consumer requires their proven prior consent (recorded consent: {status}). A contract made after this call would be void.",
  },
  "conso-l223-1.phone_consent_too_old": {
    fr: "Consentement au démarchage téléphonique donné le {given}, il y a plus de {maxDays} jours : au-delà de la durée que retient la politique phoneConsentMaxAgeDays. Le faire renouveler.",
    en: "Consent to telephone canvassing given on {given}, more than {maxDays} days ago: beyond the age the policy phoneConsentMaxAgeDays allows. Have it renewed.",
  },
  "conso-l223-1.phone_consent_renewal": {
    fr: "Consentement préalable au démarchage téléphonique donné le {given} ({method}), preuve détenue, il y a plus de {months} mois : renouvellement recommandé (aucun texte officiel ne fixe de durée ; un décret cité par des outils tiers, introuvable au JORF, la limiterait à un an).",
    en: "Prior consent to telephone canvassing given on {given} ({method}), proof held, more than {months} months ago: renewal recommended (no official text sets a duration; a decree cited by third-party tools, not found in the JORF, would limit it to one year).",
  },
  "conso-l223-1.phone_consent": {
    fr: "Consentement préalable au démarchage téléphonique donné le {given} ({method}), preuve détenue.",
    en: "Prior consent to telephone canvassing given on {given} ({method}), proof held.",
  },
  "conso-l223-1.energy_ban": {
    fr: "Rénovation énergétique / énergies renouvelables : démarchage interdit par {channel}, même avec le consentement de la personne.",
    en: "Energy renovation / renewable energy: canvassing by {channel} is banned, even with the person's consent.",
  },
  "conso-l223-3.file_held_registered": {
    fr: "Le fichier acquis le {acquired} contenait ce numéro déjà inscrit sur Bloctel : sa vente ou sa location était interdite au fournisseur.",
    en: "The file acquired on {acquired} held this number already registered on Bloctel: its sale or rental was banned for the supplier.",
  },
  "conso-l223-5.press": {
    fr: "Exception presse : prospection pour la fourniture de journaux, périodiques ou magazines.",
    en: "Press exception: canvassing for newspapers, periodicals or magazines.",
  },

  // Electronic direct marketing (cpce-l34-5/*).
  "cpce-l34-5.legal_person": {
    fr: "Coordonnées génériques d'une personne morale : hors du consentement de L.34-5 (qui protège les personnes physiques).",
    en: "Generic details of a legal person: outside L.34-5 consent, which protects natural persons.",
  },
  "cpce-l34-5.message_duties": {
    fr: "Chaque message identifie l'expéditeur, porte un objet en rapport avec l'offre et un moyen gratuit et effectif de s'opposer (lien, STOP).",
    en: "Each message identifies the sender, has a subject related to the offer and a free, working way to opt out (link, STOP).",
  },
  "cpce-l34-5.inbox_ad_is_email": {
    fr: "Une publicité affichée parmi les courriels est de la prospection par courrier électronique : consentement préalable requis.",
    en: "An ad shown among e-mails is e-mail direct marketing: prior consent is required.",
  },
  "cpce-l34-5.consent": {
    fr: "Consentement préalable à la prospection par {channel} donné le {given} ({method}).",
    en: "Prior consent to prospecting by {channel} given on {given} ({method}).",
  },
  "cpce-l34-5.no_consent": {
    fr: "Aucun consentement préalable valable à la prospection par {channel}.",
    en: "No valid prior consent to prospecting by {channel}.",
  },
  "cpce-l34-5.consent_withdrawn": {
    fr: "Aucun consentement préalable valable à la prospection par {channel} (retiré le {withdrawn}).",
    en: "No valid prior consent to prospecting by {channel} (withdrawn on {withdrawn}).",
  },
  "cpce-l34-5.consent_invalid_method": {
    fr: "Aucun consentement préalable valable à la prospection par {channel} (recueilli par « {method} », qui n'est pas un acte positif spécifique).",
    en: 'No valid prior consent to prospecting by {channel} (collected by "{method}", which is not a specific affirmative act).',
  },
  "cpce-l34-5.consent_without_proof": {
    fr: "Aucun consentement préalable valable à la prospection par {channel} (aucune preuve du consentement enregistré).",
    en: "No valid prior consent to prospecting by {channel} (no proof of the recorded consent).",
  },
  "cpce-l34-5.consent_sender_not_named": {
    fr: "Aucun consentement préalable valable à la prospection par {channel} (formulaire d'un tiers ne nommant pas l'expéditeur).",
    en: "No valid prior consent to prospecting by {channel} (third-party form that did not name the sender).",
  },
  "cpce-l34-5.soft_opt_in": {
    fr: "Exception « client » : coordonnées recueillies auprès de la personne lors d'une vente, produits analogues du même responsable, opposition offerte à la collecte.",
    en: "Existing-customer exception: details collected from the person at a sale, analogous products of the same controller, objection offered at collection.",
  },
  "cpce-l34-5.message_lacks_sender": {
    fr: "Le message omet l'identité de l'expéditeur.",
    en: "The message lacks the sender's identity.",
  },
  "cpce-l34-5.message_lacks_opt_out": {
    fr: "Le message omet un moyen gratuit de s'opposer.",
    en: "The message lacks a free way to opt out.",
  },
  "cpce-l34-5.message_lacks_sender_and_opt_out": {
    fr: "Le message omet l'identité de l'expéditeur et un moyen gratuit de s'opposer.",
    en: "The message lacks the sender's identity and a free way to opt out.",
  },

  // GDPR and the loi Informatique et Libertés (gdpr-*).
  "gdpr-6.consent": {
    fr: "Base légale : consentement donné le {given}.",
    en: "Legal basis: consent given on {given}.",
  },
  "gdpr-6.transfer_without_opt_out": {
    fr: "Données transmises par un partenaire ou un courtier sans preuve que la personne a pu s'opposer à cette transmission lors de la collecte : pas de base légale (CNIL, sanctions Foriou 2024, Solocal 2025).",
    en: "Data passed on by a partner or broker with no evidence that the person could object to the transfer at collection: no legal basis (CNIL Foriou 2024, Solocal 2025 sanctions).",
  },
  "gdpr-6.legitimate_interest": {
    fr: "Base légale : intérêt légitime, à documenter ; la personne doit pouvoir s'opposer simplement et gratuitement.",
    en: "Legal basis: legitimate interest, to be documented; the person must be able to object simply and free of charge.",
  },
  "gdpr-6.legitimate_interest_public_data": {
    fr: "Base légale : intérêt légitime, à documenter ; la personne doit pouvoir s'opposer simplement et gratuitement. Des données publiquement accessibles restent des données personnelles, non librement réutilisables.",
    en: "Legal basis: legitimate interest, to be documented; the person must be able to object simply and free of charge. Publicly accessible data are still personal data, not free to reuse.",
  },
  "gdpr-7.no_proof": {
    fr: "Un consentement du {given} est enregistré, mais sans preuve : il ne peut pas être invoqué.",
    en: "A consent of {given} is recorded, but with no proof: it cannot be relied on.",
  },
  "gdpr-14.informed": {
    fr: "Information (art. 14, source comprise) envoyée le {informed}.",
    en: "Art. 14 notice (source included) sent on {informed}.",
  },
  "gdpr-14.informed_by_consenting": {
    fr: "Personne informée en consentant directement auprès du responsable le {given}.",
    en: "Person informed when consenting directly to the controller on {given}.",
  },
  "gdpr-14.notice_overdue": {
    fr: "Données obtenues le {obtained} ({origin}) sans information de la personne : l'information était due au plus tard le {due}. L'envoyer avant tout contact.",
    en: "Data obtained on {obtained} ({origin}) without informing the person: the notice was due by {due}. Send it before any contact.",
  },
  "gdpr-14.contacted_uninformed": {
    fr: "Premier contact le {contacted} sans l'information de l'art. 14 : l'envoyer avant tout nouveau contact.",
    en: "First contact on {contacted} without the art. 14 notice: send it before any further contact.",
  },
  "gdpr-14.inform_now": {
    fr: "Informer la personne dès ce premier contact : identité du responsable, finalité, droits dont l'opposition, et la source précise des données.",
    en: "Inform the person in this first contact: controller's identity, purpose, rights including objection, and the precise source of the data.",
  },
  "gdpr-14.inform_now_of_source": {
    fr: "Informer la personne dès ce premier contact : identité du responsable, finalité, droits dont l'opposition, et la source précise des données ({source}).",
    en: "Inform the person in this first contact: controller's identity, purpose, rights including objection, and the precise source of the data ({source}).",
  },
  "gdpr-17.erased": {
    fr: "Données de la personne effacées le {erased} (à sa demande, ou au terme de leur conservation) : plus jamais de prospection, sur aucun canal, quel que soit le consentement détenu.",
    en: "The person's data was erased on {erased} (at their request, or when its retention ended): never prospected again, on any channel, whatever consent is held.",
  },
  "gdpr-21.objection": {
    fr: "Opposition à la prospection enregistrée le {objected} ({via}) : plus aucune sollicitation de ce responsable, sur aucun canal.",
    en: "Objection to prospecting recorded on {objected} ({via}): no further solicitation by this controller, on any channel.",
  },
  "gdpr-21.consent_withdrawn": {
    fr: "Consentement à la prospection par {channel} retiré le {withdrawn} : c'est refuser cette prospection, qu'aucune exception (client, intérêt légitime, contrat en cours) ne reprend. Plus de sollicitation par ce canal sans nouveau consentement.",
    en: "Consent to prospecting by {channel} withdrawn on {withdrawn}: that is refusing this prospecting, which no exception (customer, legitimate interest, ongoing contract) takes up again. No solicitation on this channel without a new consent.",
  },
  "gdpr-21.source_refuses": {
    fr: "La source (annonce, profil) indique que la personne refuse le démarchage : c'est une opposition (CNIL, note du 30 avril 2020).",
    en: "The source (ad, profile) says the person refuses canvassing: that is an objection (CNIL note of 30 April 2020).",
  },
  "gdpr-21.objection_lifted_on_channel": {
    fr: "Opposition du {objected} limitée au canal {channel} ; consentement donné ensuite sur ce canal le {consented} : il vaut pour ce canal seul (lecture contestée). Signaler le droit de s'opposer et l'honorer sans délai.",
    en: "Objection of {objected} limited to {channel}; a consent given afterwards on this channel on {consented} counts for this channel alone (contested reading). Tell the person of the right to object and honour it at once.",
  },
  "gdpr-21.tell_right_to_object": {
    fr: "Signaler le droit de s'opposer, gratuitement et simplement, au plus tard lors de la première communication, et l'honorer sans délai.",
    en: "Tell the person of the free and simple right to object, at the latest at the first communication, and honour it at once.",
  },

  // Sector bans of loi n° 2025-594 and of the CPF (loi-2025-594/*, travail-l6323-8-1/*).
  "loi-2025-594.sector_ban": {
    fr: "Adaptation du logement / rénovation énergétique : démarchage interdit par {channel}, même avec le consentement de la personne.",
    en: "Home adaptation / energy renovation: canvassing by {channel} is banned, even with the person's consent.",
  },
  "loi-2025-594.entry_day": {
    fr: "1er juillet 2025 : l'interdiction du démarchage par {channel} pour l'adaptation du logement et la rénovation énergétique s'applique dès ce jour selon la presse (publication de la loi), dès le 2 juillet selon un éditeur juridique, lecture retenue ici (lecture contestée) : s'abstenir est plus sûr.",
    en: "1 July 2025: the ban on canvassing by {channel} for home adaptation and energy renovation applies from this day by the press's reading (the law's publication), from 2 July by a law publisher's, the reading chosen here (contested): refraining is safer.",
  },
  "travail-l6323-8-1.cpf_ban": {
    fr: "Formation éligible au CPF : démarchage interdit par {channel}, même avec le consentement de la personne.",
    en: "CPF-eligible training: canvassing by {channel} is banned, even with the person's consent.",
  },
} as const satisfies Readonly<Record<string, Words>>;

export type DecisionCode = keyof typeof TEXTS;
export const DECISION_CODES = Object.keys(TEXTS) as readonly DecisionCode[];

/** The argument names of a template, read by the type checker as `argumentNames` reads them. */
type Names<S extends string> = S extends `${string}{${infer N}}${infer Rest}`
  ? (N extends `${infer Name}|${string}` ? Name : N) | Names<Rest>
  : never;

/** The arguments a code's texts quote, in either language: each must be given. */
export type ArgsOf<C extends DecisionCode> = {
  readonly [N in Names<(typeof TEXTS)[C]["fr"]> | Names<(typeof TEXTS)[C]["en"]>]: Arg;
};

/** Codes whose texts quote nothing. */
export type BareCode = { [C in DecisionCode]: keyof ArgsOf<C> extends never ? C : never }[DecisionCode];

/** The templates of a code, for the catalogue's test. */
export const decisionTexts = (code: DecisionCode): Words => TEXTS[code];

/** A code with its arguments, checked against its texts. */
export function coded<C extends DecisionCode>(code: C, args: ArgsOf<C>): Coded {
  return { code, args };
}

const TEMPLATES = new Map<DecisionCode, { readonly fr: Template; readonly en: Template }>(
  DECISION_CODES.map((code) => [code, { fr: compile(TEXTS[code].fr), en: compile(TEXTS[code].en) }]),
);

function nested(value: Words | Coded, lang: Lang): string {
  return "code" in value ? renderDecision(value, lang) : value[lang];
}

export function renderDecision(c: Coded, lang: Lang): string {
  const templates = TEMPLATES.get(c.code);
  if (templates === undefined) throw new Error(`reason ${c.code}: not in the catalogue`);
  return render(templates[lang], lang, c.args, nested, c.code);
}

/** Both languages' words, as a decision's `message` carries them. */
export function wordsOf(c: Coded): Words {
  return Object.freeze({ fr: renderDecision(c, "fr"), en: renderDecision(c, "en") });
}
