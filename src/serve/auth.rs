//! Who may call `phuluc serve`: a bearer token, compared in constant time.
//!
//! Contract: [`policy`] decides at start — a token file given: its first line (trimmed)
//! is the token, an empty or unreadable file refuses the start; none given: allowed on a
//! loopback address, or anywhere with `no_auth` said explicitly, refused otherwise.
//! [`Token::allows`] checks `Authorization: Bearer TOKEN` with `subtle`'s constant-time
//! comparison, so the answer's timing does not tell how much of a guess was right.

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use subtle::ConstantTimeEq;

use std::net::SocketAddr;
use std::path::Path;

use crate::diag::Diagnostic;
use crate::text;

/// The token every request but the probes must carry.
pub struct Token(Box<[u8]>);

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never printed.
        f.write_str("Token(…)")
    }
}

impl Token {
    /// Whether `headers` carry this token as `Authorization: Bearer …`.
    pub fn allows(&self, headers: &HeaderMap) -> bool {
        let mut values = headers.get_all(AUTHORIZATION).iter();
        let (Some(value), None) = (values.next(), values.next()) else {
            return false;
        };
        let value = value.as_bytes();
        let Some(given) = value
            .strip_prefix(b"Bearer ")
            .or_else(|| value.strip_prefix(b"bearer "))
        else {
            return false;
        };
        bool::from(given.ct_eq(&self.0))
    }
}

/// The token to require, if any; or why the service must not start so.
pub fn policy(
    bind: SocketAddr,
    token_file: Option<&Path>,
    no_auth: bool,
) -> Result<Option<Token>, Diagnostic> {
    if let Some(file) = token_file {
        let text = std::fs::read_to_string(file).map_err(|e| {
            Diagnostic::error(text!(
                format!("không đọc được tệp mã truy cập: {e}"),
                format!("cannot read the token file: {e}")
            ))
            .in_file(file)
        })?;
        let token = text.lines().next().unwrap_or_default().trim();
        if token.is_empty() {
            return Err(Diagnostic::error(text!(
                "tệp mã truy cập trống",
                "the token file is empty"
            ))
            .in_file(file)
            .hint(text!(
                "Ghi vào tệp một chuỗi ngẫu nhiên dài, ví dụ: head -c 32 /dev/urandom | base64 > token",
                "Write a long random string into it, e.g. head -c 32 /dev/urandom | base64 > token"
            )));
        }
        return Ok(Some(Token(token.as_bytes().into())));
    }
    if bind.ip().is_loopback() || no_auth {
        return Ok(None);
    }
    Err(Diagnostic::error(text!(
        format!(
            "không mở dịch vụ trên {} mà không có mã truy cập: ai cũng gọi được",
            bind
        ),
        format!(
            "will not serve on {} without a token: anyone could call it",
            bind
        )
    ))
    .hint(text!(
        "Thêm --token-file TỆP (mỗi yêu cầu gửi “Authorization: Bearer MÃ”), hoặc --no-auth nếu một cổng phía trước đã kiểm tra quyền.",
        "Add --token-file FILE (each request sends “Authorization: Bearer TOKEN”), or --no-auth when a gateway in front already checks."
    )))
}
