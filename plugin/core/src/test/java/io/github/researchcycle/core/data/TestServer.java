package io.github.researchcycle.core.data;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP server for the {@code url} source: serves files by name, honours {@code Range},
 * counts requests, and misbehaves on demand (errors, truncation, throttling).
 */
final class TestServer implements AutoCloseable {
  /** How the next answers for a path go wrong; each entry is used once, in order. */
  enum Fault {
    /** Answers 500. */
    ERROR_500,
    /** Announces the full Content-Length, sends half, and drops the connection. */
    LYING_LENGTH,
    /** Sends half of the body in a well-formed chunked answer (the connection ends early, cleanly). */
    SHORT_CHUNKED
  }

  final HttpServer server;
  final Map<String, byte[]> files = new ConcurrentHashMap<>();
  final Map<String, List<Fault>> faults = new ConcurrentHashMap<>();
  final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  final List<String> ranges = new CopyOnWriteArrayList<>();
  final AtomicInteger bytesSent = new AtomicInteger();
  volatile long throttleMillisPer64k;
  /** Answers given (once each, in order, before any fault) instead of the file: a status and a Retry-After. */
  final Map<String, List<Answer>> answers = new ConcurrentHashMap<>();

  /** An answer without a body: its status and, when not null, its {@code Retry-After} header. */
  record Answer(int status, String retryAfter) {}

  void answer(String name, Answer... list) {
    answers.put(name, new CopyOnWriteArrayList<>(List.of(list)));
  }

  TestServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/files/";
  }

  int requests(String name) {
    return requests.getOrDefault(name, new AtomicInteger()).get();
  }

  void fault(String name, Fault... list) {
    faults.put(name, new CopyOnWriteArrayList<>(List.of(list)));
  }

  private void handle(HttpExchange ex) throws IOException {
    String name = ex.getRequestURI().getPath().substring("/files/".length());
    requests.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
    byte[] body = files.get(name);
    if (body == null) {
      ex.sendResponseHeaders(404, -1);
      ex.close();
      return;
    }
    List<Answer> queued = answers.get(name);
    if (queued != null && !queued.isEmpty()) {
      Answer a = queued.remove(0);
      if (a.retryAfter() != null) {
        ex.getResponseHeaders().add("Retry-After", a.retryAfter());
      }
      ex.sendResponseHeaders(a.status(), -1);
      ex.close();
      return;
    }
    List<Fault> pending = faults.get(name);
    Fault fault = pending == null || pending.isEmpty() ? null : pending.remove(0);
    String range = ex.getRequestHeaders().getFirst("Range");
    int from = 0;
    if (range != null) {
      ranges.add(name + " " + range);
      from = Integer.parseInt(range.substring("bytes=".length(), range.indexOf('-')));
    }
    if (fault == Fault.ERROR_500) {
      ex.sendResponseHeaders(500, -1);
      ex.close();
      return;
    }
    int length = body.length - from;
    if (from > 0) {
      ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
    }
    int status = from > 0 ? 206 : 200;
    if (fault == Fault.LYING_LENGTH) {
      ex.sendResponseHeaders(status, length);
      OutputStream out = ex.getResponseBody();
      out.write(body, from, length / 2);
      out.flush();
      bytesSent.addAndGet(length / 2);
      // An exception in the handler makes the server close the connection: the client sees the body end early.
      throw new IOException("test: connection dropped");
    }
    if (fault == Fault.SHORT_CHUNKED) {
      ex.sendResponseHeaders(status, 0);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body, from, length / 2);
      }
      bytesSent.addAndGet(length / 2);
      return;
    }
    ex.sendResponseHeaders(status, length);
    try (OutputStream out = ex.getResponseBody()) {
      for (int off = from; off < body.length; off += 65536) {
        int n = Math.min(65536, body.length - off);
        out.write(body, off, n);
        out.flush();
        bytesSent.addAndGet(n);
        if (throttleMillisPer64k > 0) {
          try {
            Thread.sleep(throttleMillisPer64k);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((ExecutorService) server.getExecutor()).shutdownNow();
  }
}
