//! Sends an [`OutboundRequest`] over the Worker's `fetch`.

use crate::outbound::OutboundRequest;
use futures_util::future::{select, Either};
use std::pin::pin;
use std::time::Duration;
use worker::{AbortController, AbortSignal, Delay, Fetch, Headers, Method, Request, RequestInit, RequestRedirect};

/// POSTs `request`; the response's status.
pub async fn post(request: &OutboundRequest) -> worker::Result<u16> {
    Ok(send(Method::Post, request).await?.status_code())
}

/// POSTs `request`; the response's status and text.
pub async fn post_text(request: &OutboundRequest) -> worker::Result<(u16, String)> {
    let mut response = send(Method::Post, request).await?;
    Ok((response.status_code(), response.text().await?))
}

/// GETs `request.url` (the body is not sent); the response's status and text, if they come within `limit` (else the
/// request is aborted and this is an error).
pub async fn get_text_within(request: &OutboundRequest, limit: Duration) -> worker::Result<(u16, String)> {
    let controller = AbortController::default();
    let signal = controller.signal();
    let answer = async {
        let mut response = send_with(Method::Get, request, Some(&signal)).await?;
        Ok::<_, worker::Error>((response.status_code(), response.text().await?))
    };
    let (answer, timer) = (pin!(answer), pin!(Delay::from(limit)));
    let first = select(answer, timer).await;
    match first {
        Either::Left((answer, _)) => answer,
        Either::Right(_) => {
            controller.abort();
            Err(worker::Error::RustError(format!("no answer within {} ms", limit.as_millis())))
        }
    }
}

async fn send(method: Method, request: &OutboundRequest) -> worker::Result<worker::Response> {
    send_with(method, request, None).await
}

async fn send_with(
    method: Method,
    request: &OutboundRequest,
    signal: Option<&AbortSignal>,
) -> worker::Result<worker::Response> {
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
    let fetch = Fetch::Request(Request::new_with_init(&request.url, &init)?);
    match signal {
        Some(signal) => fetch.send_with_signal(signal).await,
        None => fetch.send().await,
    }
}
