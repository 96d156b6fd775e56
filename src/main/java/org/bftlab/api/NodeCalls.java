package org.bftlab.api;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Calls from the HTTP API into the node, bounded in time; shared by the routes. */
final class NodeCalls {
  private NodeCalls() {}

  /**
   * {@code call}'s stage, failed with a {@link java.util.concurrent.TimeoutException} after
   * {@code timeout}, and failed (not thrown) when {@code call} throws or returns null.
   */
  static <T> CompletableFuture<T> bounded(Supplier<CompletionStage<T>> call, Duration timeout) {
    CompletableFuture<T> answer = new CompletableFuture<>();
    try {
      CompletionStage<T> stage = Objects.requireNonNull(call.get(), "facade returned no stage");
      stage.whenComplete((v, e) -> {
        if (e != null) {
          answer.completeExceptionally(e);
        } else {
          answer.complete(v);
        }
      });
    } catch (RuntimeException e) {
      answer.completeExceptionally(e);
    }
    answer.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return answer;
  }

  /** The cause under {@link CompletionException} and {@link ExecutionException} wrappers. */
  static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
