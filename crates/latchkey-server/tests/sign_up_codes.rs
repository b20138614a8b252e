//! Email verification before sign-up (`email_verification = "before_sign_up"`), on either engine: a
//! sign-up is mailed a code and makes its account only with the proof the code is exchanged for, so
//! nobody can make an account with an address whose mailbox they cannot read; an address with an
//! account gets the same answer, and its owner a mail saying so.
#![allow(clippy::unwrap_used, missing_docs)]

mod support;

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use latchkey_server::config::EmailVerification;
use serde_json::{Value, json};
use support::{Algorithm, Device, TestServer};

const STRONG: &str = "velvet-anchor-tulip-92";
const CODE_SUBJECT: &str = "Subject: Your code to sign up for Latchkey demo";

fn before_sign_up() -> TestServer {
    TestServer::with_config(|c| c.email_verification = EmailVerification::BeforeSignUp)
}

/// The six-digit code in a code mail: the line after "enter this code".
fn code_in(mail: &str) -> String {
    let after = &mail[mail.find("enter this code").expect("a code mail")..];
    let code = after.lines().map(str::trim).find(|l| l.len() == 6 && l.bytes().all(|b| b.is_ascii_digit()));
    code.expect("six digits").to_owned()
}

/// Waits until `count` code mails have gone to `to`, and returns their codes.
async fn codes_to(server: &TestServer, to: &str, count: usize) -> Vec<String> {
    let to_line = format!("To: {to}\r\n");
    let codes = || {
        let mails = server.mails().into_iter().filter(|m| m.contains(&to_line) && m.contains(CODE_SUBJECT));
        mails.map(|m| code_in(&m)).collect::<Vec<_>>()
    };
    server.wait_for_mail(&format!("number {count} with a code to {to}"), |_| codes().len() >= count).await;
    codes()
}

/// The code of the one code mail to `to`.
async fn code_to(server: &TestServer, to: &str) -> String {
    let codes = codes_to(server, to, 1).await;
    assert_eq!(codes.len(), 1, "{codes:?}");
    codes[0].clone()
}

async fn ask_code(server: &TestServer, email: &str) -> Value {
    let answer = server.post("/api/signup/start", &json!({ "email": email })).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.body
}

async fn enter(server: &TestServer, email: &str, code: &str) -> support::Answer {
    server.post("/api/signup/code", &json!({ "email": email, "code": code })).await
}

/// A code that is not `code` (the server's codes are six digits).
fn another(code: &str) -> String {
    format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000)
}

async fn email_verified(server: &TestServer, cookie: &str) -> bool {
    server.get_with_cookie("/api/account", cookie).await.body["emailVerified"].as_bool().unwrap()
}

#[tokio::test]
async fn a_passkey_sign_up_enters_the_mailed_code_first_and_the_account_starts_verified() {
    let server = before_sign_up();
    let answer = ask_code(&server, "ada@example.com").await;
    assert_eq!(answer, json!({ "codeSent": true }), "no ceremony before the code");
    let code = code_to(&server, "ada@example.com").await;

    let wrong = enter(&server, "ada@example.com", &another(&code)).await;
    assert_eq!((wrong.status, wrong.code()), (StatusCode::BAD_REQUEST, "email_code_invalid"));
    let not_digits = enter(&server, "ada@example.com", "12345").await;
    assert_eq!(not_digits.code(), "email_code_invalid");
    let elsewhere = enter(&server, "bob@example.com", &code).await;
    assert_eq!(elsewhere.code(), "email_code_invalid", "a code works only for its address");

    // People copy codes with spaces; the address's case does not matter.
    let spaced = format!("{} {}", &code[..3], &code[3..]);
    let proved = enter(&server, "Ada@Example.com", &spaced).await;
    assert_eq!(proved.status, StatusCode::OK, "{}", proved.body);
    let proof = proved.body["proof"].as_str().unwrap().to_owned();
    assert_eq!(enter(&server, "ada@example.com", &code).await.code(), "email_code_invalid", "single use");

    let started = server.post("/api/signup/start", &json!({ "email": "ada@example.com", "proof": proof })).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let mut device = Device::new(Algorithm::Es256);
    let credential = device.create(&started.body["publicKey"]).await;
    let ceremony = started.body["ceremony"].as_str().unwrap();
    let signed_up = server.finish("/api/signup/finish", ceremony, &credential).await;
    assert_eq!(signed_up.status, StatusCode::OK, "{}", signed_up.body);
    assert!(email_verified(&server, &signed_up.cookie.unwrap()).await);
    assert!(
        !server.mails().iter().any(|m| m.contains("Subject: Verify your email")),
        "the code proved the email, so no verification link follows"
    );

    // The proof was used up with the account.
    let again = server.post("/api/signup/start", &json!({ "email": "ada@example.com", "proof": proof })).await;
    assert_eq!((again.status, again.code()), (StatusCode::BAD_REQUEST, "email_code_invalid"));
    assert_eq!(server.counts().await.users, 1);
}

#[tokio::test]
async fn a_password_sign_up_needs_the_proof_and_starts_verified() {
    let server = before_sign_up();
    let refused = server.post("/api/password/signup", &json!({ "email": "ada@example.com", "password": STRONG })).await;
    assert_eq!(refused.code(), "email_code_invalid");

    ask_code(&server, "ada@example.com").await;
    let code = code_to(&server, "ada@example.com").await;
    let proof = enter(&server, "ada@example.com", &code).await.body["proof"].as_str().unwrap().to_owned();
    let body = json!({ "email": "ada@example.com", "password": STRONG, "proof": proof });
    let signed_up = server.post("/api/password/signup", &body).await;
    assert_eq!(signed_up.status, StatusCode::OK, "{}", signed_up.body);
    assert!(email_verified(&server, &signed_up.cookie.unwrap()).await);
    let twice = server
        .post("/api/password/signup", &json!({ "email": "ada@example.com", "password": STRONG, "proof": proof }))
        .await;
    assert_eq!(twice.code(), "email_code_invalid", "the proof is spent");
}

#[tokio::test]
async fn an_address_with_an_account_gets_the_same_answer_and_its_owner_a_mail_instead_of_a_code() {
    let server = before_sign_up();
    ask_code(&server, "ada@example.com").await;
    let code = code_to(&server, "ada@example.com").await;
    let proof = enter(&server, "ada@example.com", &code).await.body["proof"].as_str().unwrap().to_owned();
    let body = json!({ "email": "ada@example.com", "password": STRONG, "proof": proof });
    assert_eq!(server.post("/api/password/signup", &body).await.status, StatusCode::OK);

    let known = server.post("/api/signup/start", &json!({ "email": "ada@example.com" })).await;
    let unknown = server.post("/api/signup/start", &json!({ "email": "new@example.com" })).await;
    assert_eq!((known.status, &known.body), (unknown.status, &unknown.body), "no enumeration");
    let mail = server
        .wait_for_mail("saying ada has an account", |m| {
            m.contains("To: ada@example.com\r\n") && m.contains("Subject: You have a Latchkey demo account already")
        })
        .await;
    assert!(mail.contains("no code was sent") && mail.contains("Can't sign in?"), "{mail}");
    code_to(&server, "new@example.com").await;
    let codes_to_ada =
        server.mails().iter().filter(|m| m.contains("To: ada@example.com\r\n") && m.contains(CODE_SUBJECT)).count();
    assert_eq!(codes_to_ada, 1, "only the first sign-up's code");
}

#[tokio::test]
async fn an_attacker_cannot_make_an_account_with_someone_elses_address() {
    let server = before_sign_up();
    // The attacker proves their own address, then tries it for the victim's.
    ask_code(&server, "mallory@example.com").await;
    let code = code_to(&server, "mallory@example.com").await;
    let theirs = enter(&server, "mallory@example.com", &code).await.body["proof"].as_str().unwrap().to_owned();
    let with_theirs = json!({ "email": "victim@example.com", "proof": theirs });
    assert_eq!(server.post("/api/signup/start", &with_theirs).await.code(), "email_code_invalid");
    let password = json!({ "email": "victim@example.com", "password": STRONG, "proof": theirs });
    assert_eq!(server.post("/api/password/signup", &password).await.code(), "email_code_invalid");
    let made_up = json!({ "email": "victim@example.com", "password": STRONG, "proof": "AAAA" });
    assert_eq!(server.post("/api/password/signup", &made_up).await.code(), "email_code_invalid");

    // Guessing the victim's code is stopped after ten wrong ones a day, whatever the guess.
    for guess in 0..10 {
        let answer = enter(&server, "victim@example.com", &format!("{guess:06}")).await;
        assert!(matches!(answer.code(), "email_code_invalid"), "{}", answer.body);
    }
    let stopped = enter(&server, "victim@example.com", "999999").await;
    assert_eq!((stopped.status, stopped.code()), (StatusCode::TOO_MANY_REQUESTS, "rate_limited"));
    assert_eq!(server.counts().await.users, 0, "no account for the victim's address");
    assert_eq!(server.counts().await.passkeys, 0);
}

#[tokio::test]
async fn three_code_mails_an_hour_go_to_an_address_and_any_live_code_works() {
    let server = before_sign_up();
    for _ in 0..3 {
        ask_code(&server, "ada@example.com").await;
    }
    let fourth = server.post("/api/signup/start", &json!({ "email": "ada@example.com" })).await;
    assert_eq!(fourth.code(), "rate_limited", "three code mails an hour per address");
    let codes = codes_to(&server, "ada@example.com", 3).await;
    assert_eq!(codes.len(), 3);
    assert_eq!(server.query_i64("SELECT count(*) FROM sign_up_codes").await, 3, "one row each");
    // The worker writes a mail, then deletes its row: the third row may outlive its file a moment.
    let mut queued = server.query_i64("SELECT count(*) FROM outbox").await;
    for _ in 0..250 {
        if queued == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        queued = server.query_i64("SELECT count(*) FROM outbox").await;
    }
    assert_eq!(queued, 0, "the mails went, taking their codes");
    // Any of the three live codes works (mail may arrive out of order), and using one ends the others.
    let proved = enter(&server, "ada@example.com", &codes[1]).await;
    assert_eq!(proved.status, StatusCode::OK, "{}", proved.body);
    assert_eq!(server.query_i64("SELECT count(*) FROM sign_up_codes").await, 1, "only the proof is left");
}

#[tokio::test]
async fn the_console_turns_the_code_step_on_for_the_next_sign_up() {
    const TOKEN: &str = "correct-horse-admin-token";
    let server = TestServer::with_config(|c| c.admin_token = Some(TOKEN.into()));
    let admin = |method: &str, body: Option<Value>| {
        Request::builder()
            .method(method)
            .uri("/api/admin/policy")
            .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
            .unwrap()
    };
    // A sign-up begun before the switch finishes after it, verified by the link the old policy mails.
    let (ceremony, options) = server.start_sign_up("bob@example.com").await;

    let mut policy = server.send(admin("GET", None)).await.body;
    assert_eq!(policy["email_verification"], "after_sign_up");
    policy["email_verification"] = json!("before_sign_up");
    let put = server.send(admin("PUT", Some(policy))).await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);
    assert_eq!(ask_code(&server, "ada@example.com").await, json!({ "codeSent": true }), "in force at once");
    code_to(&server, "ada@example.com").await;

    let credential = Device::new(Algorithm::Es256).create(&options).await;
    let finished = server.finish("/api/signup/finish", &ceremony, &credential).await;
    assert_eq!(finished.status, StatusCode::OK, "{}", finished.body);
    assert!(!email_verified(&server, &finished.cookie.unwrap()).await);
    let link = |m: &str| m.contains("To: bob@example.com\r\n") && m.contains("Subject: Verify your email");
    server.wait_for_mail("with bob's verification link", link).await;
}
