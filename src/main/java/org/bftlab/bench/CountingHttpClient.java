package org.bftlab.bench;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An {@link HttpClient} that counts the requests it sends, in total and by method and path
 * (e.g. {@code GET /transactions/…}), and delegates everything else, WebSockets included
 * (a WebSocket's frames are not requests and are not counted).
 */
public final class CountingHttpClient extends HttpClient {
  private final HttpClient delegate;
  private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

  public CountingHttpClient(HttpClient delegate) {
    this.delegate = delegate;
  }

  /** Requests sent so far. */
  public long requests() {
    return counts.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Requests sent so far with this method to paths starting with {@code prefix}. */
  public long count(String method, String prefix) {
    return counts.entrySet().stream()
        .filter(e -> e.getKey().startsWith(method + " " + prefix))
        .mapToLong(e -> e.getValue().sum()).sum();
  }

  private void count(HttpRequest r) {
    counts.computeIfAbsent(r.method() + " " + r.uri().getPath(), k -> new LongAdder())
        .increment();
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return delegate.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return delegate.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return delegate.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return delegate.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return delegate.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return delegate.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return delegate.authenticator();
  }

  @Override
  public Version version() {
    return delegate.version();
  }

  @Override
  public Optional<Executor> executor() {
    return delegate.executor();
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    count(request);
    return delegate.send(request, handler);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
      HttpResponse.BodyHandler<T> handler) {
    count(request);
    return delegate.sendAsync(request, handler);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
      HttpResponse.BodyHandler<T> handler, HttpResponse.PushPromiseHandler<T> push) {
    count(request);
    return delegate.sendAsync(request, handler, push);
  }

  @Override
  public WebSocket.Builder newWebSocketBuilder() {
    return delegate.newWebSocketBuilder();
  }
}
