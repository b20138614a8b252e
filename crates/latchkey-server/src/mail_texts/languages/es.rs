//! Spanish.

use crate::mail_texts::MailTexts;

/// Spanish as written in Spain, with "tú", as the login widget speaks it.
pub(super) const TEXTS: MailTexts = MailTexts {
    when_line: "Cuándo: {time}",
    from_line: "Desde: {device}",
    unknown_browser: "un navegador desconocido",
    browser_on_system: "{browser} en {system}",
    ignore_nothing_changes: "Si no has sido tú, ignora este correo: no cambiará nada.",
    nothing_to_do: "Si no has sido tú, no tienes que hacer nada.",

    passkey_added_subject: "Se ha añadido una llave de acceso a tu cuenta de {site}",
    passkey_added: "Se ha añadido la llave de acceso «{name}» a tu cuenta de {site}.",
    passkey_deleted_subject: "Se ha eliminado una llave de acceso de tu cuenta de {site}",
    passkey_deleted: "Se ha eliminado la llave de acceso «{name}» de tu cuenta de {site}.",
    password_set_subject: "Se ha establecido una contraseña para tu cuenta de {site}",
    password_set: "Se ha establecido una contraseña para tu cuenta de {site}.",
    password_changed_subject: "Se ha cambiado tu contraseña de {site}",
    password_changed: "Se ha cambiado la contraseña de tu cuenta de {site}.",
    password_reset_subject: "Se ha restablecido tu contraseña de {site}",
    password_reset: "Se ha restablecido la contraseña de tu cuenta de {site} con un enlace enviado a esta dirección.",
    recovered_subject: "Se ha creado una llave de acceso nueva para tu cuenta de {site}",
    recovered: "Se ha creado la llave de acceso «{name}» para tu cuenta de {site} con un enlace enviado a esta dirección, y se han cerrado todas las sesiones de la cuenta.",
    keeps_nothing: "Ahora la nueva llave de acceso es la única forma de acceder a la cuenta.",
    keeps_password: "Tu contraseña sigue funcionando.",
    keeps_other_passkey: "Tu otra llave de acceso sigue funcionando.",
    keeps_other_passkey_and_password: "Tu otra llave de acceso y tu contraseña siguen funcionando.",
    keeps_other_passkeys: "Tus otras llaves de acceso siguen funcionando.",
    keeps_other_passkeys_and_password: "Tus otras llaves de acceso y tu contraseña siguen funcionando.",
    yours_alone_subject: "Tu cuenta de {site} ya es solo tuya",
    account_claimed: "Se ha restablecido la contraseña de tu cuenta de {site} con un enlace enviado a esta dirección. Era la primera vez que se confirmaba esta dirección, así que se ha eliminado todo lo que se había creado antes en la cuenta, ya que otra persona podría haberlo creado con tu dirección: sus llaves de acceso y todas sus sesiones. Inicia sesión con la contraseña nueva y vuelve a añadir una llave de acceso.",
    claimed_with_passkey: "Se ha creado la llave de acceso «{name}» para tu cuenta de {site} con un enlace enviado a esta dirección. Era la primera vez que se confirmaba esta dirección, así que se ha eliminado todo lo que se había creado antes en la cuenta, ya que otra persona podría haberlo creado con tu dirección: sus llaves de acceso, su contraseña y todas sus sesiones. Ahora la nueva llave de acceso es la única forma de acceder a la cuenta.",
    account_taken_back: "Nos has dicho que no creaste esta cuenta de {site}, que se abrió con tu dirección. Se ha eliminado todo lo que se había creado en ella: sus llaves de acceso, su contraseña y todas sus sesiones. Ahora la cuenta es tuya: elige una contraseña con «¿Olvidaste tu contraseña?» en la página de inicio de sesión y después añade una llave de acceso.",
    email_changed_subject: "Tu cuenta de {site} usa ahora otro correo electrónico",
    email_changed: "Tu cuenta de {site} usa ahora {to} en lugar de esta dirección. Los correos sobre la cuenta se enviarán allí.",
    notice_advice: "Si has sido tú, no tienes que hacer nada. Si no, inicia sesión y revisa ahora mismo tus llaves de acceso, tu contraseña y tus sesiones:",

    change_subject: "Confirma tu nuevo correo electrónico para {site}",
    change_asked: "Alguien ha pedido usar esta dirección para una cuenta de {site}.",
    change_instruction: "Para hacer el cambio, abre este enlace en las próximas 24 horas, en el mismo navegador desde el que lo pediste:",
    address_in_use_subject: "Tu correo electrónico y {site}",
    address_in_use: "Alguien ha pedido usar esta dirección para una cuenta de {site}, pero ya tiene una cuenta de {site}, así que no se ha cambiado nada.",

    code_subject: "Tu código para registrarte en {site}",
    code_asked: "Alguien está creando una cuenta de {site} con esta dirección.",
    code_instruction: "Para continuar, introduce este código en los próximos 15 minutos:",
    code_ignore: "Si no has sido tú, ignora este correo: sin el código no se crea ninguna cuenta.",
    account_exists_subject: "Ya tienes una cuenta de {site}",
    account_exists: "Alguien ha intentado registrarse en {site} con esta dirección, pero ya tiene una cuenta de {site}, así que no se ha enviado ningún código.",
    account_exists_advice: "Para iniciar sesión, usa tu llave de acceso o tu contraseña en la página de inicio de sesión. Si no puedes, pulsa allí «¿No puedes iniciar sesión?» y te enviaremos por correo una forma de recuperar el acceso.",

    verify_subject: "Verifica tu correo electrónico para {site}",
    verify_asked: "Alguien ha creado una cuenta de {site} con esta dirección.",
    verify_instruction: "Abre este enlace en las próximas 24 horas para verificar tu correo electrónico:",
    verify_not_you: "Si no has sido tú, abre igualmente el enlace: desde esa página puedes reclamar la cuenta, y quien se registró perderá cualquier forma de acceder a ella.",

    reset_subject: "Recupera el acceso a tu cuenta de {site}",
    reset_asked: "Alguien ha pedido recuperar el acceso a tu cuenta de {site}.",
    reset_instruction: "Para crear una llave de acceso nueva en este dispositivo o elegir una contraseña nueva, abre este enlace en los próximos 15 minutos:",
};
