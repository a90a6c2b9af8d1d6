//! Sends an [`OutboundRequest`] over the Worker's `fetch`.

use crate::outbound::OutboundRequest;
use worker::{Fetch, Headers, Method, Request, RequestInit, RequestRedirect};

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
        headers.set(name, value.expose_str())?;
    }
    let mut init = RequestInit::new();
    // A redirect is an answer, not an instruction: following one would send a signed webhook, a mail with a reset
    // link, or an API key wherever the other side points.
    init.with_headers(headers).with_redirect(RequestRedirect::Manual);
    if method == Method::Post {
        init.with_body(Some(request.body.expose_str().into()));
    }
    init.with_method(method);
    Fetch::Request(Request::new_with_init(&request.url, &init)?).send().await
}
