//! The server's own HTML pages share this: one document shell (our stylesheets, the scripts a page
//! names, `no-store`, its Content-Security-Policy) and the escaping of everything interpolated.

use axum::{
    http::{StatusCode, header},
    response::{Html, IntoResponse, Response},
};

/// A whole page in `language` (a tag of `LANGUAGES`, which the widget on it speaks too) around `body`,
/// running only `scripts` (our own, under `policy`).
pub fn document(
    status: StatusCode,
    language: &str,
    title: &str,
    body: &str,
    policy: &str,
    scripts: &[&str],
) -> Response {
    let scripts: String =
        scripts.iter().map(|src| format!("  <script type=\"module\" src=\"{}\"></script>\n", escape(src))).collect();
    let title = escape(title);
    // Arabic reads right to left.
    let direction = if language == "ar" { "rtl" } else { "ltr" };
    let language = escape(language);
    let html = format!(
        r#"<!doctype html>
<html lang="{language}" dir="{direction}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title}</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/latchkey.css">
  <link rel="stylesheet" href="/provider.css">
{scripts}</head>
<body>
{body}
</body>
</html>
"#
    );
    (
        status,
        [(header::CACHE_CONTROL, "no-store".to_owned()), (header::CONTENT_SECURITY_POLICY, policy.to_owned())],
        Html(html),
    )
        .into_response()
}

/// Text made safe for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_in_names_is_shown_as_text() {
        assert_eq!(
            super::escape(r#"<img src=x onerror="a()">&'"#),
            "&lt;img src=x onerror=&quot;a()&quot;&gt;&amp;&#39;"
        );
    }
}
