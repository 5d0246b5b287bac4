//! The API's OpenAPI 3.1 document, built from the same table as the routes: each route is
//! added with the description of its operations ([`Op`]), whose request and answer schemas
//! come from the protocol types (`ToSchema`, feature `openapi` of `linli-protocol`). A route
//! cannot be added without its description, so the document cannot miss one.

use axum::routing::MethodRouter;
use axum::Router;
use linli_protocol::ErrorBody;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::path::{
    HttpMethod, Operation, OperationBuilder, Parameter, ParameterBuilder, ParameterIn,
};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{ComponentsBuilder, ObjectBuilder, SchemaType, Type};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{
    ContentBuilder, InfoBuilder, OpenApi, OpenApiBuilder, Paths, Ref, RefOr, Required,
    ResponseBuilder, ResponsesBuilder, Schema,
};
use utoipa::{PartialSchema, ToSchema};

/// Who may call an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth {
    /// No credentials.
    Public,
    /// An enrolled phone's bearer token.
    Device,
    /// A staff session's bearer token.
    Staff,
}

/// One operation: method, summary, who may call it, what it takes and what it answers.
pub struct Op {
    method: HttpMethod,
    summary: String,
    auth: Auth,
    body: Option<RefOr<Schema>>,
    success: (u16, &'static str, Option<RefOr<Schema>>),
    errors: Vec<u16>,
    query: Vec<Parameter>,
    feeds: Vec<(HttpMethod, String)>,
    schemas: Vec<(String, RefOr<Schema>)>,
}

/// Starts the description of an operation that answers 200 with no body until told otherwise.
pub fn op(method: HttpMethod, auth: Auth, summary: impl Into<String>) -> Op {
    let mut errors = Vec::new();
    if auth != Auth::Public {
        errors.push(401);
    }
    if auth == Auth::Staff {
        errors.push(403);
    }
    Op {
        method,
        summary: summary.into(),
        auth,
        body: None,
        success: (200, "OK", None),
        errors,
        query: Vec::new(),
        feeds: Vec::new(),
        schemas: Vec::new(),
    }
}

/// The operation id: method and path, e.g. `put /api/v1/staff/alerts/{id}` → `put_api_v1_staff_alerts_id`.
fn operation_id(method: &HttpMethod, path: &str) -> String {
    let method = serde_json::to_value(method)
        .ok()
        .and_then(|m| m.as_str().map(str::to_owned))
        .unwrap_or_default();
    let path: String = path
        .chars()
        .filter(|c| !matches!(c, '{' | '}'))
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("{method}{path}")
}

fn reference<T: ToSchema>(schemas: &mut Vec<(String, RefOr<Schema>)>) -> RefOr<Schema> {
    let name = T::name().into_owned();
    schemas.push((name.clone(), T::schema()));
    T::schemas(schemas);
    RefOr::Ref(Ref::from_schema_name(name))
}

impl Op {
    /// A JSON request body of type `T` (bad bodies answer 400; oversized ones 413).
    pub fn body<T: ToSchema>(mut self) -> Op {
        self.body = Some(reference::<T>(&mut self.schemas));
        self.errors.extend([400, 413]);
        self
    }
    /// The answer on success: `status` with a JSON body of type `T`.
    pub fn answers<T: ToSchema>(mut self, status: u16, description: &'static str) -> Op {
        self.success = (status, description, Some(reference::<T>(&mut self.schemas)));
        self
    }
    /// The answer on success: `status` with no body.
    pub fn answers_empty(mut self, status: u16, description: &'static str) -> Op {
        self.success = (status, description, None);
        self
    }
    /// Further error statuses this operation can answer (in the error shape).
    pub fn errors(mut self, statuses: &[u16]) -> Op {
        self.errors.extend_from_slice(statuses);
        self
    }
    /// An optional query parameter holding a string of the given description.
    pub fn query(mut self, name: &str, description: &str) -> Op {
        self.query.push(
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Query)
                .required(Required::False)
                .description(Some(description))
                .schema(Some(
                    ObjectBuilder::new().schema_type(SchemaType::Type(Type::String)),
                ))
                .build(),
        );
        self.errors.push(400);
        self
    }

    /// The `id` this operation answers is the `{id}` of `method path` (an OpenAPI link, which
    /// lets a client — or a schema fuzzer — follow a create with its update and delete).
    pub fn feeds(mut self, method: HttpMethod, path: &str) -> Op {
        self.feeds.push((method, path.to_owned()));
        self
    }

    /// The operation at `path` (the full path, prefix included).
    fn build(mut self, prefix: &str, path: &str) -> Operation {
        let json = |schema: RefOr<Schema>| ContentBuilder::new().schema(Some(schema)).build();
        let mut responses = ResponsesBuilder::new();
        let (status, description, schema) = self.success;
        let mut ok = ResponseBuilder::new().description(description);
        if let Some(schema) = schema {
            ok = ok.content("application/json", json(schema));
        }
        for (method, target) in &self.feeds {
            let target = operation_id(method, &format!("{prefix}{target}"));
            ok = ok.link(
                target.clone(),
                LinkBuilder::new()
                    .operation_id(target)
                    .parameter("id", "$response.body#/id")
                    .build(),
            );
        }
        responses = responses.response(status.to_string(), ok);
        self.errors.push(500);
        self.errors.sort_unstable();
        self.errors.dedup();
        for status in self.errors {
            let mut error = ResponseBuilder::new()
                .description(error_description(status))
                .content(
                    "application/json",
                    json(RefOr::Ref(Ref::from_schema_name(ErrorBody::name()))),
                );
            if status == 429 {
                error = error.header(
                    "Retry-After",
                    HeaderBuilder::new()
                        .schema(Some(
                            ObjectBuilder::new().schema_type(SchemaType::Type(Type::Integer)),
                        ))
                        .description(Some("Seconds to wait before trying again"))
                        .build(),
                );
            }
            responses = responses.response(status.to_string(), error);
        }
        let mut operation = OperationBuilder::new()
            .operation_id(Some(operation_id(&self.method, &format!("{prefix}{path}"))))
            .summary(Some(self.summary))
            .responses(responses.build())
            .parameters(Some(path_parameters(path).chain(self.query)));
        if let Some(body) = self.body {
            operation = operation.request_body(Some(
                RequestBodyBuilder::new()
                    .required(Some(Required::True))
                    .content("application/json", json(body))
                    .build(),
            ));
        }
        match self.auth {
            Auth::Public => {}
            Auth::Device => {
                operation = operation.security(SecurityRequirement::new("device", [""; 0]))
            }
            // Either one: scripts send the bearer token, the console its cookie (and, on a
            // write, the session's X-CSRF-Token).
            Auth::Staff => {
                operation = operation
                    .security(SecurityRequirement::new("staff", [""; 0]))
                    .security(SecurityRequirement::new("staff_cookie", [""; 0]))
            }
        }
        operation.build()
    }
}

/// A `{name}` in the path is a required string parameter.
fn path_parameters(path: &str) -> impl Iterator<Item = Parameter> + '_ {
    path.split('/')
        .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| {
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .schema(Some(
                    ObjectBuilder::new().schema_type(SchemaType::Type(Type::String)),
                ))
                .build()
        })
}

fn error_description(status: u16) -> &'static str {
    match status {
        400 => "The request is malformed or a field is invalid; the message names the field",
        401 => "No valid bearer token",
        403 => "The token is valid but not allowed here",
        404 => "No such record",
        409 => "The record is in a state that does not allow this change",
        413 => "The body is too large",
        429 => "Too many attempts from this address; wait a minute",
        _ => "The platform failed; nothing was changed",
    }
}

/// A router that is built together with its OpenAPI document.
pub struct Documented<S> {
    prefix: &'static str,
    router: Router<S>,
    paths: Paths,
    schemas: Vec<(String, RefOr<Schema>)>,
}

impl<S: Clone + Send + Sync + 'static> Documented<S> {
    /// `prefix` is where the router will be nested (the document's paths include it).
    pub fn new(prefix: &'static str) -> Documented<S> {
        Documented {
            prefix,
            router: Router::new(),
            paths: Paths::new(),
            schemas: Vec::new(),
        }
    }

    /// Adds `handler` at `path` (axum's `{param}` syntax, which is also OpenAPI's), described
    /// by `ops` — one per method the handler answers.
    pub fn route(
        mut self,
        path: &str,
        handler: MethodRouter<S>,
        ops: impl IntoIterator<Item = Op>,
    ) -> Documented<S> {
        for mut op in ops {
            self.schemas.append(&mut op.schemas);
            let method = op.method.clone();
            self.paths.add_path_operation(
                format!("{}{path}", self.prefix),
                vec![method],
                op.build(self.prefix, path),
            );
        }
        self.router = self.router.route(path, handler);
        self
    }

    /// Merges another documented router.
    pub fn merge(mut self, other: Documented<S>) -> Documented<S> {
        self.router = self.router.merge(other.router);
        for (path, item) in other.paths.paths {
            match self.paths.paths.get_mut(&path) {
                Some(existing) => existing.merge_operations(item),
                None => {
                    self.paths.paths.insert(path, item);
                }
            }
        }
        self.schemas.extend(other.schemas);
        self
    }

    /// Adds schemas the operations refer to indirectly (e.g. through `oneOf`).
    pub fn components(mut self, schemas: Vec<(String, RefOr<Schema>)>) -> Documented<S> {
        self.schemas.extend(schemas);
        self
    }

    /// The router and its document.
    pub fn split(mut self) -> (Router<S>, OpenApi) {
        self.schemas
            .push((ErrorBody::name().into_owned(), ErrorBody::schema()));
        ErrorBody::schemas(&mut self.schemas);
        let bearer = |what: &str| {
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(what))
                    .build(),
            )
        };
        let components = ComponentsBuilder::new()
            .schemas_from_iter(self.schemas)
            .security_scheme(
                "device",
                bearer("The token an enrolled phone got from POST /api/v1/enroll"),
            )
            .security_scheme(
                "staff",
                bearer("A staff session's token from POST /api/v1/staff/login"),
            )
            .security_scheme(
                "staff_cookie",
                SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                    crate::auth::SESSION_COOKIE,
                    "The console's HttpOnly session cookie from POST /api/v1/staff/session; \
                     a write also sends X-CSRF-Token (the session's csrf)",
                ))),
            )
            .build();
        let doc = OpenApiBuilder::new()
            .info(
                InfoBuilder::new()
                    .title("Linli community platform — Protocol v1")
                    .version(linli_protocol::VERSION.to_string())
                    .description(Some(
                        "The contract between the Linli phone app and the community platform. \
                         The prose, with the sync rules, is docs/protocol.md.",
                    ))
                    .build(),
            )
            .paths(self.paths)
            .components(Some(components))
            .build();
        (self.router, doc)
    }
}
