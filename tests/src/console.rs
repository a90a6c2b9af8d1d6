//! Staff for the console's tests: a staff account made through the admin API, given roles with the bearer token (as
//! the first admin is), logged in, and — unless a test wants otherwise — with 2-Step Verification on.

use crate::client::Client;
use crate::two_step::Authenticator;
use crate::unique_email;
use serde_json::{json, Value};

pub const STAFF_PASSWORD: &str = "Heron-Lantern-58-Quiet";

pub struct Staff {
    pub client: Client,
    pub email: String,
    pub name: String,
    /// Their authenticator app, when 2-Step Verification is on.
    pub app: Option<Authenticator>,
}

/// A logged-in staff member holding `roles` (`helpdesk`, `admin`), with 2-Step Verification on if `two_step`.
pub async fn staff(tag: &str, roles: &[&str], two_step: bool) -> Staff {
    staff_of(Client::shared(), tag, roles, two_step).await
}

/// The same on the Worker `client` talks to.
pub async fn staff_of(mut client: Client, tag: &str, roles: &[&str], two_step: bool) -> Staff {
    let email = unique_email(tag, "");
    let name = format!("Desk {tag} {}", crate::unique());
    let account = json!({"login_email": email, "audience": "staff", "display_name": name, "password": STAFF_PASSWORD});
    let (status, body) = client.admin(reqwest::Method::POST, "/api/admin/accounts", Some(&account)).await;
    assert_eq!(status, 201, "{body}");
    if !roles.is_empty() {
        let (status, body) = set_roles(&client, &email, "staff", roles).await;
        assert_eq!(status, 200, "{body}");
    }
    let (status, body) = client.login(&email, "staff", STAFF_PASSWORD, None).await;
    assert_eq!(status, 200, "{body}");
    let app = if two_step { Some(client.enrol().await.0) } else { None };
    Staff { client, email, name, app }
}

/// `PUT /api/admin/accounts/roles` with the bearer token.
pub async fn set_roles(client: &Client, email: &str, audience: &str, roles: &[&str]) -> (u16, Value) {
    let body = json!({"login_email": email, "audience": audience, "roles": roles});
    client.admin(reqwest::Method::PUT, "/api/admin/accounts/roles", Some(&body)).await
}
