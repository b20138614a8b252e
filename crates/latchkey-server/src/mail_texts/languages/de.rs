//! German.

use crate::mail_texts::MailTexts;

/// German, with "du", as the login widget speaks it.
pub(super) const TEXTS: MailTexts = MailTexts {
    when_line: "Wann: {time}",
    from_line: "Von: {device}",
    unknown_browser: "unbekannter Browser",
    browser_on_system: "{browser} unter {system}",
    ignore_nothing_changes: "Falls du das nicht warst, kannst du diese E-Mail ignorieren: Es ändert sich nichts.",
    nothing_to_do: "Falls du das nicht warst, musst du nichts tun.",

    passkey_added_subject: "Deinem Konto bei {site} wurde ein Passkey hinzugefügt",
    passkey_added: "Der Passkey „{name}“ wurde deinem Konto bei {site} hinzugefügt.",
    passkey_deleted_subject: "Ein Passkey wurde aus deinem Konto bei {site} gelöscht",
    passkey_deleted: "Der Passkey „{name}“ wurde aus deinem Konto bei {site} gelöscht.",
    password_set_subject: "Für dein Konto bei {site} wurde ein Passwort festgelegt",
    password_set: "Für dein Konto bei {site} wurde ein Passwort festgelegt.",
    password_changed_subject: "Dein Passwort bei {site} wurde geändert",
    password_changed: "Das Passwort deines Kontos bei {site} wurde geändert.",
    password_reset_subject: "Dein Passwort bei {site} wurde zurückgesetzt",
    password_reset: "Das Passwort deines Kontos bei {site} wurde über einen an diese Adresse gesendeten Link zurückgesetzt.",
    recovered_subject: "Für dein Konto bei {site} wurde ein neuer Passkey erstellt",
    recovered: "Über einen an diese Adresse gesendeten Link wurde für dein Konto bei {site} der Passkey „{name}“ erstellt; alle Sitzungen des Kontos wurden beendet.",
    keeps_nothing: "Der neue Passkey ist jetzt der einzige Zugang zum Konto.",
    keeps_password: "Dein Passwort funktioniert weiterhin.",
    keeps_other_passkey: "Dein anderer Passkey funktioniert weiterhin.",
    keeps_other_passkey_and_password: "Dein anderer Passkey und dein Passwort funktionieren weiterhin.",
    keeps_other_passkeys: "Deine anderen Passkeys funktionieren weiterhin.",
    keeps_other_passkeys_and_password: "Deine anderen Passkeys und dein Passwort funktionieren weiterhin.",
    yours_alone_subject: "Dein Konto bei {site} gehört jetzt nur noch dir",
    account_claimed: "Das Passwort deines Kontos bei {site} wurde über einen an diese Adresse gesendeten Link zurückgesetzt. Dabei wurde diese Adresse zum ersten Mal bestätigt. Alles, was zuvor im Konto angelegt war – das hätte auch jemand anderes mit deiner Adresse tun können –, wurde deshalb entfernt: die Passkeys und alle Sitzungen. Melde dich mit dem neuen Passwort an und füge erneut einen Passkey hinzu.",
    claimed_with_passkey: "Über einen an diese Adresse gesendeten Link wurde für dein Konto bei {site} der Passkey „{name}“ erstellt. Dabei wurde diese Adresse zum ersten Mal bestätigt. Alles, was zuvor im Konto angelegt war – das hätte auch jemand anderes mit deiner Adresse tun können –, wurde deshalb entfernt: die Passkeys, das Passwort und alle Sitzungen. Der neue Passkey ist jetzt der einzige Zugang zum Konto.",
    account_taken_back: "Du hast uns mitgeteilt, dass du dich nicht selbst für dieses Konto bei {site} registriert hast, das mit deiner Adresse erstellt wurde. Alles, was darin angelegt war, wurde entfernt: die Passkeys, das Passwort und alle Sitzungen. Das Konto gehört jetzt dir: Wähle auf der Anmeldeseite über „Passwort vergessen?“ ein Passwort und füge danach einen Passkey hinzu.",
    email_changed_subject: "Dein Konto bei {site} verwendet jetzt eine andere E-Mail-Adresse",
    email_changed: "Dein Konto bei {site} verwendet jetzt {to} statt dieser Adresse. E-Mails zum Konto gehen ab jetzt dorthin.",
    notice_advice: "Wenn du das warst, musst du nichts tun. Falls nicht, melde dich an und prüfe jetzt deine Passkeys, dein Passwort und deine Sitzungen:",

    change_subject: "Bestätige deine neue E-Mail-Adresse für {site}",
    change_asked: "Jemand möchte diese Adresse für ein Konto bei {site} verwenden.",
    change_instruction: "Um die Änderung vorzunehmen, öffne diesen Link innerhalb von 24 Stunden in dem Browser, in dem du sie angefordert hast:",
    address_in_use_subject: "Deine E-Mail-Adresse und {site}",
    address_in_use: "Jemand wollte diese Adresse für ein Konto bei {site} verwenden. Da es mit ihr aber schon ein Konto bei {site} gibt, wurde nichts geändert.",

    code_subject: "Dein Code für die Registrierung bei {site}",
    code_asked: "Jemand registriert sich gerade mit dieser Adresse für ein Konto bei {site}.",
    code_instruction: "Um fortzufahren, gib diesen Code innerhalb von 15 Minuten ein:",
    code_ignore: "Falls du das nicht warst, kannst du diese E-Mail ignorieren: Ohne den Code wird kein Konto erstellt.",
    account_exists_subject: "Du hast schon ein Konto bei {site}",
    account_exists: "Jemand wollte sich mit dieser Adresse bei {site} registrieren. Da es mit ihr aber schon ein Konto bei {site} gibt, wurde kein Code gesendet.",
    account_exists_advice: "Um dich anzumelden, verwende auf der Anmeldeseite deinen Passkey oder dein Passwort. Falls das nicht klappt, kannst du dir dort über „Anmeldung klappt nicht?“ per E-Mail einen Weg zurück in dein Konto schicken lassen.",

    verify_subject: "Bestätige deine E-Mail-Adresse für {site}",
    verify_asked: "Jemand hat sich mit dieser Adresse für ein Konto bei {site} registriert.",
    verify_instruction: "Öffne diesen Link innerhalb von 24 Stunden, um deine E-Mail-Adresse zu bestätigen:",
    verify_not_you: "Falls du das nicht warst, öffne den Link trotzdem: Auf der Seite, die sich öffnet, kannst du das Konto übernehmen, und wer sich registriert hat, verliert jeden Zugang dazu.",

    reset_subject: "Zurück in dein Konto bei {site}",
    reset_asked: "Jemand hat einen Link angefordert, um wieder in dein Konto bei {site} zu kommen.",
    reset_instruction: "Um auf diesem Gerät einen neuen Passkey zu erstellen oder ein neues Passwort zu wählen, öffne diesen Link innerhalb von 15 Minuten:",
};
