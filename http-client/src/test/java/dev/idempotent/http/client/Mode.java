package dev.idempotent.http.client;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.util.concurrent.ExecutionException;

/** The two ways to send: every behaviour test runs both. */
enum Mode {
  SEND {
    @Override
    <T> HttpResponse<T> send(
        IdempotentHttpClient client, HttpRequest request, BodyHandler<T> handler)
        throws IOException, InterruptedException {
      return client.send(request, handler);
    }
  },
  SEND_ASYNC {
    @Override
    <T> HttpResponse<T> send(
        IdempotentHttpClient client, HttpRequest request, BodyHandler<T> handler)
        throws IOException, InterruptedException {
      try {
        return client.sendAsync(request, handler).get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        throw new AssertionError("sendAsync failed with something other than IOException", e);
      }
    }
  };

  abstract <T> HttpResponse<T> send(
      IdempotentHttpClient client, HttpRequest request, BodyHandler<T> handler)
      throws IOException, InterruptedException;

  HttpResponse<String> send(IdempotentHttpClient client, HttpRequest request)
      throws IOException, InterruptedException {
    return send(client, request, HttpResponse.BodyHandlers.ofString());
  }
}
