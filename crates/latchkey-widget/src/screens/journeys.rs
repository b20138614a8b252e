//! The pages of every screen after the first (see [`super`] for what a page is). They are built in the
//! chunk that loads when the person first acts; only the flow's later code calls [`page`].

use latchkey_proto::SessionInfo;

use super::{Page, sign_in_page, unsupported_page};
use crate::{
    catalog::{Lang, around},
    flow::{Flow, Purpose, Screen},
};

/// The page of each screen.
pub(crate) fn page(flow: Flow, screen: Screen) -> Page {
    let t = flow.lang();
    let email = flow.email();
    let other_device = flow.offers_other_device();
    match screen {
        Screen::Loading => Page::new(t.loading()),
        Screen::SignIn => sign_in_page(flow),
        Screen::SignUp => {
            let mut page = Page::new(t.create_account())
                .lead(around(t.sign_up_for(), &flow.app_name()), String::new())
                .field("email", t.email_label(), "email", "email", email)
                .action(t.continue_button(), Flow::continue_sign_up);
            page.switch = Some((t.have_account(), t.log_in(), Flow::back_to_sign_in));
            page
        }
        Screen::EnterCode => Page::new(t.check_inbox())
            .lead(t.code_sent_to(), email.trim().to_owned())
            .note(t.code_explained())
            .field("code", t.code_label(), "text", "one-time-code", String::new())
            .action(t.continue_button(), Flow::enter_code)
            .action(t.send_new_code(), Flow::continue_sign_up)
            .action(t.other_email(), Flow::back_to_sign_up),
        Screen::CreatePasskey(purpose) => create_passkey_page(flow, purpose, email, other_device),
        Screen::PasskeyStep { second_factor } => {
            let title = if second_factor { t.confirm_with_passkey() } else { t.use_your_passkey() };
            Page::new(title)
                .lead(t.for_account(), email)
                .action(t.try_again(), Flow::retry_passkey_step)
                .action_if(!second_factor, t.use_password(), Flow::use_password)
                .action_if(!second_factor, t.cant_sign_in(), Flow::forgot_password)
                .action(t.other_account(), Flow::back_to_sign_in)
        }
        Screen::Password => Page::new(t.enter_password())
            .lead(t.for_account(), email)
            .field("password", t.password_label(), "password", "current-password", String::new())
            .action(t.continue_button(), Flow::password_sign_in)
            .action(t.forgot_password(), Flow::forgot_password)
            .action(t.other_account(), Flow::back_to_sign_in),
        Screen::NewPassword { reset: true } => Page::new(t.new_password())
            .note(t.password_rules())
            .field("password", t.password_label(), "password", "new-password", String::new())
            .action(t.save_password(), Flow::save_password)
            .action(t.back_to_log_in(), Flow::back_to_sign_in),
        Screen::NewPassword { reset: false } => Page::new(t.create_password())
            .lead(t.for_account(), email)
            .note(t.password_rules())
            .field("password", t.password_label(), "password", "new-password", String::new())
            .action(t.create_account_button(), Flow::save_password)
            .action(t.go_back(), Flow::back_to_sign_up),
        Screen::Recover => recover_page(flow),
        Screen::Forgot => Page::new(t.reset_password())
            .note(t.reset_explained())
            .field("email", t.email_label(), "email", "username", email)
            .action(t.send_link(), Flow::send_reset_link)
            .action(t.back_to_log_in(), Flow::back_to_sign_in),
        Screen::ForgotSent => Page::new(t.check_inbox())
            .note(around(t.link_sent(), email.trim()))
            .action(t.back_to_log_in(), Flow::back_to_sign_in),
        Screen::NamePasskey => Page::new(t.name_passkey())
            .note(t.name_why())
            .field("name", t.name_label(), "text", "off", flow.passkey_name())
            .action(t.submit(), Flow::save_passkey_name)
            .action(t.skip(), Flow::skip_passkey_name),
        Screen::SignedIn => flow.shown_session().map_or_else(|| Page::new(t.loading()), |s| signed_in_page(t, s)),
        Screen::Unsupported => unsupported_page(t),
    }
}

/// "Get back into your account", a reset link's choice: a new passkey on this device, unless the account
/// has as many as it may, or a new password.
fn recover_page(flow: Flow) -> Page {
    let t = flow.lang();
    let page = Page::new(t.recover_title());
    let page = match flow.recovery_note() {
        Some(note) => page.note(note),
        None => page,
    };
    if flow.recovery_offers_passkey() {
        page.action(t.create_passkey_here(), Flow::recover_with_passkey)
            .action(t.new_password_instead(), Flow::recover_with_password)
    } else {
        page.action(t.new_password(), Flow::recover_with_password)
    }
    .action(t.back_to_log_in(), Flow::back_to_sign_in)
}

/// "Create a passkey…", for a sign-up, progressive or local enrollment, or the second-factor policy.
fn create_passkey_page(flow: Flow, purpose: Purpose, email: String, other_device: bool) -> Page {
    let t = flow.lang();
    let email = flow.account_email().unwrap_or(email);
    match purpose {
        Purpose::SignUp => {
            let mut page = Page::new(around(t.create_passkey_for(), &flow.app_name()))
                .lead(t.for_account(), email)
                .action(t.create_new_passkey(), Flow::create_passkey)
                .action_if(other_device, t.try_another_way(), Flow::create_passkey_elsewhere)
                .action(t.without_passkey(), Flow::without_passkey)
                .action(t.go_back(), Flow::back_to_sign_up);
            page.benefits = Some(t.benefits());
            page
        }
        Purpose::Upgrade | Purpose::Local => {
            let page = if purpose == Purpose::Local {
                Page::new(t.passkey_here()).note(t.passkey_here_why())
            } else {
                Page::new(t.sign_in_faster()).lead(t.for_account(), email)
            };
            let mut page = page
                .action(t.create_passkey(), Flow::create_passkey)
                .action(t.not_now(), Flow::not_now)
                .action(t.dont_ask(), Flow::dont_ask_again);
            page.benefits = (purpose == Purpose::Upgrade).then(|| t.benefits());
            page
        }
        Purpose::SecondFactor => {
            let mut page = Page::new(t.passkey_required())
                .lead(t.for_account(), email)
                .action(t.create_passkey(), Flow::create_passkey)
                .action_if(other_device, t.try_another_way(), Flow::create_passkey_elsewhere)
                .action(t.other_account(), Flow::back_to_sign_in);
            page.benefits = Some(t.benefits());
            page
        }
    }
}

/// Who is signed in, and the way out.
fn signed_in_page(t: Lang, session: SessionInfo) -> Page {
    let user = session.user;
    let page = Page::new(t.signed_in()).action(t.sign_out(), Flow::sign_out);
    let page = if user.email != user.display_name { page.note(user.email) } else { page };
    page.lead(t.signed_in_as(), user.display_name)
}
