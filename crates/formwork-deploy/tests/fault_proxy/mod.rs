//! A fault-injecting HTTP proxy for tests: it listens on 127.0.0.1:0,
//! forwards CloudFormation query requests to an upstream (moto), and, per
//! request, matched by the `Action=` of the form body and by call count,
//! can stall (accept and never answer), delay, answer a throttling error or
//! an HTML 500 page, drop the connection, or run a hook ("let another
//! client act") before forwarding.
//!
//! It speaks just enough HTTP/1.1 for the SDK's requests: a head, then a
//! `Content-Length` body. Each forwarded request goes over a fresh upstream
//! connection with `Connection: close`, and the response is relayed as it
//! came (so the client does not reuse the connection either).

#![allow(dead_code)] // each test binary uses part of it

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::BoxFuture;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Runs before a request is forwarded.
pub type Hook = Arc<dyn Fn() -> BoxFuture<'static, ()> + Send + Sync>;

/// What to do with a matching request.
#[derive(Clone)]
pub enum Fault {
    /// Keep the connection open and never answer.
    Stall,
    /// Wait, then forward.
    Delay(Duration),
    /// Answer HTTP 400 `Throttling: Rate exceeded`, as CloudFormation does.
    Throttle,
    /// Answer HTTP 500 with an HTML page, as a broken proxy would.
    Html500,
    /// Close the connection without answering.
    Drop,
    /// Run the hook, then forward.
    Hook(Hook),
}

struct Rule {
    /// The actions it matches; empty for every request.
    actions: Vec<String>,
    /// Matching requests to let through before it applies.
    skip: usize,
    /// Matching requests it applies to, after the skipped ones.
    times: usize,
    fault: Fault,
}

#[derive(Default)]
struct State {
    rules: Vec<Rule>,
    /// Every request seen, as `Action` (or `?` when there is none).
    log: Vec<String>,
}

impl State {
    /// The fault for a request, consuming one use of the first rule that applies.
    fn fault_for(&mut self, action: &str) -> Option<Fault> {
        for rule in &mut self.rules {
            if !rule.actions.is_empty() && !rule.actions.iter().any(|a| a == action) {
                continue;
            }
            if rule.skip > 0 {
                rule.skip -= 1;
                continue;
            }
            if rule.times == 0 {
                continue;
            }
            rule.times -= 1;
            return Some(rule.fault.clone());
        }
        None
    }
}

/// The proxy; it runs until the test's runtime ends.
#[derive(Clone)]
pub struct FaultProxy {
    /// `http://127.0.0.1:PORT`, the endpoint URL to give the SDK.
    pub url: String,
    state: Arc<Mutex<State>>,
}

impl FaultProxy {
    /// Starts a proxy in front of `upstream` (`http://host:port`).
    pub async fn start(upstream: &str) -> Self {
        let upstream = upstream
            .strip_prefix("http://")
            .expect("an http:// upstream")
            .trim_end_matches('/')
            .to_string();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State::default()));
        let s = state.clone();
        tokio::spawn(async move {
            while let Ok((conn, _)) = listener.accept().await {
                tokio::spawn(serve(conn, upstream.clone(), s.clone()));
            }
        });
        FaultProxy { url, state }
    }

    /// Applies `fault` to `times` requests whose action is one of `actions`
    /// (any request when empty), after letting `skip` of them through.
    pub fn add(&self, actions: &[&str], skip: usize, times: usize, fault: Fault) -> &Self {
        self.state.lock().unwrap().rules.push(Rule {
            actions: actions.iter().map(|a| a.to_string()).collect(),
            skip,
            times,
            fault,
        });
        self
    }

    /// The actions of every request seen so far, in order.
    pub fn log(&self) -> Vec<String> {
        self.state.lock().unwrap().log.clone()
    }

    /// How many requests of `action` were seen.
    pub fn count(&self, action: &str) -> usize {
        self.log().iter().filter(|a| *a == action).count()
    }
}

/// One request: its head (request line and headers) and body.
struct Request {
    head: String,
    body: Vec<u8>,
}

impl Request {
    fn action(&self) -> String {
        let body = String::from_utf8_lossy(&self.body);
        body.split('&')
            .find_map(|kv| kv.strip_prefix("Action="))
            .unwrap_or("?")
            .to_string()
    }

    /// The request as bytes, with `Connection: close`.
    fn to_upstream(&self) -> Vec<u8> {
        let mut out = String::new();
        for line in self.head.split("\r\n").filter(|l| !l.is_empty()) {
            if line.to_ascii_lowercase().starts_with("connection:") {
                continue;
            }
            out.push_str(line);
            out.push_str("\r\n");
        }
        out.push_str("Connection: close\r\n\r\n");
        let mut bytes = out.into_bytes();
        bytes.extend_from_slice(&self.body);
        bytes
    }
}

async fn read_request(conn: &mut TcpStream) -> Option<Request> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = conn.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let length = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let mut body = buf[head_end..].to_vec();
    while body.len() < length {
        let n = conn.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Request { head, body })
}

fn response(status: &str, content_type: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

const THROTTLING: &str = "<ErrorResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>";

/// An HTML error page of about 1.3 KB, like a load balancer's.
fn html_500() -> String {
    format!(
        "<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head>\n<body><h1>Internal Server Error</h1>\n{}</body></html>\n",
        "<p>The server encountered an internal error and was unable to complete your request.</p>\n"
            .repeat(12)
    )
}

async fn forward(req: &Request, upstream: &str) -> Option<Vec<u8>> {
    let mut up = TcpStream::connect(upstream).await.ok()?;
    up.write_all(&req.to_upstream()).await.ok()?;
    let mut out = Vec::new();
    up.read_to_end(&mut out).await.ok()?;
    Some(out)
}

async fn serve(mut conn: TcpStream, upstream: String, state: Arc<Mutex<State>>) {
    while let Some(req) = read_request(&mut conn).await {
        let action = req.action();
        let fault = {
            let mut st = state.lock().unwrap();
            st.log.push(action.clone());
            st.fault_for(&action)
        };
        let answer = match fault {
            Some(Fault::Stall) => {
                // Hold the connection until the client gives up.
                let mut sink = [0u8; 1024];
                while let Ok(n) = conn.read(&mut sink).await {
                    if n == 0 {
                        break;
                    }
                }
                return;
            }
            Some(Fault::Drop) => return,
            Some(Fault::Throttle) => response("400 Bad Request", "text/xml", THROTTLING),
            Some(Fault::Html500) => response("500 Internal Server Error", "text/html", &html_500()),
            Some(Fault::Delay(d)) => {
                tokio::time::sleep(d).await;
                match forward(&req, &upstream).await {
                    Some(r) => r,
                    None => return,
                }
            }
            Some(Fault::Hook(hook)) => {
                hook().await;
                match forward(&req, &upstream).await {
                    Some(r) => r,
                    None => return,
                }
            }
            None => match forward(&req, &upstream).await {
                Some(r) => r,
                None => return,
            },
        };
        if conn.write_all(&answer).await.is_err() {
            return;
        }
    }
}
