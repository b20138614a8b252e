//! Request parameters as OAuth reads them (RFC 6749 §3.1 and §3.2): form-urlencoded, from the query or a
//! form body, each at most once; a parameter sent with an empty value counts as absent.

use axum::http::{HeaderMap, header};

/// The parameters of one request, in the order sent.
#[derive(Debug, Default)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

/// A parameter was sent more than once; this names it.
#[derive(Debug, PartialEq, Eq)]
pub struct Repeated(pub String);

impl Params {
    /// Reads `application/x-www-form-urlencoded` text (a query string or a form body).
    pub fn parse(text: &str) -> Result<Self, Repeated> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (name, value) in url::form_urlencoded::parse(text.as_bytes()) {
            if pairs.iter().any(|(seen, _)| *seen == name) {
                return Err(Repeated(name.into_owned()));
            }
            pairs.push((name.into_owned(), value.into_owned()));
        }
        Ok(Self { pairs })
    }

    /// The value of `name`, if sent and not empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
    }

    /// The parameters other than those `skip` names, form-urlencoded again in the order sent.
    pub fn encode_without(&self, skip: &[&str]) -> String {
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in self.pairs.iter().filter(|(name, _)| !skip.contains(&name.as_str())) {
            out.append_pair(name, value);
        }
        out.finish()
    }
}

/// Whether a request's body is a form (RFC 6749 §4.1.3 and §6 require it at the token endpoint).
pub fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded"))
}

/// `uri` with `pairs` added to its query, as redirects to an application carry their answer
/// (RFC 6749 §4.1.2: "retaining any existing query component").
pub fn with_query(uri: &str, pairs: &[(&str, &str)]) -> String {
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        out.append_pair(name, value);
    }
    let separator = if uri.contains('?') { '&' } else { '?' };
    format!("{uri}{separator}{}", out.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_parameter_is_refused_and_empty_ones_are_absent() {
        assert_eq!(Params::parse("a=1&b=2&a=3").err(), Some(Repeated("a".into())));
        let params = Params::parse("state=&scope=openid+email").expect("no repeats");
        assert_eq!((params.get("state"), params.get("scope")), (None, Some("openid email")));
    }

    #[test]
    fn answers_keep_the_redirect_uris_own_query() {
        assert_eq!(with_query("https://a.example/cb?x=1", &[("code", "c d")]), "https://a.example/cb?x=1&code=c+d");
        assert_eq!(with_query("https://a.example/cb", &[("state", "s")]), "https://a.example/cb?state=s");
    }
}
