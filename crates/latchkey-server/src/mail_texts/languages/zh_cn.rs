//! Chinese (Simplified).

use crate::mail_texts::MailTexts;

/// Simplified Chinese, addressing the reader as 您 as mainland sites' security mails do.
pub(super) const TEXTS: MailTexts = MailTexts {
    when_line: "时间：{time}",
    from_line: "来源：{device}",
    unknown_browser: "未知浏览器",
    browser_on_system: "{system} 上的 {browser}",
    ignore_nothing_changes: "如果这不是您本人的操作，请忽略此邮件，不会有任何更改。",
    nothing_to_do: "如果这不是您本人的操作，您无需做任何处理。",

    passkey_added_subject: "您的 {site} 账号已添加通行密钥",
    passkey_added: "您的 {site} 账号已添加通行密钥“{name}”。",
    passkey_deleted_subject: "您的 {site} 账号已删除一个通行密钥",
    passkey_deleted: "您的 {site} 账号中的通行密钥“{name}”已被删除。",
    password_set_subject: "您的 {site} 账号已设置密码",
    password_set: "您的 {site} 账号已设置密码。",
    password_changed_subject: "您的 {site} 密码已修改",
    password_changed: "您的 {site} 账号密码已修改。",
    password_reset_subject: "您的 {site} 密码已重置",
    password_reset: "您的 {site} 账号密码已通过发送到此邮箱的链接重置。",
    recovered_subject: "已为您的 {site} 账号创建新的通行密钥",
    recovered: "已通过发送到此邮箱的链接为您的 {site} 账号创建通行密钥“{name}”，该账号的所有会话均已退出登录。",
    keeps_nothing: "现在，新的通行密钥是该账号唯一的登录方式。",
    keeps_password: "您的密码仍可使用。",
    keeps_other_passkey: "您的另一个通行密钥仍可使用。",
    keeps_other_passkey_and_password: "您的另一个通行密钥和密码仍可使用。",
    keeps_other_passkeys: "您的其他通行密钥仍可使用。",
    keeps_other_passkeys_and_password: "您的其他通行密钥和密码仍可使用。",
    yours_alone_subject: "您的 {site} 账号现在只属于您",
    account_claimed: "您的 {site} 账号密码已通过发送到此邮箱的链接重置。由于这是此邮箱地址首次通过验证，而账号此前的内容可能是他人用您的邮箱地址创建的，因此这些内容已全部删除，包括账号的通行密钥和所有会话。请使用新密码登录，然后重新添加通行密钥。",
    claimed_with_passkey: "已通过发送到此邮箱的链接为您的 {site} 账号创建通行密钥“{name}”。由于这是此邮箱地址首次通过验证，而账号此前的内容可能是他人用您的邮箱地址创建的，因此这些内容已全部删除，包括账号的通行密钥、密码和所有会话。现在，新的通行密钥是该账号唯一的登录方式。",
    account_taken_back: "您告诉我们，这个用您的邮箱地址创建的 {site} 账号并不是您注册的。该账号中创建的所有内容均已删除，包括通行密钥、密码和所有会话。现在这个账号归您所有：请在登录页面通过“忘记密码？”设置密码，然后添加通行密钥。",
    email_changed_subject: "您的 {site} 账号已更换电子邮件地址",
    email_changed: "您的 {site} 账号现在使用 {to}，不再使用此邮箱地址。今后有关该账号的邮件将发送至新地址。",
    notice_advice: "如果是您本人的操作，则无需处理。如果不是，请立即登录并检查您的通行密钥、密码和会话：",

    change_subject: "请确认您在 {site} 的新电子邮件地址",
    change_asked: "有人申请将此邮箱地址用于一个 {site} 账号。",
    change_instruction: "如需完成更改，请在 24 小时内，使用提出申请时所用的浏览器打开此链接：",
    address_in_use_subject: "关于在 {site} 使用您的邮箱地址",
    address_in_use: "有人申请将此邮箱地址用于一个 {site} 账号，但此邮箱地址已注册了 {site} 账号，因此未做任何更改。",

    code_subject: "您的 {site} 注册验证码",
    code_asked: "有人正在使用此邮箱地址注册 {site} 账号。",
    code_instruction: "如需继续，请在 15 分钟内输入此验证码：",
    code_ignore: "如果这不是您本人的操作，请忽略此邮件。没有此验证码，无法创建账号。",
    account_exists_subject: "您已有 {site} 账号",
    account_exists: "有人尝试使用此邮箱地址注册 {site}，但此邮箱地址已有 {site} 账号，因此未发送验证码。",
    account_exists_advice: "如需登录，请在登录页面使用您的通行密钥或密码。如果无法登录，可点击该页面上的“无法登录？”，我们会发邮件帮您找回账号访问权限。",

    verify_subject: "请验证您在 {site} 的电子邮件地址",
    verify_asked: "有人使用此邮箱地址注册了 {site} 账号。",
    verify_instruction: "请在 24 小时内打开此链接，验证您的电子邮件地址：",
    verify_not_you: "如果这不是您本人的操作，也请打开此链接：您可以在该页面收回此账号，注册者将失去该账号的所有登录方式。",

    reset_subject: "找回您的 {site} 账号访问权限",
    reset_asked: "有人申请找回您的 {site} 账号访问权限。",
    reset_instruction: "如需在此设备上创建新的通行密钥或设置新密码，请在 15 分钟内打开此链接：",
};
