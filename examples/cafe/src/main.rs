//! `cargo run -p cafe` serves the Cafe on 127.0.0.1:3001 (`PORT` overrides).

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = match std::env::var("PORT") {
        Ok(p) => p
            .parse()
            .map_err(|_| std::io::Error::other(format!("PORT must be a port number, got `{p}`")))?,
        Err(_) => 3001,
    };
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("cafe listening on http://{}", listener.local_addr()?);
    axum::serve(listener, cafe::app()).await
}
