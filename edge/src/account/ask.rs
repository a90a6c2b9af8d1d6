//! Asking an account: one command to its Durable Object, by name, and the command's own reply (the shell every
//! caller — handlers, the queue consumer, another account during a move — goes through).

use super::protocol::{Ask, Command};
use serde::de::DeserializeOwned;
use serde::Serialize;
use worker::{Env, Method, Request, RequestInit};

/// Sends a command to an account's Durable Object; its reply.
pub async fn ask_account<C: Ask>(env: &Env, account_id: &str, command: C) -> worker::Result<C::Reply> {
    ask_object(env, crate::platform::binding::ACCOUNTS, account_id, &Into::<Command>::into(command)).await
}

/// POSTs `body` as JSON to the Durable Object named `name` in the namespace `binding`; its JSON answer (any status
/// but 200 is an error). Every Durable Object here is asked this way: the accounts, the campaigns.
pub async fn ask_object<B: Serialize, R: DeserializeOwned>(
    env: &Env,
    binding: &str,
    name: &str,
    body: &B,
) -> worker::Result<R> {
    crate::metrics::count(crate::metrics::Op::DurableObjectCall);
    let stub = env.durable_object(binding)?.get_by_name(name)?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_body(Some(serde_json::to_string(body)?.into()));
    let request = Request::new_with_init("https://object/", &init)?;
    let mut response = stub.fetch_with_request(request).await?;
    if response.status_code() != 200 {
        return Err(worker::Error::RustError(format!("{binding} object answered HTTP {}", response.status_code())));
    }
    response.json().await
}
