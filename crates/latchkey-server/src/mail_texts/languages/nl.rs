//! Dutch.

use crate::mail_texts::MailTexts;

/// Dutch, with "je", as the login widget speaks it.
pub(super) const TEXTS: MailTexts = MailTexts {
    when_line: "Wanneer: {time}",
    from_line: "Vanaf: {device}",
    unknown_browser: "een onbekende browser",
    browser_on_system: "{browser} op {system}",
    ignore_nothing_changes: "Was jij dit niet? Dan kun je deze e-mail negeren: er verandert niets.",
    nothing_to_do: "Was jij dit niet? Dan hoef je niets te doen.",

    passkey_added_subject: "Er is een passkey toegevoegd aan je account bij {site}",
    passkey_added: "De passkey ‘{name}’ is toegevoegd aan je account bij {site}.",
    passkey_deleted_subject: "Er is een passkey verwijderd uit je account bij {site}",
    passkey_deleted: "De passkey ‘{name}’ is verwijderd uit je account bij {site}.",
    password_set_subject: "Er is een wachtwoord ingesteld voor je account bij {site}",
    password_set: "Er is een wachtwoord ingesteld voor je account bij {site}.",
    password_changed_subject: "Je wachtwoord voor {site} is gewijzigd",
    password_changed: "Het wachtwoord van je account bij {site} is gewijzigd.",
    password_reset_subject: "Je wachtwoord voor {site} is opnieuw ingesteld",
    password_reset: "Het wachtwoord van je account bij {site} is opnieuw ingesteld via een link die naar dit adres is gestuurd.",
    recovered_subject: "Er is een nieuwe passkey gemaakt voor je account bij {site}",
    recovered: "De passkey ‘{name}’ is gemaakt voor je account bij {site} via een link die naar dit adres is gestuurd, en alle sessies van het account zijn beëindigd.",
    keeps_nothing: "De nieuwe passkey is nu de enige manier om in te loggen.",
    keeps_password: "Je wachtwoord werkt nog steeds.",
    keeps_other_passkey: "Je andere passkey werkt nog steeds.",
    keeps_other_passkey_and_password: "Je andere passkey en je wachtwoord werken nog steeds.",
    keeps_other_passkeys: "Je andere passkeys werken nog steeds.",
    keeps_other_passkeys_and_password: "Je andere passkeys en je wachtwoord werken nog steeds.",
    yours_alone_subject: "Je account bij {site} is nu alleen van jou",
    account_claimed: "Het wachtwoord van je account bij {site} is opnieuw ingesteld via een link die naar dit adres is gestuurd. Omdat dit adres daarmee voor het eerst is bevestigd, is alles wat eerder op het account is gemaakt (en wat iemand anders met jouw adres gemaakt kan hebben) verwijderd: de passkeys en alle sessies. Log in met het nieuwe wachtwoord en voeg opnieuw een passkey toe.",
    claimed_with_passkey: "De passkey ‘{name}’ is gemaakt voor je account bij {site} via een link die naar dit adres is gestuurd. Omdat dit adres daarmee voor het eerst is bevestigd, is alles wat eerder op het account is gemaakt (en wat iemand anders met jouw adres gemaakt kan hebben) verwijderd: de passkeys, het wachtwoord en alle sessies. De nieuwe passkey is nu de enige manier om in te loggen.",
    account_taken_back: "Je hebt ons laten weten dat je je niet zelf hebt geregistreerd voor dit account bij {site}, dat met jouw e-mailadres is aangemaakt. Alles op het account is verwijderd: de passkeys, het wachtwoord en alle sessies. Het account is nu van jou: kies een wachtwoord via ‘Wachtwoord vergeten?’ op de inlogpagina en voeg daarna een passkey toe.",
    email_changed_subject: "Je account bij {site} gebruikt nu een ander e-mailadres",
    email_changed: "Je account bij {site} gebruikt nu {to} in plaats van dit adres. E-mail over het account gaat voortaan daarheen.",
    notice_advice: "Was jij dit? Dan hoef je niets te doen. Was jij het niet? Log dan nu in en controleer je passkeys, wachtwoord en sessies:",

    change_subject: "Bevestig je nieuwe e-mailadres voor {site}",
    change_asked: "Iemand heeft gevraagd dit adres te gebruiken voor een account bij {site}.",
    change_instruction: "Wil je de wijziging doorvoeren? Open deze link dan binnen 24 uur, in dezelfde browser waarin je de wijziging hebt aangevraagd:",
    address_in_use_subject: "Je e-mailadres en {site}",
    address_in_use: "Iemand heeft gevraagd dit adres te gebruiken voor een account bij {site}, maar er is al een account bij {site} met dit adres. Er is dus niets gewijzigd.",

    code_subject: "Je registratiecode voor {site}",
    code_asked: "Iemand registreert zich met dit adres voor een account bij {site}.",
    code_instruction: "Voer deze code binnen 15 minuten in om verder te gaan:",
    code_ignore: "Was jij dit niet? Dan kun je deze e-mail negeren: zonder de code wordt er geen account gemaakt.",
    account_exists_subject: "Je hebt al een account bij {site}",
    account_exists: "Iemand probeerde zich met dit adres te registreren bij {site}, maar er is al een account bij {site} met dit adres. Er is dus geen code verstuurd.",
    account_exists_advice: "Log op de inlogpagina in met je passkey of je wachtwoord. Lukt dat niet, klik daar dan op ‘Lukt inloggen niet?’ en we mailen je een manier om weer in te loggen.",

    verify_subject: "Bevestig je e-mailadres voor {site}",
    verify_asked: "Iemand heeft zich met dit adres geregistreerd voor een account bij {site}.",
    verify_instruction: "Open deze link binnen 24 uur om je e-mailadres te bevestigen:",
    verify_not_you: "Was jij dit niet? Open de link dan toch: op die pagina kun je het account opeisen, en wie zich heeft geregistreerd, verliest alle toegang ertoe.",

    reset_subject: "Weer toegang tot je account bij {site}",
    reset_asked: "Iemand heeft gevraagd om weer toegang te krijgen tot je account bij {site}.",
    reset_instruction: "Open deze link binnen 15 minuten om op dit apparaat een nieuwe passkey te maken of een nieuw wachtwoord te kiezen:",
};
