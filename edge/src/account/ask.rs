//! Asking an account: one command to its Durable Object, by name, and the command's own reply (the shell every
//! caller — handlers, the queue consumer, another account during a move — goes through).

use super::protocol::{Ask, Command};
use worker::{Env, Method, Request, RequestInit};

/// Sends a command to an account's Durable Object; its reply.
pub async fn ask_account<C: Ask>(env: &Env, account_id: &str, command: C) -> worker::Result<C::Reply> {
    crate::metrics::count(crate::metrics::Op::DurableObjectCall);
    let stub = env.durable_object(crate::platform::binding::ACCOUNTS)?.get_by_name(account_id)?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_body(Some(serde_json::to_string(&Into::<Command>::into(command))?.into()));
    let request = Request::new_with_init("https://account/", &init)?;
    let mut response = stub.fetch_with_request(request).await?;
    if response.status_code() != 200 {
        return Err(worker::Error::RustError(format!("account object answered HTTP {}", response.status_code())));
    }
    response.json().await
}
