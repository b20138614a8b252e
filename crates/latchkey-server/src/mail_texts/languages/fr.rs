//! French.

use crate::mail_texts::MailTexts;

/// French, with "vous", as the login widget speaks it.
pub(super) const TEXTS: MailTexts = MailTexts {
    when_line: "Date\u{202f}: {time}",
    from_line: "Provenance\u{202f}: {device}",
    unknown_browser: "navigateur inconnu",
    browser_on_system: "{browser} sous {system}",
    ignore_nothing_changes: "Si vous n'êtes pas à l'origine de cette demande, ignorez cet e-mail\u{202f}: rien ne changera.",
    nothing_to_do: "Si vous n'êtes pas à l'origine de cette demande, vous n'avez rien à faire.",

    passkey_added_subject: "Une clé d'accès a été ajoutée à votre compte {site}",
    passkey_added: "La clé d'accès «\u{202f}{name}\u{202f}» a été ajoutée à votre compte {site}.",
    passkey_deleted_subject: "Une clé d'accès a été supprimée de votre compte {site}",
    passkey_deleted: "La clé d'accès «\u{202f}{name}\u{202f}» a été supprimée de votre compte {site}.",
    password_set_subject: "Un mot de passe a été défini pour votre compte {site}",
    password_set: "Un mot de passe a été défini pour votre compte {site}.",
    password_changed_subject: "Votre mot de passe {site} a été modifié",
    password_changed: "Le mot de passe de votre compte {site} a été modifié.",
    password_reset_subject: "Votre mot de passe {site} a été réinitialisé",
    password_reset: "Le mot de passe de votre compte {site} a été réinitialisé à l'aide d'un lien envoyé à cette adresse.",
    recovered_subject: "Une nouvelle clé d'accès a été créée pour votre compte {site}",
    recovered: "La clé d'accès «\u{202f}{name}\u{202f}» a été créée pour votre compte {site} à l'aide d'un lien envoyé à cette adresse, et toutes les sessions du compte ont été fermées.",
    keeps_nothing: "La nouvelle clé d'accès est désormais le seul moyen d'accéder au compte.",
    keeps_password: "Votre mot de passe fonctionne toujours.",
    keeps_other_passkey: "Votre autre clé d'accès fonctionne toujours.",
    keeps_other_passkey_and_password: "Votre autre clé d'accès et votre mot de passe fonctionnent toujours.",
    keeps_other_passkeys: "Vos autres clés d'accès fonctionnent toujours.",
    keeps_other_passkeys_and_password: "Vos autres clés d'accès et votre mot de passe fonctionnent toujours.",
    yours_alone_subject: "Votre compte {site} n'appartient plus qu'à vous",
    account_claimed: "Le mot de passe de votre compte {site} a été réinitialisé à l'aide d'un lien envoyé à cette adresse. C'était la première fois que cette adresse était confirmée. Tout ce qui avait été créé sur le compte auparavant, et qu'une autre personne aurait pu créer avec votre adresse, a donc été supprimé\u{202f}: ses clés d'accès et toutes ses sessions. Connectez-vous avec le nouveau mot de passe, puis ajoutez de nouveau une clé d'accès.",
    claimed_with_passkey: "La clé d'accès «\u{202f}{name}\u{202f}» a été créée pour votre compte {site} à l'aide d'un lien envoyé à cette adresse. C'était la première fois que cette adresse était confirmée. Tout ce qui avait été créé sur le compte auparavant, et qu'une autre personne aurait pu créer avec votre adresse, a donc été supprimé\u{202f}: ses clés d'accès, son mot de passe et toutes ses sessions. La nouvelle clé d'accès est désormais le seul moyen d'accéder au compte.",
    account_taken_back: "Vous nous avez indiqué ne pas avoir créé ce compte {site}, ouvert avec votre adresse. Tout ce qui y avait été créé a été supprimé\u{202f}: ses clés d'accès, son mot de passe et toutes ses sessions. Le compte est désormais le vôtre\u{202f}: choisissez un mot de passe via «\u{202f}Mot de passe oublié\u{202f}?\u{202f}» sur la page de connexion, puis ajoutez une clé d'accès.",
    email_changed_subject: "Votre compte {site} utilise désormais une autre adresse e-mail",
    email_changed: "Votre compte {site} utilise désormais {to} au lieu de cette adresse. Les e-mails concernant le compte y seront envoyés.",
    notice_advice: "Si c'était vous, vous n'avez rien à faire. Sinon, connectez-vous et vérifiez dès maintenant vos clés d'accès, votre mot de passe et vos sessions\u{202f}:",

    change_subject: "Confirmez votre nouvelle adresse e-mail pour {site}",
    change_asked: "Quelqu'un a demandé à utiliser cette adresse pour un compte {site}.",
    change_instruction: "Pour effectuer la modification, ouvrez ce lien dans les 24 heures, dans le navigateur depuis lequel vous l'avez demandée\u{202f}:",
    address_in_use_subject: "Votre adresse e-mail et {site}",
    address_in_use: "Quelqu'un a demandé à utiliser cette adresse pour un compte {site}, mais elle est déjà associée à un compte {site}. Rien n'a donc été modifié.",

    code_subject: "Votre code d'inscription à {site}",
    code_asked: "Quelqu'un est en train de créer un compte {site} avec cette adresse.",
    code_instruction: "Pour continuer, saisissez ce code dans les 15 minutes\u{202f}:",
    code_ignore: "Si vous n'êtes pas à l'origine de cette demande, ignorez cet e-mail\u{202f}: aucun compte n'est créé sans ce code.",
    account_exists_subject: "Vous avez déjà un compte {site}",
    account_exists: "Quelqu'un a tenté de s'inscrire à {site} avec cette adresse, mais elle est déjà associée à un compte {site}. Aucun code n'a donc été envoyé.",
    account_exists_advice: "Pour vous connecter, utilisez votre clé d'accès ou votre mot de passe sur la page de connexion. Si vous n'y parvenez pas, le lien «\u{202f}Impossible de vous connecter\u{202f}?\u{202f}» de cette page vous enverra par e-mail un moyen de retrouver l'accès à votre compte.",

    verify_subject: "Vérifiez votre adresse e-mail pour {site}",
    verify_asked: "Quelqu'un a créé un compte {site} avec cette adresse.",
    verify_instruction: "Ouvrez ce lien dans les 24 heures pour vérifier votre adresse e-mail\u{202f}:",
    verify_not_you: "Si vous n'êtes pas à l'origine de cette inscription, ouvrez quand même le lien\u{202f}: la page vous permet de reprendre le compte, et la personne qui s'est inscrite perd tout moyen d'y accéder.",

    reset_subject: "Retrouvez l'accès à votre compte {site}",
    reset_asked: "Quelqu'un a demandé à retrouver l'accès à votre compte {site}.",
    reset_instruction: "Pour créer une nouvelle clé d'accès sur cet appareil ou choisir un nouveau mot de passe, ouvrez ce lien dans les 15 minutes\u{202f}:",
};
