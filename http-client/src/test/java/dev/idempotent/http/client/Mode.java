package dev.idempotent.http.client;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutionException;

/** The two ways to send: every behaviour test runs both. */
enum Mode {
  SEND {
    @Override
    HttpResponse<String> send(IdempotentHttpClient client, HttpRequest request)
        throws IOException, InterruptedException {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
  },
  SEND_ASYNC {
    @Override
    HttpResponse<String> send(IdempotentHttpClient client, HttpRequest request)
        throws IOException, InterruptedException {
      try {
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        throw new AssertionError("sendAsync failed with something other than IOException", e);
      }
    }
  };

  abstract HttpResponse<String> send(IdempotentHttpClient client, HttpRequest request)
      throws IOException, InterruptedException;
}
