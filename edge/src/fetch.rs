//! Sends an [`OutboundRequest`] over the Worker's `fetch`.

use crate::outbound::OutboundRequest;
use futures_util::future::{select, Either};
use std::pin::pin;
use std::time::Duration;
use worker::{AbortController, AbortSignal, Delay, Fetch, Headers, Method, Request, RequestInit, RequestRedirect};

/// How long a POST to another service (the mail provider, the site's webhook, an app's back-channel logout) may take
/// before it counts as no answer and is retried on its schedule: an endpoint that never answers must not hold the
/// queue consumer or the account's Durable Object.
pub const POST_TIMEOUT: Duration = Duration::from_secs(15);

/// POSTs `request`; the response's status, if it comes within [`POST_TIMEOUT`].
pub async fn post(request: &OutboundRequest) -> worker::Result<u16> {
    within(POST_TIMEOUT, async |signal| Ok(send_with(Method::Post, request, signal).await?.status_code())).await
}

/// POSTs `request`; the response's status and text, if they come within [`POST_TIMEOUT`].
pub async fn post_text(request: &OutboundRequest) -> worker::Result<(u16, String)> {
    within(POST_TIMEOUT, async |signal| {
        let mut response = send_with(Method::Post, request, signal).await?;
        Ok((response.status_code(), response.text().await?))
    })
    .await
}

/// What a service answered: its status, its `Retry-After` header, its text.
pub struct Answer {
    pub status: u16,
    pub retry_after: Option<String>,
    pub text: String,
}

/// POSTs `request`; the whole answer, if it comes within [`POST_TIMEOUT`].
pub async fn post_answer(request: &OutboundRequest) -> worker::Result<Answer> {
    within(POST_TIMEOUT, async |signal| {
        let mut response = send_with(Method::Post, request, signal).await?;
        let retry_after = response.headers().get("Retry-After")?;
        Ok(Answer { status: response.status_code(), retry_after, text: response.text().await? })
    })
    .await
}

/// GETs `request.url` (the body is not sent); the response's status and text, if they come within `limit` (else the
/// request is aborted and this is an error).
pub async fn get_text_within(request: &OutboundRequest, limit: Duration) -> worker::Result<(u16, String)> {
    within(limit, async |signal| {
        let mut response = send_with(Method::Get, request, signal).await?;
        Ok((response.status_code(), response.text().await?))
    })
    .await
}

/// Runs `work` with an abort signal, aborting it and answering an error if it has not finished within `limit`.
async fn within<T>(limit: Duration, work: impl AsyncFnOnce(&AbortSignal) -> worker::Result<T>) -> worker::Result<T> {
    let controller = AbortController::default();
    let signal = controller.signal();
    let (answer, timer) = (pin!(work(&signal)), pin!(Delay::from(limit)));
    match select(answer, timer).await {
        Either::Left((answer, _)) => answer,
        Either::Right(_) => {
            controller.abort();
            Err(worker::Error::RustError(format!("no answer within {} ms", limit.as_millis())))
        }
    }
}

async fn send_with(
    method: Method,
    request: &OutboundRequest,
    signal: &AbortSignal,
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
    Fetch::Request(Request::new_with_init(&request.url, &init)?).send_with_signal(signal).await
}
