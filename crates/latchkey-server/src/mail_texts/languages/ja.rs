//! Japanese.

use crate::mail_texts::MailTexts;

/// Japanese, in the polite です/ます form Japanese sites' security mails use.
pub(super) const TEXTS: MailTexts = MailTexts {
    when_line: "日時：{time}",
    from_line: "アクセス元：{device}",
    unknown_browser: "不明なブラウザ",
    browser_on_system: "{browser}（{system}）",
    ignore_nothing_changes: "お心当たりがない場合は、このメールを破棄してください。何も変更されません。",
    nothing_to_do: "お心当たりがない場合も、特に対応は必要ありません。",

    passkey_added_subject: "{site} のアカウントにパスキーが追加されました",
    passkey_added: "{site} のアカウントにパスキー「{name}」が追加されました。",
    passkey_deleted_subject: "{site} のアカウントからパスキーが削除されました",
    passkey_deleted: "{site} のアカウントからパスキー「{name}」が削除されました。",
    password_set_subject: "{site} のアカウントにパスワードが設定されました",
    password_set: "{site} のアカウントにパスワードが設定されました。",
    password_changed_subject: "{site} のパスワードが変更されました",
    password_changed: "{site} のアカウントのパスワードが変更されました。",
    password_reset_subject: "{site} のパスワードが再設定されました",
    password_reset: "このメールアドレスにお送りしたリンクから、{site} のアカウントのパスワードが再設定されました。",
    recovered_subject: "{site} のアカウントに新しいパスキーが作成されました",
    recovered: "このメールアドレスにお送りしたリンクから、{site} のアカウントにパスキー「{name}」が作成されました。また、このアカウントでログイン中だったセッションはすべてログアウトされました。",
    keeps_nothing: "現在、このアカウントにログインできるのは新しいパスキーのみです。",
    keeps_password: "パスワードも引き続きご利用いただけます。",
    keeps_other_passkey: "もう一つのパスキーも引き続きご利用いただけます。",
    keeps_other_passkey_and_password: "もう一つのパスキーとパスワードも引き続きご利用いただけます。",
    keeps_other_passkeys: "ほかのパスキーも引き続きご利用いただけます。",
    keeps_other_passkeys_and_password: "ほかのパスキーとパスワードも引き続きご利用いただけます。",
    yours_alone_subject: "{site} のアカウントがお客様だけのものになりました",
    account_claimed: "このメールアドレスにお送りしたリンクから、{site} のアカウントのパスワードが再設定されました。このメールアドレスが確認されたのは今回が初めてです。そのため、お客様のメールアドレスを使って第三者が作成した可能性のある、それ以前のアカウントの内容（パスキーとすべてのセッション）はすべて削除されました。新しいパスワードでログインし、あらためてパスキーを追加してください。",
    claimed_with_passkey: "このメールアドレスにお送りしたリンクから、{site} のアカウントにパスキー「{name}」が作成されました。このメールアドレスが確認されたのは今回が初めてです。そのため、お客様のメールアドレスを使って第三者が作成した可能性のある、それ以前のアカウントの内容（パスキー、パスワード、すべてのセッション）はすべて削除されました。現在、このアカウントにログインできるのは新しいパスキーのみです。",
    account_taken_back: "お客様のメールアドレスで作成されたこの {site} のアカウントについて、ご自身で登録したものではないとのご連絡をいただきました。このアカウントで作成されたもの（パスキー、パスワード、すべてのセッション）はすべて削除されました。このアカウントは今後、お客様のアカウントとしてご利用いただけます。ログインページの「パスワードをお忘れですか？」からパスワードを設定したうえで、パスキーを追加してください。",
    email_changed_subject: "{site} のアカウントのメールアドレスが変更されました",
    email_changed: "{site} のアカウントのメールアドレスは、このアドレスから {to} に変更されました。今後、アカウントに関するメールはそちらに送信されます。",
    notice_advice: "お客様ご自身による操作であれば、対応は不要です。お心当たりがない場合は、今すぐログインして、パスキー、パスワード、セッションをご確認ください：",

    change_subject: "{site} の新しいメールアドレス確認のお願い",
    change_asked: "{site} のアカウントでこのメールアドレスを使用するリクエストがありました。",
    change_instruction: "変更を完了するには、リクエストを行ったブラウザで、24時間以内に次のリンクを開いてください：",
    address_in_use_subject: "{site} でのメールアドレスのご利用について",
    address_in_use: "{site} のアカウントでこのメールアドレスを使用するリクエストがありましたが、このメールアドレスはすでに {site} のアカウントで使用されているため、変更は行われませんでした。",

    code_subject: "{site} の登録用コード",
    code_asked: "このメールアドレスで {site} のアカウント登録が行われています。",
    code_instruction: "続行するには、15分以内に次のコードを入力してください：",
    code_ignore: "お心当たりがない場合は、このメールを破棄してください。このコードが入力されない限り、アカウントは作成されません。",
    account_exists_subject: "すでに {site} のアカウントをお持ちです",
    account_exists: "このメールアドレスで {site} への登録が試みられましたが、このメールアドレスの {site} のアカウントはすでに存在するため、コードは送信されていません。",
    account_exists_advice: "ログインするには、ログインページでパスキーまたはパスワードをご利用ください。ログインできない場合は、同じページの「ログインできませんか？」から、アカウントへのアクセスを回復するためのメールを受け取れます。",

    verify_subject: "{site} のメールアドレス確認のお願い",
    verify_asked: "このメールアドレスで {site} のアカウントが登録されました。",
    verify_instruction: "24時間以内に次のリンクを開いて、メールアドレスを確認してください：",
    verify_not_you: "お心当たりがない場合も、このリンクを開いてください。リンク先のページでアカウントを取り戻すことができ、登録した人はこのアカウントへのすべてのログイン手段を失います。",

    reset_subject: "{site} のアカウントへのアクセスを回復",
    reset_asked: "{site} のアカウントへのアクセスを回復するリクエストがありました。",
    reset_instruction: "このデバイスで新しいパスキーを作成するか、新しいパスワードを設定するには、15分以内に次のリンクを開いてください：",
};
