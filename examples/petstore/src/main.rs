//! `cargo run -p petstore` serves the example on 127.0.0.1:3000 (`PORT` overrides).

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = match std::env::var("PORT") {
        Ok(p) => p
            .parse()
            .map_err(|_| std::io::Error::other(format!("PORT must be a port number, got `{p}`")))?,
        Err(_) => 3000,
    };
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("petstore listening on http://{}", listener.local_addr()?);
    axum::serve(listener, petstore::app()).await
}
