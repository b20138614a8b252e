//! Italian.

use crate::mail_texts::MailTexts;

/// Italian, with "tu", as the login widget speaks it.
pub(super) const TEXTS: MailTexts = MailTexts {
    when_line: "Quando: {time}",
    from_line: "Da: {device}",
    unknown_browser: "un browser sconosciuto",
    browser_on_system: "{browser} su {system}",
    ignore_nothing_changes: "Se non hai fatto tu questa richiesta, ignora questa email: non cambierà nulla.",
    nothing_to_do: "Se non hai fatto tu questa richiesta, non devi fare nulla.",

    passkey_added_subject: "È stata aggiunta una passkey al tuo account {site}",
    passkey_added: "La passkey «{name}» è stata aggiunta al tuo account {site}.",
    passkey_deleted_subject: "È stata eliminata una passkey dal tuo account {site}",
    passkey_deleted: "La passkey «{name}» è stata eliminata dal tuo account {site}.",
    password_set_subject: "È stata impostata una password per il tuo account {site}",
    password_set: "È stata impostata una password per il tuo account {site}.",
    password_changed_subject: "La tua password di {site} è stata cambiata",
    password_changed: "La password del tuo account {site} è stata cambiata.",
    password_reset_subject: "La tua password di {site} è stata reimpostata",
    password_reset: "La password del tuo account {site} è stata reimpostata tramite un link inviato a questo indirizzo.",
    recovered_subject: "È stata creata una nuova passkey per il tuo account {site}",
    recovered: "La passkey «{name}» è stata creata per il tuo account {site} tramite un link inviato a questo indirizzo e tutte le sessioni dell'account sono state chiuse.",
    keeps_nothing: "Ora la nuova passkey è l'unico modo per accedere all'account.",
    keeps_password: "La password continua a funzionare.",
    keeps_other_passkey: "L'altra passkey continua a funzionare.",
    keeps_other_passkey_and_password: "L'altra passkey e la password continuano a funzionare.",
    keeps_other_passkeys: "Le altre passkey continuano a funzionare.",
    keeps_other_passkeys_and_password: "Le altre passkey e la password continuano a funzionare.",
    yours_alone_subject: "Ora il tuo account {site} è solo tuo",
    account_claimed: "La password del tuo account {site} è stata reimpostata tramite un link inviato a questo indirizzo. Era la prima volta che questo indirizzo veniva confermato, quindi tutto ciò che era stato creato in precedenza sull'account, e che qualcun altro avrebbe potuto creare con il tuo indirizzo, è stato eliminato: le sue passkey e tutte le sessioni. Accedi con la nuova password e aggiungi di nuovo una passkey.",
    claimed_with_passkey: "La passkey «{name}» è stata creata per il tuo account {site} tramite un link inviato a questo indirizzo. Era la prima volta che questo indirizzo veniva confermato, quindi tutto ciò che era stato creato in precedenza sull'account, e che qualcun altro avrebbe potuto creare con il tuo indirizzo, è stato eliminato: le sue passkey, la password e tutte le sessioni. Ora la nuova passkey è l'unico modo per accedere all'account.",
    account_taken_back: "Ci hai detto di non aver creato tu questo account {site}, aperto con il tuo indirizzo. Tutto ciò che era stato creato sull'account è stato eliminato: le passkey, la password e tutte le sessioni. Ora l'account è tuo: scegli una password con «Password dimenticata?» nella pagina di accesso, poi aggiungi una passkey.",
    email_changed_subject: "Il tuo account {site} ora usa un'altra email",
    email_changed: "Il tuo account {site} ora usa {to} al posto di questo indirizzo. Le email relative all'account verranno inviate lì.",
    notice_advice: "Se l'hai fatto tu, non devi fare nulla. Altrimenti accedi e controlla subito le tue passkey, la password e le sessioni:",

    change_subject: "Conferma il tuo nuovo indirizzo email per {site}",
    change_asked: "Qualcuno ha chiesto di usare questo indirizzo per un account {site}.",
    change_instruction: "Per completare la modifica, apri questo link entro 24 ore, nello stesso browser da cui l'hai richiesta:",
    address_in_use_subject: "Il tuo indirizzo email e {site}",
    address_in_use: "Qualcuno ha chiesto di usare questo indirizzo per un account {site}, ma a questo indirizzo è già associato un account {site}, quindi non è cambiato nulla.",

    code_subject: "Il tuo codice per registrarti a {site}",
    code_asked: "Qualcuno sta creando un account {site} con questo indirizzo.",
    code_instruction: "Per continuare, inserisci questo codice entro 15 minuti:",
    code_ignore: "Se non hai fatto tu questa richiesta, ignora questa email: senza il codice non viene creato nessun account.",
    account_exists_subject: "Hai già un account {site}",
    account_exists: "Qualcuno ha provato a registrarsi a {site} con questo indirizzo, ma a questo indirizzo è già associato un account {site}, quindi non è stato inviato nessun codice.",
    account_exists_advice: "Per accedere, usa la tua passkey o la password nella pagina di accesso. Se non ci riesci, il link «Non riesci ad accedere?» della stessa pagina ti invierà via email un modo per recuperare l'accesso.",

    verify_subject: "Verifica il tuo indirizzo email per {site}",
    verify_asked: "Qualcuno ha creato un account {site} con questo indirizzo.",
    verify_instruction: "Apri questo link entro 24 ore per verificare il tuo indirizzo email:",
    verify_not_you: "Se non l'hai fatto tu, apri comunque il link: dalla sua pagina puoi riprenderti l'account, e chi si è registrato perderà ogni modo di accedervi.",

    reset_subject: "Recupera l'accesso al tuo account {site}",
    reset_asked: "Qualcuno ha chiesto di recuperare l'accesso al tuo account {site}.",
    reset_instruction: "Per creare una nuova passkey su questo dispositivo o scegliere una nuova password, apri questo link entro 15 minuti:",
};
