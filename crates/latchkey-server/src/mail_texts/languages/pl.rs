//! Polish.

use crate::mail_texts::MailTexts;

/// Polish, with "Ty" and impersonal forms where gender would show, as the login widget speaks it.
pub(super) const TEXTS: MailTexts = MailTexts {
    when_line: "Kiedy: {time}",
    from_line: "Skąd: {device}",
    unknown_browser: "nieznana przeglądarka",
    browser_on_system: "{browser} w systemie {system}",
    ignore_nothing_changes: "Jeśli to nie Ty, zignoruj tę wiadomość: nic się nie zmieni.",
    nothing_to_do: "Jeśli to nie Ty, nie trzeba nic robić.",

    passkey_added_subject: "Do Twojego konta w serwisie {site} dodano klucz dostępu",
    passkey_added: "Do Twojego konta w serwisie {site} dodano klucz dostępu „{name}”.",
    passkey_deleted_subject: "Z Twojego konta w serwisie {site} usunięto klucz dostępu",
    passkey_deleted: "Z Twojego konta w serwisie {site} usunięto klucz dostępu „{name}”.",
    password_set_subject: "Ustawiono hasło do Twojego konta w serwisie {site}",
    password_set: "Ustawiono hasło do Twojego konta w serwisie {site}.",
    password_changed_subject: "Zmieniono hasło do Twojego konta w serwisie {site}",
    password_changed: "Hasło do Twojego konta w serwisie {site} zostało zmienione.",
    password_reset_subject: "Zresetowano hasło do Twojego konta w serwisie {site}",
    password_reset: "Hasło do Twojego konta w serwisie {site} zostało zresetowane za pomocą linku wysłanego na ten adres.",
    recovered_subject: "Utworzono nowy klucz dostępu do Twojego konta w serwisie {site}",
    recovered: "Klucz dostępu „{name}” do Twojego konta w serwisie {site} został utworzony za pomocą linku wysłanego na ten adres, a wszystkie sesje na koncie zostały zakończone.",
    keeps_nothing: "Nowy klucz dostępu jest teraz jedynym sposobem logowania na to konto.",
    keeps_password: "Hasło do konta nadal działa.",
    keeps_other_passkey: "Drugi klucz dostępu nadal działa.",
    keeps_other_passkey_and_password: "Drugi klucz dostępu i hasło nadal działają.",
    keeps_other_passkeys: "Pozostałe klucze dostępu nadal działają.",
    keeps_other_passkeys_and_password: "Pozostałe klucze dostępu i hasło nadal działają.",
    yours_alone_subject: "Twoje konto w serwisie {site} należy teraz tylko do Ciebie",
    account_claimed: "Hasło do Twojego konta w serwisie {site} zostało zresetowane za pomocą linku wysłanego na ten adres. Ten adres został wtedy potwierdzony po raz pierwszy, dlatego usunięto wszystko, co wcześniej utworzono na koncie (a co mógł utworzyć ktoś inny, używając Twojego adresu): klucze dostępu i wszystkie sesje. Zaloguj się nowym hasłem i ponownie dodaj klucz dostępu.",
    claimed_with_passkey: "Klucz dostępu „{name}” do Twojego konta w serwisie {site} został utworzony za pomocą linku wysłanego na ten adres. Ten adres został wtedy potwierdzony po raz pierwszy, dlatego usunięto wszystko, co wcześniej utworzono na koncie (a co mógł utworzyć ktoś inny, używając Twojego adresu): klucze dostępu, hasło i wszystkie sesje. Nowy klucz dostępu jest teraz jedynym sposobem logowania na to konto.",
    account_taken_back: "Otrzymaliśmy Twoje zgłoszenie, że konto w serwisie {site} na Twój adres założył ktoś inny. Wszystko, co na nim utworzono, zostało usunięte: klucze dostępu, hasło i wszystkie sesje. Konto należy teraz do Ciebie: ustaw hasło za pomocą linku „Nie pamiętasz hasła?” na stronie logowania, a potem dodaj klucz dostępu.",
    email_changed_subject: "Twoje konto w serwisie {site} używa teraz innego adresu e-mail",
    email_changed: "Twoje konto w serwisie {site} używa teraz adresu {to} zamiast tego. Wiadomości dotyczące konta będą wysyłane na tamten adres.",
    notice_advice: "Jeśli to Ty, nie trzeba nic robić. Jeśli nie, zaloguj się teraz i sprawdź klucze dostępu, hasło i sesje:",

    change_subject: "Potwierdź nowy adres e-mail w serwisie {site}",
    change_asked: "Ktoś poprosił o przypisanie tego adresu do konta w serwisie {site}.",
    change_instruction: "Aby wprowadzić zmianę, otwórz ten link w ciągu 24 godzin w tej samej przeglądarce, w której złożono prośbę:",
    address_in_use_subject: "Twój adres e-mail i serwis {site}",
    address_in_use: "Ktoś poprosił o przypisanie tego adresu do konta w serwisie {site}, ale w serwisie {site} istnieje już konto z tym adresem, więc niczego nie zmieniono.",

    code_subject: "Kod do rejestracji w serwisie {site}",
    code_asked: "Ktoś rejestruje się w serwisie {site}, używając tego adresu.",
    code_instruction: "Aby kontynuować, wpisz ten kod w ciągu 15 minut:",
    code_ignore: "Jeśli to nie Ty, zignoruj tę wiadomość: bez kodu konto nie zostanie utworzone.",
    account_exists_subject: "Masz już konto w serwisie {site}",
    account_exists: "Ktoś próbował zarejestrować się w serwisie {site}, używając tego adresu, ale w serwisie {site} istnieje już konto z tym adresem, więc nie wysłano kodu.",
    account_exists_advice: "Aby się zalogować, użyj klucza dostępu lub hasła na stronie logowania. Jeśli się nie uda, wybierz tam „Nie możesz się zalogować?”, a otrzymasz e-mail, który pozwoli odzyskać dostęp.",

    verify_subject: "Potwierdź adres e-mail w serwisie {site}",
    verify_asked: "Ktoś zarejestrował się w serwisie {site}, używając tego adresu.",
    verify_instruction: "Otwórz ten link w ciągu 24 godzin, aby potwierdzić adres e-mail:",
    verify_not_you: "Jeśli to nie Ty, również otwórz link: na stronie, która się otworzy, możesz przejąć konto, a osoba, która je założyła, straci do niego wszelki dostęp.",

    reset_subject: "Odzyskaj dostęp do konta w serwisie {site}",
    reset_asked: "Ktoś poprosił o odzyskanie dostępu do Twojego konta w serwisie {site}.",
    reset_instruction: "Aby utworzyć nowy klucz dostępu na tym urządzeniu lub wybrać nowe hasło, otwórz ten link w ciągu 15 minut:",
};
