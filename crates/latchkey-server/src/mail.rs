//! Mail delivery: SMTP when configured, otherwise a directory of `.eml` files and the server log, which
//! the demo and the tests read. Requests never send mail themselves: they queue it in the store's
//! outbox, and the worker in `background.rs` delivers it through a [`Mailer`].

use std::path::PathBuf;

use lettre::{
    AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor, message::header::ContentType,
};

use crate::{config::Config, store::Mail};

/// Where mail goes.
#[derive(Clone)]
pub enum Mailer {
    /// A real SMTP server.
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// One `.eml` file per message in a directory, each also logged; the text (which holds the link)
    /// only when `log_text`, which is off for https deployments.
    Outbox {
        /// lettre's writer of `.eml` files.
        transport: AsyncFileTransport<Tokio1Executor>,
        /// The directory, for the log.
        dir: PathBuf,
        /// Whether the log gets the text too.
        log_text: bool,
    },
}

impl Mailer {
    /// The mailer the configuration asks for; the outbox directory is created if missing.
    pub fn new(config: &Config) -> Result<Self, String> {
        match &config.smtp_url {
            Some(url) => {
                let transport =
                    AsyncSmtpTransport::<Tokio1Executor>::from_url(url).map_err(|e| format!("SMTP URL: {e}"))?.build();
                Ok(Self::Smtp(transport))
            }
            None => {
                let dir = config.outbox_dir.clone();
                std::fs::create_dir_all(&dir).map_err(|e| format!("outbox {}: {e}", dir.display()))?;
                // A deployment (https) without SMTP still gets the outbox, but its log keeps no links.
                let log_text = !config.is_https();
                if !log_text {
                    tracing::warn!(outbox = %dir.display(), "no SMTP server configured: mail goes to the outbox");
                }
                Ok(Self::Outbox { transport: AsyncFileTransport::new(&dir), dir, log_text })
            }
        }
    }

    /// Delivers one plain-text message; a failure is returned so the worker can try again later.
    pub async fn deliver(&self, from: &str, mail: &Mail) -> Result<(), String> {
        let message = build(from, &mail.to, &mail.subject, mail.text.clone())?;
        match self {
            Self::Smtp(transport) => transport.send(message).await.map(drop).map_err(|e| e.to_string()),
            Self::Outbox { transport, dir, log_text } => {
                let id = transport.send(message).await.map_err(|e| e.to_string())?;
                if *log_text {
                    tracing::info!(outbox = %dir.display(), %id, to = %mail.to, "mail written to the outbox:\n{}", mail.text);
                } else {
                    tracing::info!(outbox = %dir.display(), %id, "mail written to the outbox");
                }
                Ok(())
            }
        }
    }
}

/// A plain-text message; lettre picks the transfer encoding (quoted-printable once a line, such as a
/// long link, passes 76 characters).
fn build(from: &str, to: &str, subject: &str, text: String) -> Result<Message, String> {
    Message::builder()
        .from(from.parse().map_err(|e| format!("from {from}: {e}"))?)
        .to(to.parse().map_err(|e| format!("to: {e}"))?)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(text)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_outbox_receives_the_message() {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = Config { outbox_dir: dir.path().to_path_buf(), ..Config::default() };
        let mailer = Mailer::new(&config).expect("mailer");
        let link = format!("http://localhost:8080/#latchkey-reset={}", "x".repeat(43));
        let mail = Mail {
            to: "pat@example.com".into(),
            subject: "Subject".into(),
            text: format!("Open {link}\n"),
            link: None,
        };
        mailer.deliver("Latchkey <no-reply@localhost>", &mail).await.expect("delivered");
        let file = std::fs::read_dir(dir.path()).expect("dir").next().expect("one file").expect("entry").path();
        let text = std::fs::read_to_string(file).expect("text");
        // Quoted-printable: soft line breaks and `=` written as `=3D`.
        let decoded = text.replace("=\r\n", "").replace("=3D", "=");
        assert!(decoded.contains(&link), "{text}");
    }
}
