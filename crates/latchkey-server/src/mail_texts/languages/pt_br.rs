//! Portuguese (Brazil).

use crate::mail_texts::MailTexts;

/// Brazilian Portuguese, with "você", as the login widget speaks it.
pub(super) const TEXTS: MailTexts = MailTexts {
    when_line: "Quando: {time}",
    from_line: "De onde: {device}",
    unknown_browser: "um navegador desconhecido",
    browser_on_system: "{browser} no {system}",
    ignore_nothing_changes: "Se não foi você, ignore este e-mail: nada será alterado.",
    nothing_to_do: "Se não foi você, não é preciso fazer nada.",

    passkey_added_subject: "Uma chave de acesso foi adicionada à sua conta {site}",
    passkey_added: "A chave de acesso “{name}” foi adicionada à sua conta {site}.",
    passkey_deleted_subject: "Uma chave de acesso foi removida da sua conta {site}",
    passkey_deleted: "A chave de acesso “{name}” foi removida da sua conta {site}.",
    password_set_subject: "Uma senha foi criada para sua conta {site}",
    password_set: "Uma senha foi criada para sua conta {site}.",
    password_changed_subject: "A senha da sua conta {site} foi alterada",
    password_changed: "A senha da sua conta {site} foi alterada.",
    password_reset_subject: "A senha da sua conta {site} foi redefinida",
    password_reset: "A senha da sua conta {site} foi redefinida com um link enviado para este endereço.",
    recovered_subject: "Uma nova chave de acesso foi criada para sua conta {site}",
    recovered: "A chave de acesso “{name}” foi criada para sua conta {site} com um link enviado para este endereço, e todas as sessões da conta foram encerradas.",
    keeps_nothing: "Agora, a nova chave de acesso é a única forma de entrar na conta.",
    keeps_password: "Sua senha continua funcionando.",
    keeps_other_passkey: "Sua outra chave de acesso continua funcionando.",
    keeps_other_passkey_and_password: "Sua outra chave de acesso e sua senha continuam funcionando.",
    keeps_other_passkeys: "Suas outras chaves de acesso continuam funcionando.",
    keeps_other_passkeys_and_password: "Suas outras chaves de acesso e sua senha continuam funcionando.",
    yours_alone_subject: "Agora sua conta {site} é só sua",
    account_claimed: "A senha da sua conta {site} foi redefinida com um link enviado para este endereço. Como foi a primeira vez que este endereço foi confirmado, tudo o que havia sido criado antes na conta, e que outra pessoa poderia ter criado usando seu endereço, foi apagado: as chaves de acesso e todas as sessões. Entre com a nova senha e adicione uma chave de acesso novamente.",
    claimed_with_passkey: "A chave de acesso “{name}” foi criada para sua conta {site} com um link enviado para este endereço. Como foi a primeira vez que este endereço foi confirmado, tudo o que havia sido criado antes na conta, e que outra pessoa poderia ter criado usando seu endereço, foi apagado: as chaves de acesso, a senha e todas as sessões. Agora, a nova chave de acesso é a única forma de entrar na conta.",
    account_taken_back: "Você nos informou que não criou esta conta {site}, que foi feita com o seu endereço de e-mail. Tudo o que havia nela foi apagado: as chaves de acesso, a senha e todas as sessões. Agora a conta é sua: escolha uma senha em “Esqueceu a senha?” na página de login e depois adicione uma chave de acesso.",
    email_changed_subject: "Sua conta {site} agora usa outro e-mail",
    email_changed: "Sua conta {site} agora usa o endereço {to} em vez deste. Os e-mails sobre a conta serão enviados para lá.",
    notice_advice: "Se foi você, não é preciso fazer nada. Se não foi, entre agora e confira suas chaves de acesso, sua senha e suas sessões:",

    change_subject: "{site}: confirme seu novo e-mail",
    change_asked: "Alguém pediu para usar este endereço em uma conta {site}.",
    change_instruction: "Para fazer a alteração, abra este link em até 24 horas, no mesmo navegador em que o pedido foi feito:",
    address_in_use_subject: "{site}: sobre seu endereço de e-mail",
    address_in_use: "Alguém pediu para usar este endereço em uma conta {site}, mas já existe uma conta {site} com este endereço, então nada foi alterado.",

    code_subject: "{site}: seu código de cadastro",
    code_asked: "Alguém está criando uma conta {site} com este endereço.",
    code_instruction: "Para continuar, digite este código em até 15 minutos:",
    code_ignore: "Se não foi você, ignore este e-mail: nenhuma conta é criada sem o código.",
    account_exists_subject: "Você já tem uma conta {site}",
    account_exists: "Alguém tentou criar uma conta {site} com este endereço, mas já existe uma conta {site} com ele, então nenhum código foi enviado.",
    account_exists_advice: "Para entrar, use sua chave de acesso ou sua senha na página de login. Se não conseguir, use a opção “Não consegue entrar?” dessa página para receber por e-mail uma forma de recuperar o acesso.",

    verify_subject: "{site}: confirme seu e-mail",
    verify_asked: "Alguém criou uma conta {site} com este endereço.",
    verify_instruction: "Abra este link em até 24 horas para confirmar seu e-mail:",
    verify_not_you: "Se não foi você, abra o link mesmo assim: na página dele, você pode retomar a conta, e quem fez o cadastro perde todo o acesso a ela.",

    reset_subject: "Recupere o acesso à sua conta {site}",
    reset_asked: "Alguém pediu para recuperar o acesso à sua conta {site}.",
    reset_instruction: "Para criar uma nova chave de acesso neste aparelho ou escolher uma nova senha, abra este link em até 15 minutos:",
};
