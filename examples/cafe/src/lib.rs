//! The Redocly Cafe (`api/openapi.yaml`, OpenAPI 3.1 split over 40 files): every operation
//! implemented by a hand-written axum handler, bound with `#[contract]`, the components as
//! Rust types with `#[derive(Schema)]`, and mounted with `routes!`, nothing more: request
//! validation, the declared error form and (in debug builds) response validation come with
//! `routes!`. The store is in memory; any non-empty bearer token (or API key, for revenue)
//! is accepted, and a request without one gets 401 from the `Token` extractor.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::{FromRequestParts, Multipart, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use contract_runtime::{Schema, contract};
use serde::{Deserialize, Serialize};

/// RFC 9457 problem details: the `Error` component, every operation's error body.
#[derive(Debug, Serialize, Schema)]
#[schema(name = "Error")]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: &'static str,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<Box<serde_json::Value>>,
}

impl Problem {
    fn new(status: StatusCode, detail: &str) -> Problem {
        Problem {
            kind: "about:blank",
            title: status.canonical_reason().unwrap_or("Error"),
            status: status.as_u16(),
            details: Some(Box::new(serde_json::json!({ "message": detail }))),
        }
    }

    fn unauthorized() -> Problem {
        Problem::new(StatusCode::UNAUTHORIZED, "a bearer token is required")
    }

    fn not_found(what: &str) -> Problem {
        Problem::new(StatusCode::NOT_FOUND, &format!("no such {what}"))
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        let mut response = (status, Json(self)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            header::HeaderValue::from_static("application/problem+json"),
        );
        response
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "lowercase")]
pub enum OrderStatus {
    Placed,
    Preparing,
    Completed,
    Canceled,
}

#[derive(Debug, Clone, Serialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct Page {
    pub end_cursor: Option<String>,
    pub start_cursor: Option<String>,
    pub has_next_page: bool,
    pub has_prev_page: bool,
    pub limit: i64,
    pub total: i64,
}

/// What every menu item has (`MenuBaseItem`).
#[derive(Debug, Clone, Serialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct MenuBaseItem {
    pub id: String,
    pub object: String,
    pub name: String,
    pub price: i64,
    pub created_at: String,
    pub updated_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub photo_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub photo_text_description: Option<String>,
}

/// A beverage's own fields: its `category` is the tag of [`MenuItem`], so this type is not the
/// `Beverage` component (which requires `category`) but its part beside the tag.
#[derive(Debug, Clone, Serialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct BeverageItem {
    pub volume: f64,
    pub contains_caffeine: bool,
    #[serde(flatten)]
    pub base: MenuBaseItem,
}

/// A dessert's own fields, beside the tag (see [`BeverageItem`]).
#[derive(Debug, Clone, Serialize, Schema)]
pub struct DessertItem {
    pub calories: f64,
    #[serde(flatten)]
    pub base: MenuBaseItem,
}

/// `MenuItem`: a beverage or a dessert, told apart by `category`.
#[derive(Debug, Clone, Serialize, Schema)]
#[serde(tag = "category", rename_all = "lowercase")]
pub enum MenuItem {
    Beverage(BeverageItem),
    Dessert(DessertItem),
}

impl MenuItem {
    fn base(&self) -> &MenuBaseItem {
        match self {
            MenuItem::Beverage(b) => &b.base,
            MenuItem::Dessert(d) => &d.base,
        }
    }
}

#[derive(Debug, Serialize, Schema)]
pub struct MenuItemList {
    pub object: &'static str,
    pub page: Page,
    pub items: Vec<MenuItem>,
}

/// One line of an order, as sent and as stored.
#[derive(Debug, Clone, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct OrderLine {
    pub menu_item_id: String,
    pub quantity: i64,
    #[serde(default)]
    pub discount: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Serialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    pub id: String,
    pub object: &'static str,
    pub customer_name: String,
    pub status: OrderStatus,
    pub total_price: i64,
    pub created_at: String,
    pub updated_at: String,
    pub order_items: Vec<OrderLine>,
}

/// The body of `createOrder` (the `Order` component without its read-only properties).
#[derive(Debug, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
#[schema(name = "Order")]
pub struct NewOrder {
    pub customer_name: String,
    pub order_items: Vec<OrderLine>,
}

#[derive(Debug, Serialize, Schema)]
pub struct OrderList {
    pub object: &'static str,
    pub page: Page,
    pub items: Vec<Order>,
}

/// The body of `updateOrder`.
#[derive(Debug, Deserialize, Schema)]
pub struct StatusUpdate {
    pub status: OrderStatus,
}

/// An order line as `listOrderItems` answers it, with its menu item.
#[derive(Debug, Serialize, Schema)]
#[serde(rename_all = "camelCase")]
#[schema(name = "OrderItem")]
pub struct OrderItemView {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub menu_item: Option<MenuItem>,
    pub quantity: i64,
    pub discount: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Serialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct RevenueStatistics {
    pub revenue: f64,
    pub average_order_amount: f64,
    pub total_orders: i64,
    pub placed_orders: i64,
    pub preparing_orders: i64,
    pub completed_orders: i64,
    pub canceled_orders: i64,
    pub start_date: String,
    pub end_date: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, Schema)]
pub enum Scope {
    #[serde(rename = "menu:read")]
    MenuRead,
    #[serde(rename = "menu:write")]
    MenuWrite,
    #[serde(rename = "orders:read")]
    OrdersRead,
    #[serde(rename = "orders:write")]
    OrdersWrite,
    #[serde(rename = "revenue:read")]
    RevenueRead,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, Schema)]
#[serde(rename_all = "snake_case")]
pub enum GrantType {
    AuthorizationCode,
    ClientCredentials,
}

#[derive(Debug, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
#[schema(name = "RegisterClientObject")]
pub struct RegisterClient {
    pub name: String,
    pub redirect_uris: Option<Vec<String>>,
    pub scopes: Option<Vec<Scope>>,
    pub grant_types: Option<Vec<GrantType>>,
}

#[derive(Debug, Serialize, Schema)]
#[serde(rename_all = "camelCase")]
#[schema(name = "OAuth2Client")]
pub struct OAuthClient {
    pub client_id: String,
    pub client_secret: String,
    pub client_id_issued_at: i64,
    pub client_secret_expires_at: i64,
    pub name: String,
    pub redirect_uris: Vec<String>,
    pub registration_client_uri: String,
    pub registration_access_token: String,
    pub scopes: Vec<Scope>,
    pub grant_types: Vec<GrantType>,
}

/// The query of the two list operations.
#[derive(Debug, Deserialize, Schema)]
pub struct ListQuery {
    pub after: Option<String>,
    pub before: Option<String>,
    pub sort: Option<String>,
    pub filter: Option<String>,
    pub search: Option<String>,
    pub limit: Option<i64>,
}

/// The query of `listOrderItems`. Its `filter` is a `$ref` with `required: true` beside it,
/// which OpenAPI 3.1 ignores (a reference takes only `summary` and `description`): optional.
#[derive(Debug, Deserialize, Schema)]
pub struct ItemsQuery {
    pub filter: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, Schema)]
#[serde(rename_all = "lowercase")]
pub enum PhotoSize {
    Thumbnail,
    Medium,
    Large,
}

#[derive(Debug, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct PhotoQuery {
    pub photo_size: Option<PhotoSize>,
}

#[derive(Debug, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct RevenueQuery {
    pub start_date: Option<String>,
    pub end_date: Option<String>,
}

#[derive(Default)]
struct Store {
    next: u64,
    menu: BTreeMap<String, MenuItem>,
    orders: BTreeMap<String, Order>,
}

#[derive(Clone, Default)]
pub struct AppState(Arc<Mutex<Store>>);

impl AppState {
    fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Store {
    /// `prd_…`/`ord_…`: a prefix and 26 characters of Crockford's base 32, as the spec's
    /// patterns want.
    fn id(&mut self, prefix: &str) -> String {
        const ALPHABET: &[u8] = b"0123456789abcdefghjkmnpqrstvwxyz";
        self.next += 1;
        let mut n = self.next;
        let mut digits = [b'0'; 26];
        for d in digits.iter_mut().rev() {
            *d = ALPHABET[(n % 32) as usize];
            n /= 32;
        }
        format!("{prefix}_{}", String::from_utf8_lossy(&digits))
    }
}

/// The current time as RFC 3339 (`2026-08-24T14:15:22Z`).
fn now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

/// A request that carries a bearer token (the `OAuth2` scheme); without one, 401.
pub struct Token;

impl<S: Send + Sync> FromRequestParts<S> for Token {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Problem> {
        has_token(&parts.headers)
            .then_some(Token)
            .ok_or_else(Problem::unauthorized)
    }
}

/// A request that carries a bearer token or an API key (`getRevenue` takes either scheme).
pub struct TokenOrKey;

impl<S: Send + Sync> FromRequestParts<S> for TokenOrKey {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Problem> {
        let key = parts
            .headers
            .get("x-api-key")
            .is_some_and(|v| !v.as_bytes().is_empty());
        (key || has_token(&parts.headers))
            .then_some(TokenOrKey)
            .ok_or_else(Problem::unauthorized)
    }
}

fn has_token(headers: &HeaderMap) -> bool {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|token| !token.trim().is_empty())
}

fn page_of<T: Clone>(items: &[T], id: impl Fn(&T) -> &str, query: &ListQuery) -> (Page, Vec<T>) {
    let limit = query.limit.unwrap_or(10).clamp(1, 100);
    let start = query
        .after
        .as_deref()
        .and_then(|after| items.iter().position(|i| id(i) == after).map(|p| p + 1))
        .unwrap_or(0);
    let page: Vec<T> = items
        .iter()
        .skip(start)
        .take(limit as usize)
        .cloned()
        .collect();
    let end = start + page.len();
    (
        Page {
            end_cursor: page.last().map(|i| id(i).to_string()),
            start_cursor: page.first().map(|i| id(i).to_string()),
            has_next_page: end < items.len(),
            has_prev_page: start > 0,
            limit,
            total: items.len() as i64,
        },
        page,
    )
}

fn matches_search(text: &str, search: Option<&str>) -> bool {
    search.is_none_or(|s| text.to_lowercase().contains(&s.to_lowercase()))
}

#[contract("listMenuItems")]
async fn list_menu_items(
    State(state): State<AppState>,
    Query(query): Query<ListQuery>,
) -> Json<MenuItemList> {
    let store = state.store();
    let items: Vec<MenuItem> = store
        .menu
        .values()
        .filter(|item| matches_search(&item.base().name, query.search.as_deref()))
        .cloned()
        .collect();
    let (page, items) = page_of(&items, |i| i.base().id.as_str(), &query);
    Json(MenuItemList {
        object: "list",
        page,
        items,
    })
}

#[contract("createMenuItem")]
async fn create_menu_item(
    State(state): State<AppState>,
    _: Token,
    mut form: Multipart,
) -> Result<(StatusCode, Json<MenuItem>), Problem> {
    let bad = |detail: &str| Problem::new(StatusCode::BAD_REQUEST, detail);
    let mut fields = BTreeMap::new();
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| bad(&format!("malformed multipart body: {e}")))?
    {
        let name = field.name().unwrap_or_default().to_string();
        if name == "photo" {
            continue;
        }
        // The read-only properties of `MenuBaseItem` are the service's to set: a request may
        // carry them (OpenAPI only drops them from `required`), and this one refuses them.
        if ["id", "object", "createdAt", "updatedAt", "photoUrl"].contains(&name.as_str()) {
            return Err(bad(&format!("`{name}` is read-only")));
        }
        let text = field
            .text()
            .await
            .map_err(|e| bad(&format!("part `{name}`: {e}")))?;
        fields.insert(name, text);
    }
    let text = |name: &str| fields.get(name).map(String::as_str);
    let number = |name: &str| -> Result<f64, Problem> {
        text(name)
            .and_then(|v| v.parse::<f64>().ok())
            .filter(|v| v.is_finite() && *v > 0.0)
            .ok_or_else(|| bad(&format!("`{name}` must be a number above 0")))
    };
    let name = text("name")
        .filter(|n| !n.is_empty() && n.chars().count() <= 50)
        .ok_or_else(|| bad("`name` must have 1 to 50 characters"))?
        .to_string();
    let price = text("price")
        .and_then(|p| p.parse::<i64>().ok())
        .filter(|p| *p >= 0)
        .ok_or_else(|| bad("`price` must be an integer of at least 0"))?;
    let mut store = state.store();
    let created = now();
    let base = MenuBaseItem {
        id: store.id("prd"),
        object: "menuItem".into(),
        name,
        price,
        created_at: created.clone(),
        updated_at: created,
        photo_url: None,
        photo_text_description: text("photoTextDescription").map(str::to_string),
    };
    let item = match text("category") {
        Some("beverage") => MenuItem::Beverage(BeverageItem {
            volume: number("volume")?,
            contains_caffeine: match text("containsCaffeine") {
                Some("true") => true,
                Some("false") => false,
                _ => return Err(bad("`containsCaffeine` must be true or false")),
            },
            base,
        }),
        Some("dessert") => MenuItem::Dessert(DessertItem {
            calories: number("calories")?,
            base,
        }),
        _ => return Err(bad("`category` must be `beverage` or `dessert`")),
    };
    store.menu.insert(item.base().id.clone(), item.clone());
    Ok((StatusCode::CREATED, Json(item)))
}

#[contract("deleteMenuItem")]
async fn delete_menu_item(
    State(state): State<AppState>,
    _: Token,
    Path(id): Path<String>,
) -> Result<StatusCode, Problem> {
    match state.store().menu.remove(&id) {
        Some(_) => Ok(StatusCode::NO_CONTENT),
        None => Err(Problem::not_found("menu item")),
    }
}

/// A 1×1 transparent PNG.
const PIXEL: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

#[contract("getMenuItemPhoto")]
async fn get_menu_item_photo(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<PhotoQuery>,
) -> Response {
    let _size = query.photo_size.unwrap_or(PhotoSize::Medium);
    if !state.store().menu.contains_key(&id) {
        return Problem::not_found("menu item").into_response();
    }
    ([(header::CONTENT_TYPE, "image/png")], PIXEL).into_response()
}

#[contract("listOrders")]
async fn list_orders(
    State(state): State<AppState>,
    _: Token,
    Query(query): Query<ListQuery>,
) -> Result<Json<OrderList>, Problem> {
    let store = state.store();
    let orders: Vec<Order> = store
        .orders
        .values()
        .filter(|o| {
            matches_search(&o.customer_name, query.search.as_deref())
                || matches_search(&o.id, query.search.as_deref())
        })
        .cloned()
        .collect();
    let (page, items) = page_of(&orders, |o| o.id.as_str(), &query);
    Ok(Json(OrderList {
        object: "list",
        page,
        items,
    }))
}

#[contract("createOrder")]
async fn create_order(
    State(state): State<AppState>,
    _: Token,
    Json(new): Json<NewOrder>,
) -> Result<(StatusCode, Json<Order>), Problem> {
    let mut store = state.store();
    let total: i64 = new
        .order_items
        .iter()
        .map(|line| {
            let price = store
                .menu
                .get(&line.menu_item_id)
                .map_or(0, |i| i.base().price);
            price
                .saturating_mul(line.quantity)
                .saturating_sub(line.discount)
                .max(0)
        })
        .fold(0i64, i64::saturating_add);
    let created = now();
    let order = Order {
        id: store.id("ord"),
        object: "order",
        customer_name: new.customer_name,
        status: OrderStatus::Placed,
        total_price: total,
        created_at: created.clone(),
        updated_at: created,
        order_items: new.order_items,
    };
    store.orders.insert(order.id.clone(), order.clone());
    Ok((StatusCode::CREATED, Json(order)))
}

#[contract("getOrderById")]
async fn get_order(
    State(state): State<AppState>,
    _: Token,
    Path(id): Path<String>,
) -> Result<Json<Order>, Problem> {
    let store = state.store();
    store
        .orders
        .get(&id)
        .cloned()
        .map(Json)
        .ok_or_else(|| Problem::not_found("order"))
}

#[contract("updateOrder")]
async fn update_order(
    State(state): State<AppState>,
    _: Token,
    Path(id): Path<String>,
    update: Option<Json<StatusUpdate>>,
) -> Result<Json<Order>, Problem> {
    let mut store = state.store();
    let order = store
        .orders
        .get_mut(&id)
        .ok_or_else(|| Problem::not_found("order"))?;
    if let Some(Json(update)) = update {
        order.status = update.status;
        order.updated_at = now();
    }
    Ok(Json(order.clone()))
}

#[contract("deleteOrder")]
async fn delete_order(
    State(state): State<AppState>,
    _: Token,
    Path(id): Path<String>,
) -> Result<StatusCode, Problem> {
    match state.store().orders.remove(&id) {
        Some(_) => Ok(StatusCode::NO_CONTENT),
        None => Err(Problem::not_found("order")),
    }
}

#[contract("listOrderItems")]
async fn list_order_items(
    State(state): State<AppState>,
    _: Token,
    Query(query): Query<ItemsQuery>,
) -> Result<Json<Vec<OrderItemView>>, Problem> {
    let store = state.store();
    let order_id = query
        .filter
        .as_deref()
        .unwrap_or_default()
        .split_whitespace()
        .find_map(|pair| pair.strip_prefix("orderId:"));
    let order = order_id
        .and_then(|id| store.orders.get(id))
        .ok_or_else(|| Problem::not_found("order"))?;
    let items = order
        .order_items
        .iter()
        .map(|line| OrderItemView {
            menu_item: store.menu.get(&line.menu_item_id).cloned(),
            quantity: line.quantity,
            discount: line.discount,
            comment: line.comment.clone(),
        })
        .collect();
    Ok(Json(items))
}

#[contract("getRevenue")]
async fn get_revenue(
    State(state): State<AppState>,
    _: TokenOrKey,
    Query(query): Query<RevenueQuery>,
) -> Result<Json<RevenueStatistics>, Problem> {
    let store = state.store();
    let count =
        |status: OrderStatus| store.orders.values().filter(|o| o.status == status).count() as i64;
    let completed: Vec<&Order> = store
        .orders
        .values()
        .filter(|o| o.status == OrderStatus::Completed)
        .collect();
    let revenue: f64 = completed.iter().map(|o| o.total_price as f64).sum();
    let end = query.end_date.unwrap_or_else(now);
    Ok(Json(RevenueStatistics {
        revenue,
        average_order_amount: if completed.is_empty() {
            0.0
        } else {
            revenue / completed.len() as f64
        },
        total_orders: store.orders.len() as i64,
        placed_orders: count(OrderStatus::Placed),
        preparing_orders: count(OrderStatus::Preparing),
        completed_orders: count(OrderStatus::Completed),
        canceled_orders: count(OrderStatus::Canceled),
        start_date: query.start_date.unwrap_or_else(|| end.clone()),
        end_date: end,
    }))
}

#[contract("registerOAuth2Client")]
async fn register_client(
    State(state): State<AppState>,
    Json(client): Json<RegisterClient>,
) -> (StatusCode, Json<OAuthClient>) {
    let mut store = state.store();
    let id = store.id("cli");
    let issued = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let registered = OAuthClient {
        registration_client_uri: format!("https://api.cafe.redocly.com/oauth2/register/{id}"),
        registration_access_token: format!("rat_{id}"),
        client_secret: format!("secret_{id}"),
        client_id: id,
        client_id_issued_at: issued,
        client_secret_expires_at: 0,
        name: client.name,
        redirect_uris: client.redirect_uris.unwrap_or_default(),
        scopes: client.scopes.unwrap_or_else(|| {
            vec![
                Scope::MenuRead,
                Scope::MenuWrite,
                Scope::OrdersRead,
                Scope::OrdersWrite,
            ]
        }),
        grant_types: client
            .grant_types
            .unwrap_or_else(|| vec![GrantType::AuthorizationCode, GrantType::ClientCredentials]),
    };
    (StatusCode::CREATED, Json(registered))
}

/// The whole service, as README shows: `routes!` and the state, nothing else.
pub fn app() -> Router {
    contract_runtime::routes!(
        list_menu_items,
        create_menu_item,
        delete_menu_item,
        get_menu_item_photo,
        list_orders,
        create_order,
        get_order,
        update_order,
        delete_order,
        list_order_items,
        get_revenue,
        register_client,
    )
    .with_state(AppState::default())
}
