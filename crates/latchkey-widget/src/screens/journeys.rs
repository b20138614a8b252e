//! The pages of every screen after the first (see [`super`] for what a page is). They are built in the
//! chunk that loads when the person first acts; only the flow's later code calls [`page`].

use latchkey_proto::SessionInfo;

use super::{Page, around, sign_in_page, unsupported_page};
use crate::{
    catalog,
    flow::{Flow, Purpose, Screen},
};

/// The page of each screen.
pub(crate) fn page(flow: Flow, screen: Screen) -> Page {
    let email = flow.email();
    let other_device = flow.offers_other_device();
    match screen {
        Screen::Loading => Page::new(catalog::LOADING),
        Screen::SignIn => sign_in_page(flow),
        Screen::SignUp => {
            let mut page = Page::new(catalog::CREATE_ACCOUNT)
                .lead(around(catalog::SIGN_UP_FOR, &flow.app_name()), String::new())
                .field("email", "email", "email", email)
                .action(catalog::CONTINUE, Flow::continue_sign_up);
            page.switch = Some((catalog::HAVE_ACCOUNT, catalog::LOG_IN, Flow::back_to_sign_in));
            page
        }
        Screen::EnterCode => Page::new(catalog::CHECK_INBOX)
            .lead(catalog::CODE_SENT_TO, email.trim().to_owned())
            .note(catalog::CODE_EXPLAINED)
            .field("code", "text", "one-time-code", String::new())
            .action(catalog::CONTINUE, Flow::enter_code)
            .action(catalog::SEND_NEW_CODE, Flow::continue_sign_up)
            .action(catalog::OTHER_EMAIL, Flow::back_to_sign_up),
        Screen::CreatePasskey(purpose) => create_passkey_page(flow, purpose, email, other_device),
        Screen::PasskeyStep { second_factor } => {
            let title = if second_factor { catalog::CONFIRM_WITH_PASSKEY } else { catalog::USE_YOUR_PASSKEY };
            Page::new(title)
                .lead(catalog::FOR_ACCOUNT, email)
                .action(catalog::TRY_AGAIN, Flow::retry_passkey_step)
                .action_if(!second_factor, catalog::USE_PASSWORD, Flow::use_password)
                .action_if(!second_factor, catalog::CANT_SIGN_IN, Flow::forgot_password)
                .action(catalog::OTHER_ACCOUNT, Flow::back_to_sign_in)
        }
        Screen::Password => Page::new(catalog::ENTER_PASSWORD)
            .lead(catalog::FOR_ACCOUNT, email)
            .field("password", "password", "current-password", String::new())
            .action(catalog::CONTINUE, Flow::password_sign_in)
            .action(catalog::FORGOT_PASSWORD, Flow::forgot_password)
            .action(catalog::OTHER_ACCOUNT, Flow::back_to_sign_in),
        Screen::NewPassword { reset: true } => Page::new(catalog::NEW_PASSWORD)
            .note(catalog::PASSWORD_RULES)
            .field("password", "password", "new-password", String::new())
            .action(catalog::SAVE_PASSWORD, Flow::save_password)
            .action(catalog::BACK_TO_LOG_IN, Flow::back_to_sign_in),
        Screen::NewPassword { reset: false } => Page::new(catalog::CREATE_PASSWORD)
            .lead(catalog::FOR_ACCOUNT, email)
            .note(catalog::PASSWORD_RULES)
            .field("password", "password", "new-password", String::new())
            .action(catalog::CREATE_ACCOUNT_BUTTON, Flow::save_password)
            .action(catalog::GO_BACK, Flow::back_to_sign_up),
        Screen::Recover => recover_page(flow),
        Screen::Forgot => Page::new(catalog::RESET_PASSWORD)
            .note(catalog::RESET_EXPLAINED)
            .field("email", "email", "username", email)
            .action(catalog::SEND_LINK, Flow::send_reset_link)
            .action(catalog::BACK_TO_LOG_IN, Flow::back_to_sign_in),
        Screen::ForgotSent => Page::new(catalog::CHECK_INBOX)
            .note(around(catalog::LINK_SENT, email.trim()))
            .action(catalog::BACK_TO_LOG_IN, Flow::back_to_sign_in),
        Screen::NamePasskey => Page::new(catalog::NAME_PASSKEY)
            .note(catalog::NAME_WHY)
            .field("name", "text", "off", flow.passkey_name())
            .action(catalog::SUBMIT, Flow::save_passkey_name)
            .action(catalog::SKIP, Flow::skip_passkey_name),
        Screen::SignedIn => flow.shown_session().map_or_else(|| Page::new(catalog::LOADING), signed_in_page),
        Screen::Unsupported => unsupported_page(),
    }
}

/// "Get back into your account", a reset link's choice: a new passkey on this device, unless the account
/// has as many as it may, or a new password.
fn recover_page(flow: Flow) -> Page {
    let page = Page::new(catalog::RECOVER_TITLE);
    let page = match flow.recovery_note() {
        Some(note) => page.note(note),
        None => page,
    };
    if flow.recovery_offers_passkey() {
        page.action(catalog::CREATE_PASSKEY_HERE, Flow::recover_with_passkey)
            .action(catalog::NEW_PASSWORD_INSTEAD, Flow::recover_with_password)
    } else {
        page.action(catalog::NEW_PASSWORD, Flow::recover_with_password)
    }
    .action(catalog::BACK_TO_LOG_IN, Flow::back_to_sign_in)
}

/// "Create a passkey…", for a sign-up, progressive or local enrollment, or the second-factor policy.
fn create_passkey_page(flow: Flow, purpose: Purpose, email: String, other_device: bool) -> Page {
    let email = flow.account_email().unwrap_or(email);
    match purpose {
        Purpose::SignUp => {
            let mut page = Page::new(around(catalog::CREATE_PASSKEY_FOR, &flow.app_name()))
                .lead(catalog::FOR_ACCOUNT, email)
                .action(catalog::CREATE_NEW_PASSKEY, Flow::create_passkey)
                .action_if(other_device, catalog::TRY_ANOTHER_WAY, Flow::create_passkey_elsewhere)
                .action(catalog::WITHOUT_PASSKEY, Flow::without_passkey)
                .action(catalog::GO_BACK, Flow::back_to_sign_up);
            page.benefits = true;
            page
        }
        Purpose::Upgrade | Purpose::Local => {
            let page = if purpose == Purpose::Local {
                Page::new(catalog::PASSKEY_HERE).note(catalog::PASSKEY_HERE_WHY)
            } else {
                Page::new(catalog::SIGN_IN_FASTER).lead(catalog::FOR_ACCOUNT, email)
            };
            let mut page = page
                .action(catalog::CREATE_PASSKEY, Flow::create_passkey)
                .action(catalog::NOT_NOW, Flow::not_now)
                .action(catalog::DONT_ASK, Flow::dont_ask_again);
            page.benefits = purpose == Purpose::Upgrade;
            page
        }
        Purpose::SecondFactor => {
            let mut page = Page::new(catalog::PASSKEY_REQUIRED)
                .lead(catalog::FOR_ACCOUNT, email)
                .action(catalog::CREATE_PASSKEY, Flow::create_passkey)
                .action_if(other_device, catalog::TRY_ANOTHER_WAY, Flow::create_passkey_elsewhere)
                .action(catalog::OTHER_ACCOUNT, Flow::back_to_sign_in);
            page.benefits = true;
            page
        }
    }
}

/// Who is signed in, and the way out.
fn signed_in_page(session: SessionInfo) -> Page {
    let user = session.user;
    let page = Page::new(catalog::SIGNED_IN).action(catalog::SIGN_OUT, Flow::sign_out);
    let page = if user.email != user.display_name { page.note(user.email) } else { page };
    page.lead(catalog::SIGNED_IN_AS, user.display_name)
}
