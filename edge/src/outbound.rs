//! Requests the Worker sends to other services (mail provider APIs, the site's webhook, the breach check): built by
//! pure code elsewhere, sent here over the Worker's `fetch`.

use worker::{Fetch, Headers, Method, Request, RequestInit};

#[derive(Clone, PartialEq, Eq)]
pub struct OutboundRequest {
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

/// Names the headers but not their values (API keys, signatures), and leaves out the body (mail carries reset links).
impl std::fmt::Debug for OutboundRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| *name).collect();
        write!(f, "OutboundRequest {{ url: {}, headers: {names:?}, body: {} bytes }}", self.url, self.body.len())
    }
}

/// POSTs `request`; the response's status.
pub async fn post(request: &OutboundRequest) -> worker::Result<u16> {
    Ok(send(Method::Post, request).await?.status_code())
}

/// POSTs `request`; the response's status and text.
pub async fn post_text(request: &OutboundRequest) -> worker::Result<(u16, String)> {
    let mut response = send(Method::Post, request).await?;
    Ok((response.status_code(), response.text().await?))
}

/// GETs `request.url` (the body is not sent); the response's status and text.
pub async fn get_text(request: &OutboundRequest) -> worker::Result<(u16, String)> {
    let mut response = send(Method::Get, request).await?;
    Ok((response.status_code(), response.text().await?))
}

async fn send(method: Method, request: &OutboundRequest) -> worker::Result<worker::Response> {
    let headers = Headers::new();
    for (name, value) in &request.headers {
        headers.set(name, value)?;
    }
    let mut init = RequestInit::new();
    init.with_headers(headers);
    if method == Method::Post {
        init.with_body(Some(request.body.clone().into()));
    }
    init.with_method(method);
    Fetch::Request(Request::new_with_init(&request.url, &init)?).send().await
}
